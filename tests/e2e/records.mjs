// Scenarios of learning records: a cadre prints their record for the annual assessment. The
// page goes through Chromium's own print to PDF (A4, the print stylesheet), and the PDF's text,
// read back with pdftotext (poppler-utils), must hold the trainings and none of the site's
// navigation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { open, signIn, assertNoConsoleErrors } from './helpers.mjs';

// The demo's trainings on zhangwei's record (daemon/cli/demo_trainings.c).
const COMPLETED = ['乡镇党委书记春季轮训班', '乡镇党委书记任职培训班'];

export const recordTests = [
  {
    name: 'records: a member prints their learning record to PDF with their trainings on it',
    async fn({ page, artifacts, consoleErrors }) {
      await signIn(page, 'zhangwei');
      await open(page, '/u/zhangwei');
      await page.locator('a[href="/u/zhangwei/record"]').click();
      await page.waitForURL('**/u/zhangwei/record');
      for (const title of COMPLETED)
        assert.equal(await page.locator('table.record-trainings td', { hasText: title }).count(), 1, `${title} not listed`);
      await page.emulateMedia({ media: 'print' });
      assert.equal(await page.locator('header.site').isVisible(), false, 'the site header is printed');
      assert.equal(await page.locator('footer.signature').isVisible(), true, 'no signature line on paper');
      const file = path.join(artifacts, 'record.pdf');
      await page.pdf({ path: file, format: 'A4' }); // with the print media emulated above
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const title of COMPLETED) assert.ok(text.includes(title), `the PDF lacks ${title}:\n${text}`);
      assert.ok(text.includes('张伟'), 'the PDF does not name the member');
      assert.ok(text.includes('56'), 'the PDF lacks the total of credit hours');
      assert.ok(!text.includes('Sign out') && !text.includes('Announcements') && !text.includes('Download CSV'),
        `the navigation is printed:\n${text}`);
      assert.ok(text.includes('Signature'), 'no signature line in the PDF');
      assertNoConsoleErrors(consoleErrors, [], 'the record page');
    },
  },
];
