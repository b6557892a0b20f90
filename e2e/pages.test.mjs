// Browser checks of the pages in Debian's Chromium: a person's way through
// them on a cheap phone's screen, with axe-core auditing every page for
// accessibility (serious and critical violations fail).
// Run by `go test ./app -run Browser`, which serves the app and sets BASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { base, phone, audit, login, openCase, nav, logout } from './browser.mjs';

test('staff log in, create a seller, open a case without and with its identity, log out', async () => {
  const page = await phone();
  await page.goto(base + '/masuk');
  await audit(page, 'login page');
  await login(page, 'staff@demo.sentrakreasi.id');
  assert.equal(new URL(page.url()).pathname, '/staf/kasus'); // a caseworker starts at their caseload
  await nav(page, 'Akun saya');
  assert.match(await page.textContent('h1'), /Akun saya/);
  await audit(page, 'account page');

  await nav(page, 'Pengguna unit');
  await audit(page, 'users page');
  await page.getByLabel('Nama', { exact: true }).fill('Ibu Marni');
  await page.getByLabel('Email').fill(`marni${Date.now()}@demo.sentrakreasi.id`);
  await page.getByLabel('Peran').selectOption('seller');
  await page.getByLabel(/^Kata sandi/).fill('anyaman-pandan-2026');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.getByText(/Akun .* sudah dibuat/).waitFor();
  await page.getByRole('button', { name: /Buat tautan kata sandi: Ibu Marni/ }).click();
  const link = await page.locator('.secret').textContent();
  assert.match(link, /\/atur-ulang\//);

  await nav(page, 'Kasus baru');
  await audit(page, 'new case page');
  await page.getByLabel('Nama lengkap').fill('Marni Binti Karta');
  await page.getByLabel('Tanggal lahir').fill('1975-04-12');
  await page.getByLabel('Provinsi').selectOption('32');
  await page.getByLabel('Kabupaten/kota').selectOption('3275');
  await page.getByLabel('Jumlah anggota rumah tangga').fill('4');
  await page.getByRole('button', { name: 'Simpan kasus' }).click();
  await page.waitForURL(/\/staf\/kasus\/[0-9a-f-]{36}$/);
  assert.match(await page.textContent('h1'), /Kasus ATN-/);
  assert.ok(!(await page.content()).includes('Marni Binti Karta'), 'legal name shown without asking');
  await audit(page, 'case page');
  await page.locator('#assessment\\.note').fill('Tinggal dengan dua anak; ingin membuka usaha anyaman.');
  await page.getByRole('button', { name: 'Simpan asesmen' }).click();
  await page.getByText('Periksa isian').first().waitFor();
  await page.locator('#assessment\\.date').fill('2025-06-01');
  await page.getByRole('button', { name: 'Simpan asesmen' }).click();
  await page.getByText('Asesmen disimpan.').waitFor();
  await page.getByLabel('Hubungan dengan PM').selectOption('sibling');
  await page.getByLabel('Nama wali').fill('Darmi Karta');
  await page.getByRole('button', { name: 'Simpan wali' }).click();
  await page.getByText('Wali disimpan.').waitFor();
  assert.ok(!(await page.content()).includes('Darmi Karta'), 'the guardian shown without asking');
  await page.getByRole('link', { name: 'Tampilkan identitas' }).click();
  await page.getByText('Marni Binti Karta').waitFor();
  await page.getByText(/Darmi Karta/).waitFor();
  await page.getByText('ingin membuka usaha anyaman').waitFor();
  await audit(page, 'case page with identity, guardian and assessment');

  await logout(page);
  await page.waitForURL(base + '/');
  await page.goto(base + '/akun');
  await page.waitForURL(/\/masuk/);
  await page.context().close();
});

test('a wrong password is told; a buyer registers; English is one click away', async () => {
  const page = await phone();
  await page.goto(base + '/masuk');
  await page.getByLabel('Email').fill('pembeli@demo.sentrakreasi.id');
  await page.getByLabel('Kata sandi').fill('bukan-sandinya');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByRole('alert').getByText('Email atau kata sandi salah.').waitFor();
  await audit(page, 'login page with an error');

  await page.goto(base + '/daftar');
  await audit(page, 'register page');
  const email = `rina${Date.now()}@contoh.id`;
  await page.getByLabel('Nama').fill('Rina Pembeli');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Kata sandi/).fill('sambal-roa-enak');
  await page.getByRole('button', { name: 'Daftar' }).click();
  // The same answer whether the email was free or taken: log in next.
  await page.waitForURL(base + '/masuk?ok=registered');
  await page.getByText('Pendaftaran diterima.').waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi').fill('sambal-roa-enak');
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL(base + '/akun');
  assert.match(await page.textContent('main'), /Pembeli/);

  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'My account' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await audit(page, 'account page in English');
  await page.context().close();
});

test('a page that does not exist is friendly, and home passes the audit', async () => {
  const page = await phone();
  const resp = await page.goto(base + '/tidak-ada');
  assert.equal(resp.status(), 404);
  await page.getByText('Halaman tidak ditemukan.').waitFor();
  await audit(page, 'not-found page');
  await page.goto(base + '/');
  await audit(page, 'home page');
  await page.context().close();
});

test('a buyer finds a product by a typo, opens it and puts it in the cart', async () => {
  const page = await phone();
  await page.goto(base + '/');
  await audit(page, 'home page with products');
  await page.getByLabel('Cari produk').fill('kripik pisang');
  await page.getByRole('button', { name: 'Cari', exact: true }).click();
  await page.waitForURL(/\/cari\?q=/);
  await audit(page, 'search results');
  assert.ok(await page.getByText('Menampilkan hasil untuk “keripik pisang”').isVisible(), 'the page says what the typo was corrected to');
  // Both packs hold every word in the title and are in stock: the newer (the pack of two) comes first.
  await page.getByRole('link', { name: /Keripik Pisang Manis(?! \(Paket)/ }).first().click();
  await page.waitForURL(/\/produk\//);
  await audit(page, 'product page');
  const img = page.locator('.gallery img').first();
  assert.ok((await img.getAttribute('alt')).length > 0, 'the product photo needs alt text');
  assert.match(await img.getAttribute("srcset"), /\/media\/img\/[0-9a-f]{64}\.jpg 320w/);
  await img.scrollIntoViewIfNeeded();
  await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
  await page.getByLabel('Jumlah').fill('2');
  await page.getByRole('button', { name: 'Tambah ke keranjang' }).click();
  await page.waitForURL(/\/keranjang/);
  await page.getByText('Produk masuk keranjang.').waitFor();
  assert.match(await page.textContent('main'), /Rp36\.000/);
  await audit(page, 'cart page');
  await page.context().close();
});

// A 4×3 PNG, standing in for a phone camera's photo.
const tinyPNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAYAAAC09K7GAAAAQUlEQVR4nGJhCF0lOinRUEZDmldGiIdNhvH600+t7CxMMqwsTDIsTIwyjK8+/vj6wmaezLZmJxk9OX4ZQAAAAP//T3AOYZS0AYEAAAAASUVORK5CYII=', 'base64');

test('a seller lists a product with a photo from the phone; staff see the review queue', async () => {
  const page = await phone();
  await login(page, 'penjual@demo.sentrakreasi.id');
  await nav(page, 'Produk saya');
  await audit(page, 'my products page');
  await page.getByRole('link', { name: 'Produk baru' }).first().click();
  await audit(page, 'new product form');
  await page.getByLabel('Nama produk').fill('Keripik Bayam Renyah');
  await page.getByLabel('Deskripsi').fill('Daun bayam segar dengan tepung beras. 100 gram.');
  await page.getByLabel('Harga (Rp)').fill('15000');
  await page.getByLabel('Stok').fill('12');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await page.waitForURL(/\/jual\/produk\/[0-9a-f-]{36}\?ok=created$/);
  await page.getByLabel(/^Foto produk/).setInputFiles({ name: 'IMG_2041.png', mimeType: 'image/png', buffer: tinyPNG });
  await page.locator('#preview').waitFor({ state: 'visible' }); // the chosen photo is previewed (script, after the file is read)
  await page.getByLabel(/^Keterangan foto/).fill('Keripik bayam di piring putih');
  await page.getByRole('button', { name: 'Unggah foto' }).click();
  await page.getByRole('img', { name: 'Keripik bayam di piring putih' }).waitFor(); // processed while the upload is answered
  await audit(page, 'product edit page');
  await logout(page);

  await login(page, 'supervisor@demo.sentrakreasi.id');
  await nav(page, 'Tinjauan');
  await page.getByRole('heading', { name: 'Produk menunggu tinjauan' }).waitFor();
  await audit(page, 'review queue');
  await page.context().close();
});

test('a guest checks out by bank transfer and sees the order with its reference', async () => {
  const page = await phone();
  await page.goto(base + '/cari?q=kopi');
  await page.getByRole('link', { name: /Kopi Robusta Bubuk/ }).first().click();
  await page.getByRole('button', { name: 'Tambah ke keranjang' }).click();
  await page.waitForURL(/\/keranjang/);
  await page.getByRole('link', { name: 'Lanjut ke pembayaran' }).click();
  await audit(page, 'checkout page');
  await page.getByLabel('Nama').fill('Tamu Pembeli');
  await page.getByLabel('Email').fill('tamu@contoh.id');
  await page.getByLabel('Nomor telepon').fill('0812 3456 7890');
  // A double tap sends the form twice: the second is answered with the first order.
  await page.getByRole('button', { name: 'Pesan sekarang' }).dblclick();
  await page.waitForURL(/\/pesanan\/[0-9a-f-]{36}\?token=/);
  assert.match(await page.textContent('main'), /ATN[A-Z0-9]{8}/);
  await audit(page, 'order page');
  await page.context().close();
});

test('a seller sees their incoming orders', async () => {
  const page = await phone();
  await login(page, 'penjual@demo.sentrakreasi.id');
  await nav(page, 'Pesanan masuk');
  await page.getByRole('heading', { name: 'Pesanan masuk', level: 1 }).waitFor();
  await audit(page, 'incoming orders page');
  await page.context().close();
});

test('a guest pays by transfer; staff confirm it, refund part, and sell at the till; a buyer sees their orders', async () => {
  const page = await phone();
  await page.goto(base + '/cari?q=singkong');
  await page.getByRole('link', { name: /Keripik Singkong Balado(?! \(Paket)/ }).first().click(); // a PM shop of the Balai
  await page.getByRole('button', { name: 'Tambah ke keranjang' }).click();
  await page.waitForURL(/\/keranjang/);
  await page.getByRole('link', { name: 'Lanjut ke pembayaran' }).click();
  await page.getByLabel('Nama').fill('Tamu Transfer');
  await page.getByLabel('Email').fill('transfer@contoh.id');
  await page.getByLabel('Nomor telepon').fill('0812 3456 7891');
  await page.getByRole('button', { name: 'Pesan sekarang' }).click();
  await page.waitForURL(/\/pesanan\/[0-9a-f-]{36}\?token=/);
  const orderURL = page.url();
  const ref = (await page.textContent('main')).match(/ATN[A-Z0-9]{8}/)[0];
  await page.context().clearCookies();

  await login(page, 'staff@demo.sentrakreasi.id');
  await nav(page, 'Pesanan unit');
  await page.getByRole('link', { name: 'Menunggu pembayaran' }).click();
  await audit(page, 'staff orders page');
  const card = page.locator('section.card', { has: page.getByRole('heading', { name: new RegExp(ref) }) });
  await card.getByLabel('Nomor referensi di mutasi rekening').fill('SALAH123');
  await card.getByRole('button', { name: 'Konfirmasi transfer diterima' }).click();
  await page.getByRole('alert').getByText('tidak cocok').waitFor();
  await card.getByLabel('Nomor referensi di mutasi rekening').fill(ref.toLowerCase());
  await card.getByRole('button', { name: 'Konfirmasi transfer diterima' }).click();
  await page.getByText('Transfer dikonfirmasi; pesanan lunas.').waitFor();

  await page.getByRole('link', { name: 'Dibayar', exact: true }).click();
  const paid = page.locator('section.card', { has: page.getByRole('heading', { name: new RegExp(ref) }) });
  await paid.getByRole('link', { name: /^Kembalikan dana/ }).first().click();
  await page.getByLabel('Jumlah (Rp)').fill('5.000');
  await page.getByLabel('Alasan').fill('kemasan penyok');
  await page.getByRole('button', { name: 'Periksa pengembalian' }).click();
  await page.getByRole('button', { name: 'Ya, kembalikan Rp5.000' }).click();
  await page.getByText('Pengembalian dana dicatat.').waitFor();
  await audit(page, 'staff orders page after a refund');

  await page.getByRole('link', { name: 'Kasir Sentra' }).click();
  await audit(page, 'till page');
  await page.getByLabel('Cari produk').fill('Keripik Singkong Balado');
  await page.getByRole('button', { name: 'Cari', exact: true }).click();
  await page.getByLabel('Keripik Singkong Balado', { exact: true }).fill('2');
  await page.getByLabel('QRIS').check();
  await page.getByRole('button', { name: 'Catat penjualan' }).click();
  await page.getByText(/Penjualan TOKO[A-Z0-9]+ tercatat dan lunas\./).waitFor();
  assert.match(await page.textContent('main'), /2 × Keripik Singkong Balado/);
  await audit(page, 'till page with a receipt');
  await logout(page);

  await page.goto(orderURL);
  assert.match(await page.textContent('main'), /Sebagian dana dikembalikan|Dibayar/);
  await login(page, 'pembeli@demo.sentrakreasi.id');
  await nav(page, 'Pesanan saya');
  await page.getByRole('heading', { name: 'Pesanan saya', level: 1 }).waitFor();
  await audit(page, 'my orders page');
  await page.context().close();
});

test('staff draft a payout, a supervisor approves it, lines are paid with a photo and the LKS line acknowledged', async () => {
  const page = await phone();
  await login(page, 'staff@demo.sentrakreasi.id');
  await nav(page, 'Pembayaran');
  await page.getByRole('heading', { name: 'Pembayaran ke penjual', level: 1 }).waitFor();
  await audit(page, 'payouts page');
  await page.getByRole('button', { name: 'Buat draf' }).click();
  await page.getByText('Draf dibuat').waitFor();
  await page.getByText('Anda membuat draf ini').waitFor();
  await audit(page, 'draft batch page');
  const batchURL = page.url().replace(/\?.*$/, '');
  await logout(page);

  await login(page, 'supervisor@demo.sentrakreasi.id');
  await nav(page, 'Persetujuan');
  await audit(page, 'approval queue');
  await page.locator(`a[href="${new URL(batchURL).pathname}"]`).click();
  await page.getByRole('button', { name: 'Setujui pembayaran' }).click();
  await page.getByText('Pembayaran disetujui.').waitFor();

  const pmLine = page.locator('section.card', { hasText: 'kepada PM' }).first();
  await pmLine.getByLabel('Nomor referensi').fill('KW-0001');
  await pmLine.getByLabel(/^Foto bukti/).setInputFiles({ name: 'kuitansi.png', mimeType: 'image/png', buffer: tinyPNG });
  await pmLine.getByRole('button', { name: 'Tandai sudah dibayar' }).click();
  await page.getByText('Pembayaran dicatat.').waitFor();
  await page.locator('section.card', { hasText: 'KW-0001' }).getByRole('link', { name: 'Lihat foto bukti' }).waitFor();

  const lksLine = page.locator('section.card', { hasText: 'kepada LKS untuk PM' });
  await lksLine.getByLabel('Nomor referensi').fill('KW-0002');
  await lksLine.getByRole('button', { name: 'Tandai sudah dibayar' }).click();
  await page.getByText('Pembayaran dicatat.').waitFor();
  await page.locator('section.card', { hasText: 'KW-0002' }).getByRole('button', { name: 'PM sudah menerima' }).click();
  await page.getByText('Tanda terima dicatat.').waitFor();
  assert.match(await page.locator('section.card', { hasText: 'KW-0002' }).textContent(), /Diterima PM/);
  await audit(page, 'batch page with paid lines');

  await page.locator('section.card', { hasText: 'KW-0001' }).getByRole('link', { name: 'Cetak kuitansi untuk tanda tangan' }).click();
  await page.getByRole('heading', { name: 'Kuitansi pembayaran' }).waitFor();
  await audit(page, 'printable receipt');
  await page.context().close();
});

test('a closed case opens to a colleague only by breaking the glass with a reason', async () => {
  const page = await phone();
  await login(page, 'staff@demo.sentrakreasi.id');
  const caseURL = await openCase(page, { name: 'Melati Penyintas', birthDate: '1996-02-02', household: 2, cluster: 'tuna_sosial_tppo' });
  await logout(page);

  await login(page, 'supervisor@demo.sentrakreasi.id');
  const refused = await page.goto(caseURL);
  assert.equal(refused.status(), 403);
  await page.getByRole('heading', { name: 'Kasus tertutup' }).waitFor();
  await audit(page, 'closed case page');
  await page.getByLabel('Alasan darurat').fill('singkat');
  await page.getByRole('button', { name: 'Buka dengan akses darurat' }).click();
  await page.getByText(/Paling sedikit 10 huruf|10 sampai 1000/).first().waitFor();
  await page.getByLabel('Alasan darurat').fill('PM dirawat di IGD, wali harus dihubungi malam ini');
  await page.getByRole('button', { name: 'Buka dengan akses darurat' }).click();
  await page.getByText('Akses darurat dibuka selama satu jam.').waitFor();
  assert.match(await page.textContent('h1'), /Kasus ATN-/);
  await page.getByLabel('Izinkan staf membuka kasus tertutup ini').selectOption({ label: 'Dewi Lestari (Pekerja Sosial)' });
  await page.getByRole('button', { name: 'Tunjuk staf' }).click();
  await page.getByText('Staf ditunjuk.').waitFor();
  await audit(page, 'closed case page for a supervisor');
  await logout(page);

  // Without SMTP the supervisors' notice is kept, for the admin to read.
  await login(page, 'admin@demo.sentrakreasi.id');
  await nav(page, 'Pesan tersimpan');
  await page.getByRole('heading', { name: /Akses darurat ke kasus ATN-/ }).first().waitFor();
  assert.ok(!(await page.content()).includes('Melati Penyintas'), 'the notice names the PM');
  await audit(page, 'kept messages');
  await page.context().close();
});
