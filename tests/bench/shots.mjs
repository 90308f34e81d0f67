// Screenshots for review: default scenario, after a kill, dark theme, phone width,
// reduced motion. Also fails on any console error or warning (CSP violations show there).
// Usage: node tests/bench/shots.mjs [dist] [outdir]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS } from './serve.mjs';

const dist = process.argv[2] ?? 'dist';
const out = process.argv[3] ?? 'tests/artifacts';
const server = await serve(dist);
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'svcplay-')), {
  executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 },
});
const problems = [];
async function open(page, query = '') {
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(server.url + query);
  await page.waitForSelector('[data-pod]');
}
// Count Content-Security-Policy violations from the first script on.
await ctx.addInitScript(() => {
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
});
try {
  const page = await ctx.newPage();
  await open(page);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `${out}/01-default.png`, fullPage: true });
  const victim = page.locator('[data-pod^="prod"][data-ready="true"] button[data-action="kill"]').first();
  await victim.click();
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${out}/02-after-kill.png`, fullPage: true });
  await page.locator('[data-pod]').first().focus();
  await page.screenshot({ path: `${out}/03-focus-tooltip.png` });

  // A Service with no ready endpoint refuses: kill the only dev pod.
  await page.locator('[data-pod^="dev"][data-ready="true"] button[data-action="kill"]').first().click();
  await page.mouse.move(0, 0);
  await page.waitForTimeout(700);
  await page.screenshot({ path: `${out}/09-refused.png`, clip: { x: 0, y: 0, width: 1366, height: 360 } });

  // The app itself violates nothing; and the policy is really in force: an inline
  // style attribute set from script is refused.
  const clean = await page.evaluate(() => [...window.__cspViolations]);
  if (clean.length) problems.push(`CSP violations by the app: ${clean.join('; ')}`);
  const before = problems.length;
  const enforced = await page.evaluate(async () => {
    const probe = document.createElement('div');
    probe.setAttribute('style', 'color: rgb(1, 2, 3)');
    document.body.append(probe);
    await new Promise((r) => setTimeout(r, 50));
    const blocked = getComputedStyle(probe).color !== 'rgb(1, 2, 3)';
    probe.remove();
    return blocked && window.__cspViolations.length > 0;
  });
  await page.waitForTimeout(100);
  // The probe's own refusal is expected on the console; nothing else may appear.
  const fromProbe = problems.splice(before);
  if (fromProbe.some((m) => !m.includes("violates the following Content Security Policy directive 'style-src"))) problems.push(...fromProbe);
  if (!enforced) problems.push('the CSP is not in force: an inline style attribute applied');
  console.log(`CSP: no violations by the app; inline style refused: ${enforced}`);

  await page.emulateMedia({ colorScheme: 'dark' });
  await page.waitForTimeout(500);
  await page.screenshot({ path: `${out}/04-dark.png`, fullPage: true });
  await page.close();

  const phone = await ctx.newPage();
  await phone.setViewportSize({ width: 390, height: 844 });
  await open(phone);
  await phone.waitForTimeout(3500);
  await phone.screenshot({ path: `${out}/05-phone-390.png`, fullPage: true });
  await phone.setViewportSize({ width: 360, height: 740 });
  await phone.waitForTimeout(500);
  await phone.screenshot({ path: `${out}/06-phone-360.png`, fullPage: false });
  await phone.close();

  const still = await ctx.newPage();
  await still.emulateMedia({ reducedMotion: 'reduce' });
  await open(still);
  await still.waitForTimeout(3000);
  await still.screenshot({ path: `${out}/07-reduced-motion.png` });
  await still.close();

  const stress = await ctx.newPage();
  await open(stress, '?bench=frames');
  await stress.waitForTimeout(3500);
  await stress.screenshot({ path: `${out}/08-stress.png` });
  await stress.close();
} finally {
  await ctx.close();
  server.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`screenshots in ${out}; no console errors or warnings`);
