// Names where names belong (issue 16): breadcrumbs on the site's pages, the review queue as a
// moderator sees it, and the public moderation log on a phone in both languages. Runs on the
// demo site.
import assert from 'node:assert/strict';
import { apiReply, open, follow, signIn, startThread, postWithText } from './helpers.mjs';

const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// The breadcrumb trail's labels, or null when the page has none.
async function trail(page) {
  const nav = page.getByRole('navigation', { name: /^(Breadcrumb|页面路径)$/ });
  if (!(await nav.count())) return null;
  return (await nav.locator('ol > li').allInnerTexts()).map((s) => s.trim());
}

const PAGES = [
  ['/b/spring-farming', ['Home', '农业农村', '春耕生产交流']],
  ['/t/2', ['Home', '农业农村', '春耕生产交流', '春耕备耕经验交流：农资、种子与农机']],
  ['/trainings', ['Home', 'Trainings']],
  ['/materials', ['Home', 'Materials']],
  ['/associations', ['Home', 'Associations']],
  ['/mod/log', ['Home', 'Public moderation log']],
  ['/login', ['Home', 'Sign in']],
];

export const namesTests = [
  {
    name: 'names: breadcrumbs name the way to each page, the page itself marked current',
    async fn({ page, consoleErrors }) {
      for (const [where, expected] of PAGES) {
        await open(page, where);
        assert.deepEqual(await trail(page), expected, `the breadcrumbs of ${where}`);
        const nav = page.getByRole('navigation', { name: 'Breadcrumb' });
        assert.equal(await nav.locator('li').first().locator('a[href="/"]').count(), 1, `${where}: Home is not a link`);
        assert.equal(await nav.locator('li').last().locator('[aria-current="page"]').count(), 1,
          `${where}: the last step is not marked as the current page`);
      }
      // pages found from a list: a training, a material, an association
      for (const [list, link] of [['/trainings', 'a[href^="/trainings/"]'], ['/materials', 'a.title[href^="/materials/"]'],
        ['/associations', 'a[href^="/a/"]']]) {
        await open(page, list);
        const first = page.locator('main').locator(link).first();
        const title = (await first.innerText()).trim();
        await follow(page, first);
        const steps = await trail(page);
        assert.equal(steps.length, 3, `${page.url()}: ${steps}`);
        assert.equal(steps[2], title, `${page.url()}: the last step is not the page's title`);
      }
      // the slug is an address only
      await open(page, '/t/2');
      const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' });
      assert.equal(await crumbs.locator('a[href="/b/spring-farming"]').innerText(), '春耕生产交流');
      assert.doesNotMatch(await crumbs.innerText(), /spring-farming/);
      await open(page, '/');
      assert.equal(await trail(page), null, 'the home page has a trail of its own');
      assert.deepEqual(consoleErrors, [], 'console errors on the pages with breadcrumbs');
    },
  },

  {
    name: 'names: the review queue shows a moderator the thread title, board name, author and reporter',
    async fn({ page, newPage, consoleErrors }) {
      await signIn(page, 'liuyang');
      const title = 'E2E 名称：审核队列里的主题';
      const id = await startThread(page, 'site-feedback', title, 'A question for the review queue test.');
      const origin = new URL(page.url()).origin;
      const replyId = await apiReply(origin, 'chenjing', id, 'Chen Jing writes something worth a report.');
      await open(page, `/t/${id}`);
      const post = postWithText(page, 'worth a report');
      await post.locator('details.report summary').click();
      await post.locator('details.report input[name=reason]').fill('off topic for this board');
      await follow(page, post.locator('details.report').getByRole('button', { name: 'Report' }));

      const mod = await newPage();
      await signIn(mod, 'moderator');
      await open(mod, '/mod');
      const item = mod.locator('section.queue-item', { has: mod.locator(`form[action="/mod/posts/${replyId}"]`) });
      assert.equal(await item.count(), 1, 'the reported reply is not in the queue');
      assert.equal((await item.getByRole('heading', { level: 2 }).innerText()).trim(), title);
      assert.equal(await item.locator(`h2 a[href="/p/${replyId}"]`).count(), 1, 'the thread title is not a link to the post');
      assert.equal((await item.locator('p.meta a[href="/b/site-feedback"]').innerText()).trim(), '站务反馈');
      assert.equal((await item.locator('p.meta a[href="/u/chenjing"]').innerText()).trim(), '陈静');
      const reasons = await item.locator('ul.reasons').innerText();
      assert.match(reasons, /Reported by 刘洋: off topic for this board/);
      assert.doesNotMatch(reasons, /liuyang/);
      const article = item.locator('article.post');
      const margin = await article.evaluate((el) => getComputedStyle(el).marginLeft);
      assert.equal(margin, '0px', 'a post in the queue is indented');
      // approving clears it
      await follow(mod, item.getByRole('button', { name: 'Approve' }));
      await open(mod, '/mod');
      assert.equal(await mod.locator(`form[action="/mod/posts/${replyId}"]`).count(), 0, 'approved, yet still queued');
      assert.deepEqual(consoleErrors, [], 'console errors on the review queue');
    },
  },

  {
    name: 'names: the moderation log on a phone, in English and in Chinese, fits the screen',
    async fn({ newPage, artifacts, consoleErrors }) {
      for (const [locale, action, label] of [['en-US', 'appointed a moderator', 'Moderator'], ['zh-CN', '任命版主', '操作人']]) {
        const page = await newPage({ ...PHONE, locale });
        await open(page, '/mod/log');
        const fits = await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
        assert.ok(fits, `${locale}: the moderation log scrolls sideways at 375 px`);
        const row = page.locator('table.log tbody tr', { hasText: action });
        assert.ok(await row.count() >= 1, `${locale}: no entry reads "${action}"`);
        const actor = row.first().locator('td').nth(1);
        assert.equal((await actor.innerText()).trim().replace(/\s+/g, ' ').endsWith('站点管理员'), true,
          `${locale}: the actor is not named by display name`);
        const before = await actor.evaluate((el) => getComputedStyle(el, '::before').content);
        assert.ok(before.includes(label), `${locale}: a card does not label its fields (${before})`);
        // every cell of the card stands inside the screen
        const right = await row.first().evaluate((tr) => Math.max(...[...tr.cells].map((c) => c.getBoundingClientRect().right)));
        assert.ok(right <= 375, `${locale}: a field of the entry reaches ${right}px`);
        await page.screenshot({ path: `${artifacts}/mod-log-phone-${locale}.png`, fullPage: true });
      }
      assert.deepEqual(consoleErrors, [], 'console errors on the moderation log');
    },
  },
];
