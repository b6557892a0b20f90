// Browser checks of the staff monitoring pages: a caseworker's caseload, a
// case's economic independence (chart and table) with a service and an
// income recorded, a supervisor's unit dashboard and the admin's reference
// figures; on a cheap phone's screen in Debian's Chromium, with axe-core
// auditing each page (serious and critical violations fail).
// Run by `go test ./app -run Browser`, which serves the app and sets BASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, phone, audit, login, openCase, nav, logout } from './browser.mjs';

const rupiahOf = (text) => Number(text.replace(/\D/g, ''));

test('a caseworker opens Kasus saya, reads a case\'s outcomes and records a service and an income', async () => {
  const page = await phone();
  await login(page, 'staff@demo.sentrakreasi.id');
  await nav(page, 'Kasus saya');
  await page.waitForURL(base + '/staf/kasus');
  await page.getByRole('heading', { name: 'Kasus saya', level: 1 }).waitFor();
  await audit(page, 'caseload');
  const main = await page.textContent('main');
  assert.ok(main.includes('Rasio upah minimum') && main.includes('Beruntun'), 'each case shows its ratios and streak');
  for (const name of ['Sari Wulandari', 'Slamet Riyadi', 'Rizky Pratama']) {
    assert.ok(!main.includes(name), 'the caseload never shows a legal name');
  }
  const cases = page.locator('ul.caseload > li');
  // Other checks may open cases at the same time: at least the three of the demo.
  assert.ok(await cases.count() >= 3, 'the caseworker sees the demo cases of the Balai');
  assert.equal(await page.locator('svg.spark:not([aria-hidden="true"])').count(), 0, 'sparklines are decorative');

  await cases.first().getByRole('link').click();
  await page.waitForURL(/\/staf\/kasus\/[0-9a-f-]{36}$/);
  const caseURL = page.url();
  const chart = page.getByRole('img', { name: /Pendapatan mandiri per bulan/ });
  await chart.waitFor();
  assert.match(await chart.locator('desc').textContent(), /garis utuh upah minimum/);
  assert.ok(await chart.locator('rect.bar-income').count() >= 1, 'the chart has a bar a month');
  assert.ok(await chart.locator('line.line-mw').count() >= 1, 'the chart draws the minimum wage');
  const table = page.getByRole('table', { name: 'Hasil per bulan' });
  await table.waitFor();
  for (const col of ['Penjualan yang diatribusikan', 'Pendapatan bersih', 'Rasio upah minimum', 'Rasio garis kemiskinan', 'Beruntun', 'Terkunci']) {
    await table.getByRole('columnheader', { name: col, exact: true }).waitFor();
  }
  const activity = page.getByRole('table', { name: 'Kegiatan usaha per bulan' });
  for (const col of ['Pesanan selesai', 'Produk dijual', 'Pembeli berulang', 'Dikirim tepat waktu', 'Dibantu pendamping']) {
    await activity.getByRole('columnheader', { name: col, exact: true }).waitFor();
  }
  // The live month always has a count of products on sale (a closed month may not).
  const listed = await activity.getByRole('row').nth(1).getByRole('cell').nth(1).textContent();
  assert.match(listed.trim(), /^\d+$/, 'this month counts the products on sale');
  await audit(page, 'case page with outcomes');

  await page.getByLabel('Komponen layanan').selectOption('vocational_entrepreneurship');
  await page.getByLabel(/^Catatan/).first().fill('Pelatihan pengemasan keripik');
  await page.getByRole('button', { name: 'Simpan layanan' }).click();
  await page.getByText('Layanan tercatat.').waitFor();
  await page.locator('ol.timeline').getByText('Layanan dicatat').first().waitFor();

  const month = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(new Date());
  const incomeBefore = rupiahOf(await page.getByRole('table', { name: 'Hasil per bulan' })
    .getByRole('row', { name: new RegExp(month, 'i') }).getByRole('cell').nth(2).textContent());

  // An amount that is not a number is told at its field, and nothing is lost.
  await page.getByLabel('Jumlah (Rp)').fill('tujuh ratus');
  await page.getByRole('button', { name: 'Simpan pendapatan' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByLabel('Jumlah (Rp)').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Jumlah (Rp)').inputValue(), 'tujuh ratus');
  await audit(page, 'case page with an income error');

  await page.getByLabel('Jumlah (Rp)').fill('750.000');
  await page.getByLabel('Sudah diverifikasi petugas').check();
  await page.getByRole('button', { name: 'Simpan pendapatan' }).click();
  await page.getByText('Pendapatan tercatat.').waitFor();
  assert.equal(page.url().split('#')[0].split('?')[0], caseURL);
  const row = page.getByRole('table', { name: 'Hasil per bulan' }).getByRole('row', { name: new RegExp(month, 'i') });
  const income = rupiahOf(await row.getByRole('cell').nth(2).textContent());
  assert.ok(income >= incomeBefore + 750000, `this month's independent income (${income}) has the wage in it`);
  await audit(page, 'case page after recording');
  assert.equal(await page.locator('script').count(), 0, 'the page needs no script');
  await page.context().close();
});

test('a supervisor reads the unit dashboard with small cells hidden, and downloads it', async () => {
  const page = await phone();
  await login(page, 'supervisor@demo.sentrakreasi.id');
  await nav(page, 'Dasbor');
  await page.waitForURL(/\/staf\/dasbor/);
  await page.getByRole('heading', { name: 'Dasbor unit', level: 1 }).waitFor();
  // The Balai and the LKS of its network.
  assert.ok(await page.getByRole('heading', { level: 2 }).count() >= 2, 'the Balai and its LKS each have a section');
  const main = await page.textContent('main');
  assert.match(main, /kurang dari 5/);
  // Three PM in the demo: every count of them is hidden.
  assert.ok(await page.getByText('disembunyikan', { exact: true }).count() >= 1, 'hidden cells say so to a screen reader');
  // Each month has a table by cluster and one by pillar.
  assert.ok(await page.getByRole('columnheader', { name: 'Klaster', exact: true }).count() >= 1, 'a table by cluster');
  assert.ok(await page.getByRole('columnheader', { name: 'Pilar', exact: true }).count() >= 1, 'a table by pillar');
  await audit(page, 'unit dashboard');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'the tables scroll in their boxes, not the page');

  const csv = await page.getByRole('link', { name: 'CSV' }).first().getAttribute('href');
  const res = await page.request.get(base + csv);
  assert.equal(res.status(), 200);
  const text = await res.text();
  assert.match(text, /^month,dimension,group,pm/);
  assert.match(text, /,pillar,all,/, 'the download has the rows by pillar too');
  const perCase = await page.locator('a[href*="/ekspor-kasus.csv"]').first().getAttribute('href');
  const cases = await (await page.request.get(base + perCase)).text();
  assert.match(cases, /^case_no,month,version/, 'the per-case export for the ministry');
  for (const name of ['Sari Wulandari', 'Slamet Riyadi', 'Rizky Pratama', '3275014507850001']) {
    assert.ok(!cases.includes(name), 'the per-case export names no PM');
  }

  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Unit dashboard', level: 1 }).waitFor();
  await audit(page, 'unit dashboard in English');
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await page.context().close();
});

test('the admin reads the reference figures with their source', async () => {
  const page = await phone();
  await login(page, 'admin@demo.sentrakreasi.id');
  await nav(page, 'Referensi');
  await page.waitForURL(base + '/admin/referensi');
  await page.getByRole('table', { name: /Upah minimum yang berlaku/ }).waitFor();
  await page.getByRole('table', { name: /Garis kemiskinan per kapita/ }).waitFor();
  await audit(page, 'reference data');
  await page.getByRole('button', { name: 'Tambah garis kemiskinan' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByLabel(/^Sumber/).last().getAttribute('aria-invalid'), 'true');
  await audit(page, 'reference data with errors');
  await page.context().close();
});

test('a caseworker proposes a graduation and a supervisor approves it, closing the case', async () => {
  const page = await phone();
  await login(page, 'staff@demo.sentrakreasi.id');
  const caseURL = await openCase(page, { name: 'Wagiman Siap Mandiri', birthDate: '1979-06-06', household: 3, cluster: 'disabilitas' });
  const caseNo = (await page.textContent('h1')).match(/ATN-[0-9-]+/)[0];
  const section = page.locator('#kelulusan');
  await section.getByText('Belum ada penilaian kelulusan.').waitFor();
  await section.getByLabel('Usulkan kelulusan kepada supervisor').check();
  await section.getByRole('button', { name: 'Simpan penilaian' }).click();
  await page.getByText('Penilaian kelulusan disimpan.').waitFor();
  await section.getByText('Usulan kelulusan menunggu keputusan supervisor.').waitFor();
  assert.equal(await section.getByRole('button', { name: 'Simpan penilaian' }).count(), 0, 'no second proposal while one waits');
  await audit(page, 'case page with a proposed graduation');
  await logout(page);

  await login(page, 'supervisor@demo.sentrakreasi.id');
  await nav(page, 'Persetujuan');
  const proposal = page.locator('section.card', { hasText: caseNo });
  await proposal.waitFor();
  await audit(page, 'approvals with a proposed graduation');
  // A rejection needs a reason, told at its field.
  await proposal.getByRole('button', { name: 'Tolak usulan' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.locator('section.card', { hasText: caseNo }).getByLabel('Alasan menolak').getAttribute('aria-invalid'), 'true');
  await audit(page, 'approvals with a reason missing');
  await page.locator('section.card', { hasText: caseNo }).getByRole('button', { name: 'Setujui kelulusan' }).click();
  await page.getByText('Kelulusan disetujui; kasus ditutup.').waitFor();
  assert.equal(await page.locator('section.card', { hasText: caseNo }).count(), 0, 'the decided proposal leaves the queue');
  await page.goto(caseURL);
  await page.locator('#kelulusan').getByText(/Kasus ditutup pada \d{1,2} [A-Z][a-z]+ \d{4}: PM lulus\./).waitFor();
  await page.locator('ol.timeline').getByText('Kelulusan disetujui').waitFor();
  await page.context().close();
});
