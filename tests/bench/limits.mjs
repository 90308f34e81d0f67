// The browser at scale (not a timed test): opens `?bench=limits` (the world at
// Kubernetes' limits — 5,000 nodes, 150,000 pods, 10,000 Services — built by the page's
// own wasm, phase by phase), waits for `<html data-limits-bench>`, and prints each
// phase's milliseconds as the page measured them, with the page's own summary line.
// Usage: node tests/bench/limits.mjs [dist] [scale]   (scale 4: a quarter of the limits)
import { chromium } from 'playwright-core';
import { serve, CHROMIUM_ARGS } from './serve.mjs';

const dist = process.argv[2] ?? 'dist';
const scale = Number(process.argv[3] ?? 1);
const server = await serve(dist);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  const t0 = Date.now();
  await page.goto(`${server.url}?bench=limits&scale=${scale}`);
  await page.waitForSelector('html[data-limits-bench]', { timeout: 600_000 });
  const wall = Date.now() - t0;
  const figures = await page.getAttribute('html', 'data-limits-bench');
  const built = await page.textContent('.limits-built');
  const phases = Object.fromEntries(figures.split(' ').map((p) => p.split('=')).map(([k, v]) => [k, Number(v)]));
  const total = Object.values(phases).reduce((a, b) => a + b, 0);
  console.log(`scale 1/${scale}: ${built}`);
  for (const [k, v] of Object.entries(phases)) console.log(`  ${k.padEnd(16)} ${v.toFixed(0).padStart(7)} ms`);
  console.log(`  ${'sum'.padEnd(16)} ${total.toFixed(0).padStart(7)} ms   (navigation to done: ${wall} ms)`);
} finally {
  await browser.close();
  server.close();
}
