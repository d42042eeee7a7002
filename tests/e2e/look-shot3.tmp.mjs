import { chromium } from 'playwright-core';
const base = process.argv[2];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
async function login(page, u) {
  await page.goto(base + '/login');
  await page.fill('form[action="/login"] input[name=username]', u);
  await page.fill('form[action="/login"] input[name=password]', 'agora-demo-2026');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button')]);
}
for (const u of ['zhangwei', 'admin']) for (const w of [1366, 1024]) {
  const ctx = await browser.newContext({ viewport: { width: w, height: 900 } }); const page = await ctx.newPage();
  await login(page, u);
  console.log(u, w, 'desk header', await page.evaluate(() => [document.querySelector('header.site').getBoundingClientRect().height, document.scrollingElement.scrollWidth]));
  await page.screenshot({ path: `/tmp/look-desk-${u}-${w}.png`, clip: { x: 0, y: 0, width: w, height: 140 } });
}
await browser.close();
