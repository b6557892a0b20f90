// The seller's journey on a cheap phone, in both languages: a live product
// restocked and repriced stays on sale (the public page shows it at once),
// a photo uploaded without its description is fixed, moved and the old one
// deleted, the change is sent and approved by staff, and only then do buyers
// see the new photo. With a wrong price, a double tap on save, a reload and
// the back button. Screenshots of every step in .data/screens/seller/.
// Run by `go test ./app -run Browser`, which serves the app and sets BASE_URL.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { base, phone, audit, login } from './browser.mjs';

const dir = new URL('../.data/screens/seller/', import.meta.url).pathname;
mkdirSync(dir, { recursive: true });

// A 4×3 PNG, standing in for a phone camera's photo.
const tinyPNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAADCAYAAAC09K7GAAAAQUlEQVR4nGJhCF0lOinRUEZDmldGiIdNhvH600+t7CxMMqwsTDIsTIwyjK8+/vj6wmaezLZmJxk9OX4ZQAAAAP//T3AOYZS0AYEAAAAASUVORK5CYII=', 'base64');

const texts = {
  id: {
    product: 'Tas Anyam Pandan', name: 'Nama produk', price: 'Harga (Rp)', stock: 'Stok', save: 'Simpan', upload: 'Unggah foto',
    photo: /^Foto produk/, caption: 'Keterangan foto untuk pembaca layar', send: 'Kirim perubahan untuk ditinjau',
    up: /^Geser ke depan\s*: Foto 2$/, del: /^Hapus foto\s*: Foto 2$/, approve: 'Setujui', review: 'Tinjauan',
    saved: 'Perubahan disimpan.', uploaded: 'Foto diunggah.', submitted: 'Terkirim untuk ditinjau.', approved: 'Disetujui',
    badPrice: 'tulis jumlah rupiah utuh', noCaption: 'setiap foto perlu keterangan', added: 'Baru, tampil setelah disetujui',
    removed: 'Dihapus setelah disetujui', waiting: 'Perubahan Anda menunggu tinjauan', reviewer: 'meninjau produk', newAlt: 'Tas pandan dilihat dari samping',
    todo: 'Perlu dikerjakan', finished: 'Selesai', orderRef: /Pesanan [A-Z0-9-]+ · Pembeli: \S+/,
    error: /Terjadi kesalahan|Halaman tidak ditemukan/,
  },
  en: {
    product: 'Talenan Kayu Jati', name: 'Product name', price: 'Price (Rp)', stock: 'Stock', save: 'Save', upload: 'Upload photo',
    photo: /^Product photo/, caption: 'Photo description for screen readers', send: 'Send changes for review',
    up: /^Move earlier\s*: Photo 2$/, del: /^Delete photo\s*: Photo 2$/, approve: 'Approve', review: 'Review',
    saved: 'Changes saved.', uploaded: 'Photo uploaded.', submitted: 'Sent for review.', approved: 'Approved',
    badPrice: 'write a whole amount in rupiah', noCaption: 'every photo needs a description', added: 'New, shown once approved',
    removed: 'Removed once approved', waiting: 'Your change is waiting for review', reviewer: 'review products', newAlt: 'Teak board seen from above',
    todo: 'To do', finished: 'Finished', orderRef: /Order [A-Z0-9-]+ · Buyer: \S+/,
    error: /went wrong|not found/i,
  },
};

// in opens a phone logged in as email, in lang.
async function as(email, lang) {
  const page = await phone();
  await login(page, email);
  await page.context().addCookies([{ name: 'lang', value: lang, url: base }]);
  return page;
}

for (const lang of ['id', 'en']) {
  const x = texts[lang];
  test(`a seller restocks a live product, fixes a photo's description and staff approve the change (${lang})`, async () => {
    let n = 0;
    const shot = async (page, step) => {
      n++;
      await page.screenshot({ path: `${dir}${String(n).padStart(2, '0')}-${step}-${lang}.png`, fullPage: true });
    };
    const page = await as('penjual@demo.sentrakreasi.id', lang);
    await page.goto(base + '/jual');
    await audit(page, 'my products');
    await shot(page, 'my-products');
    await page.getByRole('link', { name: x.product, exact: true }).click();
    await page.waitForURL(/\/jual\/produk\/[0-9a-f-]{36}$/);
    const id = page.url().split('/').pop();
    const editURL = page.url();
    assert.ok((await page.textContent('main')).includes(x.reviewer), 'the page says who reviews and how long it takes');
    await audit(page, 'product page of a live product');
    await shot(page, 'product');

    // Restocked and repriced with a double tap on save: the stock is 25, not more.
    await page.getByLabel(x.stock, { exact: true }).fill('25');
    await page.getByLabel(x.price).fill('Rp 125.000');
    await page.getByRole('button', { name: x.save, exact: true }).dblclick();
    await page.waitForURL(/\?ok=saved$/);
    await page.getByText(x.saved).waitFor();
    assert.equal(await page.getByLabel(x.stock, { exact: true }).inputValue(), '25');
    assert.equal(await page.getByLabel(x.price).inputValue(), 'Rp125.000');
    await shot(page, 'saved');
    await page.reload();
    assert.equal(await page.getByLabel(x.stock, { exact: true }).inputValue(), '25', 'a reload changes nothing');
    await shot(page, 'reloaded');

    // Still on sale, at the new price, for anyone.
    const visitor = await phone();
    await visitor.context().addCookies([{ name: 'lang', value: lang, url: base }]);
    const resp = await visitor.goto(base + '/produk/' + id);
    assert.equal(resp.status(), 200, 'the restocked product stays public');
    assert.match(await visitor.textContent('main'), /Rp125\.000/);
    await shot(visitor, 'public-after-restock');

    // Back to the page before the save: read again, not sent again.
    await page.goBack();
    await page.waitForURL(editURL);
    assert.equal(await page.getByLabel(x.stock, { exact: true }).inputValue(), '25');
    assert.doesNotMatch(await page.textContent('main'), x.error);
    await shot(page, 'back');

    // A wrong price: the form comes back with the field marked and what was typed kept.
    await page.getByLabel(x.stock, { exact: true }).fill('26');
    await page.getByLabel(x.price).fill('Rp 12.5.00');
    await page.getByRole('button', { name: x.save, exact: true }).click();
    await page.locator('#price_idr-error').waitFor();
    assert.match(await page.locator('#price_idr-error').textContent(), new RegExp(x.badPrice));
    assert.equal(await page.getByLabel(x.price).inputValue(), 'Rp 12.5.00');
    assert.equal(await page.getByLabel(x.stock, { exact: true }).inputValue(), '26');
    assert.equal(await page.getByLabel(x.price).getAttribute('aria-invalid'), 'true');
    await audit(page, 'product form with a wrong price');
    await shot(page, 'wrong-price');
    await page.getByLabel(x.price).fill('125000');
    await page.getByRole('button', { name: x.save, exact: true }).click();
    await page.waitForURL(/\?ok=saved$/);
    assert.equal(await page.getByLabel(x.stock, { exact: true }).inputValue(), '26');
    await shot(page, 'price-fixed');

    // A photo without its description: uploaded, but the change cannot be sent.
    await page.goto(editURL);
    await page.getByLabel(x.photo).setInputFiles({ name: 'IMG_2077.png', mimeType: 'image/png', buffer: tinyPNG });
    await page.getByRole('button', { name: x.upload }).click();
    await page.waitForURL(/\?ok=uploaded$/);
    await page.getByText(x.uploaded).waitFor();
    await page.getByText(x.added).waitFor();
    await shot(page, 'uploaded-without-description');
    await page.getByRole('button', { name: x.send }).click();
    await page.locator('#images-error').waitFor();
    assert.match(await page.locator('#images-error').textContent(), new RegExp(x.noCaption));
    await audit(page, 'product page with a photo missing its description');
    await shot(page, 'cannot-send');

    // The description typed, the new photo moved first (saving what was typed), the old one deleted.
    const captions = page.getByLabel(x.caption, { exact: true });
    await captions.nth(1).fill(x.newAlt);
    await page.getByRole('button', { name: x.up }).click();
    await page.waitForURL(/\?ok=moved$/);
    assert.equal(await page.getByLabel(x.caption, { exact: true }).first().inputValue(), x.newAlt, 'the description was kept and the photo moved first');
    await shot(page, 'described-and-moved');
    await page.getByRole('button', { name: x.del }).click();
    await page.waitForURL(/\?ok=deleted$/);
    await page.getByText(x.removed).waitFor();
    await shot(page, 'old-photo-deleted');
    await page.getByRole('button', { name: x.send }).dblclick();
    await page.waitForURL(/\?ok=submitted$/);
    await page.getByText(x.submitted).waitFor();
    await page.getByText(x.waiting).waitFor();
    await audit(page, 'product page with a change waiting');
    await shot(page, 'sent');

    // Buyers still see the reviewed photo until staff approve.
    await visitor.goto(base + '/produk/' + id);
    assert.equal(await visitor.getByRole('img', { name: x.newAlt }).count(), 0, 'the new photo waits for review');
    await shot(visitor, 'public-while-waiting');

    const staff = await as('staff@demo.sentrakreasi.id', lang);
    await staff.goto(base + '/staf/tinjauan');
    await staff.getByRole('img', { name: x.newAlt }).first().waitFor();
    await audit(staff, 'review queue with a change');
    await shot(staff, 'review-queue');
    await staff.getByRole('button', { name: new RegExp(`^${x.approve}\\s*: ${x.product}$`) }).click();
    await staff.waitForURL(/\?ok=approved$/);
    await staff.getByText(x.approved).waitFor();
    await shot(staff, 'approved');

    await visitor.goto(base + '/produk/' + id);
    await visitor.getByRole('img', { name: x.newAlt }).first().waitFor();
    assert.match(await visitor.textContent('main'), /Rp125\.000/);
    await shot(visitor, 'public-after-approval');

    // The incoming orders: to do apart from finished, each with its reference and the buyer's first name.
    await page.goto(base + '/jual/pesanan');
    await page.getByRole('heading', { name: x.todo }).first().waitFor();
    await page.getByRole('heading', { name: x.finished }).first().waitFor();
    assert.match(await page.textContent('main'), x.orderRef, 'each card names its order');
    await audit(page, 'incoming orders');
    await shot(page, 'incoming-orders');
    for (const p of [page, visitor, staff]) await p.context().close();
  });
}
