// Scenarios of the composer (issue 16): the toolbar wraps the selection (and Ctrl+B / Ctrl+I),
// the preview shows the server's rendering, Reply opens the box under the post and focuses it,
// Quote fills it, @mention completion picks a member, a post reached by #pID is highlighted,
// and the toolbar's names are in Chinese on a Chinese page. Runs on the demo site, as its
// members (registrations per address are limited, and other scenarios register).
import assert from 'node:assert/strict';
import { open, follow, signIn, startThread, replyToThread, postWithText, postId } from './helpers.mjs';

const replyBox = (page) => page.locator('section#reply textarea[name=body]');

// Selects the first occurrence of text in a textarea, as a mouse drag would.
async function selectText(area, text) {
  await area.evaluate((el, t) => {
    const at = el.value.indexOf(t);
    el.focus();
    el.setSelectionRange(at, at + t.length);
  }, text);
}

// Whether the element is the page's focused one.
const focused = (locator) => locator.evaluate((el) => el === document.activeElement);

export const composerTests = [
  {
    name: 'composer: the toolbar and Ctrl+I wrap the selection, and Preview shows the server\'s rendering',
    async fn({ page, consoleErrors }) {
      await signIn(page, 'chenjing');
      const id = await startThread(page, 'site-feedback', 'E2E 写作 thread', 'A first post to answer');
      const area = replyBox(page);
      const tools = page.locator('section#reply [role=toolbar]');
      await area.fill('make this bold and this italic');
      await selectText(area, 'bold');
      await tools.getByRole('button', { name: 'Bold' }).click();
      assert.equal(await area.inputValue(), 'make this **bold** and this italic');
      await selectText(area, 'italic');
      await area.press('Control+i');
      assert.equal(await area.inputValue(), 'make this **bold** and this *italic*');
      await area.press('End');
      await area.pressSequentially('\n\n- one item');

      await tools.getByRole('button', { name: 'Preview' }).click();
      const pane = page.locator('section#reply .md-preview');
      await pane.locator('strong', { hasText: 'bold' }).waitFor();
      assert.equal(await pane.locator('em').innerText(), 'italic');
      assert.equal(await pane.locator('li').innerText(), 'one item');
      assert.equal(await area.isVisible(), false, 'the box is still shown beside the preview');
      await tools.getByRole('button', { name: 'Write' }).click();
      assert.ok(await area.isVisible(), 'Write does not bring the box back');

      // the preview is the stored rendering: post it and compare
      const previewed = await pane.innerHTML();
      await follow(page, page.locator('section#reply').getByRole('button', { name: 'Post reply' }));
      const post = postWithText(page, 'one item');
      assert.equal((await post.locator('.body').innerHTML()).trim(), previewed.trim());

      // the new-thread form and the edit page have the toolbar and preview too
      await open(page, '/b/site-feedback');
      const newThread = page.locator('section.compose form');
      await newThread.locator('textarea[name=body]').fill('**new** thread text');
      await newThread.getByRole('button', { name: 'Preview' }).click();
      await newThread.locator('.md-preview strong', { hasText: 'new' }).waitFor();
      await open(page, `/t/${id}`);
      await follow(page, post.locator('footer.actions').getByRole('link', { name: 'Edit' }));
      const edit = page.locator('section.compose form');
      await edit.getByRole('button', { name: 'Preview' }).click();
      await edit.locator('.md-preview em', { hasText: 'italic' }).waitFor();
      assert.deepEqual(consoleErrors, [], 'console errors in the composers');
    },
  },
  {
    name: 'composer: Reply opens the box under that post, focused; Quote fills it; the reply lands there',
    async fn({ page, consoleErrors }) {
      await signIn(page, 'liuyang');
      const id = await startThread(page, 'site-feedback', 'E2E 回复 thread', 'The question at the top');
      const second = await replyToThread(page, 'A second opinion below');
      const sid = await postId(second);
      const first = postWithText(page, 'The question at the top');
      const fid = await postId(first);

      await second.locator('footer.actions').getByRole('link', { name: 'Reply', exact: true }).click();
      const section = page.locator('section#reply');
      assert.equal(await second.evaluate((el) => el.nextElementSibling && el.nextElementSibling.id), 'reply',
        'the reply box is not right under the post');
      assert.ok(await focused(replyBox(page)), 'the reply box is not focused');
      assert.equal(await section.locator('input[name=parent_id]').inputValue(), String(sid));
      const name = (await second.locator('header .author a').first().innerText()).trim();
      assert.equal(await section.locator('p.replying').innerText(), `Replying to ${name} (reply to the thread instead)`);
      assert.equal(new URL(page.url()).searchParams.get('reply'), String(sid));

      // Quote on the first post: its Markdown quoted, the box moved under it
      await first.locator('footer.actions').getByRole('link', { name: 'Quote' }).click();
      await page.waitForFunction(() => /> The question at the top/.test(document.querySelector('section#reply textarea').value));
      assert.equal(await replyBox(page).inputValue(), `[@liuyang](/p/${fid}):\n> The question at the top\n\n`);
      assert.equal(await first.evaluate((el) => el.nextElementSibling && el.nextElementSibling.id), 'reply');
      assert.ok(await focused(replyBox(page)), 'the box is not focused after Quote');
      assert.equal(await section.locator('input[name=parent_id]').inputValue(), String(fid));

      // "reply to the thread instead" puts it back at the end, without a target
      await section.locator('a.cancel-reply').click();
      assert.equal(await section.locator('input[name=parent_id]').count(), 0);
      assert.equal(await page.locator('.posts').evaluate((el) => el.nextElementSibling.nextElementSibling?.id ||
        el.nextElementSibling.id), 'reply');

      // and for real: Reply on the second post, post, and the reply is threaded under it
      await second.locator('footer.actions').getByRole('link', { name: 'Reply', exact: true }).click();
      await replyBox(page).fill('An answer to the second');
      await follow(page, section.getByRole('button', { name: 'Post reply' }));
      const answer = postWithText(page, 'An answer to the second');
      assert.match(await answer.getAttribute('class'), /indent-2/);
      assert.equal(new URL(page.url()).pathname, `/t/${id}`);

      // without JS-driven clicks: the ?reply= address shows the box under its post, focused
      await open(page, `/t/${id}?reply=${fid}`);
      assert.equal(await first.evaluate((el) => el.nextElementSibling && el.nextElementSibling.id), 'reply');
      // (at ?reply=ID#reply the browser's scroll to #reply takes the focus after the script: wait)
      await page.waitForFunction(() => document.activeElement === document.querySelector('section#reply textarea'),
        null, { timeout: 3000 });
      assert.deepEqual(consoleErrors, [], 'console errors on the thread page');
    },
  },
  {
    name: 'composer: typing @ and letters offers members; arrows and Enter pick one, Escape closes',
    async fn({ page, consoleErrors }) {
      await signIn(page, 'chenjing');
      await startThread(page, 'site-feedback', 'E2E 提及 thread', 'Who should we ask?');
      const area = replyBox(page);
      await area.pressSequentially('Ask @moder', { delay: 30 });
      const list = page.getByRole('listbox', { name: 'Members to mention' });
      await list.waitFor();
      const option = list.getByRole('option', { name: /@moderator$/ });
      assert.equal(await option.getAttribute('aria-selected'), 'true');
      assert.equal(await area.getAttribute('aria-activedescendant'), await option.getAttribute('id'));
      await area.press('Escape');
      assert.equal(await list.count(), 0, 'Escape did not close the list');
      await area.pressSequentially('a', { delay: 30 });
      await list.waitFor();
      await area.press('ArrowDown');
      await area.press('ArrowUp');
      await area.press('Enter');
      assert.equal(await area.inputValue(), 'Ask @moderator ');
      assert.equal(await list.count(), 0);
      await area.pressSequentially('please', { delay: 10 });
      await follow(page, page.locator('section#reply').getByRole('button', { name: 'Post reply' }));
      const post = postWithText(page, 'please');
      assert.equal(await post.locator('a.mention').getAttribute('href'), '/u/moderator');
      assert.deepEqual(consoleErrors, [], 'console errors while mentioning');
    },
  },
  {
    name: 'composer: a post reached by /p/ID (#pID) is highlighted and in view; the toolbar speaks Chinese',
    async fn({ page, newPage, consoleErrors }) {
      await signIn(page, 'chenjing');
      const id = await startThread(page, 'site-feedback', 'E2E 目标 thread', 'The opening post');
      for (let i = 1; i <= 5; i++) await replyToThread(page, `Filler reply ${i}\n\n` + 'Some more words. '.repeat(40));
      const last = postWithText(page, 'Filler reply 5');
      const pid = await postId(last);
      const other = postWithText(page, 'Filler reply 3');
      await page.setViewportSize({ width: 1000, height: 600 });
      await open(page, `/p/${pid}`);
      assert.equal(new URL(page.url()).hash, `#p${pid}`);
      assert.equal(new URL(page.url()).pathname, `/t/${id}`);
      const style = (loc) => loc.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert.notEqual(await style(last), await style(other), 'the targeted post looks like the others');
      assert.ok(await last.evaluate((el) => el.matches(':target')));
      const inView = await last.evaluate((el) => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; });
      assert.ok(inView, 'the targeted post is not scrolled into view');

      const zh = await newPage({ locale: 'zh-CN' });
      await zh.context().addCookies(await page.context().cookies()); // the same member, in Chinese
      await open(zh, `/t/${id}`);
      const tools = zh.locator('section#reply [role=toolbar]');
      for (const name of ['加粗', '斜体', '链接', '引用', '代码', '列表', '预览'])
        assert.equal(await tools.getByRole('button', { name, exact: true }).count(), 1, `no button named ${name}`);
      assert.deepEqual(consoleErrors, [], 'console errors');
    },
  },
];

composerTests.push({
  name: 'composer: without JavaScript, Preview shows the rendering above the kept text',
  async fn({ page, newPage, consoleErrors }) {
    await signIn(page, 'chenjing');
    const id = await startThread(page, 'site-feedback', 'E2E 无脚本 thread', 'Plain pages work');
    const plain = await newPage({ javaScriptEnabled: false });
    await plain.context().addCookies(await page.context().cookies());
    await open(plain, `/t/${id}`);
    const form = plain.locator('section#reply form');
    assert.equal(await form.locator('[role=toolbar]').isVisible(), false, 'the JS toolbar shows without JS');
    await form.locator('textarea[name=body]').fill('**still** here');
    await follow(plain, form.getByRole('button', { name: 'Preview' }));
    const shown = plain.locator('section#reply .md-preview');
    assert.equal(await shown.locator('strong').innerText(), 'still');
    assert.equal(await plain.locator('section#reply textarea[name=body]').inputValue(), '**still** here');
    await follow(plain, plain.locator('section#reply').getByRole('button', { name: 'Post reply' }));
    const post = postWithText(plain, 'still here');
    // Reply without JS: its page's box names the post and has the focus (autofocus)
    await follow(plain, post.locator('footer.actions').getByRole('link', { name: 'Reply', exact: true }));
    assert.equal(await plain.locator('section#reply input[name=parent_id]').inputValue(), String(await postId(post)));
    assert.ok(await focused(plain.locator('section#reply textarea[name=body]')), 'the reply box is not focused without JS');
    assert.deepEqual(consoleErrors, [], 'console errors');
  },
});
