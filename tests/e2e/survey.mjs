// The questionnaire builder and its results (issue 16): a lecturer builds a questionnaire on the
// Chinese page by choosing kinds by name, with a script and without one; a member answers; the
// results read on a phone (no overflow, text of at least 12 px, percentages, a table).
import assert from 'node:assert/strict';
import { DEMO_PASSWORD, open, follow, signedInAs, assertNoConsoleErrors } from './helpers.mjs';
import { PHONE, assertFitsWidth } from './tests.mjs';

const ZH = { locale: 'zh-CN', extraHTTPHeaders: { 'Accept-Language': 'zh-CN' } };
const BOARD = 'grid-work';
const TITLE_JS = 'E2E 网格员工作量调查';
const TITLE_NOJS = 'E2E 网格员培训需求调查';

// Signs in on the Chinese sign-in page (its button reads 登录).
async function signIn(page, username) {
  await open(page, '/login');
  const form = page.locator('form[action="/login"]');
  await form.locator('input[name=username]').fill(username);
  await form.locator('input[name=password]').fill(DEMO_PASSWORD);
  await follow(page, form.locator('button'));
  assert.ok(await signedInAs(page), `${username} is not signed in`);
}

const question = (page, n) => page.locator('form.q-builder fieldset.q-question').nth(n);

// The builder of BOARD, reached from the board page's link.
async function openBuilder(page) {
  await open(page, `/b/${BOARD}`);
  await follow(page, page.getByRole('link', { name: '发起问卷' }));
  assert.equal(new URL(page.url()).pathname, '/q/new');
  assert.equal((await page.locator('h1').innerText()).trim(), '发起问卷');
  const kinds = await question(page, 0).getByLabel('题型').locator('option').allInnerTexts();
  assert.deepEqual(kinds, ['单选题', '多选题', '评分题（1–5 分）', '问答题'], 'the kinds are not offered by name');
  assert.doesNotMatch(await page.locator('main').innerText(), /single:|rating:|UTC(?!\+)/,
    'the builder asks for syntax or a time in UTC');
}

// Fills question n: its prompt, its kind by name, and its options when given.
async function fillQuestion(page, n, prompt, kind, options = []) {
  const q = question(page, n);
  await q.getByLabel('题目').fill(prompt);
  await q.getByLabel('题型').selectOption({ label: kind });
  for (const [i, text] of options.entries()) await q.locator('.q-option input').nth(i).fill(text);
}

async function created(page, title) {
  assert.match(new URL(page.url()).pathname, /^\/q\/\d+$/, `creating "${title}" did not open the questionnaire`);
  assert.equal((await page.locator('h1').innerText()).trim(), title);
  return new URL(page.url()).pathname;
}

export const surveyTests = [
  {
    name: 'survey: a lecturer builds a questionnaire on the Chinese page without typing syntax, with and without a script',
    async fn({ newPage, consoleErrors }) {
      // with the script: rows are added in place, the page is not reloaded
      const page = await newPage(ZH);
      await signIn(page, 'lecturer');
      await openBuilder(page);
      await page.getByLabel('标题').fill(TITLE_JS);
      await fillQuestion(page, 0, '你每周入户走访多少次？', '单选题', ['少于 3 次', '3–5 次']);
      const marker = await page.evaluate(() => { window.e2eSamePage = 1; return 1; });
      await question(page, 0).getByRole('button', { name: '添加选项' }).click();
      assert.equal(await question(page, 0).locator('.q-option input').count(), 3, 'Add option added no row');
      await question(page, 0).locator('.q-option input').nth(2).fill('多于 5 次');
      await page.getByRole('button', { name: '添加题目' }).click();
      assert.equal(await page.locator('fieldset.q-question').count(), 2, 'Add question added no row');
      assert.equal(await page.evaluate(() => window.e2eSamePage), marker, 'the script did not add rows in place');
      assert.equal(await question(page, 1).getByLabel('题目').inputValue(), '', 'the new question is not empty');
      assert.equal((await question(page, 1).locator('legend').first().innerText()).trim(), '第 2 题');
      await fillQuestion(page, 1, '网格工作量是否合适？', '评分题（1–5 分）');
      assert.equal(await question(page, 1).locator('.q-options').isVisible(), false, 'a rating shows options');
      // a third question, removed again
      await page.getByRole('button', { name: '添加题目' }).click();
      await question(page, 2).getByRole('button', { name: /删除本题/ }).click();
      assert.equal(await page.locator('fieldset.q-question').count(), 2, 'Remove left the question');
      await page.getByLabel('截止时间（可选）').fill('2031-06-01T09:30');
      assert.match(await page.locator('form.q-builder').innerText(), /按站点当地时间（UTC\+08:00）/);
      await follow(page, page.getByRole('button', { name: '发起', exact: true }));
      await created(page, TITLE_JS);
      assert.match(await page.locator('header.page p.meta').innerText(), /截止于 2031-06-01 09:30 UTC\+08:00/);

      // without a script: every button is a round trip that keeps what was typed
      const plain = await newPage({ ...ZH, javaScriptEnabled: false });
      await signIn(plain, 'lecturer');
      await openBuilder(plain);
      await plain.getByLabel('标题').fill(TITLE_NOJS);
      await fillQuestion(plain, 0, '你最想学哪些内容？', '多选题', ['矛盾调解', '信息采集']);
      const res = await follow(plain, question(plain, 0).getByRole('button', { name: '添加选项' }));
      assert.equal(res?.status(), 200);
      assert.equal(await question(plain, 0).locator('.q-option input').count(), 3);
      assert.equal(await plain.getByLabel('标题').inputValue(), TITLE_NOJS, 'the title was lost');
      assert.equal(await question(plain, 0).getByLabel('题目').inputValue(), '你最想学哪些内容？');
      await question(plain, 0).locator('.q-option input').nth(2).fill('应急处置');
      await follow(plain, plain.getByRole('button', { name: '添加题目' }));
      assert.equal(await plain.locator('fieldset.q-question').count(), 2);
      assert.deepEqual(await question(plain, 0).locator('.q-option input').evaluateAll((l) => l.map((i) => i.value)),
        ['矛盾调解', '信息采集', '应急处置'], 'the options were lost');
      assert.equal(await question(plain, 0).getByLabel('题型').inputValue(), 'multi', 'the kind was lost');
      await fillQuestion(plain, 1, '其他建议', '问答题');
      await follow(plain, plain.getByRole('button', { name: '发起', exact: true }));
      const path = await created(plain, TITLE_NOJS);
      await open(plain, path);
      assert.deepEqual((await plain.locator('form.survey legend').allInnerTexts()).map((s) => s.trim()),
        ['你最想学哪些内容？', '其他建议']);
      assertNoConsoleErrors(consoleErrors, [], 'the builder');
    },
  },

  {
    name: 'survey: a member answers, the results read on a phone with percentages and a table',
    async fn({ newPage, consoleErrors }) {
      const member = await newPage(ZH);
      await signIn(member, 'zhangwei');
      await open(member, `/b/${BOARD}`);
      await follow(member, member.getByRole('link', { name: TITLE_JS }));
      const form = member.locator('form.survey');
      await form.getByRole('radio', { name: '3–5 次', exact: true }).check();
      await form.getByRole('radio', { name: '4', exact: true }).check();
      await follow(member, form.getByRole('button', { name: '提交答卷' }));
      assert.match(await member.locator('main p.notice').innerText(), /谢谢/);

      const phone = await newPage({ ...PHONE, ...ZH });
      await signIn(phone, 'lecturer');
      await open(phone, `/b/${BOARD}`);
      await follow(phone, phone.getByRole('link', { name: TITLE_JS }));
      await follow(phone, phone.locator('header.page').getByRole('link', { name: '统计结果' }));
      await assertFitsWidth(phone, 'the results page');
      const tables = phone.locator('table.chart');
      assert.equal(await tables.count(), 2, 'not one table per choice or rating question');
      const first = await tables.first().evaluate((t) => ({
        caption: t.caption?.textContent,
        heads: [...t.tHead.rows[0].cells].map((c) => c.textContent),
        rows: [...t.tBodies[0].rows].map((r) => [...r.cells].map((c) => c.textContent)),
      }));
      assert.equal(first.caption, '你每周入户走访多少次？');
      assert.deepEqual(first.heads, ['选项', '人数', '占答题人数']);
      assert.deepEqual(first.rows, [['少于 3 次', '0', '0%'], ['3–5 次', '1', '100%'], ['多于 5 次', '0', '0%']]);
      // one respondent chose it: the bar is full, scaled to the respondents
      const fill = await tables.first().locator('tbody tr').nth(1).locator('rect.bar-fill').getAttribute('width');
      assert.equal(Number(fill), 100);
      const sizes = await phone.locator('table.chart th, table.chart td').evaluateAll((cells) =>
        cells.map((c) => ({ text: c.textContent.trim(), px: parseFloat(getComputedStyle(c.querySelector('.chart-label') || c).fontSize) })));
      for (const s of sizes) assert.ok(s.px >= 12, `"${s.text}" is drawn at ${s.px}px on a phone`);
      assertNoConsoleErrors(consoleErrors, [], 'the results on a phone');
    },
  },
];
