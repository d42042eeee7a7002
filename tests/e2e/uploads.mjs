// Scenarios of uploads in posts: a member attaches a photo through the composer's "Attach"
// button (agora.js posts it to /api/v1/uploads and puts its Markdown at the caret), posts
// the thread, and sees the image rendered in the post; drops another onto the reply box and
// replies with it; a visitor loads them too (a public board lends the image to everyone).
// Runs on the demo site.
import assert from 'node:assert/strict';
import { open, signIn, signOut, assertNoConsoleErrors } from './helpers.mjs';

// A 12x8 red PNG (tests/integration/test_uploads.py's png(12, 8)).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAwAAAAICAIAAABChommAAAAE0lEQVR4nGP4z8BAEBFWMewVAQCsgV+hp+D4ywAAAABJRU5ErkJggg==',
  'base64');

// The natural size of the first image of the post whose body names the upload.
async function shownImage(page) {
  const img = page.locator('article.post .body img[src^="/uploads/"]').first();
  await img.waitFor();
  return img.evaluate(async (el) => {
    if (!el.complete) await new Promise((done) => { el.onload = el.onerror = done; });
    return { width: el.naturalWidth, height: el.naturalHeight, src: el.getAttribute('src') };
  });
}

export const uploadTests = [
  {
    name: 'uploads: a member attaches an image in the composer (button, then drag-and-drop) and sees it in the post',
    async fn({ page, consoleErrors }) {
      await signIn(page, 'zhangwei');
      await open(page, '/b/site-feedback');
      const form = page.locator('section.compose form').first();
      assert.equal(await page.locator('form.attach').isVisible(), false, 'the plain upload form shows beside the button');
      await form.locator('input[name=title]').fill('E2E 附件 thread');
      await form.locator('textarea[name=body]').fill('Our field this spring:');
      const chooser = page.waitForEvent('filechooser');
      await form.getByRole('button', { name: 'Attach' }).click();
      await (await chooser).setFiles({ name: 'field.png', mimeType: 'image/png', buffer: PNG });
      await page.waitForFunction(() => /!\[field\.png\]\(\/uploads\/\d+\/field\.png\)/
        .test(document.querySelector('section.compose textarea[name=body]').value));
      const text = await form.locator('textarea[name=body]').inputValue();
      assert.match(text, /^Our field this spring:\n!\[field\.png\]\(\/uploads\/\d+\/field\.png\)\n$/);
      await Promise.all([page.waitForURL(/\/t\/\d+/), form.getByRole('button', { name: 'Post' }).click()]);
      const shown = await shownImage(page);
      assert.ok(shown.width > 0, `the image did not load: ${JSON.stringify(shown)}`);
      assert.equal(shown.width, 12);
      const thread = page.url();

      // a file dropped onto the reply box goes in the same way
      const reply = page.locator('section#reply textarea[name=body]');
      await reply.fill('And from the next village:');
      const dropped = await page.evaluateHandle((b64) => {
        const data = new DataTransfer();
        data.items.add(new File([Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0))], 'drop.png', { type: 'image/png' }));
        return data;
      }, PNG.toString('base64'));
      await reply.dispatchEvent('drop', { dataTransfer: dropped });
      await page.waitForFunction(() => /!\[drop\.png\]\(\/uploads\/\d+\/drop\.png\)/
        .test(document.querySelector('section#reply textarea[name=body]').value));
      await Promise.all([page.waitForNavigation(),
        page.locator('section#reply form').getByRole('button', { name: 'Post reply' }).click()]);
      const droppedImg = page.locator('article.post .body img[src$="/drop.png"]');
      await droppedImg.waitFor();
      assert.ok(await droppedImg.evaluate((el) => el.complete && el.naturalWidth > 0), 'the dropped image did not load');

      await signOut(page);
      await page.goto(thread);
      assert.ok((await shownImage(page)).width > 0, 'a visitor does not see the image of a public board');
      // signing out ends the thread page's live stream (the server closes a signed-out reader's)
      assertNoConsoleErrors(consoleErrors, [/ERR_INCOMPLETE_CHUNKED_ENCODING.*\/live\/threads\//],
        'the composer and the thread page');
    },
  },
];
