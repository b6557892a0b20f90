// The buyer's way to pay, in both languages on a 360 px phone: a guest buys
// from two shops, sees each shop's courier fee and pick-up place before
// ordering, reads where to transfer (bank, number, holder, amount,
// reference, deadline in WIB), staff confirm the transfer and the buyer's
// order page shows it paid. A second order is cancelled by the buyer. Every
// step that moves money or stock is tried with a double tap, a reload after
// the POST and the back button. Screenshots: .data/screens/buyer-pays/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { base, phone, audit, nav, logout } from './browser.mjs';

const dir = new URL('../.data/screens/buyer-pays/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });

const words = {
  id: {
    add: 'Tambah ke keranjang', toCheckout: 'Lanjut ke pembayaran', name: 'Nama', phone: 'Nomor telepon', order: 'Pesan sekarang',
    payTitle: 'Cara membayar: transfer bank', perShop: 'Rincian per toko', email: 'Email', password: 'Kata sandi', login: 'Masuk',
    unitOrders: 'Pesanan unit', waiting: 'Menunggu pembayaran', refLabel: 'Nomor referensi di mutasi rekening',
    confirm: 'Konfirmasi transfer diterima', confirmed: 'Transfer dikonfirmasi; pesanan lunas.', paid: 'Lunas',
    cancel: 'Batalkan pesanan', cancelYes: 'Ya, batalkan pesanan', cancelled: 'Pesanan dibatalkan.', dibatalkan: 'Dibatalkan',
    copy: /^Salin/, pickupTotal: 'Total bila diambil sendiri',
    products: ['Wedang Jahe Merah', 'Tempat Pensil Bambu', 'Magnet Kulkas Batik'], extra: 'Teh Serai Kering',
  },
  en: {
    add: 'Add to cart', toCheckout: 'Go to checkout', name: 'Name', phone: 'Phone number', order: 'Place order',
    payTitle: 'How to pay: bank transfer', perShop: "Each shop's part", email: 'Email', password: 'Password', login: 'Log in',
    unitOrders: 'Unit orders', waiting: 'Waiting for payment', refLabel: 'Reference on the bank statement',
    confirm: 'Confirm transfer received', confirmed: 'Transfer confirmed; the order is paid.', paid: 'Paid',
    cancel: 'Cancel the order', cancelYes: 'Yes, cancel the order', cancelled: 'The order was cancelled.', dibatalkan: 'Cancelled',
    copy: /^Copy/, pickupTotal: 'Total when picked up',
    products: ['Wedang Uwuh', 'Sendok Kayu Sonokeling', 'Pembatas Buku Batik'], extra: 'Kunyit Asam Botol',
  },
};

// The Bekasi Balai's receiving account in the demo data.
const account = { bank: 'Bank Rakyat Indonesia (BRI)', no: '034101000743305', holder: 'BPL Bekasi Penerimaan Sentra' };

for (const lang of ['id', 'en']) {
  const w = words[lang];
  test(`a guest pays two shops by transfer and staff confirm it (${lang})`, async () => {
    const page = await phone();
    const setLang = () => page.context().addCookies([{ name: 'lang', value: lang, url: base }]);
    await setLang();
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    let n = 0;
    const shot = async (step) => {
      n++;
      await page.screenshot({ path: `${dir}${String(n).padStart(2, '0')}-${step}-${lang}.png`, fullPage: true });
    };
    const main = async () => (await page.textContent('main')).replace(/\s+/g, ' ');
    const noErrorPage = async (what) => {
      assert.equal(await page.locator('main h1', { hasText: /Terjadi kendala|Something went wrong/ }).count(), 0, `${what} shows the error page`);
    };
    const buy = async (title) => {
      await page.goto(base + '/cari?q=' + encodeURIComponent(title));
      await page.getByRole('link', { name: new RegExp(title) }).first().click();
      await page.getByRole('button', { name: w.add }).click();
      await page.waitForURL(/\/keranjang/);
    };

    // Two shops (the demo catalog goes round the shops, so three products span at least two).
    for (const title of w.products) await buy(title);
    await shot('cart');
    await page.getByRole('link', { name: w.toCheckout }).click();
    await page.getByRole('heading', { name: w.perShop }).waitFor();
    const parts = page.locator('.card.part');
    assert.ok(await parts.count() >= 2, 'the cart spans two shops');
    const text = await main();
    assert.match(text, /Sentra Kreasi ATENSI Bekasi|Bengkel Yayasan Karya Mandiri/, 'the pick-up place is shown before ordering');
    assert.match(text, /WIB/, 'the pick-up hours are shown');
    assert.match(text, /Rp15\.000|Rp20\.000/, "each shop's courier fee is shown");
    const pickupTotal = (await page.locator('[data-total="pickup"]').textContent()).trim();
    await audit(page, `checkout page (${lang})`);
    await shot('checkout');

    await page.getByLabel(w.name, { exact: true }).fill(`Tamu Bayar ${lang}`);
    await page.getByLabel(w.email).fill(`bayar-${lang}@contoh.id`);
    await page.getByLabel(w.phone).fill('0812 3456 7890');
    // A double tap sends the form twice: the second is answered with the first order.
    await page.getByRole('button', { name: w.order }).dblclick();
    await page.waitForURL(/\/pesanan\/[0-9a-f-]{36}\?token=/);
    const orderURL = page.url();
    await page.getByRole('heading', { name: w.payTitle }).waitFor();
    let order = await main();
    const ref = order.match(/ATN[A-Z0-9]{8}/)[0];
    for (const s of [account.bank, account.no, account.holder, pickupTotal, ref]) assert.ok(order.includes(s), `the order page shows ${s}`);
    assert.match(order, /\d{1,2}[.:]\d{2} WIB/, 'the deadline is a WIB clock time');
    assert.ok(await page.locator('.card.part h2').count() >= 2, "each shop's part has its heading");
    // Copy buttons appear with script; copying the account number puts it on the clipboard.
    const copy = page.getByRole('button', { name: w.copy }).first();
    await copy.waitFor();
    await copy.click();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), account.no);
    await audit(page, `order page (${lang})`);
    await shot('order-where-to-pay');
    // A reload shows the same order; back returns to a cart already emptied, no second order.
    await page.reload();
    assert.ok((await main()).includes(ref), 'a reload shows the same order');
    await page.goBack();
    await noErrorPage('back from the order');
    await shot('back-after-checkout');
    await page.goto(orderURL);

    // Staff of the Balai confirm the transfer (double tap, reload, back).
    await page.context().clearCookies();
    await setLang();
    await page.goto(base + '/masuk');
    await page.getByLabel(w.email).fill('staff@demo.sentrakreasi.id');
    await page.getByLabel(w.password).fill(process.env.DEMO_PASSWORD);
    await page.getByRole('button', { name: w.login }).click();
    await page.waitForURL((u) => u.pathname !== '/masuk');
    await nav(page, w.unitOrders); // the staff menu is folded
    await page.getByRole('link', { name: w.waiting }).click();
    const cards = page.locator('section.card', { has: page.getByRole('heading', { name: new RegExp(ref) }) });
    assert.ok(await cards.count() >= 2, 'one card per shop of the group');
    await shot('staff-waiting');
    await cards.first().getByLabel(w.refLabel).fill(ref);
    await cards.first().getByRole('button', { name: w.confirm }).dblclick();
    await page.getByText(w.confirmed).first().waitFor();
    await audit(page, `staff orders after confirming (${lang})`);
    await shot('staff-confirmed');
    await page.reload();
    await noErrorPage('reload after confirming');
    await page.goBack();
    await noErrorPage('back after confirming');
    await logout(page);

    // The buyer's page shows it paid, and no longer how to pay.
    await page.context().clearCookies();
    await setLang();
    await page.goto(orderURL);
    order = await main();
    assert.ok(order.includes(w.paid), 'the order shows paid');
    assert.equal(await page.getByRole('heading', { name: w.payTitle }).count(), 0, 'a paid order asks for no transfer');
    assert.equal(await page.getByRole('link', { name: w.cancel }).count(), 0, 'a paid order cannot be cancelled by the buyer');
    await audit(page, `paid order page (${lang})`);
    await shot('buyer-sees-paid');

    // A second order, called off by the buyer: a confirm step, a double tap, a reload and back.
    await buy(w.extra);
    await page.getByRole('link', { name: w.toCheckout }).click();
    await page.getByLabel(w.name, { exact: true }).fill(`Tamu Batal ${lang}`);
    await page.getByLabel(w.email).fill(`batal-${lang}@contoh.id`);
    await page.getByLabel(w.phone).fill('0812 3456 7891');
    await page.getByRole('button', { name: w.order }).click();
    await page.waitForURL(/\/pesanan\/[0-9a-f-]{36}\?token=/);
    await page.getByRole('link', { name: w.cancel }).click();
    await page.getByRole('button', { name: w.cancelYes }).waitFor();
    await audit(page, `cancel confirm page (${lang})`);
    await shot('cancel-confirm');
    await page.getByRole('button', { name: w.cancelYes }).dblclick();
    await page.getByText(w.cancelled).waitFor();
    assert.ok((await main()).includes(w.dibatalkan), 'the order shows cancelled');
    await shot('cancelled');
    await page.reload();
    await noErrorPage('reload after cancelling');
    await page.goBack();
    await noErrorPage('back after cancelling');
    await shot('back-after-cancel');
    await page.context().close();
  });
}
