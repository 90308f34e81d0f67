// Where the heaviest frames go: a 4 s trace of the stress scenario, frames as
// frames.mjs cuts them (a task that runs animation-frame callbacks, plus the tasks
// until the next one), and for the heaviest 5 % the CPU by trace event (events nested
// in others counted in both).
// Usage: node tests/bench/frames_top.mjs [dist]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS, traceMainThread } from './serve.mjs';

const server = await serve(process.argv[2] ?? 'dist');
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'top-')), {
  executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 },
});
const page = await ctx.newPage();
await page.goto(server.url + '?bench=frames');
await page.waitForTimeout(3500);
const { onMain } = await traceMainThread(page, 4000);
const starts = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts);
const frames = []; let end = -1; let k = 0;
for (const e of onMain) {
  if (e.name === 'RunTask' && e.ts >= end) {
    end = e.ts + e.dur;
    let animates = false;
    while (k < starts.length && starts[k] <= end) { if (starts[k] >= e.ts) animates = true; k++; }
    if (animates) frames.push({ cpu: 0, by: {} });
    if (frames.length) frames[frames.length - 1].cpu += (e.tdur ?? e.dur) / 1000;
  } else if (frames.length && e.name !== 'RunTask') {
    const by = frames[frames.length - 1].by;
    by[e.name] = (by[e.name] ?? 0) + (e.tdur ?? 0) / 1000;
  }
}
frames.pop();
const sorted = [...frames].sort((a, b) => b.cpu - a.cpu);
const top = sorted.slice(0, Math.max(1, Math.floor(sorted.length / 20)));
const sum = {};
for (const f of top) for (const [n, v] of Object.entries(f.by)) sum[n] = (sum[n] ?? 0) + v / top.length;
console.log(`${frames.length} frames; heaviest ${top.length}: CPU ${top.map((f) => f.cpu.toFixed(1)).join(', ')} ms`);
for (const [n, v] of Object.entries(sum).sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`${v.toFixed(2).padStart(7)} ms  ${n}`);
await ctx.close();
server.close();
