// Scenarios of peer learning in threads, on the demo site: a member asks on the Q&A board,
// two others answer; the asker accepts one, which then stands first after the question and
// marks the thread solved in the board's list; another member marks an answer helpful and sees
// the count and the pressed button. Both without a console error.
import assert from 'node:assert/strict';
import { apiReply, open, follow, signIn, signOut, startThread, posts, postWithText, postId,
  assertNoConsoleErrors } from './helpers.mjs';

export const answerTests = [
  {
    name: 'answers: the asker accepts an answer, shown first and marked solved; another marks one helpful',
    async fn({ page, consoleErrors }) {
      await signIn(page, 'zhangwei');
      const title = 'E2E 问答：秸秆怎么综合利用？';
      const id = await startThread(page, 'village-qa', title, '各地秸秆禁烧后怎么利用？');
      const origin = new URL(page.url()).origin;
      await apiReply(origin, 'chenjing', id, 'Chen: 我们做饲料。');
      const liu = await apiReply(origin, 'liuyang', id, 'Liu: 秸秆还田加粉碎补贴。');
      await open(page, `/t/${id}`);
      assert.equal(await postId(posts(page).nth(1)), await postId(postWithText(page, 'Chen:')), 'answers by time first');
      await follow(page, postWithText(page, 'Liu:').getByRole('button', { name: 'Accept as the answer' }));
      const second = posts(page).nth(1);
      assert.equal(await postId(second), liu, 'the accepted answer is not first after the question');
      assert.match(await second.getAttribute('class'), /\baccepted\b/);
      assert.equal((await second.locator('.tag.accepted').innerText()).trim(), 'Accepted answer');
      await open(page, '/b/village-qa');
      const row = page.locator('li.thread-row', { has: page.getByRole('link', { name: title }) });
      assert.equal(await row.locator('.tag.accepted').count(), 1, 'the board does not mark the thread solved');

      await signOut(page);
      await signIn(page, 'liuyang');
      await open(page, `/t/${id}`);
      const chen = postWithText(page, 'Chen:');
      await follow(page, chen.getByRole('button', { name: 'Helpful' }));
      const marked = postWithText(page, 'Chen:');
      assert.equal(await marked.locator('form.helpful button').getAttribute('aria-pressed'), 'true');
      assert.equal((await marked.locator('.helpful-count').innerText()).trim(), '1 found this helpful');
      assert.equal(await postWithText(page, 'Liu:').locator('form.helpful').count(), 0, 'a button on one\'s own post');
      assertNoConsoleErrors(consoleErrors, [], 'the Q&A pages');
    },
  },
];
