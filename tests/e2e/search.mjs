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
];
