// Every page each demo person can reach, in both languages, as Chromium
// shows it on a phone: the crawl follows the links of the pages it opens
// (two pages of each shape, so not every product), fails on an error page
// or a page that scrolls sideways, and writes what a person reads of each
// page (text nodes and the words of alt, aria-label, placeholder and
// title) to PAGE_TEXTS. TestBrowserPages then checks those texts for the
// other language's words, raw codes and times without WIB, with the same
// rules as the Go page test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { base, phone, login } from './browser.mjs';

const people = {
  anon: null,
  buyer: 'pembeli@demo.sentrakreasi.id',
  seller: 'penjual@demo.sentrakreasi.id',
  pendamping: 'pendamping@demo.sentrakreasi.id',
  lks: 'lks@demo.sentrakreasi.id',
  staff: 'staff@demo.sentrakreasi.id',
  supervisor: 'supervisor@demo.sentrakreasi.id',
  admin: 'admin@demo.sentrakreasi.id',
};
const perPerson = 30; // pages per person and language
const perShape = 2; // pages of one shape (/produk/:id) per person

// shape is a path with its ids and numbers taken out.
const shape = (u) => u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id').replace(/\d+/g, ':n') + (u.search ? '?' : '');

// followable tells a link worth opening: a page of this site, not a file,
// a photo, the language switch or a download.
function followable(href) {
  const u = new URL(href, base);
  return u.origin === base && !/^\/(media|static)\//.test(u.pathname) && !/\.(xlsx|csv|pdf|png|jpe?g|webp)$/.test(u.pathname) &&
    !u.searchParams.has('lang');
}

const written = [];

for (const [who, email] of Object.entries(people)) {
  for (const lang of ['id', 'en']) {
    test(`every page ${who} reaches speaks ${lang}`, async () => {
      const page = await phone();
      if (email) await login(page, email);
      await page.context().addCookies([{ name: 'lang', value: lang, url: base }]);
      const start = email ? new URL(page.url()).pathname : '/';
      const queue = [start, '/'];
      const seen = new Set();
      const shapes = new Map();
      let opened = 0;
      const problems = [];
      while (queue.length && opened < perPerson) {
        const u = new URL(queue.shift(), base);
        const key = u.pathname + u.search;
        if (seen.has(key)) continue;
        seen.add(key);
        const s = shape(u);
        if ((shapes.get(s) ?? 0) >= perShape) continue;
        shapes.set(s, (shapes.get(s) ?? 0) + 1);
        const answer = await page.goto(u.href, { waitUntil: 'domcontentloaded' });
        opened++;
        const where = `${who} ${key} (${lang})`;
        if (answer.status() !== 200) problems.push(`${where} answered ${answer.status()}`);
        const read = await page.evaluate(() => {
          const texts = [];
          const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let n = walk.nextNode(); n; n = walk.nextNode()) {
            const tag = n.parentElement?.tagName;
            if (tag !== 'SCRIPT' && tag !== 'STYLE' && tag !== 'TEXTAREA' && n.textContent.trim()) texts.push(n.textContent.trim());
          }
          for (const el of document.querySelectorAll('[alt],[aria-label],[placeholder],[title]')) {
            for (const a of ['alt', 'aria-label', 'placeholder', 'title']) {
              if (el.getAttribute(a)?.trim()) texts.push(el.getAttribute(a).trim());
            }
          }
          texts.push(document.title);
          // The innermost elements that reach past the screen's edge.
          const past = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 &&
            ![...el.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5));
          const widest = past.slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' "' + el.textContent.trim().slice(0, 30) + '"').join(', ');
          return { texts, widest, wide: document.documentElement.scrollWidth, view: window.innerWidth, lang: document.documentElement.lang,
            links: [...document.querySelectorAll('a[href]')].map((a) => a.href) };
        });
        if (read.lang !== lang) problems.push(`${where} is marked lang=${read.lang}`);
        if (read.wide > read.view) problems.push(`${where} scrolls sideways on a 360 px phone (${read.wide} px wide: ${read.widest})`);
        written.push({ where, lang, texts: read.texts });
        for (const href of read.links) if (followable(href)) queue.push(new URL(href, base).pathname + new URL(href, base).search);
      }
      assert.ok(opened >= (email ? 4 : 3), `${who} reached only ${opened} pages`);
      assert.deepEqual(problems, [], `${who}'s pages in ${lang}`);
      await page.context().close();
    });
  }
}

test('write what the pages say', () => {
  assert.ok(process.env.PAGE_TEXTS, 'PAGE_TEXTS must name the file for the page texts');
  writeFileSync(process.env.PAGE_TEXTS, JSON.stringify(written));
});
