// Scenarios of the site's look: on a phone the header is one row in both languages and no page
// scrolls sideways; dark mode gives dark pages; recent times read as relative, with the exact
// time on hover; a long thread has numbered pages whose last-page link leads to its end.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, open, follow, signedInAs, posts, postId } from './helpers.mjs';
import { PHONE, assertFitsWidth } from './tests.mjs';

// A line of links and icons, not the three rows the header used to wrap to.
const ONE_ROW_PX = 64;
const THREAD_PAGE_POSTS = 50; // daemon/handlers/handlers.h

async function headerHeight(page) {
  return page.locator('header.site').evaluate((el) => el.getBoundingClientRect().height);
}

// The relative luminance of a CSS rgb() colour (WCAG 2).
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+(\.\d+)?/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a, b) {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

async function apiAs(origin, username) {
  const call = async (path, body, token) => {
    const res = await fetch(`${origin}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, data: await res.json() };
  };
  const session = await call('session', { username, password: DEMO_PASSWORD });
  assert.equal(session.status, 201, `API sign-in of ${username}`);
  return (path, body) => call(path, body, session.data.token);
}

export const lookTests = [
  {
    name: 'look: at 375 px the header is one row in both languages, its menu opens, no page scrolls sideways',
    async fn({ newPage, consoleErrors }) {
      for (const locale of ['en-US', 'zh-CN']) {
        const phone = await newPage({ ...PHONE, locale });
        for (const where of ['/', '/b/spring-farming', '/t/1']) {
          await open(phone, where);
          const h = await headerHeight(phone);
          assert.ok(h < ONE_ROW_PX, `${locale} ${where}: the visitor's header is ${h}px high`);
          await assertFitsWidth(phone, `${locale} ${where}`);
        }
        assert.equal(await phone.locator('header.site form[role=search]').isVisible(), false,
          'the search box takes room in the phone header');
        assert.ok(await phone.locator('header.site a.search-link[href="/search"]').isVisible(), 'no search link on a phone');
        // signed in with the form's own button, whatever the language calls it
        await open(phone, '/login');
        const form = phone.locator('form[action="/login"]');
        await form.locator('input[name=username]').fill('zhangwei');
        await form.locator('input[name=password]').fill(DEMO_PASSWORD);
        await follow(phone, form.locator('button'));
        assert.equal(await signedInAs(phone), '张伟');
        for (const where of ['/', '/b/spring-farming', '/t/1']) {
          await open(phone, where);
          const h = await headerHeight(phone);
          assert.ok(h < ONE_ROW_PX, `${locale} ${where}: the member's header is ${h}px high`);
          await assertFitsWidth(phone, `${locale} ${where} signed in`);
        }
        // the secondary links are folded away, and the menu shows them
        const settings = phone.locator('header.site a[href="/settings"]');
        assert.equal(await settings.isVisible(), false, 'the folded menu shows its links');
        const summary = phone.locator('header.site details.menu > summary');
        assert.equal(await summary.locator('.avatar').innerText(), '张', 'the menu is not opened by the avatar');
        await summary.click();
        assert.ok(await settings.isVisible(), 'the opened menu does not show Settings');
        await assertFitsWidth(phone, `${locale} the opened menu`);
        await follow(phone, settings);
        assert.equal(new URL(phone.url()).pathname, '/settings');
      }
      assert.deepEqual(consoleErrors, []);
    },
  },

  {
    name: 'look: dark mode gives dark pages with readable text; light mode stays light',
    async fn({ page, newPage }) {
      const colours = (p) => p.evaluate(() => {
        const body = getComputedStyle(document.body);
        const root = getComputedStyle(document.documentElement);
        const link = document.querySelector('main a');
        return { bg: root.backgroundColor, fg: body.color, link: getComputedStyle(link).color };
      });
      await open(page, '/t/1');
      const light = await colours(page);
      assert.ok(luminance(light.bg) > 0.8, `the light page's background is ${light.bg}`);

      const dark = await newPage();
      await dark.emulateMedia({ colorScheme: 'dark' });
      for (const where of ['/', '/t/1', '/b/spring-farming']) {
        await open(dark, where);
        const c = await colours(dark);
        assert.ok(luminance(c.bg) < 0.05, `${where}: the dark page's background is ${c.bg}`);
        assert.ok(contrast(c.fg, c.bg) >= 4.5, `${where}: text ${c.fg} on ${c.bg}`);
        assert.ok(contrast(c.link, c.bg) >= 4.5, `${where}: links ${c.link} on ${c.bg}`);
      }
      const input = await dark.locator('header.site input[name=q]').evaluate((el) => getComputedStyle(el).fontWeight);
      assert.equal(input, '400', 'typed text is bold');
    },
  },

  {
    name: 'look: a reply just posted reads "now" / "minutes ago" with the exact time on hover; avatars show initials',
    async fn({ page, newPage }) {
      await open(page, '/');
      const origin = new URL(page.url()).origin;
      const lecturer = await apiAs(origin, 'lecturer');
      const started = await lecturer('boards/site-feedback/threads', { title: 'E2E look relative time', body: 'Just now.' });
      assert.equal(started.status, 201, JSON.stringify(started.data));
      const id = started.data.thread.id;
      for (const [locale, pattern] of [['en-US', /^(now|\d+ (seconds?|minutes?) ago)$/], ['zh-CN', /^(现在|\d+\s*(秒钟|分钟)前)$/]]) {
        const p = locale === 'en-US' ? page : await newPage({ locale });
        await open(p, `/t/${id}`);
        const time = posts(p).first().locator('header time');
        assert.match((await time.innerText()).trim(), pattern, `${locale}: a moment ago is not relative`);
        const title = await time.getAttribute('title');
        assert.ok(title && /\d{2}.\d{2}/.test(title), `${locale}: the exact time is not on hover: ${title}`);
        const avatar = posts(p).first().locator('.author .avatar');
        assert.equal(await avatar.getAttribute('aria-hidden'), 'true');
        assert.ok((await avatar.innerText()).trim().length >= 1, 'the avatar shows no initial');
        await open(p, '/');
        const row = p.locator('section.recent .thread-row', { hasText: 'E2E look relative time' }).first();
        assert.match(await row.locator('time').innerText(), pattern, `${locale}: the list's time is not relative`);
      }
    },
  },

  {
    name: 'look: a long thread has numbered pages at top and bottom; the last-page link leads to the last post',
    async fn({ page }) {
      await open(page, '/');
      const origin = new URL(page.url()).origin;
      const lecturer = await apiAs(origin, 'lecturer');
      const started = await lecturer('boards/site-feedback/threads', { title: 'E2E look long thread', body: 'Post 0 of a long thread.' });
      assert.equal(started.status, 201, JSON.stringify(started.data));
      const id = started.data.thread.id;
      const total = 2 * THREAD_PAGE_POSTS + 5; // three pages
      let last;
      for (let i = 1; i < total; i++) {
        const r = await lecturer(`threads/${id}/posts`, { body: `Post ${i} of a long thread.` });
        assert.equal(r.status, 201, JSON.stringify(r.data));
        last = r.data.post.id;
      }
      await open(page, `/t/${id}?view=flat`);
      const pagers = page.locator('nav.pager');
      assert.equal(await pagers.count(), 2, 'no pager above and below the posts');
      const top = pagers.first();
      assert.deepEqual((await top.locator('ol.pages li').allInnerTexts()).map((s) => s.trim()), ['1', '2', '3']);
      assert.equal((await top.locator('[aria-current="page"]').innerText()).trim(), '1');
      await follow(page, top.locator('a.last'));
      assert.equal(new URL(page.url()).searchParams.get('page'), '3');
      assert.equal(new URL(page.url()).searchParams.get('view'), 'flat', 'the last-page link forgot the view');
      assert.equal(await postId(posts(page).last()), last, 'the last page does not end with the last post');
      assert.equal((await pagers.last().locator('[aria-current="page"]').innerText()).trim(), '3');
      assert.equal(await pagers.last().locator('a.last').count(), 0, 'the last page links to itself as the last');
      await follow(page, pagers.last().getByRole('link', { name: 'Previous page' }));
      assert.equal(new URL(page.url()).searchParams.get('page'), '2');
    },
  },
];
