// Scenarios of drafts and bookmarks: a reply typed but not sent is saved as the member types
// ("Draft saved"), and is back in the box after a reload and on another device; a bookmarked
// post is listed on /bookmarks and leads back to the post. Runs on the demo site.
import assert from 'node:assert/strict';
import { open, follow, register, startThread, postWithText, postId } from './helpers.mjs';

export const draftTests = [
  {
    name: 'drafts: a half-written reply is saved as one types and survives a reload and another device',
    async fn({ page, newPage, consoleErrors }) {
      const password = 'draft-survives-2026';
      await register(page, { username: 'e2e_drafter', password, displayName: 'E2E 草稿' });
      const id = await startThread(page, 'site-feedback', 'E2E 草稿 thread', 'Will my reply survive?');
      const box = page.locator('section#reply textarea[name=body]');
      await box.pressSequentially('半句话 half a reply', { delay: 20 });
      const status = page.locator('section#reply .draft-status');
      await status.filter({ hasText: 'Draft saved' }).waitFor({ timeout: 10_000 });

      await page.reload();
      assert.equal(await page.locator('section#reply textarea[name=body]').inputValue(), '半句话 half a reply',
        'the draft is not back after a reload');

      const phone = await newPage();
      await open(phone, '/login');
      const form = phone.locator('form[action="/login"]');
      await form.locator('input[name=username]').fill('e2e_drafter');
      await form.locator('input[name=password]').fill(password);
      await follow(phone, form.getByRole('button', { name: 'Sign in' }));
      await open(phone, `/t/${id}`);
      assert.equal(await phone.locator('section#reply textarea[name=body]').inputValue(), '半句话 half a reply',
        'the draft is not on the other device');

      await follow(page, page.locator('section#reply').getByRole('button', { name: 'Post reply' }));
      await postWithText(page, '半句话 half a reply').waitFor();
      await open(page, `/t/${id}`);
      assert.equal(await page.locator('section#reply textarea[name=body]').inputValue(), '',
        'the draft is still there after posting');
      assert.deepEqual(consoleErrors, [], 'console errors on the thread page');
    },
  },
  {
    name: 'bookmarks: bookmark a post on the thread page and find it on /bookmarks',
    async fn({ page, consoleErrors }) {
      await register(page, { username: 'e2e_bookmarker', password: 'bookmark-it-2026', displayName: 'E2E 收藏' });
      const id = await startThread(page, 'site-feedback', 'E2E 收藏 thread', 'A post worth keeping');
      const post = postWithText(page, 'A post worth keeping');
      const pid = await postId(post);
      const button = post.locator('form.bookmark button');
      assert.equal((await button.innerText()).trim(), 'Bookmark');
      await button.click();
      await post.locator('form.bookmark button', { hasText: 'Remove bookmark' }).waitFor();
      assert.equal(new URL(page.url()).pathname, `/t/${id}`, 'the bookmark left the thread page');

      await follow(page, page.locator('header.site').getByRole('link', { name: 'Bookmarks' }));
      const item = page.locator('ul.bookmarks li');
      assert.equal(await item.count(), 1);
      assert.match(await item.innerText(), /E2E 收藏 thread/);
      assert.match(await item.innerText(), /A post worth keeping/);
      await follow(page, item.locator(`a[href="/p/${pid}"]`));
      assert.equal(new URL(page.url()).pathname, `/t/${id}`);
      assert.deepEqual(consoleErrors, [], 'console errors on the bookmark pages');
    },
  },
];
