// The screenshot set the playground is reviewed with: default scenario, after a kill,
// prod as NodePort, prod as LoadBalancer with externalTrafficPolicy Local, dark theme,
// phone width. Fails on any console error or warning.
// Usage: node tests/bench/story-shots.mjs [dist] [outdir]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS } from './serve.mjs';

const dist = process.argv[2] ?? 'dist';
const out = process.argv[3] ?? 'tests/artifacts';
const server = await serve(dist);
const problems = [];
async function session(options) {
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'svcplay-')), {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, ...options,
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  await page.waitForSelector('[data-pod][data-ready="true"]');
  await page.waitForTimeout(3000);
  return { ctx, page };
}
const prod = (page) => page.locator('[data-service="prod"]');
try {
  const { ctx, page } = await session({ viewport: { width: 1366, height: 900 } });
  await page.screenshot({ path: `${out}/story-1-default.png`, fullPage: true });
  await page.locator('[data-pod^="prod"][data-ready="true"] button[data-action="kill"]').first().click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}/story-2-after-kill.png`, fullPage: true });
  await prod(page).locator('select[data-action="type"]').selectOption('NodePort');
  await page.waitForSelector('[data-service="prod"][data-node-port]');
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `${out}/story-3-nodeport.png`, fullPage: true });
  await prod(page).locator('select[data-action="type"]').selectOption('LoadBalancer');
  await page.waitForTimeout(500);
  const etp = prod(page).locator('select[data-action="external-traffic-policy"]');
  if (!(await etp.isVisible())) await prod(page).locator('summary').first().click();
  await etp.selectOption('Local');
  await page.waitForTimeout(3000);
  await page.screenshot({ path: `${out}/story-4-loadbalancer-local.png`, fullPage: true });
  await ctx.close();

  const dark = await session({ viewport: { width: 1366, height: 900 }, colorScheme: 'dark' });
  await dark.page.screenshot({ path: `${out}/story-5-dark.png`, fullPage: true });
  await dark.ctx.close();

  const phone = await session({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.page.screenshot({ path: `${out}/story-6-phone.png`, fullPage: true });
  await phone.ctx.close();
} finally {
  server.close();
}
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`screenshots in ${out}`);
