// Frame-time benchmark (not a timed test): loads `?bench=frames` (200 pods on 20 nodes,
// ~1,000 requests in flight), probes requestAnimationFrame for ~10 s, and prints the
// median and p95 frame interval plus the time from navigation to the first interactive
// frame (`<html data-first-frame>`, set by the app when its first render committed).
// Usage: node tests/bench/frames.mjs [dist] [seconds]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS, traceMainThread } from './serve.mjs';

/**
 * Main-thread CPU time per animation frame, from a Chromium trace: the thread time of
 * the top-level tasks between one animation frame and the next. Unlike frame intervals
 * it stays meaningful when other processes load the machine.
 */
async function cpuPerFrame(page, ms) {
  const { onMain } = await traceMainThread(page, ms);
  const starts = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
  // A frame is a top-level task that runs animation-frame callbacks, plus the tasks
  // after it until the next such task.
  const perFrame = [];
  let end = -1; let k = 0;
  for (const e of onMain) {
    if (e.name !== 'RunTask' || e.ts < end) continue; // top-level tasks only
    end = e.ts + e.dur;
    let animates = false;
    while (k < starts.length && starts[k] <= end) { if (starts[k] >= e.ts) animates = true; k++; }
    if (animates) perFrame.push(0);
    if (perFrame.length) perFrame[perFrame.length - 1] += (e.tdur ?? e.dur) / 1000;
  }
  perFrame.pop(); // the last frame may be cut off by the end of the trace
  const sorted = perFrame.sort((a, b) => a - b);
  const q = (p) => +(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0).toFixed(2);
  return { frames: sorted.length, median: q(0.5), p95: q(0.95), max: q(1) };
}

const dist = process.argv[2] ?? 'dist';
const seconds = Number(process.argv[3] ?? 10);
const server = await serve(dist);
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'svcplay-bench-')), {
  executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 },
});
const problems = [];
try {
  const page = await ctx.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url + '?bench=frames');
  await page.waitForSelector('html[data-first-frame]');
  const firstFrame = Number(await page.getAttribute('html', 'data-first-frame'));
  await page.waitForTimeout(3000); // pods start after 2 s of simulated time
  const result = await page.evaluate((ms) => new Promise((done) => {
    const deltas = []; const inFlight = [];
    let last = performance.now(); const end = last + ms;
    function probe(t) {
      deltas.push(t - last); last = t;
      const c = document.querySelector('canvas[data-flights]');
      if (c) inFlight.push(Number(c.dataset.flights));
      if (t < end) requestAnimationFrame(probe); else done({ deltas, inFlight });
    }
    requestAnimationFrame((t) => { last = t; requestAnimationFrame(probe); });
  }), seconds * 1000);
  const pods = await page.locator('[data-pod]').count();
  const cpu = await cpuPerFrame(page, 3000);
  const sorted = [...result.deltas].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
  const flights = [...result.inFlight].sort((a, b) => a - b);
  console.log(JSON.stringify({
    frames: sorted.length,
    median_ms: +q(0.5).toFixed(2),
    p95_ms: +q(0.95).toFixed(2),
    max_ms: +sorted[sorted.length - 1].toFixed(2),
    over_16_7ms: sorted.filter((d) => d > 16.7 * 1.5).length,
    first_interactive_frame_ms: firstFrame,
    pods,
    median_in_flight: flights[Math.floor(flights.length / 2)],
    main_thread_cpu_per_frame_ms: cpu,
  }, null, 1));
} finally {
  await ctx.close();
  server.close();
}
if (problems.length) { console.error(problems.join('\n')); process.exit(1); }
