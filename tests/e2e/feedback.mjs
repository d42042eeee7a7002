// Scenarios of feedback: every action answers visibly (a flash message under the header after
// the redirect, in the reader's language, success and error styled apart); a refused post
// comes back in its composer with the text, the translated reason and the field marked; a
// visitor sent to sign in comes back where they were going. Runs on the demo site.
import assert from 'node:assert/strict';
import {
  DEMO_PASSWORD, open, follow, register, startThread, postWithText, fillSignIn, signedInAs, assertNoConsoleErrors,
} from './helpers.mjs';

// The flash region of the page: its text and whether it is styled as an error.
async function flashOf(page) {
  const region = page.locator('main .flash[role=status]');
  assert.equal(await region.count(), 1, 'the page has no flash region');
  return {
    text: (await region.locator('p').count()) ? (await region.locator('p').innerText()).trim() : '',
    error: /\bflash-error\b/.test(await region.getAttribute('class')),
    visible: await region.isVisible(),
  };
}

// Reports the post through its "Report" form on the page.
async function report(page, post, reason) {
  await post.locator('details.report summary').click();
  const form = post.locator('details.report form');
  await form.locator('input[name=reason]').fill(reason);
  return follow(page, form.getByRole('button', { name: 'Report' }));
}

const ERROR_TITLE_ZH = '出错了'; // the error page's title, which a refused post must not land on

export const feedbackTests = [
  {
    name: 'feedback: reporting a post says so, and a second report lands back with a polite flash',
    async fn({ page, newPage, consoleErrors }) {
      await register(page, { username: 'e2e_fb_author', password: 'feedback-author-2026', displayName: 'E2E 反馈作者' });
      assert.equal((await flashOf(page)).text, 'Welcome! Your account is ready and you are signed in.');
      const id = await startThread(page, 'site-feedback', 'E2E 反馈 thread', 'A post someone will report');
      assert.deepEqual(await flashOf(page), { text: 'Your thread was posted.', error: false, visible: true });

      const reader = await newPage();
      await open(reader, '/login');
      await fillSignIn(reader, 'chenjing', DEMO_PASSWORD);
      await open(reader, `/t/${id}`);
      assert.deepEqual(await flashOf(reader), { text: '', error: false, visible: false }, 'a flash is shown once');
      const stale = await reader.context().newPage(); // the same thread, open in another tab
      await open(stale, `/t/${id}`);

      const res = await report(reader, postWithText(reader, 'A post someone will report'), 'off topic');
      assert.equal(res?.status(), 200);
      assert.equal(new URL(reader.url()).pathname, `/t/${id}`, 'the report left the thread');
      assert.deepEqual(await flashOf(reader), { text: 'Reported — moderators will look at it. Thank you.', error: false, visible: true });

      const again = await report(stale, postWithText(stale, 'A post someone will report'), 'still off topic');
      assert.equal(again?.status(), 200, 'a second report is no bare 409 page');
      assert.equal(new URL(stale.url()).pathname, `/t/${id}`);
      assert.deepEqual(await flashOf(stale), { text: 'You have already reported this post.', error: true, visible: true });
      assert.ok(await postWithText(stale, 'A post someone will report').isVisible(), 'the thread is shown around the flash');

      // the flash can be put away
      await stale.locator('.flash button.flash-dismiss').click();
      assert.equal((await flashOf(stale)).visible, false);
      assert.deepEqual(consoleErrors, [], 'console errors while reporting');
    },
  },
  {
    name: 'feedback: a refused reply keeps its text, says why in Chinese and marks the field',
    async fn({ page: english, newPage, consoleErrors }) {
      const password = 'feedback-writer-2026';
      await register(english, { username: 'e2e_fb_writer', password, displayName: 'E2E 写作者' });
      const id = await startThread(english, 'site-feedback', 'E2E 太长的回复', '一个话题');
      const page = await newPage({ locale: 'zh-CN' });
      await open(page, '/login');
      const login = page.locator('form[action="/login"]');
      await login.locator('input[name=username]').fill('e2e_fb_writer');
      await login.locator('input[name=password]').fill(password);
      await follow(page, login.getByRole('button', { name: '登录' }));
      await open(page, `/t/${id}`);
      const typed = '这段回复很长。'.repeat(5000); // 105,000 bytes: more than a post may hold
      const form = page.locator('section#reply form');
      await form.locator('textarea[name=body]').fill(typed);
      const res = await follow(page, form.getByRole('button', { name: '发表回复' }));
      assert.equal(res?.status(), 422);
      assert.equal(new URL(page.url()).pathname, `/t/${id}`);
      assert.notEqual((await page.locator('main h1').innerText()).trim(), ERROR_TITLE_ZH, 'the error page, not the thread');
      assert.ok((await page.locator('main h1').innerText()).includes('E2E 太长的回复'));

      const box = page.locator('section#reply textarea[name=body]');
      assert.equal(await box.inputValue(), typed, 'the text typed is not back in the reply box');
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
      const described = await box.getAttribute('aria-describedby');
      assert.equal((await page.locator(`#${described}`).innerText()).trim(), '内容过长。');
      const focused = await page.evaluate(() => document.activeElement && document.activeElement.name);
      assert.equal(focused, 'body', 'the marked field has the focus');

      // shortened, it goes through, and says so
      await box.fill('短一点的回复');
      await follow(page, page.locator('section#reply form').getByRole('button', { name: '发表回复' }));
      await postWithText(page, '短一点的回复').waitFor();
      assert.deepEqual(await flashOf(page), { text: '回复已发布。', error: false, visible: true });
      assertNoConsoleErrors(consoleErrors, [/\b(413|422)\b/], 'the refused reply');
    },
  },
  {
    name: 'feedback: a visitor to /notifications signs in and lands back there',
    async fn({ page, consoleErrors }) {
      const res = await page.goto('/notifications');
      assert.equal(res.status(), 200);
      const url = new URL(page.url());
      assert.equal(url.pathname, '/login', 'the visitor is not sent to sign in');
      assert.equal(url.searchParams.get('next'), '/notifications');
      await fillSignIn(page, 'chenjing', DEMO_PASSWORD);
      assert.equal(new URL(page.url()).pathname, '/notifications', 'signing in did not lead back');
      assert.ok(await signedInAs(page));
      assert.deepEqual(await flashOf(page), { text: 'Welcome back — you are signed in.', error: false, visible: true });

      // never to another site
      await page.context().clearCookies();
      await open(page, '/login?next=//example.org/');
      await fillSignIn(page, 'chenjing', DEMO_PASSWORD);
      assert.equal(new URL(page.url()).origin, new URL(res.url()).origin);
      assert.equal(new URL(page.url()).pathname, '/');
      assert.deepEqual(consoleErrors, [], 'console errors while signing in');
    },
  },
];
