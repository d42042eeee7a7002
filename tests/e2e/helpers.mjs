// What a user does on Agora's pages, as small reusable steps.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';

export const DEMO_PASSWORD = 'agora-demo-2026';

// Open a path and insist on a successful page.
export async function open(page, path) {
  const res = await page.goto(path);
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), 200, `GET ${path} answered ${res.status()}`);
  return res;
}

// Click something that loads a new page (link or form button) and wait for it to load.
// Returns the main-document response (null for same-document navigations).
export async function follow(page, locator) {
  const [res] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
  return res;
}

// The header shows who is signed in (on a phone the name is inside the folded menu, so its
// text is read whether the menu is open or not).
export async function signedInAs(page) {
  const me = page.locator('header.site a.me');
  return (await me.count()) ? (await me.textContent()).trim() : null;
}

export async function fillSignIn(page, username, password) {
  const form = page.locator('form[action="/login"]');
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(password);
  return follow(page, form.getByRole('button', { name: 'Sign in' }));
}

export async function signIn(page, username, password = DEMO_PASSWORD) {
  await open(page, '/login');
  await fillSignIn(page, username, password);
  assert.ok(await signedInAs(page), `sign-in as ${username} did not show a name in the header`);
}

export async function signOut(page) {
  await follow(page, page.locator('header.site').getByRole('button', { name: 'Sign out' }));
  assert.equal(await signedInAs(page), null, 'still signed in after "Sign out"');
}

// Registers through /register and returns what was chosen (region label included).
export async function register(page, { username, password, displayName, regionIndex = 1 }) {
  await open(page, '/register');
  const form = page.locator('form[action="/register"]');
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(password);
  await form.locator('input[name=display_name]').fill(displayName);
  const region = form.locator('select[name=region]');
  const option = region.locator('option').nth(regionIndex);
  const regionValue = await option.getAttribute('value');
  const regionName = (await option.innerText()).trim();
  assert.ok(regionValue, 'the region select offers no regions');
  await region.selectOption(regionValue);
  await follow(page, form.getByRole('button', { name: 'Create account' }));
  return { regionValue, regionName };
}

// The thread id of the page we are on (/t/ID...).
export function threadIdOf(page) {
  const m = /\/t\/(\d+)/.exec(new URL(page.url()).pathname);
  assert.ok(m, `not on a thread page: ${page.url()}`);
  return Number(m[1]);
}

// Starts a thread on /b/SLUG through the "Start a new thread" form; ends on the new thread page
// and returns its id.
export async function startThread(page, board, title, body) {
  await open(page, `/b/${board}`);
  return fillNewThread(page, title, body);
}

// Fills the "Start a new thread" form of the board page we are on.
export async function fillNewThread(page, title, body) {
  const form = page.locator('section.compose form');
  await form.locator('input[name=title]').fill(title);
  await form.locator('textarea[name=body]').fill(body);
  const res = await follow(page, form.getByRole('button', { name: 'Post thread' }));
  assert.equal(res?.status(), 200, `posting the thread answered ${res?.status()}`);
  assert.equal(await page.locator('h1').innerText(), title);
  return threadIdOf(page);
}

// All posts on the page, in document order.
export function posts(page) {
  return page.locator('article.post');
}

// The post (article) whose body contains `text`.
export function postWithText(page, text) {
  return page.locator('article.post').filter({ has: page.locator('.body', { hasText: text }) });
}

// The numeric id of a post article (id="pNN").
export async function postId(article) {
  const id = await article.getAttribute('id');
  assert.match(id ?? '', /^p\d+$/);
  return Number(id.slice(1));
}

export async function indentOf(article) {
  const cls = (await article.getAttribute('class')) ?? '';
  const m = /\bindent-(\d+)\b/.exec(cls);
  assert.ok(m, `post without an indent-N class: "${cls}"`);
  return Number(m[1]);
}

// Replies to the thread as a whole through the form at the bottom of the page.
export async function replyToThread(page, body) {
  const form = page.locator('section#reply form');
  assert.equal(await form.locator('input[name=parent_id]').count(), 0, 'a plain reply form carries a parent_id');
  await form.locator('textarea[name=body]').fill(body);
  const res = await follow(page, form.getByRole('button', { name: 'Post reply' }));
  assert.equal(res?.status(), 200, `posting the reply answered ${res?.status()}`);
  return postWithText(page, body);
}

// Replies to one post through its "Reply" link; checks the form then names that post.
export async function replyTo(page, article, body) {
  const parent = await postId(article);
  await follow(page, article.locator('footer.actions').getByRole('link', { name: 'Reply', exact: true }));
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('reply'), String(parent), `Reply link went to ${page.url()}`);
  const form = page.locator('section#reply form');
  assert.equal(await form.locator('input[name=parent_id]').inputValue(), String(parent));
  await form.locator('textarea[name=body]').fill(body);
  const res = await follow(page, form.getByRole('button', { name: 'Post reply' }));
  assert.equal(res?.status(), 200, `posting the reply answered ${res?.status()}`);
  return postWithText(page, body);
}

// Text of each post body on the page, in order (for order checks: one marker per post).
export async function bodyTexts(page) {
  return page.locator('article.post').evaluateAll((els) =>
    els.map((el) => (el.querySelector('.body')?.textContent ?? el.querySelector('.placeholder')?.textContent ?? '').trim()),
  );
}

// Where an element is on the page (document coordinates, so scrolling does not matter).
export async function box(locator) {
  const b = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { x: r.left + scrollX, y: r.top + scrollY, width: r.width, height: r.height };
  });
  assert.ok(b.width > 0 && b.height > 0, 'element is not displayed');
  return b;
}

// Clicks a link that downloads a file (Content-Disposition: attachment) and waits for the
// download to finish. Returns the name the browser suggests, the bytes and the URL.
export async function download(page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download'), locator.click()]);
  const file = await dl.path(); // waits for the end; throws if it failed
  assert.equal(await dl.failure(), null, `the download of ${dl.url()} failed`);
  return { name: dl.suggestedFilename(), bytes: await readFile(file), url: dl.url() };
}

// Opens a path that must answer with the error page (status `status`); returns its message.
export async function openError(page, path, status = 404) {
  const res = await page.goto(path);
  assert.ok(res, `no response for ${path}`);
  assert.equal(res.status(), status, `GET ${path} answered ${res.status()}, not ${status}`);
  assert.equal((await page.locator('main h1').innerText()).trim(), 'Something went wrong',
    `${path} does not show the error page`);
  const message = page.locator('main p.error[role=alert]');
  assert.equal(await message.count(), 1, `the error page of ${path} gives no message`);
  return (await message.innerText()).trim();
}

// The console must stay clean; `expected` lists patterns of errors the scenario caused on
// purpose (the browser logs every 4xx page load as "Failed to load resource").
export function assertNoConsoleErrors(consoleErrors, expected = [], where = 'these pages') {
  const unexpected = consoleErrors.filter((e) => !expected.some((re) => re.test(e)));
  assert.deepEqual(unexpected, [], `console errors on ${where}`);
}

// The <ul> that follows the <h2> with this text (an association's boards, pending and member lists;
// a board's questionnaires).
export function listUnder(page, heading) {
  return page.locator('main').getByRole('heading', { level: 2, name: heading, exact: true })
    .locator('xpath=following-sibling::ul[1]');
}

// Replies in a thread through the API as a demo account (another person acting meanwhile);
// returns the new post's id.
export async function apiReply(origin, username, threadId, body) {
  const post = async (path, data, token) => {
    const res = await fetch(`${origin}/api/v1/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(data),
    });
    return { status: res.status, data: await res.json() };
  };
  const session = await post('session', { username, password: DEMO_PASSWORD });
  assert.equal(session.status, 201, `API sign-in of ${username}`);
  const r = await post(`threads/${threadId}/posts`, { body }, session.data.token);
  assert.equal(r.status, 201, `reply by ${username}: ${JSON.stringify(r.data)}`);
  return r.data.post.id;
}
