// Browser checks of a seller's earnings and of a shop's payout route, on a
// cheap phone's screen in Debian's Chromium, with axe-core auditing each
// page (serious and critical violations fail).
// Run by `go test ./app -run Browser`, which serves the app and sets BASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, phone, audit, login, nav, logout } from './browser.mjs';

test('a sale at the till shows in the seller\'s earnings: balances, a chart and its table', async () => {
  const page = await phone();
  // Staff sell one of Dapur Bu Sari's products at the counter: paid and completed at once.
  await login(page, 'staff@demo.sentrakreasi.id');
  await page.goto(base + '/staf/kasir');
  await page.getByLabel('Cari produk').fill('Keripik Pisang Manis');
  await page.getByRole('button', { name: 'Cari', exact: true }).click();
  await page.getByLabel('Keripik Pisang Manis', { exact: true }).fill('2');
  await page.getByLabel('Tunai').check();
  await page.getByRole('button', { name: 'Catat penjualan' }).click();
  await page.getByText(/Penjualan TOKO[A-Z0-9]+ tercatat dan lunas\./).waitFor();
  // Staff have no earnings of their own: the link is not in their menu.
  assert.equal(await page.getByRole('link', { name: 'Pendapatan saya' }).count(), 0);
  await logout(page);

  await login(page, 'penjual@demo.sentrakreasi.id');
  await nav(page, 'Pendapatan saya');
  await page.waitForURL(base + '/jual/pendapatan');
  await page.getByRole('heading', { name: 'Pendapatan saya', level: 1 }).waitFor();
  await audit(page, 'earnings page');
  const main = await page.textContent('main');
  for (const line of ['Menunggu pesanan selesai', 'Siap dibayarkan', 'Sedang dibayarkan', 'Sudah dibayarkan', 'Tunai yang Anda terima sendiri']) {
    assert.ok(main.includes(line), `the balance "${line}" is shown`);
  }
  assert.ok(!main.includes('Sari Wulandari'), 'the PM\'s legal name is never on the page');

  const chart = page.getByRole('img', { name: /Penjualan dan uang yang sudah dibayarkan/ });
  await chart.waitFor();
  assert.match(await chart.locator('desc').textContent(), /batang kiri adalah penjualan/);
  assert.ok(await chart.locator('rect.bar-sales').count() >= 1, 'the chart has a sales bar');
  const tallest = await chart.locator('rect.bar-sales').last().getAttribute('height');
  assert.ok(Number(tallest) > 0, 'this month\'s sales bar has a height');

  const table = page.getByRole('table', { name: /Pendapatan per bulan/ });
  await table.waitFor();
  const month = new Intl.DateTimeFormat('id-ID', { month: 'long', year: 'numeric', timeZone: 'Asia/Jakarta' }).format(new Date());
  const row = table.getByRole('row', { name: new RegExp(month, 'i') });
  // Other checks sell too: this month's sales are at least the till sale's Rp36.000.
  const sales = Number((await row.getByRole('cell').first().textContent()).replace(/\D/g, ''));
  assert.ok(sales >= 36000, `this month's sales (${sales}) include the till sale`);
  assert.equal(await page.locator('script').count(), 0, 'the page needs no script');

  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'My earnings', level: 1 }).waitFor();
  await page.getByRole('img', { name: /Sales and money paid out/ }).waitFor();
  await audit(page, 'earnings page in English');
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await page.context().close();
});

test('staff set a shop\'s payout route, it waits masked, and another supervisor confirms it', async () => {
  const page = await phone();
  await login(page, 'staff@demo.sentrakreasi.id');
  await nav(page, 'Produk toko unit');
  await page.getByRole('link', { name: /^Rute pembayaran\s*:\s*Kopi Rizky$/ }).click();
  await page.waitForURL(/\/staf\/toko\/[0-9a-f-]{36}\/pembayaran$/);
  const routeURL = page.url();
  await page.getByRole('heading', { name: /Rute pembayaran: Kopi Rizky/, level: 1 }).waitFor();
  assert.match(await page.textContent('main'), /supervisor/);
  await audit(page, 'payout route page');

  // A number too short is told at its field.
  await page.getByLabel('Wali').check();
  await page.getByLabel('Transfer bank').check();
  await page.getByLabel('Nama pemilik rekening').fill('Ibu Sumiati');
  await page.getByLabel(/^Bank atau dompet digital/).fill('BRI');
  await page.getByLabel(/^Nomor rekening/).fill('12');
  await page.getByRole('button', { name: 'Simpan rute baru' }).click();
  await page.getByRole('alert').waitFor();
  assert.equal(await page.getByLabel(/^Nomor rekening/).getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#account_no-error').textContent(), /5 sampai 30 angka/);
  await audit(page, 'payout route form with an error');

  await page.getByLabel(/^Nomor rekening/).fill('0123 4567 8901');
  await page.getByRole('button', { name: 'Simpan rute baru' }).click();
  await page.getByText('Rute baru disimpan dan menunggu konfirmasi supervisor.').waitFor();
  const pending = page.locator('section', { has: page.getByRole('heading', { name: 'Perubahan menunggu konfirmasi' }) });
  await pending.waitFor();
  assert.match(await pending.textContent(), /••••\s*(berakhiran\s*)?8901/);
  assert.ok(!(await page.content()).includes('012345678901'), 'the full number is not shown without asking');
  assert.equal(await page.getByRole('button', { name: 'Konfirmasi perubahan rute' }).count(), 0, 'staff are not checkers');
  await audit(page, 'payout route page with a change waiting');

  await page.getByRole('button', { name: 'Tampilkan nomor rekening' }).click();
  await page.getByText('012345678901').waitFor();
  await audit(page, 'payout route page with the full number');
  await logout(page);

  // The supervisor confirms on a page showing the new full number beside the current route.
  await login(page, 'supervisor@demo.sentrakreasi.id');
  await page.goto(routeURL);
  const compare = page.getByRole('table', { name: /Periksa sebelum mengonfirmasi/ });
  await compare.waitFor();
  assert.match(await compare.locator('tbody', { hasText: 'Nomor rekening' }).textContent(), /012345678901/);
  assert.match(await compare.locator('tbody', { hasText: 'Nama pemilik rekening' }).textContent(), /Ibu Sumiati/);
  await audit(page, 'payout route page a supervisor confirms on');
  await screenshot(page, 'payout-route-confirm-id');
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('table', { name: /Check before confirming/ }).waitFor();
  await audit(page, 'payout route page a supervisor confirms on, in English');
  await screenshot(page, 'payout-route-confirm-en');
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await compare.waitFor();

  // Meanwhile staff swap the account for another with the same holder and last four digits.
  const staffPage = await phone();
  await login(staffPage, 'staff@demo.sentrakreasi.id');
  await staffPage.goto(routeURL);
  await staffPage.getByLabel('Wali').check();
  await staffPage.getByLabel('Transfer bank').check();
  await staffPage.getByLabel('Nama pemilik rekening').fill('Ibu Sumiati');
  await staffPage.getByLabel(/^Bank atau dompet digital/).fill('BRI');
  await staffPage.getByLabel(/^Nomor rekening/).fill('0999 0000 8901');
  await staffPage.getByRole('button', { name: 'Simpan rute baru' }).click();
  await staffPage.getByText('Rute baru disimpan dan menunggu konfirmasi supervisor.').waitFor();
  await staffPage.context().close();

  // Confirming what was shown is refused; the page shows the change waiting now.
  await page.getByRole('button', { name: 'Konfirmasi perubahan rute' }).click();
  await page.getByRole('alert').getByText(/sudah diganti sejak halaman ini dibuka/).waitFor();
  assert.match(await compare.locator('tbody', { hasText: 'Nomor rekening' }).textContent(), /099900008901/);
  await audit(page, 'payout route page after a replaced change');
  await page.getByRole('button', { name: 'Konfirmasi perubahan rute' }).click();
  await page.getByText('Perubahan rute dikonfirmasi dan sekarang dipakai.').waitFor();
  const current = page.locator('section', { has: page.getByRole('heading', { name: 'Rute yang dipakai sekarang' }) });
  // The holder's name may be the PM's legal name: masked until the full details are asked for.
  assert.match(await current.textContent(), /Wali[\s\S]*Transfer bank[\s\S]*I\*+ S\*+[\s\S]*8901/);
  assert.equal(await page.getByRole('heading', { name: 'Perubahan menunggu konfirmasi' }).count(), 0);

  // The supervisor's own change waits for someone else: no button to confirm it.
  await page.getByLabel('Tunai di Balai').check();
  await page.getByLabel('Nama pemilik rekening').fill('Ibu Sumiati');
  await page.getByRole('button', { name: 'Simpan rute baru' }).click();
  await page.getByText('Rute baru disimpan dan menunggu konfirmasi supervisor.').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Konfirmasi perubahan rute' }).count(), 0);
  await page.getByText(/hanya bisa dikonfirmasi oleh supervisor yang bukan pengubahnya/).waitFor();
  await audit(page, 'payout route page with one\'s own change');
  await page.context().close();
});

// screenshot keeps a full-page picture when SCREENS_DIR is set, for
// looking at a page on a phone's width.
async function screenshot(page, name) {
  if (process.env.SCREENS_DIR) {
    await page.screenshot({ path: `${process.env.SCREENS_DIR}/${name}.png`, fullPage: true });
  }
}
