// Scenarios of the trainings pages: a lecturer creates a training and a lesson with the forms,
// a member on a phone (375 px) enrols and checks in with the lesson's code, then rates it.
import assert from 'node:assert/strict';
import { open, follow, signIn, assertNoConsoleErrors } from './helpers.mjs';
import { PHONE, assertFitsWidth } from './tests.mjs';

const SITE_OFFSET_MS = 8 * 3600 * 1000; // the demo site's zone, Asia/Shanghai
const TITLE = '春耕技术骨干培训班';

// A moment as the site's zone writes it: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM".
function siteTime(ms, withTime) {
  const s = new Date(ms + SITE_OFFSET_MS).toISOString();
  return withTime ? s.slice(0, 16) : s.slice(0, 10);
}

export const trainingTests = [
  {
    name: 'trainings: a lecturer creates a training and a lesson, a member on a phone enrols and checks in',
    async fn({ page, newPage, consoleErrors }) {
      await signIn(page, 'lecturer');
      await open(page, '/trainings');
      const create = page.locator('form[action="/trainings"]');
      const now = Date.now();
      await create.locator('input[name=slug]').fill('e2e-spring');
      await create.locator('input[name=title]').fill(TITLE);
      await create.locator('textarea[name=description]').fill('**春耕**技术要点与示范推广。');
      await create.locator('input[name=starts_on]').fill(siteTime(now - 86400_000, false));
      await create.locator('input[name=ends_on]').fill(siteTime(now + 3 * 86400_000, false));
      await create.locator('input[name=hours]').fill('16');
      await create.locator('input[name=capacity]').fill('30');
      await follow(page, create.getByRole('button', { name: 'Create the training' }));
      assert.equal(new URL(page.url()).pathname, '/trainings/e2e-spring');
      assert.equal((await page.locator('h1').innerText()).trim(), TITLE);

      const add = page.locator('form[action="/trainings/e2e-spring/lessons"]');
      await add.locator('input[name=title]').fill('测土配方施肥');
      await add.locator('input[name=starts_at]').fill(siteTime(now - 5 * 60_000, true));
      await add.locator('input[name=lecturer]').fill('lecturer');
      await follow(page, add.getByRole('button', { name: 'Add the lesson' }));
      const lesson = page.locator('li.lesson', { hasText: '测土配方施肥' });
      assert.equal(await lesson.count(), 1, 'the new lesson is not listed');
      assert.ok((await lesson.locator('.meta time').innerText()).startsWith(siteTime(now - 5 * 60_000, true).replace('T', ' ')),
        'the lesson time is not shown in the site zone as typed');
      const code = (await lesson.locator('code.checkin').innerText()).trim();
      assert.match(code, /^\d{6}$/, 'the organiser does not see a check-in code');

      const phone = await newPage(PHONE);
      await signIn(phone, 'zhangwei');
      await open(phone, '/trainings');
      await assertFitsWidth(phone, '/trainings');
      await follow(phone, phone.locator('a.title', { hasText: TITLE }));
      await follow(phone, phone.getByRole('button', { name: 'Enrol' }));
      assert.match(await phone.locator('header.page').innerText(), /You are enrolled in this training\./);
      await assertFitsWidth(phone, 'the training page');
      const mine = phone.locator('li.lesson', { hasText: '测土配方施肥' });
      assert.equal(await mine.locator('code.checkin').count(), 0, 'a trainee sees the check-in code');
      await mine.locator('input[name=code]').fill(code);
      await follow(phone, mine.getByRole('button', { name: 'Check in' }));
      const after = phone.locator('li.lesson', { hasText: '测土配方施肥' });
      assert.equal((await after.locator('.tag.ok').innerText()).trim(), 'Attended');
      assert.equal(await after.locator('input[name=code]').count(), 0, 'the check-in form stays after checking in');
      await after.locator('label.choice', { hasText: '5' }).click();
      await after.locator('textarea[name=comment]').fill('讲得很实用');
      await follow(phone, after.getByRole('button', { name: 'Send the rating' }));
      await assertFitsWidth(phone, 'the training page after rating');

      await page.reload();
      assert.match(await page.locator('li.lesson', { hasText: '测土配方施肥' }).innerText(), /Ratings: 1 · average 5\.0 \/ 5/);
      assertNoConsoleErrors(consoleErrors, [], 'the trainings pages');
    },
  },
];
