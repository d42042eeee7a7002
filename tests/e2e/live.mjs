// Scenario of live updates: a reader keeps a thread page open while others reply through the
// API; the replies appear in place, in tree order, without a reload. Runs on the demo site.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, open, posts, postId, indentOf, bodyTexts } from './helpers.mjs';

// A signed-in API caller (bearer token) of the server the page talks to.
async function apiAs(origin, username) {
  const call = async (method, path, body, token) => {
    const res = await fetch(`${origin}/api/v1/${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, data: await res.json() };
  };
  const session = await call('POST', 'session', { username, password: DEMO_PASSWORD });
  assert.equal(session.status, 201, `API sign-in of ${username}: ${JSON.stringify(session.data)}`);
  return (method, path, body) => call(method, path, body, session.data.token);
}

// The lecturer starts a thread through the API; the lecturer and 陈静 (chenjing) can then reply.
async function liveThread(page, title, body) {
  await open(page, '/');
  const origin = new URL(page.url()).origin;
  const lecturer = await apiAs(origin, 'lecturer');
  const chenjing = await apiAs(origin, 'chenjing');
  const started = await lecturer('POST', 'boards/site-feedback/threads', { title, body });
  assert.equal(started.status, 201, JSON.stringify(started.data));
  return { lecturer, chenjing, threadId: started.data.thread.id, rootId: started.data.post.id };
}

export const liveTests = [
  {
    name: 'live updates: replies by others appear in place in the open thread, without a reload',
    async fn({ page, consoleErrors }) {
      const { lecturer, chenjing, threadId, rootId } = await liveThread(page, 'E2E live thread 实时', 'Opening post of the live thread.');

      await open(page, `/t/${threadId}`);
      // a mark that a reload would wipe out
      await page.evaluate(() => { window.__stillTheSamePage = true; });
      assert.equal(await posts(page).count(), 1);

      const say = async (who, body, parentId) => {
        const r = await who('POST', `threads/${threadId}/posts`, { body, parent_id: parentId });
        assert.equal(r.status, 201, JSON.stringify(r.data));
        await page.locator(`article#p${r.data.post.id}`).waitFor({ timeout: 5000 });
        return r.data.post.id;
      };
      const first = await say(chenjing, 'Live **first** answer from 陈静', rootId);
      const second = await say(lecturer, 'Live second answer, to the opening post', rootId);
      const nested = await say(chenjing, 'Live nested answer under the first', first);

      assert.equal(await page.evaluate(() => window.__stillTheSamePage), true, 'the page was reloaded');
      const ids = [];
      for (const a of await posts(page).all()) ids.push(await postId(a));
      assert.deepEqual(ids, [rootId, first, nested, second], 'the new posts are not in tree order');
      const nestedPost = page.locator(`article#p${nested}`);
      assert.equal(await indentOf(nestedPost), 2);
      assert.equal(await indentOf(page.locator(`article#p${second}`)), 1);
      const firstPost = page.locator(`article#p${first}`);
      assert.equal((await firstPost.locator('.body strong').innerText()).trim(), 'first', 'Markdown is not rendered');
      assert.equal((await firstPost.locator('.author a').first().innerText()).trim(), '陈静');
      assert.equal(await firstPost.locator('header time').locator('xpath=..').getAttribute('href'), `/p/${first}`,
        'the permalink of a live post is not the one the page gives its posts');
      assert.match(await bodyTexts(page).then((t) => t.join('\n')), /Live nested answer under the first/);
      const status = page.getByRole('status');
      assert.match(await status.innerText(), /陈静/, 'screen readers are not told about the new post');
      assert.deepEqual(consoleErrors, [], 'console errors on the live thread page');
    },
  },
  {
    name: 'live updates: on the last page, a reply that belongs on an earlier page is announced with its link, not shown out of order',
    async fn({ page, consoleErrors }) {
      const { lecturer, chenjing, threadId, rootId } = await liveThread(page, 'E2E live paged thread', 'Opening post.');
      const early = [];
      for (const body of ['Early answer one', 'Early answer two']) {
        const r = await lecturer('POST', `threads/${threadId}/posts`, { body, parent_id: rootId });
        assert.equal(r.status, 201, JSON.stringify(r.data));
        early.push(r.data.post.id);
      }
      // two posts a page: the last page shows the second early answer only
      await open(page, `/t/${threadId}?per_page=2&page=2`);
      assert.equal(await posts(page).count(), 1);

      const r = await chenjing('POST', `threads/${threadId}/posts`, { body: 'An answer to the first early answer', parent_id: early[0] });
      assert.equal(r.status, 201, JSON.stringify(r.data));
      const note = page.locator(`.posts p.live-elsewhere a[href="/p/${r.data.post.id}"]`);
      await note.waitFor({ timeout: 5000 });
      assert.match(await note.innerText(), /陈静 replied to a post on an earlier page/);
      assert.equal(await page.locator(`article#p${r.data.post.id}`).count(), 0, 'the reply was shown out of tree order');
      assert.equal(await posts(page).count(), 1);
      assert.deepEqual(consoleErrors, [], 'console errors on the live thread page');
    },
  },
];
