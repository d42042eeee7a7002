// The end-to-end scenarios. Each gets a fresh browser context (no cookies) as t.page;
// t.newPage(options) opens another context (e.g. a phone), t.artifacts is a folder for files.
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  DEMO_PASSWORD, open, follow, signedInAs, fillSignIn, signIn, signOut, register, startThread,
  fillNewThread, posts, postWithText, postId, indentOf, replyTo, replyToThread, bodyTexts, box,
} from './helpers.mjs';
import { learningTests } from './learning.mjs';
import { liveTests } from './live.mjs';
import { followTests } from './follow.mjs';
import { searchTests } from './search.mjs';
import { trainingTests } from './trainings.mjs';
import { recordTests } from './records.mjs';
import { answerTests } from './answers.mjs';
import { draftTests } from './drafts.mjs';
import { uploadTests } from './uploads.mjs';
import { lookTests } from './look.mjs';
import { namesTests } from './names.mjs';
import { composerTests } from './composer.mjs';
import { surveyTests } from './survey.mjs';
import { feedbackTests } from './feedback.mjs';
import { a11yTests } from './a11y.mjs';

const FIRST_THREAD = '春耕备耕经验交流';

// Which of the markers each post body on the page contains, in page order.
async function markerOrder(page, markers) {
  const texts = await bodyTexts(page);
  return texts.map((t) => markers.find((m) => t.includes(m)) ?? '?');
}

export const tests = [
  {
    name: 'visitor reads the home page and a threaded discussion',
    async fn({ page, consoleErrors }) {
      await open(page, '/');
      const boards = page.locator('section.taxonomy');
      assert.equal((await boards.locator('a[href="/b/spring-farming"]').innerText()).trim(), '春耕生产交流');
      assert.equal(await boards.locator('a[href="/b/site-feedback"]').count(), 1, 'site-feedback board not listed');
      const recent = page.locator('section.recent ul.threads:not(.featured) a.title', { hasText: FIRST_THREAD });
      assert.equal(await page.locator('section.recent ul.threads.featured a.title', { hasText: FIRST_THREAD }).count(), 1,
        'the featured demo thread is not on the home page');
      assert.equal(await recent.count(), 1, 'the demo thread is not among the recent threads');

      await follow(page, recent);
      assert.match(new URL(page.url()).pathname, /^\/t\/\d+$/);
      assert.ok((await page.locator('h1').innerText()).startsWith(FIRST_THREAD));
      const root = page.locator('article.post.indent-0').first();
      const deep = page.locator('article.post.indent-2').first();
      assert.equal(await deep.count(), 1, 'no post at depth 2 in the demo thread');
      const rootBox = await box(root);
      const deepBox = await box(deep);
      assert.ok(deepBox.x >= rootBox.x + 20,
        `an indent-2 post starts at x=${deepBox.x}, not clearly right of the indent-0 post at x=${rootBox.x}`);
      assert.ok((await root.locator('.body').innerText()).trim().length > 0, 'the first post shows no text');
      // a visitor is invited to sign in rather than offered a reply form
      assert.equal(await page.locator('section#reply form').count(), 0);
      assert.equal(await page.getByRole('link', { name: 'Sign in to reply.' }).count(), 1);
      assert.deepEqual(consoleErrors, [], 'console errors while browsing as a visitor');
    },
  },

  {
    name: 'new member registers, starts a Markdown thread, replies in the tree and reads it by time',
    async fn({ page }) {
      const displayName = 'E2E 测试员';
      const { regionName } = await register(page, {
        username: 'e2e_member', password: 'spring-sowing-2026', displayName, regionIndex: 2,
      });
      assert.equal(await signedInAs(page), displayName, 'after registering the header does not show the display name');

      await open(page, '/');
      await follow(page, page.locator('section.taxonomy a[href="/b/spring-farming"]'));
      assert.equal((await page.locator('h1').innerText()).trim(), '春耕生产交流');
      await fillNewThread(page, 'E2E 春耕 checklist',
        'Our **bold** plan for spring:\n\n- test every seed lot\n- service the tractors\n');
      const root = posts(page).first();
      assert.equal((await root.locator('.body strong').innerText()).trim(), 'bold');
      assert.deepEqual((await root.locator('.body li').allInnerTexts()).map((s) => s.trim()),
        ['test every seed lot', 'service the tractors']);
      assert.equal((await root.locator('.author a').first().innerText()).trim(), displayName);
      assert.equal((await root.locator('.author .tag.region').innerText()).trim(), regionName,
        'the region chosen at registration is not shown beside the author');

      const r1 = await replyTo(page, root, 'R-one answers the opening post');
      assert.equal(await indentOf(r1), 1);
      assert.ok((await box(r1)).x > (await box(posts(page).first())).x, 'the reply is not indented under its parent');
      const r2 = await replyToThread(page, 'R-two replies to the thread');
      assert.equal(await indentOf(r2), 1);
      const r3 = await replyTo(page, postWithText(page, 'R-one'), 'R-three follows up on that answer');
      assert.equal(await indentOf(r3), 2);
      assert.ok((await box(r3)).x > (await box(postWithText(page, 'R-one'))).x, 'R-three is not indented under R-one');

      const markers = ['Our bold plan', 'R-one', 'R-two', 'R-three'];
      assert.deepEqual(await markerOrder(page, markers), ['Our bold plan', 'R-one', 'R-three', 'R-two'],
        'tree view: replies are not depth first under their parents');
      await follow(page, page.locator('nav.views').getByRole('link', { name: 'By time' }));
      assert.equal(new URL(page.url()).searchParams.get('view'), 'flat');
      assert.deepEqual(await markerOrder(page, markers), markers, '"By time" view is not in posting order');
      assert.equal(await page.locator('nav.views').getByRole('link', { name: 'Tree view' }).count(), 1);
    },
  },

  {
    name: 'author edits a post (with history) and deletes one, keeping its replies',
    async fn({ page }) {
      await signIn(page, 'chenjing');
      // not her post: no Edit link
      await open(page, '/t/1');
      assert.equal(await page.locator('article#p1 footer').getByRole('link', { name: 'Edit' }).count(), 0,
        'an Edit link is offered on somebody else\'s post');

      await startThread(page, 'site-feedback', 'E2E edit and delete', 'Original text: the meeting is on Monday.');
      const root = posts(page).first();
      const rootId = await postId(root);
      await follow(page, root.locator('footer.actions').getByRole('link', { name: 'Edit' }));
      assert.equal(new URL(page.url()).pathname, `/posts/${rootId}/edit`);
      const source = page.locator('textarea[name=body]');
      assert.equal(await source.inputValue(), 'Original text: the meeting is on Monday.');
      await source.fill('Corrected text: the meeting is on *Tuesday*.');
      await follow(page, page.getByRole('button', { name: 'Save changes' }));

      const edited = page.locator(`article#p${rootId}`);
      const text = await edited.locator('.body').innerText();
      assert.match(text, /Corrected text: the meeting is on Tuesday\./);
      assert.doesNotMatch(text, /Monday/);
      assert.equal(await edited.locator('.body em').innerText(), 'Tuesday');
      const marker = edited.locator('a.edited');
      assert.equal((await marker.innerText()).trim(), 'edited');
      assert.equal(await marker.getAttribute('href'), `/posts/${rootId}/revisions`);
      await follow(page, marker);
      assert.match(await page.locator('main').innerText(), /Original text: the meeting is on Monday\./,
        'the revisions page does not show the old text');
      assert.match(await page.locator('main .body').innerText(), /Tuesday/);
      await follow(page, page.getByRole('link', { name: 'Back to the thread' }));

      const doomed = await replyToThread(page, 'Doomed reply that will be deleted');
      const doomedId = await postId(doomed);
      await replyTo(page, doomed, 'Surviving answer to the doomed reply');
      await follow(page, doomed.locator('footer.actions').getByRole('link', { name: 'Delete' }));
      await follow(page, page.getByRole('button', { name: 'Delete this post' }));
      const gone = page.locator(`article#p${doomedId}`);
      assert.equal(await gone.count(), 1, 'the deleted post left no placeholder');
      assert.equal((await gone.locator('.placeholder').innerText()).trim(), 'This post was deleted.');
      assert.doesNotMatch(await gone.innerText(), /Doomed reply/);
      const survivor = postWithText(page, 'Surviving answer');
      assert.equal(await survivor.count(), 1, 'the reply to the deleted post disappeared');
      assert.equal(await indentOf(survivor), 2);
      assert.deepEqual(await markerOrder(page, ['Corrected text', 'This post was deleted.', 'Surviving answer']),
        ['Corrected text', 'This post was deleted.', 'Surviving answer']);
    },
  },

  {
    name: 'script in names, titles and posts is shown as text, never run',
    async fn({ page, dialogs }) {
      const payload = [
        '<img src=x onerror=alert(1)>',
        '[click](javascript:alert(1))',
        '<script>alert(2)</script>',
        '![pic](javascript:alert(3))',
        '<a href="javascript:alert(4)">raw link</a> and <JAVASCRIPT:alert(5)>',
        '[spaced]( javascript:alert(6) ) [entity](jav&#x61;script:alert(7))',
      ].join('\n\n');
      const title = '<script>alert("t")</script> XSS <img src=x onerror=alert(8)>';
      const evilName = '<img src=x onerror=alert(9)> Eve';
      await register(page, { username: 'e2e_eve', password: 'not-a-script-2026', displayName: evilName });
      assert.equal(await signedInAs(page), evilName, 'the header does not show the display name as typed');
      const id = await startThread(page, 'site-feedback', title, payload); // asserts the h1 shows the title as typed
      await replyToThread(page, `reply: ${payload}`);

      const attack = async (where) => {
        await page.waitForTimeout(300); // let any onerror/onload fire
        const found = await page.evaluate(() => ({
          img: document.querySelectorAll('img[src="x"]').length,
          js: [...document.body.querySelectorAll('[href],[src],[action],[formaction]')]
            .map((el) => el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action') ?? el.getAttribute('formaction'))
            .filter((u) => /^\s*(javascript|data|vbscript):/i.test(u ?? '')),
          handlers: [...document.body.querySelectorAll('*')]
            .flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName}[${a.name}]`)),
          scripts: [...document.scripts].filter((s) => /alert/.test(s.textContent)).length,
        }));
        assert.deepEqual(found, { img: 0, js: [], handlers: [], scripts: 0 }, `live markup from user input on ${where}`);
      };
      await attack(`/t/${id}`);
      assert.equal((await posts(page).first().locator('.author a').first().innerText()).trim(), evilName);
      assert.match(await page.locator('main').innerText(), /click/, 'the link text of the rejected link vanished');
      await open(page, `/t/${id}?view=flat`);
      await attack('the flat view');
      await open(page, '/b/site-feedback');
      await attack('the board page');
      assert.equal(await page.locator('a.title', { hasText: '<script>alert("t")</script>' }).count(), 1,
        'the board does not list the title as typed');
      await open(page, '/');
      await attack('the home page');
      await open(page, `/t/${id}`);
      await follow(page, posts(page).first().locator('footer.actions').getByRole('link', { name: 'Edit' }));
      await attack('the edit page');
      assert.equal(await page.locator('textarea[name=body]').inputValue(), payload, 'the edit box does not hold the source as typed');
      assert.deepEqual(dialogs, [], 'a JavaScript dialog opened');
    },
  },

  {
    name: 'sign out, a wrong password keeps the username, the right one returns to the thread',
    async fn({ page }) {
      await signIn(page, 'zhangwei');
      assert.equal(await signedInAs(page), '张伟');
      await signOut(page);
      await open(page, '/t/1');
      assert.equal(await page.locator('section#reply form').count(), 0, 'signed out but still offered a reply form');

      await follow(page, page.getByRole('link', { name: 'Sign in to reply.' }));
      assert.equal(new URL(page.url()).pathname, '/login');
      await fillSignIn(page, 'zhangwei', 'not-the-password');
      const error = page.locator('main .error');
      assert.equal(await error.count(), 1, 'no error message after a wrong password');
      assert.match(await error.innerText(), /wrong username or password/i);
      assert.equal(await page.locator('input[name=username]').inputValue(), 'zhangwei', 'the username was not kept');
      assert.equal(await page.locator('input[name=password]').inputValue(), '');
      assert.equal(await signedInAs(page), null);

      await page.locator('input[name=password]').fill(DEMO_PASSWORD);
      await follow(page, page.locator('form[action="/login"]').getByRole('button', { name: 'Sign in' }));
      assert.equal(await signedInAs(page), '张伟');
      assert.equal(new URL(page.url()).pathname, '/t/1', 'after signing in the user is not back on the thread');
      assert.equal(await page.locator('section#reply form').count(), 1);
    },
  },

  {
    name: 'phone-sized screen: no sideways scrolling, readable posts',
    async fn({ newPage, artifacts }) {
      const page = await newPage(PHONE);
      for (const where of ['/', '/t/1', '/b/spring-farming', '/login', '/register']) {
        await open(page, where);
        await assertFitsWidth(page, where);
      }
      await open(page, '/t/1');
      await assertReadablePosts(page);
      await page.screenshot({ path: path.join(artifacts, 'thread-phone.png'), fullPage: true });
    },
  },

  {
    name: 'phone-sized screen: long links, code and tables in posts do not widen the page',
    async fn({ newPage }) {
      const page = await newPage(PHONE);
      await signIn(page, 'lecturer');
      const longUrl = `https://example.org/${'very-long-path-segment-'.repeat(8)}end`;
      const id = await startThread(page, 'site-feedback', 'E2E wide content', [
        `See ${longUrl} for the notice.`,
        `Unbroken: ${'农'.repeat(10)}${'x'.repeat(90)}`,
        '```\n' + 'const line = "' + 'y'.repeat(120) + '";\n```',
        '| region | seeds | fertiliser | machinery | notes |\n|---|---|---|---|---|\n' +
          '| Henan province | 98 percent | 95 percent | 90 percent | inspected by the county station |',
      ].join('\n\n'));
      await open(page, `/t/${id}`);
      await assertFitsWidth(page, `/t/${id}`);
      await assertReadablePosts(page);
    },
  },

  {
    name: 'desktop thread page: styled, nothing overlaps (screenshot saved)',
    async fn({ page, artifacts }) {
      await page.setViewportSize({ width: 1280, height: 900 });
      await signIn(page, 'zhangwei');
      await open(page, '/t/1');
      // the stylesheet is applied: the header is a styled bar, the content a centred column
      const look = await page.evaluate(() => {
        const header = getComputedStyle(document.querySelector('header.site'));
        const main = document.querySelector('main').getBoundingClientRect();
        return { headerBg: header.backgroundColor, mainLeft: main.left, mainRight: main.right, width: innerWidth };
      });
      assert.notEqual(look.headerBg, 'rgba(0, 0, 0, 0)', 'the site header is unstyled');
      assert.ok(look.mainLeft > 0 && Math.abs(look.mainLeft - (look.width - look.mainRight)) < 2,
        `the content column is not centred: ${JSON.stringify(look)}`);
      const boxes = [];
      for (const article of await posts(page).all()) boxes.push(await box(article));
      for (let i = 1; i < boxes.length; i++) {
        assert.ok(boxes[i].y >= boxes[i - 1].y + boxes[i - 1].height - 0.5, `post ${i + 1} overlaps post ${i}`);
      }
      // the Reply/Edit/Delete actions sit inside their post and on one line
      for (const article of await posts(page).all()) {
        const a = await box(article);
        const actions = await box(article.locator('footer.actions'));
        assert.ok(actions.y >= a.y && actions.y + actions.height <= a.y + a.height + 0.5, 'actions stick out of their post');
        assert.ok(actions.height < 40, `post actions wrap onto several lines (height ${actions.height})`);
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(artifacts, 'thread-desktop.png'), fullPage: true });
      await open(page, '/');
      await page.screenshot({ path: path.join(artifacts, 'home-desktop.png'), fullPage: true });
    },
  },

  // associations, questionnaires and materials (learning.mjs)
  ...learningTests,
  // live updates of an open thread page (live.mjs)
  ...liveTests,
  // notifications and unread marks (follow.mjs)
  ...followTests,
  ...searchTests,
  ...trainingTests,
  ...recordTests,
  ...answerTests,
  // drafts saved as one types, bookmarks (drafts.mjs)
  ...draftTests,
  // uploads in posts (uploads.mjs)
  ...uploadTests,
  // avatars, relative times, the pager, the phone header, dark mode (look.mjs)
  ...lookTests,
  // names, breadcrumbs, the review queue and the moderation log (names.mjs)
  ...namesTests,
  ...composerTests,
  // the questionnaire builder and readable results (survey.mjs)
  ...surveyTests,
  ...feedbackTests,
  // last: the crawl visits every page as every role (read marks), after the scenarios that count on them
  ...a11yTests,
];

export const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

export async function assertFitsWidth(page, where) {
  const r = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    // inside a box that scrolls or clips by itself, a wide child does not widen the page
    const clipped = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const name = (el) => `${el.tagName.toLowerCase()}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''}`;
    const culprits = new Map();
    for (const el of document.querySelectorAll('body *')) {
      if (clipped(el)) continue;
      const right = el.getBoundingClientRect().right;
      if (right > width + 1) culprits.set(el, `${name(el)} (right edge at ${Math.round(right)}px)`);
      // text that does not wrap spills out of a box that itself fits
      else if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth && getComputedStyle(el).overflowX === 'visible') {
        culprits.set(el, `${name(el)} (content ${el.scrollWidth}px wide in ${el.clientWidth}px)`);
      }
    }
    // name the innermost offenders, not every ancestor they push out
    const wide = [...culprits].filter(([el]) => ![...culprits.keys()].some((o) => o !== el && el.contains(o)))
      .map(([, what]) => what);
    return { scrollWidth: document.scrollingElement.scrollWidth, width, wide: [...new Set(wide)].slice(0, 8) };
  });
  assert.ok(r.scrollWidth <= 375 + 2,
    `${where} scrolls sideways at 375px: scrollWidth ${r.scrollWidth}; too wide: ${r.wide.join(', ')}`);
}

async function assertReadablePosts(page) {
  for (const body of await page.locator('article.post .body').all()) {
    const b = await box(body);
    const fontPx = await body.evaluate((el) => parseFloat(getComputedStyle(el.querySelector('p') ?? el).fontSize));
    assert.ok(fontPx >= 14, `post text is ${fontPx}px, too small on a phone`);
    assert.ok(b.x >= 0 && b.x + b.width <= 375 + 1, `a post body runs off the screen (${b.x}..${b.x + b.width})`);
    assert.ok(b.width >= 250, `a post body is squeezed to ${b.width}px`);
  }
}
