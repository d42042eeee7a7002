// Scenarios of the peer-learning pages: associations, questionnaires and the materials library.
// They rely on the demo site (agorad --demo) and run after the forum scenarios of tests.mjs on
// the same server, so each one touches only demo objects no other scenario changes.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import {
  DEMO_PASSWORD, open, follow, signIn, download, openError, assertNoConsoleErrors, listUnder,
} from './helpers.mjs';

const CIRCLE = '乡镇书记沙龙';
const TEACHERS = '乡村教育研习社';
const LOUNGE = '沙龙会客室';
const SURVEY = '春耕培训反馈问卷';
const HANDOUT = '春耕技术要点讲义';
const PROMPTS = {
  rating: '这次春耕培训对你的工作帮助有多大？',
  single: '培训时长是否合适？',
  multi: '下次希望讲哪些内容？',
  text: '其他建议',
};

// Answers questionnaire qid as a demo member through the API, as a second device would.
async function answerByApi(origin, username, qid, answers) {
  const json = { 'Content-Type': 'application/json' };
  const session = await fetch(`${origin}/api/v1/session`, {
    method: 'POST', headers: json, body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  assert.equal(session.status, 201, `${username} could not sign in`);
  const { token } = await session.json();
  const res = await fetch(`${origin}/api/v1/questionnaires/${qid}/responses`, {
    method: 'POST', headers: { ...json, Authorization: `Bearer ${token}` }, body: JSON.stringify({ answers }),
  });
  assert.equal(res.status, 201, `${username}'s answers: ${res.status} ${await res.text()}`);
}

// "Members: N" in the meta line of an association page.
async function memberCount(page) {
  const m = /Members: (\d+)/.exec(await page.locator('header.page p.meta').innerText());
  assert.ok(m, 'the association page does not say how many members it has');
  return Number(m[1]);
}

// The rows of a results table: the label, the count, the share and the width of the filled bar
// (in percent of the track: the share of the question's respondents).
async function bars(chart) {
  return chart.evaluate((table) => [...table.querySelectorAll('tbody tr')].map((tr) => ({
    label: tr.querySelector('th .chart-label')?.textContent ?? '',
    count: Number(tr.querySelectorAll('td')[0]?.textContent),
    share: tr.querySelectorAll('td')[1]?.textContent,
    filled: Number(tr.querySelector('rect.bar-fill')?.getAttribute('width') ?? NaN),
  })));
}

export const learningTests = [
  {
    name: 'associations: a member asks to join a members-only association, an officer approves, its board opens',
    async fn({ page, newPage, consoleErrors }) {
      await signIn(page, 'liuyang');
      await open(page, '/associations');
      const row = (name) => page.locator('ul.threads li.thread-row').filter({ has: page.locator('a.title', { hasText: name }) });
      assert.equal(await row(TEACHERS).count(), 1, `the directory does not list ${TEACHERS}`);
      assert.equal(await row(CIRCLE).count(), 1, `the directory does not list ${CIRCLE}`);
      assert.equal((await row(CIRCLE).locator('.tag.locked').innerText()).trim(), 'Members only',
        'the members-only association is not tagged as such');
      assert.equal(await row(TEACHERS).locator('.tag.locked').count(), 0, 'the public association is tagged members-only');

      await follow(page, row(CIRCLE).locator('a.title'));
      assert.equal(new URL(page.url()).pathname, '/a/secretaries-circle');
      assert.equal((await page.locator('h1').innerText()).trim(), CIRCLE);
      const boards = listUnder(page, 'Boards');
      assert.equal(await boards.locator('a').count(), 0, 'a non-member sees the boards of a members-only association');
      assert.match(await page.locator('main').innerText(), /No boards you can see yet\./);
      assert.equal(await page.getByRole('heading', { name: 'Waiting for approval' }).count(), 0,
        'a non-member sees the officers\' pending list');

      await follow(page, page.locator('header.page').getByRole('button', { name: 'Ask to join' }));
      assert.equal(new URL(page.url()).pathname, '/a/secretaries-circle', 'asking to join did not come back to the association');
      assert.equal((await page.locator('header.page p.notice').innerText()).trim(),
        'Your request waits for an officer\'s approval.', 'no pending notice after asking to join');
      assert.equal(await page.getByRole('button', { name: 'Ask to join' }).count(), 0, '"Ask to join" is still offered');
      assert.equal(await boards.locator('a').count(), 0, 'a pending member already sees the boards');

      // the lecturer, an officer, approves the request
      const officer = await newPage();
      await signIn(officer, 'lecturer');
      await open(officer, '/a/secretaries-circle');
      assert.equal((await officer.locator('header.page p.notice').innerText()).trim(), 'You are an officer.');
      const before = await memberCount(officer);
      const pending = listUnder(officer, 'Waiting for approval').locator('li')
        .filter({ has: officer.locator('a[href="/u/liuyang"]') });
      assert.equal(await pending.count(), 1, 'liuyang is not in the officer\'s pending list');
      assert.match(await pending.innerText(), /刘洋/);
      await follow(officer, pending.getByRole('button', { name: 'Approve' }));
      assert.equal(new URL(officer.url()).pathname, '/a/secretaries-circle');
      assert.equal(await listUnder(officer, 'Waiting for approval').locator('a[href="/u/liuyang"]').count(), 0,
        'liuyang is still pending after the approval');
      assert.ok(await listUnder(officer, 'Members').locator('a[href="/u/liuyang"]').count() >= 1,
        'liuyang is not in the member list after the approval');
      assert.equal(await memberCount(officer), before + 1, 'the member count did not go up by one');

      // liuyang now sees the board and can open it
      await page.reload();
      assert.equal((await page.locator('header.page p.notice').innerText()).trim(), 'You are a member.');
      const lounge = boards.locator('a[href="/b/circle-lounge"]');
      assert.equal(await lounge.count(), 1, 'the new member does not see the association\'s board');
      assert.equal((await lounge.innerText()).trim(), LOUNGE);
      assert.doesNotMatch(await page.locator('main').innerText(), /No boards you can see yet/);
      const res = await follow(page, lounge);
      assert.equal(res?.status(), 200);
      assert.equal(new URL(page.url()).pathname, '/b/circle-lounge');
      assert.equal((await page.locator('h1').innerText()).trim(), LOUNGE);
      assert.equal(await page.locator('section#new form').count(), 1, 'the member is not offered the new-thread form');

      // a visitor gets the same "not found" page as for a board that does not exist
      const visitor = await newPage();
      const hidden = await openError(visitor, '/b/circle-lounge', 404);
      const hiddenText = await visitor.locator('main').innerText();
      const missing = await openError(visitor, '/b/e2e-no-such-board', 404);
      assert.equal(hidden, missing, 'a hidden board answers differently from a missing one');
      assert.equal(hiddenText, await visitor.locator('main').innerText());
      assert.doesNotMatch(hiddenText, new RegExp(LOUNGE), 'the 404 page names the hidden board');

      assertNoConsoleErrors(consoleErrors,
        [/status of 404 .*\/b\/(circle-lounge|e2e-no-such-board)\)$/], 'the association pages');
    },
  },

  {
    name: 'questionnaire: a member answers every question, the lecturer reads the charts and downloads the CSV',
    async fn({ page, newPage, consoleErrors }) {
      const advice = 'E2E 建议：多安排田间实操 <b>不要加粗</b>';
      await signIn(page, 'zhangwei');
      await open(page, '/b/spring-farming');
      const listed = listUnder(page, 'Questionnaires').locator('li').filter({ hasText: SURVEY });
      assert.equal(await listed.count(), 1, 'the board does not list the questionnaire');
      assert.match(await listed.locator('.count').innerText(), /^Responses: 0$/);
      await follow(page, listed.getByRole('link', { name: SURVEY }));
      assert.equal(new URL(page.url()).pathname, '/q/1');
      assert.equal((await page.locator('h1').innerText()).trim(), SURVEY);
      assert.equal((await page.locator('header.page .tag').innerText()).trim(), 'Anonymous');
      assert.equal(await page.locator('header.page').getByRole('link', { name: 'Results' }).count(), 0,
        'a respondent is offered the results');

      const form = page.locator('form.survey');
      assert.equal(await form.count(), 1, 'no answer form');
      const question = (prompt) => form.locator('fieldset').filter({ has: page.locator('legend', { hasText: prompt }) });
      assert.deepEqual((await form.locator('legend').allInnerTexts()).map((s) => s.trim()), Object.values(PROMPTS));
      const rating = question(PROMPTS.rating);
      assert.equal(await rating.getByRole('radio').count(), 5, 'the rating question does not offer 1 to 5');
      await rating.getByRole('radio', { name: '4', exact: true }).check();
      await question(PROMPTS.single).getByRole('radio', { name: '合适', exact: true }).check();
      const multi = question(PROMPTS.multi);
      assert.equal(await multi.getByRole('checkbox').count(), 3);
      await multi.getByRole('checkbox', { name: '农机', exact: true }).check();
      await multi.getByRole('checkbox', { name: '电商销售', exact: true }).check();
      await question(PROMPTS.text).locator('textarea').fill(advice);
      const res = await follow(page, form.getByRole('button', { name: 'Send my answers' }));
      assert.equal(res?.status(), 200, `sending the answers answered ${res?.status()}`);

      assert.equal(new URL(page.url()).pathname, '/q/1', 'sending the answers did not come back to the questionnaire');
      assert.equal((await page.locator('main p.notice').innerText()).trim(), 'Thank you: your answers are recorded.');
      assert.equal(await page.locator('form.survey').count(), 0, 'the form is still offered after answering');
      assert.match(await page.locator('header.page p.meta').innerText(), /\bResponses: 1\b/);
      await open(page, '/b/spring-farming');
      assert.match(await listed.locator('.count').innerText(), /^Responses: 1$/, 'the board list still shows no response');

      // the lecturer created it: results with server-drawn charts
      const lecturer = await newPage();
      await signIn(lecturer, 'lecturer');
      await open(lecturer, '/q/1');
      assert.equal(await lecturer.locator('form.survey').count(), 1, 'the lecturer has not answered but gets no form');
      await follow(lecturer, lecturer.locator('header.page').getByRole('link', { name: 'Results' }));
      assert.equal(new URL(lecturer.url()).pathname, '/q/1/results');
      assert.equal((await lecturer.locator('h1').innerText()).trim(), 'Results');
      assert.match(await lecturer.locator('main p.meta').innerText(), /^Responses: 1\b/);
      // anonymous: one answer alone would name its author, so nothing is counted before five
      assert.match(await lecturer.locator('main p.notice').innerText(), /^Results appear after 5 responses/);
      assert.equal(await lecturer.locator('main table.chart').count(), 0, 'charts of a single anonymous answer');
      const same = [4, 1, [0, 2], advice];
      for (const who of ['liuyang', 'chenjing', 'moderator', 'admin']) {
        await answerByApi(new URL(lecturer.url()).origin, who, 1, same);
      }
      await open(lecturer, '/q/1/results');
      assert.match(await lecturer.locator('main p.meta').innerText(), /^Responses: 5\b/);

      const section = (prompt) => lecturer.locator('section.result').filter({ has: lecturer.locator('h2', { hasText: prompt }) });
      assert.equal(await lecturer.locator('section.result').count(), 4, 'not one result section per question');
      const expected = {
        rating: { 1: 0, 2: 0, 3: 0, 4: 5, 5: 0 },
        single: { 太短: 0, 合适: 5, 太长: 0 },
        multi: { 农机: 5, 植保: 0, 电商销售: 5 },
      };
      for (const [kind, counts] of Object.entries(expected)) {
        const charts = section(PROMPTS[kind]).locator('table.chart');
        assert.equal(await charts.count(), 1, `the ${kind} question does not have exactly one chart`);
        const chart = charts.first();
        const drawn = await chart.evaluate((t) => {
          const r = t.getBoundingClientRect();
          return { width: r.width, height: r.height, bars: t.querySelectorAll('svg.chart-bar').length,
            caption: t.caption?.textContent ?? '' };
        });
        assert.ok(drawn.width > 100 && drawn.height > 20, `the ${kind} chart is not drawn: ${JSON.stringify(drawn)}`);
        assert.equal(drawn.caption, PROMPTS[kind], `the ${kind} table is not named by its question`);
        const n = Object.keys(counts).length;
        assert.equal(drawn.bars, n, `the ${kind} chart has ${drawn.bars} bars for ${n} options`);
        const got = await bars(chart);
        assert.deepEqual(Object.fromEntries(got.map((b) => [b.label, b.count])), counts, `the ${kind} chart's counts`);
        for (const b of got) {
          // five respondents: each count is a share of them, and the bar is as long as the share
          assert.equal(b.share, `${b.count * 20}%`, `the ${kind} row "${b.label}" says ${b.share}`);
          assert.equal(b.filled, b.count * 20, `the ${kind} bar "${b.label}" (${b.count}) is ${b.filled} wide`);
        }
      }
      assert.equal(await section(PROMPTS.text).locator('table.chart').count(), 0, 'the text question has a chart');
      assert.equal((await section(PROMPTS.rating).locator('p', { hasText: 'Average' }).innerText()).trim(), 'Average: 4');
      assert.equal(await lecturer.locator('section.result p', { hasText: 'Average' }).count(), 1,
        'an average is shown for a question that is not a rating');
      const answers = section(PROMPTS.text).locator('blockquote.answer');
      assert.deepEqual(await answers.allInnerTexts(), Array(5).fill(advice), 'the text answers are not shown as typed');
      assert.equal(await answers.locator('b').count(), 0, 'markup in a text answer became live');

      const csv = await download(lecturer, lecturer.getByRole('link', { name: 'Download as CSV' }));
      assert.equal(new URL(csv.url).pathname, '/q/1/results.csv');
      assert.equal(csv.name, 'questionnaire-1.csv');
      const lines = csv.bytes.toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
      // anonymous: no respondent column
      assert.equal(lines[0], Object.values(PROMPTS).join(','), 'the CSV header row');
      assert.deepEqual(lines.slice(1, 6), Array(5).fill(`4,合适,农机; 电商销售,${advice}`), 'the CSV answer rows');
      assert.ok(lines.slice(6).every((l) => l === ''), `the CSV has more rows than responses: ${JSON.stringify(lines)}`);
      assert.doesNotMatch(csv.bytes.toString('utf8'), /zhangwei|张伟/, 'the anonymous CSV names the respondent');

      assertNoConsoleErrors(consoleErrors, [], 'the questionnaire pages');
    },
  },

  {
    name: 'materials: the lecturer uploads a file and a new version, a member downloads the first version',
    async fn({ page, newPage, consoleErrors }) {
      const title = 'E2E 第二讲课件';
      const v1 = { name: '课件-第二讲.txt', bytes: Buffer.from('第二讲：春季田间管理\r\n一、查苗补苗\r\n二、科学施肥\r\n', 'utf8') };
      const v2 = { name: '课件-第二讲-修订.txt', bytes: Buffer.from('第二讲（修订）：春季田间管理\n一、查苗补苗\n二、科学施肥\n三、病虫害防治\n', 'utf8') };
      const note = '补充了病虫害防治一节';
      const sha = (b) => crypto.createHash('sha256').update(b).digest('hex');

      await signIn(page, 'lecturer');
      await open(page, '/materials');
      assert.equal((await page.locator('h1').innerText()).trim(), 'Materials library');
      assert.equal(await page.locator('ul.threads a.title', { hasText: HANDOUT }).count(), 1, 'the demo handout is not listed');
      const form = page.locator('section.compose form');
      assert.equal(await form.count(), 1, 'the lecturer is not offered the upload form');
      await form.locator('input[name=title]').fill(title);
      await form.locator('textarea[name=description]').fill('第二讲的课件，**欢迎**指正。');
      await form.locator('select[name=board]').selectOption('spring-farming');
      await form.locator('input[name=file]').setInputFiles({ name: v1.name, mimeType: 'text/plain', buffer: v1.bytes });
      let res = await follow(page, form.getByRole('button', { name: 'Upload' }));
      assert.equal(res?.status(), 200, `the upload answered ${res?.status()}`);

      const m = /^\/materials\/(\d+)$/.exec(new URL(page.url()).pathname);
      assert.ok(m, `the upload did not land on the material page but on ${page.url()}`);
      const where = m[0];
      assert.equal((await page.locator('h1').innerText()).trim(), title);
      assert.equal((await page.locator('main > .body strong').innerText()).trim(), '欢迎', 'the description is not rendered Markdown');
      const button = page.locator('header.page a.button');
      assert.equal(await button.getAttribute('href'), `${where}/download`);
      assert.equal((await button.innerText()).trim(), `Download ${v1.name} (${v1.bytes.length} bytes)`);
      const rows = page.locator('table.log tbody tr');
      assert.equal(await rows.count(), 1);
      assert.deepEqual(await rows.first().locator('td').evaluateAll((tds) => tds.slice(0, 2).map((td) => td.querySelector('a')?.textContent ?? td.textContent)),
        ['v1', v1.name], 'the versions table does not show version 1 and the file name');
      assert.equal((await rows.first().locator('code.sha').innerText()).trim(), sha(v1.bytes), 'the shown SHA-256 is not the file\'s');

      const again = page.locator('section.compose form');
      assert.equal(await again.count(), 1, 'the uploader is not offered a new version');
      await again.locator('input[name=file]').setInputFiles({ name: v2.name, mimeType: 'text/plain', buffer: v2.bytes });
      await again.locator('input[name=note]').fill(note);
      res = await follow(page, again.getByRole('button', { name: 'Upload' }));
      assert.equal(res?.status(), 200, `the new version answered ${res?.status()}`);
      assert.equal(new URL(page.url()).pathname, where, 'the new version did not land on the material page');
      const table = async () => rows.evaluateAll((trs) => trs.map((tr) => {
        const td = [...tr.querySelectorAll('td')];
        return { version: td[0].textContent.trim(), file: td[1].querySelector('a').textContent.trim(), note: td[2].textContent.trim() };
      }));
      assert.deepEqual(await table(), [
        { version: 'v2', file: v2.name, note },
        { version: 'v1', file: v1.name, note: '' },
      ], 'the versions table');
      assert.equal((await button.innerText()).trim(), `Download ${v2.name} (${v2.bytes.length} bytes)`,
        'the main download is not the newest version');

      // a member downloads the first version
      const member = await newPage();
      await signIn(member, 'zhangwei');
      await open(member, '/materials');
      assert.equal(await member.locator('section.compose form').count(), 0, 'a plain member is offered the upload form');
      const listed = member.locator('ul.threads li').filter({ has: member.locator('a.title', { hasText: title }) });
      assert.equal((await listed.locator(':scope > .tag').innerText()).trim(), 'v2', 'the library does not show the newest version');
      await follow(member, listed.locator('a.title'));
      assert.equal(new URL(member.url()).pathname, where);
      assert.equal(await member.locator('section.compose form').count(), 0, 'a member is offered a new version of someone else\'s material');
      const first = member.locator('table.log tbody tr').filter({ has: member.locator('td', { hasText: /^v1$/ }) });
      const got = await download(member, first.getByRole('link', { name: v1.name }));
      assert.equal(got.name, v1.name, 'the suggested file name of version 1');
      assert.ok(got.bytes.equals(v1.bytes), `version 1 downloaded as ${JSON.stringify(got.bytes.toString('utf8'))}`);
      const newest = await download(member, member.locator('header.page a.button'));
      assert.equal(newest.name, v2.name);
      assert.ok(newest.bytes.equals(v2.bytes), 'the main download is not version 2\'s bytes');
      await open(member, where);
      const perVersion = await member.locator('table.log tbody tr').evaluateAll((trs) =>
        trs.map((tr) => tr.querySelectorAll('td')[4].textContent.trim()));
      assert.deepEqual(perVersion, ['1', '1'], 'the per-version download counts');

      // the lecturers' directory
      await open(member, '/materials');
      await follow(member, member.getByRole('link', { name: 'Lecturers', exact: true }));
      assert.equal(new URL(member.url()).pathname, '/lecturers');
      const li = member.locator('ul.threads li').filter({ has: member.locator('a[href="/u/lecturer"]') });
      assert.equal(await li.count(), 1, '/lecturers does not list the lecturer');
      assert.match(await li.innerText(), /李老师/);
      assert.equal((await li.locator('.count').innerText()).trim(), 'Materials shared: 2');

      assertNoConsoleErrors(consoleErrors, [], 'the materials pages');
    },
  },
];
