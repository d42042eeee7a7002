// Scenarios of the trainings pages: a lecturer creates a training and a lesson with the forms,
// a member on a phone (375 px) enrols and checks in with the lesson's code, then rates it.
// Then a follow-up wave of a training that has ended (set up through the API, opened by the
// scheduler at once): the trainee answers it from its notification, the organiser sees it in the effect.
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, open, follow, signIn, assertNoConsoleErrors } from './helpers.mjs';
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

// --- answering a follow-up wave (docs/TRAININGS.md "Follow-ups") ---

const WAVE_TRAINING = 'e2e-wave';
const WAVE_TITLE = '乡村治理能力提升班（回访）';
const WAVE_QUESTIONNAIRE = '培训三个月后回访';
const WAVE_PROMPTS = {
  rating: '培训内容在工作中用得上吗？',
  single: '你多久用一次学到的方法？',
  multi: '哪些做法你已经用上了？',
  text: '工作中有什么变化？',
};
const WAVE_QUESTIONS = [
  { kind: 'rating', prompt: WAVE_PROMPTS.rating },
  { kind: 'single', prompt: WAVE_PROMPTS.single, options: ['从不', '有时', '经常'] },
  { kind: 'multi', prompt: WAVE_PROMPTS.multi, options: ['议事清单', '入户走访', '村务公开'] },
  { kind: 'text', prompt: WAVE_PROMPTS.text },
];

// A JSON API client signed in as `username` (a Bearer session).
async function apiAs(origin, username) {
  const call = async (method, path, data, token) => {
    const res = await fetch(`${origin}/api/v1/${path}`, {
      method,
      headers: { ...(data ? { 'Content-Type': 'application/json' } : {}), ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: data ? JSON.stringify(data) : undefined,
    });
    const text = await res.text();
    return { status: res.status, data: text ? JSON.parse(text) : null };
  };
  const session = await call('POST', 'session', { username, password: DEMO_PASSWORD });
  assert.equal(session.status, 201, `API sign-in of ${username}`);
  const token = session.data.token;
  const expect = (method) => async (path, status, data) => {
    const r = await call(method, path, data, token);
    assert.equal(r.status, status, `${method} ${path} as ${username}: ${r.status} ${JSON.stringify(r.data)}`);
    return r.data;
  };
  return { get: expect('GET'), post: expect('POST') };
}

trainingTests.push({
  name: 'trainings: a trainee on a phone answers a follow-up wave from its notification, the organiser sees it in the effect',
  async fn({ page, newPage, consoleErrors }) {
    // set up through the API: a training that ended ten days ago, chenjing enrolled, and a wave
    // two days after the end (a day already past, so the scheduler opens it at once)
    await open(page, '/');
    const origin = new URL(page.url()).origin;
    const lect = await apiAs(origin, 'lecturer');
    const now = Date.now();
    const { training } = await lect.post('trainings', 201, {
      slug: WAVE_TRAINING, title: WAVE_TITLE, starts_on: siteTime(now - 20 * 86400_000, false),
      ends_on: siteTime(now - 10 * 86400_000, false), hours: 16, enrolment: 'assigned',
    });
    assert.equal(training.state, 'past');
    await lect.post(`trainings/${WAVE_TRAINING}/trainees`, 201, { usernames: ['chenjing'] });
    const { questionnaire: template } = await lect.post('questionnaires', 201, {
      title: WAVE_QUESTIONNAIRE, board: training.board, questions: WAVE_QUESTIONS,
    });
    const { followup } = await lect.post(`trainings/${WAVE_TRAINING}/followups`, 201, {
      questionnaire: template.id, opens_after_days: 2, respondents: 'trainees',
    });
    assert.equal(followup.opens_on, siteTime(now - 8 * 86400_000, false));
    let wave = null;
    for (const t0 = Date.now(); Date.now() - t0 < 15_000; await new Promise((r) => setTimeout(r, 200))) {
      wave = (await lect.get(`trainings/${WAVE_TRAINING}/followups`, 200)).followups.find((w) => w.id === followup.id);
      if (wave?.questionnaire) break;
    }
    assert.ok(wave?.questionnaire, 'the wave of a past day did not open within 15 s');
    assert.notEqual(wave.questionnaire, template.id, 'the wave answers the template itself, not a copy');
    assert.equal(wave.invited, 1);

    // the trainee on a phone: the invitation, its link, the form
    const phone = await newPage(PHONE);
    await signIn(phone, 'chenjing');
    await follow(phone, phone.locator('header.site a.notifications'));
    assert.equal(new URL(phone.url()).pathname, '/notifications');
    const invitation = phone.locator('li.notification').filter({ hasText: WAVE_TITLE });
    assert.equal(await invitation.count(), 1, 'the notifications page does not show the follow-up invitation once');
    assert.match(await invitation.getAttribute('class'), /\bunread\b/, 'the invitation is not marked unread');
    const link = invitation.getByRole('link', { name: `A follow-up questionnaire of ${WAVE_TITLE} awaits your answers` });
    assert.equal(await link.getAttribute('href'), `/q/${wave.questionnaire}`);
    await assertFitsWidth(phone, '/notifications');
    const res = await follow(phone, link);
    assert.equal(res?.status(), 200, `the invitation's link answered ${res?.status()}`);
    assert.equal(new URL(phone.url()).pathname, `/q/${wave.questionnaire}`);
    assert.equal((await phone.locator('h1').innerText()).trim(), WAVE_QUESTIONNAIRE);
    assert.match(await phone.locator('header.page p.meta').innerText(), /\bResponses: 0\b/);
    await assertFitsWidth(phone, 'the wave\'s questionnaire');

    const form = phone.locator('form.survey');
    assert.equal(await form.count(), 1, 'the invited trainee gets no answer form');
    assert.equal(await form.locator('select[name=about]').count(), 0, 'a trainees\' wave asks about whom');
    assert.deepEqual((await form.locator('legend').allInnerTexts()).map((s) => s.trim()), Object.values(WAVE_PROMPTS),
      'the wave does not ask the template\'s questions');
    const question = (prompt) => form.locator('fieldset').filter({ has: phone.locator('legend', { hasText: prompt }) });
    await question(WAVE_PROMPTS.rating).getByRole('radio', { name: '4', exact: true }).check();
    await question(WAVE_PROMPTS.single).getByRole('radio', { name: '经常', exact: true }).check();
    await question(WAVE_PROMPTS.multi).getByRole('checkbox', { name: '议事清单', exact: true }).check();
    await question(WAVE_PROMPTS.multi).getByRole('checkbox', { name: '村务公开', exact: true }).check();
    await question(WAVE_PROMPTS.text).locator('textarea').fill('村民议事会每月按清单开');
    const sent = await follow(phone, form.getByRole('button', { name: 'Send my answers' }));
    assert.equal(sent?.status(), 200, `sending the answers answered ${sent?.status()}`);
    assert.equal(new URL(phone.url()).pathname, `/q/${wave.questionnaire}`);
    assert.equal((await phone.locator('main p.notice').innerText()).trim(), 'Thank you: your answers are recorded.');
    assert.equal(await phone.locator('form.survey').count(), 0, 'the form is still offered after answering');
    await assertFitsWidth(phone, 'the wave\'s questionnaire after answering');

    // a second visit: answered, no form
    await open(phone, `/q/${wave.questionnaire}`);
    assert.equal((await phone.locator('main p.notice').innerText()).trim(), 'Thank you: your answers are recorded.');
    assert.equal(await phone.locator('form.survey').count(), 0, 'the form is offered again on a second visit');
    assert.match(await phone.locator('header.page p.meta').innerText(), /\bResponses: 1\b/);
    wave = (await lect.get(`trainings/${WAVE_TRAINING}/followups`, 200)).followups.find((w) => w.id === followup.id);
    assert.deepEqual([wave.invited, wave.answered, wave.response_rate], [1, 1, 1]);

    // the organiser's effect page, on a phone too: the wave with its one response
    const organiser = await newPage(PHONE);
    await signIn(organiser, 'lecturer');
    await open(organiser, `/trainings/${WAVE_TRAINING}/effect`);
    await assertFitsWidth(organiser, 'the effect page');
    assert.equal((await organiser.locator('h1').innerText()).trim(), 'Effect of the training');
    const sections = organiser.locator('section.result.effect');
    const prompts = (await sections.locator('h2').allInnerTexts()).map((s) => s.trim());
    assert.ok(prompts.includes(WAVE_PROMPTS.rating) && prompts.includes(WAVE_PROMPTS.single),
      `the effect page does not show the wave's questions: ${JSON.stringify(prompts)}`);
    assert.ok(!prompts.includes(WAVE_PROMPTS.text), 'the effect page charts a text question');
    for (const prompt of [WAVE_PROMPTS.rating, WAVE_PROMPTS.single]) {
      const waves = sections.filter({ has: organiser.locator('h2', { hasText: prompt }) }).locator('figure.wave');
      assert.equal(await waves.count(), 1, `not one wave for "${prompt}"`);
      const caption = (await waves.locator('figcaption p').innerText()).trim();
      assert.ok(caption.startsWith(`Wave of ${wave.opens_on} · Responses: 1`), `the wave of "${prompt}" reads "${caption}"`);
      assert.equal(await waves.locator('table.chart').count(), 1, `the wave of "${prompt}" has no chart`);
    }
    const rating = sections.filter({ has: organiser.locator('h2', { hasText: WAVE_PROMPTS.rating }) });
    assert.match(await rating.locator('figcaption p').innerText(), /Average: 4\b/);
    const single = sections.filter({ has: organiser.locator('h2', { hasText: WAVE_PROMPTS.single }) });
    const rows = await single.locator('table.chart tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent.trim()).join(' | ')));
    assert.deepEqual(rows, ['从不 | 0 | 0%', '有时 | 0 | 0%', '经常 | 1 | 100%'], 'the wave\'s numbers as a table');
    assertNoConsoleErrors(consoleErrors, [], 'the follow-up pages');
  },
});
