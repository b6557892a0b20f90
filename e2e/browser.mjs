// What every browser check shares: Debian's Chromium started once per file,
// a cheap phone's screen, axe-core's audit and logging in as a demo user.
// The checks are run by `go test ./app -run Browser`, which serves the app
// with the demo data and sets BASE_URL and DEMO_PASSWORD.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

export const base = process.env.BASE_URL;
const password = process.env.DEMO_PASSWORD;
const axeSource = readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
let browser;

before(async () => {
  assert.ok(base, 'BASE_URL must be set');
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

// phone opens a page in a new context the size of a 360 px phone.
export async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'id-ID' });
  return context.newPage();
}

// audit runs axe-core in the page (evaluated, since the CSP forbids inline
// script tags) and fails on serious or critical violations.
export async function audit(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `${what} has accessibility violations`);
}

// login signs a demo user in through the login page; it lands on the
// role's home page.
export async function login(page, email) {
  await page.goto(base + '/masuk');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL((u) => u.pathname !== '/masuk');
}

// openCase opens a new PM case in Kota Bekasi through the staff form and
// answers the case page's address.
export async function openCase(page, { name, birthDate, household, cluster }) {
  await page.goto(base + '/staf/kasus/baru');
  await page.getByLabel('Nama lengkap').fill(name);
  await page.getByLabel('Tanggal lahir').fill(birthDate);
  await page.getByLabel('Provinsi').selectOption('32');
  await page.getByLabel('Kabupaten/kota').selectOption('3275');
  await page.getByLabel('Jumlah anggota rumah tangga').fill(String(household));
  await page.locator('#cluster').selectOption(cluster);
  await page.getByRole('button', { name: 'Simpan kasus' }).click();
  await page.waitForURL(/\/staf\/kasus\/[0-9a-f-]{36}$/);
  return page.url();
}

// nav follows a link of the site menu, unfolding its group first (the
// groups are folded <details>, so their links are hidden until opened).
export async function nav(page, name) {
  const group = page.locator('nav.main details', { has: page.locator(`a:text-is("${name}")`) });
  if (!(await group.evaluate((d) => d.open))) await group.locator('summary').click();
  await group.getByRole('link', { name, exact: true }).click();
}

// logout logs out through the menu's account group, in either language.
export async function logout(page) {
  const group = page.locator('nav.main details', { has: page.locator('form[action="/keluar"]') });
  if (!(await group.evaluate((d) => d.open))) await group.locator('summary').click();
  await group.locator('form[action="/keluar"] button').click();
  await page.waitForURL(base + '/');
}
