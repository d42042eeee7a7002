// Scenario of search: a member writes about autumn sowing in Chinese and English, then finds
// it from the search box in the page header with a Chinese word (no spaces around it), sees the word
// highlighted in a snippet that shows markup as text, and follows the result to the post.
import assert from 'node:assert/strict';
import { follow, signIn, startThread } from './helpers.mjs';

export const searchTests = [
  {
    name: 'search: the header search box finds a Chinese word, highlighted, and leads to the post',
    async fn({ page, consoleErrors }) {
      await signIn(page, 'zhangwei');
      const id = await startThread(page, 'site-feedback', 'E2E 秋冬种 thread',
        '今年秋冬种进度很快, the <b>wheat</b> sowing finished early.');
      const box = page.locator('header.site form[role=search] input[name=q]');
      await box.fill('秋冬种');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), box.press('Enter')]);
      assert.equal(new URL(page.url()).pathname, '/search');
      const result = page.locator('ol.search-results li').filter({ hasText: 'E2E 秋冬种 thread' });
      assert.equal(await result.count(), 1, 'the new thread is not among the results');
      const marks = await result.locator('.snippet mark').allInnerTexts();
      assert.ok(marks.length > 0 && marks.every((m) => m === '秋冬种'), `highlighted: ${JSON.stringify(marks)}`);
      assert.match(await result.locator('.snippet').innerText(), /<b>wheat<\/b>/, 'markup in a post is not shown as text');
      assert.equal(await result.locator('.snippet b').count(), 0, 'markup in a post became an element');

      await follow(page, result.locator('a.title'));
      const url = new URL(page.url());
      assert.equal(url.pathname, `/t/${id}`);
      assert.match(url.hash, /^#p\d+$/);
      await page.locator(`article${url.hash}`).waitFor();
      assert.deepEqual(consoleErrors, []);
    },
  },
  {
    name: 'search: in Chinese, 培训 finds the material, questionnaire and trainings, grouped by kind',
    async fn({ newPage, consoleErrors }) {
      const page = await newPage({ locale: 'zh-CN' });
      await page.goto('/');
      const box = page.locator('header.site form[role=search] input[name=q]');
      await box.fill('培训');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), box.press('Enter')]);
      const heads = await page.locator('main h2').allInnerTexts();
      const order = heads.filter((h) => ['讨论', '资料', '问卷', '培训'].includes(h));
      assert.deepEqual(order.filter((h) => h !== '讨论'), ['资料', '问卷', '培训'], `headings: ${JSON.stringify(heads)}`);
      const group = (name) => page.locator('section.search-group').filter({ has: page.locator('h2', { hasText: name }) });
      const material = group('资料').locator('li').filter({ hasText: '春耕技术要点讲义' });
      assert.equal(await material.count(), 1, 'the handout is not under 资料');
      assert.deepEqual(await material.locator('.snippet mark').allInnerTexts(), ['培训']);
      assert.equal(await group('问卷').locator('li', { hasText: '春耕培训反馈问卷' }).count(), 1);
      assert.ok(await group('培训').locator('li', { hasText: '培训班' }).count() >= 1, 'no training under 培训');

      await follow(page, material.locator('a.title'));
      assert.match(new URL(page.url()).pathname, /^\/materials\/\d+$/);
      await page.locator('h1', { hasText: '春耕技术要点讲义' }).waitFor();
      assert.deepEqual(consoleErrors, []);
    },
  },
];
