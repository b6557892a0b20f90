// Journeys of the people who work for the PM, on a 360 px phone in both
// languages: a pendamping sees whose shop they act for and switches PM;
// Balai staff find their folded menu, sell at the till (search, running
// total, change, a reload, a double tap), confirm a transfer seeing the
// whole amount and cancel an order through its confirm step. Each step
// leaves a screenshot under .data/screens/{pendamping,staff}/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { base, phone, audit, login, nav } from './browser.mjs';

const words = {
  id: {
    acting: 'Anda bertindak atas nama', switchTo: 'Bekerja untuk PM lain', switchButton: 'Ganti', shopGroup: 'Toko', staffGroup: 'Kerja staf',
    till: 'Kasir Sentra', search: 'Cari produk', find: 'Cari', update: 'Hitung ulang total', cash: 'Tunai', tendered: 'Uang diterima',
    record: 'Catat penjualan', recorded: /Penjualan TOKO[A-Z0-9]+ tercatat dan lunas\./, change: 'Kembalian', unitOrders: 'Pesanan unit',
    waiting: 'Menunggu pembayaran', reference: 'Nomor referensi di mutasi rekening', confirm: 'Konfirmasi transfer diterima',
    whole: 'Transfer yang harus diterima', parts: 'Satu transfer membayar pesanan semua toko ini', confirmed: 'Transfer dikonfirmasi; pesanan lunas.',
    paid: 'Dibayar', cancel: 'Batalkan pesanan', cancelYes: 'Ya, batalkan pesanan', cancelled: 'Pesanan dibatalkan.', cannot: 'tidak bisa dibatalkan lagi',
    stock: /stok (\d+)/,
  },
  en: {
    acting: 'You are acting on behalf of', switchTo: 'Work for another PM', switchButton: 'Switch', shopGroup: 'Shop', staffGroup: 'Staff work',
    till: 'Sentra till', search: 'Find a product', find: 'Search', update: 'Update the total', cash: 'Cash', tendered: 'Money received',
    record: 'Record sale', recorded: /Sale TOKO[A-Z0-9]+ recorded and paid\./, change: 'Change', unitOrders: 'Unit orders',
    waiting: 'Waiting for payment', reference: 'Reference on the bank statement', confirm: 'Confirm transfer received',
    whole: 'Transfer to find', parts: 'One transfer pays the orders of all these shops', confirmed: 'Transfer confirmed; the order is paid.',
    paid: 'Paid', cancel: 'Cancel order', cancelYes: 'Yes, cancel the order', cancelled: 'Order cancelled.', cannot: 'can no longer be cancelled',
    stock: /(\d+) in stock/,
  },
};

function shooter(page, journey, lang) {
  const dir = `.data/screens/${journey}`;
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return async (step) => {
    n += 1;
    await page.screenshot({ path: `${dir}/${String(n).padStart(2, '0')}-${step}-${lang}.png`, fullPage: true });
  };
}

// inLanguage logs in (the login form is Indonesian by default) and turns
// the site to lang through the language link's parameter.
async function inLanguage(page, email, lang) {
  await login(page, email);
  if (lang === 'en') await page.goto(page.url().replace(/\?.*$/, '') + '?lang=en');
}

async function noErrorPage(page) {
  const status = await page.evaluate(() => document.title);
  assert.ok(!/Kesalahan|Error/.test(status), `an error page: ${status}`);
}

for (const lang of ['id', 'en']) {
  const w = words[lang];

  test(`a pendamping sees whose shop they act for and switches PM (${lang})`, async () => {
    const page = await phone();
    const shot = shooter(page, 'pendamping', lang);
    await inLanguage(page, 'pendamping@demo.sentrakreasi.id', lang);
    await page.goto(base + '/jual');
    const banner = page.locator('aside.acting');
    await banner.getByText(`${w.acting} Sari (Dapur Bu Sari)`).waitFor();
    assert.match(await banner.textContent(), /WIB/);
    await audit(page, `the pendamping's products (${lang})`);
    await shot('products');

    await page.locator('nav.main summary', { hasText: w.shopGroup }).click();
    await shot('menu');
    await page.locator('nav.main summary', { hasText: w.shopGroup }).click();

    await page.getByLabel(w.switchTo).selectOption({ label: 'Pak Slamet (Kebun Pak Slamet)' });
    await page.getByRole('button', { name: w.switchButton }).click();
    await banner.getByText(`${w.acting} Pak Slamet (Kebun Pak Slamet)`).waitFor();
    assert.ok(!(await page.textContent('main')).includes('Dapur Bu Sari'), 'only the chosen PM\'s shop is listed');
    await audit(page, `after switching PM (${lang})`);
    await shot('switched');

    // The choice is remembered on the next page, and a reload keeps it.
    await page.goto(base + '/jual/pesanan');
    await banner.getByText(`${w.acting} Pak Slamet (Kebun Pak Slamet)`).waitFor();
    await page.reload();
    await banner.getByText(`${w.acting} Pak Slamet (Kebun Pak Slamet)`).waitFor();
    await shot('orders');
    // Back to Sari for the other checks of the demo.
    await page.getByLabel(w.switchTo).selectOption({ label: 'Sari (Dapur Bu Sari)' });
    await page.getByRole('button', { name: w.switchButton }).click();
    await banner.getByText(`${w.acting} Sari (Dapur Bu Sari)`).waitFor();
    await page.context().close();
  });

  test(`staff sell at the till, confirm a whole transfer and cancel through a confirm step (${lang})`, async () => {
    const page = await phone();
    const shot = shooter(page, 'staff', lang);
    await inLanguage(page, 'staff@demo.sentrakreasi.id', lang);
    await page.goto(base + '/staf/pesanan');

    // The menu is folded: its links hidden, the header a small part of the screen.
    const group = page.locator('nav.main details', { has: page.locator('summary', { hasText: w.staffGroup }) });
    assert.equal(await group.getByRole('link', { name: w.till }).isVisible(), false);
    const header = await page.locator('header.site').boundingBox();
    assert.ok(header.height < 740 * 0.25, `the header takes ${header.height}px of 740`);
    await shot('menu-folded');
    await group.locator('summary').click();
    await group.getByRole('link', { name: w.till }).waitFor();
    await audit(page, `the staff menu open (${lang})`);
    await shot('menu-open');

    // The till: search, quantities, the running total and the change.
    await nav(page, w.till);
    await page.getByLabel(w.search).fill('Keripik Tempe');
    await page.getByRole('button', { name: w.find, exact: true }).click();
    const row = page.getByRole('row', { name: /^Keripik Tempe Sagu(?! \()/ });
    const before = Number((await row.textContent()).match(w.stock)[1]);
    await page.getByLabel('Keripik Tempe Sagu', { exact: true }).fill('2');
    await page.getByLabel(w.cash, { exact: true }).check();
    await page.getByLabel(w.tendered).fill('50.000');
    await page.locator('#till-total').getByText('Rp30.000').waitFor(); // its script adds up as one types
    await page.locator('#till-change').getByText('Rp20.000').waitFor();
    await page.getByRole('button', { name: w.update }).click(); // the same from the server
    await page.locator('#till-total').getByText('Rp30.000').waitFor();
    await page.locator('#till-change').getByText('Rp20.000').waitFor();
    await audit(page, `the till (${lang})`);
    await shot('till');
    await page.reload();
    await page.locator('#till-total').getByText('Rp30.000').waitFor();
    await shot('till-reloaded');

    await page.getByRole('button', { name: w.record }).dblclick();
    await page.getByText(w.recorded).waitFor();
    assert.match(await page.locator('section.receipt').textContent(), /Rp20\.000/);
    await audit(page, `the till's receipt (${lang})`);
    await shot('receipt');
    await page.reload(); // a reload of the receipt records nothing
    await page.getByText(w.recorded).waitFor();
    await page.getByLabel(w.search).fill('Keripik Tempe');
    await page.getByRole('button', { name: w.find, exact: true }).click();
    const after = Number((await page.getByRole('row', { name: /^Keripik Tempe Sagu(?! \()/ }).textContent()).match(w.stock)[1]);
    assert.equal(after, before - 2, 'a double tap and a reload sell once');

    // A guest buys from two shops of the Balai and pays by transfer (through the API).
    const { items } = await (await fetch(base + '/api/v1/products?limit=100')).json();
    const shops = {};
    for (const p of items) {
      if (['Dapur Bu Sari', 'Kebun Pak Slamet', 'Kopi Rizky'].includes(p.shop.display_name) && !shops[p.shop.id] && Object.keys(shops).length < 2) shops[p.shop.id] = p;
    }
    const chosen = Object.values(shops);
    assert.equal(chosen.length, 2, 'two shops of the Balai sell');
    const res = await fetch(base + '/api/v1/checkout', {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
      body: JSON.stringify({ items: chosen.map((p) => ({ product_id: p.id, quantity: 1 })), buyer: { name: `Ibu Transfer ${lang}`, email: 'transfer@contoh.id', phone: '0812 3456 7000' },
        shipping: { method: 'pickup' }, payment_method: 'bank_transfer' }),
    });
    assert.equal(res.status, 201, await res.clone().text());
    const bought = await res.json();
    const ref = bought.payment.instructions.reference;
    const total = 'Rp' + bought.total_idr.toLocaleString('id-ID');

    await nav(page, w.unitOrders);
    await page.getByRole('link', { name: w.waiting }).click();
    const card = page.locator('section.card', { has: page.getByRole('heading', { name: new RegExp(ref) }) }).first();
    await card.getByText(`Ibu Transfer ${lang}`).waitFor();
    const text = await card.textContent();
    assert.ok(text.includes(w.whole) && text.includes(total) && text.includes(w.parts), `the card shows the whole ${total}: ${text}`);
    await card.scrollIntoViewIfNeeded();
    await audit(page, `a transfer to confirm (${lang})`);
    await shot('transfer');
    await card.getByLabel(w.reference).fill(ref.toLowerCase());
    await card.getByRole('button', { name: w.confirm }).click();
    await page.getByText(w.confirmed).waitFor();
    await shot('transfer-confirmed');

    // Cancel one of the two orders: a page says what happens first.
    await page.getByRole('link', { name: w.paid, exact: true }).click();
    const paid = page.locator('section.card', { has: page.getByRole('heading', { name: new RegExp(ref) }) }).first();
    await paid.getByRole('link', { name: new RegExp(`^${w.cancel}`) }).click();
    await page.getByRole('button', { name: w.cancelYes }).waitFor();
    await audit(page, `the cancel step (${lang})`);
    await shot('cancel-step');
    await page.getByRole('button', { name: w.cancelYes }).dblclick();
    await page.getByText(w.cancelled).waitFor();
    await shot('cancelled');
    await page.goBack(); // the step again: it says the order is done, no error
    await page.getByText(w.cannot).waitFor();
    await noErrorPage(page);
    await shot('cancel-back');
    await page.context().close();
  });
}
