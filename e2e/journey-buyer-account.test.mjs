// A buyer's journey on a 360 px phone, in both languages: search with the
// filters folded, a price typed the way people type it, two products in the
// cart and one taken out, a quantity above the stock refused, a guest
// order, registering, verifying the email from the link mailed (read from
// the admin's outbox page, as no SMTP server is set), forgetting the
// password and setting a new one, and the guest order in the history.
// Photos load when the site is opened by another host than BASE_URL.
// Screenshots of every step: .data/screens/buyer-account/NN-step-<lang>.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { base, phone, audit, login, logout } from './browser.mjs';
import { chromium } from 'playwright-core';

const dir = new URL('../.data/screens/buyer-account/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });

const words = {
  id: {
    filters: 'Saring produk', min: 'Harga terendah (Rp)', apply: 'Terapkan', add: 'Tambah ke keranjang', qty: 'Jumlah',
    added: 'Produk masuk keranjang.', remove: 'Hapus', removed: 'Produk sudah dikeluarkan dari keranjang.', update: 'Ubah',
    stock: /stok tinggal \d+/, name: 'Nama', email: 'Email', password: /^Kata sandi/, register: 'Daftar', registered: 'Pendaftaran diterima.',
    login: 'Masuk', loginPassword: 'Kata sandi', unverified: 'belum diverifikasi', verify: 'Verifikasi email saya',
    verified: 'Email Anda sudah terverifikasi.', orders: 'Pesanan saya', forgot: 'Lupa kata sandi?', send: 'Kirim tautan',
    sent: 'Jika email itu terdaftar', newPassword: /^Kata sandi baru/, save: 'Simpan', reset: 'Kata sandi sudah dibuat.',
    account: 'Akun saya', pending: 'Menunggu tautan', guestNote: 'setelah email Anda terverifikasi',
  },
  en: {
    filters: 'Filter products', min: 'Lowest price (Rp)', apply: 'Apply', add: 'Add to cart', qty: 'Quantity',
    added: 'Added to your cart.', remove: 'Remove', removed: 'The product was taken out of your cart.', update: 'Update',
    stock: /only \d+ in stock/, name: 'Name', email: 'Email', password: /^Password/, register: 'Register', registered: 'Registration received.',
    login: 'Log in', loginPassword: 'Password', unverified: 'not verified yet', verify: 'Verify my email',
    verified: 'Your email is verified.', orders: 'My orders', forgot: 'Forgot your password?', send: 'Send the link',
    sent: 'If that email has an account', newPassword: /^New password/, save: 'Save', reset: 'Password set.',
    account: 'My account', guestNote: 'once your email is verified',
  },
};

// The link of the newest message of a kind to an address, read where an
// admin reads the kept messages.
async function mailedLink(admin, to, path) {
  await admin.goto(base + '/admin/pesan');
  const card = admin.locator('article.card', { hasText: to }).filter({ hasText: path }).first();
  const body = await card.locator('pre.mail').textContent();
  const m = body.match(new RegExp(`https?://[^\\s]+${path}[A-Za-z0-9_-]{43}`));
  assert.ok(m, `no ${path} link mailed to ${to}`);
  return new URL(m[0]).pathname;
}

for (const lang of ['id', 'en']) {
  const w = words[lang];
  test(`a buyer searches, fills and trims the cart, registers, verifies, resets the password and finds the guest order (${lang})`, async () => {
    const page = await phone();
    let step = 0;
    const shot = async (name) => {
      step += 1;
      await page.screenshot({ path: `${dir}${String(step).padStart(2, '0')}-${name}-${lang}.png`, fullPage: true });
    };
    await page.context().addCookies([{ name: 'lang', value: lang, url: base }]);

    // Search on a phone: the filters are folded, the first result is on the first screen.
    await page.goto(base + '/cari?q=keripik');
    await audit(page, `search page (${lang})`);
    const fold = page.locator('details.filters-fold');
    assert.equal(await fold.getAttribute('open'), null, 'the filters start folded on a phone');
    assert.ok(!(await page.getByLabel(w.min).isVisible()), 'folded filters hide their fields');
    const first = await page.locator('ul.cards li').first().boundingBox();
    assert.ok(first && first.y + 80 < 740, `the first result starts below the first screen (y=${first?.y})`);
    for (const chip of await page.locator('ul.facets a').allTextContents()) {
      assert.doesNotMatch(chip, /_|^[a-z]+ \d/, `a facet chip shows a slug: ${chip}`);
    }
    await shot('search');

    await page.locator('details.filters-fold > summary').click();
    await page.getByLabel(w.min).fill('10.000');
    await shot('filters-open');
    await page.getByRole('button', { name: w.apply }).click();
    await page.waitForURL(/min_price_idr=10\.000/);
    assert.equal(await page.locator('[aria-invalid=true]').count(), 0, '10.000 must be read as a price');
    const prices = (await page.locator('ul.cards .price').allTextContents()).map((p) => Number(p.replace(/\D/g, '')));
    assert.ok(prices.length > 0 && prices.every((p) => p >= 10000), `prices under Rp10.000 shown: ${prices}`);
    assert.ok(!(await page.getByLabel(w.min).isVisible()) || (await page.getByLabel(w.min).inputValue()) === '10.000');
    await shot('price-filtered');

    // A price no one can read is marked, not a server error.
    await page.goto(base + '/cari?q=keripik&min_price_idr=10,5');
    assert.equal(await page.getByLabel(w.min).getAttribute('aria-invalid'), 'true');
    await shot('price-marked');

    // Two products in the cart, one taken out again.
    await page.goto(base + '/cari?q=keripik+tempe');
    await page.getByRole('link', { name: /Keripik Tempe Sagu(?! \(Paket)/ }).first().click();
    await page.waitForURL(/\/produk\//);
    const img = page.locator('.gallery img').first();
    assert.equal(await img.getAttribute('loading'), 'eager');
    assert.equal(await img.getAttribute('fetchpriority'), 'high');
    assert.match(await img.getAttribute('src'), /^\/media\/img\//, 'photos are linked by relative URL');
    await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await img.elementHandle());
    await shot('product');
    await page.getByRole('button', { name: w.add }).click();
    await page.waitForURL(/\/keranjang/);
    await page.goto(base + '/cari?q=batik+tulis');
    await page.getByRole('link', { name: /Batik Tulis Motif Parang(?! \(Paket)/ }).first().click();
    await page.getByRole('button', { name: w.add }).click();
    await page.waitForURL(/\/keranjang/);
    await page.getByText(w.added).waitFor();
    assert.equal(await page.locator('li.cart-line').count(), 2);
    await page.waitForFunction(() => [...document.querySelectorAll('li.cart-line img')].every((i) => i.complete && i.naturalWidth > 0));
    await audit(page, `cart with two products (${lang})`);
    await shot('cart-two');

    // A double tap on the remove button takes the line out once, without an error page.
    await page.getByRole('button', { name: new RegExp(`^${w.remove}.*Keripik Tempe Sagu`) }).dblclick();
    await page.waitForURL(/ok=removed/);
    await page.getByText(w.removed).waitFor();
    await page.reload();
    assert.equal(await page.locator('li.cart-line').count(), 1);
    assert.match(await page.locator('li.cart-line').textContent(), /Batik Tulis Motif Parang/);
    await shot('cart-removed');

    // More than the stock is refused at once: the form again, the field marked.
    const qty = page.getByLabel(new RegExp(`^${w.qty}`));
    await qty.fill('9');
    await page.getByRole('button', { name: new RegExp(`^${w.update}`) }).click();
    await page.getByText(w.stock).waitFor();
    assert.equal(await qty.getAttribute('aria-invalid'), 'true');
    assert.equal(await qty.inputValue(), '9', 'the form keeps what was typed');
    await audit(page, `cart with a refused quantity (${lang})`);
    await shot('cart-overstock');
    await page.goto(base + '/keranjang');
    assert.match(await page.getByLabel(new RegExp(`^${w.qty}`)).inputValue(), /^1$/, 'the refused quantity was kept');

    // A guest order with the email the buyer registers with next.
    const email = `pembeli.${lang}.${Date.now()}@contoh.id`;
    const product = (await page.locator('li.cart-line .what a').getAttribute('href')).split('/').pop();
    const order = await page.request.post(base + '/api/v1/checkout', {
      headers: { 'Idempotency-Key': randomUUID(), 'Accept-Language': lang },
      data: { items: [{ product_id: product, quantity: 1 }], buyer: { name: 'Sari Tamu', email, phone: '0812 3456 7892' },
        shipping: { method: 'pickup', address: '' }, payment_method: 'bank_transfer' },
    });
    assert.equal(order.status(), 201, await order.text());
    const ref = (await order.json()).payment.instructions.reference;
    assert.match(ref, /^ATN/);

    // Register: the answer is the same whether the email had an account.
    await page.goto(base + '/daftar');
    await page.getByLabel(w.name, { exact: true }).fill('Sari Pembeli');
    await page.getByLabel(w.email).fill(email);
    await page.getByLabel(w.password).fill('kopi-tubruk-pagi');
    await audit(page, `register page (${lang})`);
    await page.getByRole('button', { name: w.register }).click();
    await page.waitForURL(/\/masuk\?ok=registered/);
    await page.getByText(w.registered).waitFor();
    await shot('registered');
    await page.getByLabel(w.email).fill(email);
    await page.getByLabel(w.loginPassword, { exact: true }).fill('kopi-tubruk-pagi');
    await page.getByRole('button', { name: w.login, exact: true }).click();
    await page.waitForURL(/\/akun$/);
    await page.getByText(w.unverified).waitFor();
    await audit(page, `account page, email unverified (${lang})`);
    await shot('account-unverified');
    await page.goto(base + '/akun/pesanan');
    assert.ok(!(await page.textContent('main')).includes(ref), 'a guest order shows before the email is verified');
    await page.getByText(w.guestNote).waitFor();
    await shot('orders-before-verify');

    // Verify the email from the mailed link.
    const admin = await phone();
    await login(admin, 'admin@demo.sentrakreasi.id');
    const verifyPath = await mailedLink(admin, email, '/verifikasi/');
    await page.goto(base + verifyPath);
    await audit(page, `verify page (${lang})`);
    await shot('verify');
    await page.getByRole('button', { name: w.verify }).click();
    await page.waitForURL(/\/akun\?ok=verified/);
    await page.getByText(w.verified).waitFor();
    await shot('verified');
    await page.goto(base + '/akun/pesanan');
    await page.getByText(ref).waitFor();
    await audit(page, `order history with the guest order (${lang})`);
    await shot('orders-after-verify');

    // Forget the password, set a new one from the mailed link, log in.
    await logout(page); // through the folded account menu
    await page.goto(base + '/masuk');
    await page.getByRole('link', { name: w.forgot }).click();
    await page.waitForURL(/\/lupa-sandi$/);
    await audit(page, `forgot page (${lang})`);
    await page.getByLabel(w.email).fill(email);
    await shot('forgot');
    await page.getByRole('button', { name: w.send }).click();
    await page.waitForURL(/\/lupa-sandi\?ok=sent/);
    await page.getByText(w.sent).waitFor();
    await shot('forgot-sent');
    const resetPath = await mailedLink(admin, email, '/atur-ulang/');
    await admin.context().close();
    await page.goto(base + resetPath);
    await page.getByLabel(w.newPassword).fill('sambal-roa-pedas-sekali');
    await audit(page, `reset page (${lang})`);
    await shot('reset');
    await page.getByRole('button', { name: w.save }).click();
    await page.waitForURL(/\/masuk\?ok=reset/);
    await page.getByText(w.reset).waitFor();
    // The link worked once.
    const again = await page.request.get(base + resetPath);
    assert.equal(again.status(), 200);
    await page.getByLabel(w.email).fill(email);
    await page.getByLabel(w.loginPassword, { exact: true }).fill('sambal-roa-pedas-sekali');
    await page.getByRole('button', { name: w.login, exact: true }).click();
    await page.waitForURL(/\/akun$/);
    await page.goto(base + '/akun/pesanan');
    await page.getByText(ref).waitFor();
    await shot('logged-in-after-reset');
    await page.context().close();
  });
}

test('photos load when the site is opened by another host than BASE_URL', async () => {
  const page = await phone();
  const other = new URL(base);
  other.hostname = other.hostname === '127.0.0.1' ? 'localhost' : '127.0.0.1';
  await page.goto(other.origin + '/cari?q=keripik');
  await page.waitForFunction(() => {
    const imgs = [...document.querySelectorAll('ul.cards img')].slice(0, 2);
    return imgs.length > 0 && imgs.every((i) => i.complete && i.naturalWidth > 0);
  });
  await page.screenshot({ path: `${dir}99-other-host-id.png`, fullPage: false });
  await page.context().close();
});

test('on a wide screen the search filters stand open without script', async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1024, height: 800 }, javaScriptEnabled: false })).newPage();
    await page.goto(base + '/cari?q=keripik');
    assert.ok(await page.getByLabel('Harga terendah (Rp)').isVisible(), 'the filters are folded on a wide screen');
    assert.ok(!(await page.locator('details.filters-fold > summary').isVisible()), 'the fold button shows on a wide screen');
    await page.screenshot({ path: `${dir}98-wide-search-id.png` });
  } finally {
    await browser.close();
  }
});
