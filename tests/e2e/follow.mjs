// Scenario of notifications and unread marks: a member starts a thread, somebody else replies;
// the header counts the notification, the notifications page leads to the reply, and the
// thread page marks the new post and offers a jump to it. Runs on the demo site.
import assert from 'node:assert/strict';
import { apiReply, open, follow, register, startThread } from './helpers.mjs';

// The unread count in the header, 0 when it shows none.
async function headerCount(page) {
  const count = page.locator('header.site a.notifications .badge');
  if (!(await count.count())) return 0;
  return Number(/\d+/.exec(await count.innerText())[0]);
}

export const followTests = [
  {
    name: 'notifications: a reply shows in the header count and leads to the new post, marked unread',
    async fn({ page, consoleErrors }) {
      await register(page, { username: 'e2e_follower', password: 'follow-the-thread-2026', displayName: 'E2E 关注者' });
      assert.equal(await headerCount(page), 0, 'a new member already has unread notifications');
      const id = await startThread(page, 'site-feedback', 'E2E 通知 thread', 'Who can answer this?');
      const origin = new URL(page.url()).origin;
      const replyId = await apiReply(origin, 'chenjing', id, 'Chen Jing answers the question.');

      await open(page, '/');
      assert.equal(await headerCount(page), 1, 'the header does not count the reply');
      await follow(page, page.locator('header.site a.notifications'));
      assert.equal(new URL(page.url()).pathname, '/notifications');
      const item = page.locator('li.notification.unread');
      assert.equal(await item.count(), 1);
      assert.match(await item.innerText(), /陈静 replied to you in/);
      await follow(page, item.locator(`a[href="/p/${replyId}"]`));

      const jump = page.getByRole('link', { name: 'Jump to the first unread post' });
      assert.equal(await jump.getAttribute('href'), `/p/${replyId}`);
      const fresh = page.locator(`article#p${replyId}`);
      assert.match(await fresh.getAttribute('class'), /\bunread\b/, 'the new post is not marked');
      assert.equal((await fresh.locator('.tag.new').innerText()).trim(), 'New');
      assert.doesNotMatch(await page.locator('article.post').first().getAttribute('class'), /\bunread\b/,
        'the member\'s own opening post is marked new');
      assert.equal(await headerCount(page), 0, 'opening the thread did not read its notification');

      await open(page, `/t/${id}`);
      assert.equal(await page.getByRole('link', { name: 'Jump to the first unread post' }).count(), 0,
        'after a second visit the reply is still offered as unread');
      assert.deepEqual(consoleErrors, [], 'console errors on the notification pages');
    },
  },
];
