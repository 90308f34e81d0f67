// Where the main thread's time goes in the stress scenario: a 3 s Chromium trace,
// summed by event name, as wall ms per second and CPU (thread) ms per second. CPU time
// stays meaningful when other processes load the machine; wall time does not.
// Usage: node tests/bench/trace.mjs [dist]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS } from './serve.mjs';

const server = await serve(process.argv[2] ?? 'dist');
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'trace-')), {
  executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 },
});
const page = await ctx.newPage();
await page.goto(server.url + '?bench=frames');
await page.waitForTimeout(3500);
const cdp = await ctx.newCDPSession(page);
const events = [];
cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
await page.waitForTimeout(3000);
const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
await cdp.send('Tracing.end');
await done;
// The page's main thread: the renderer thread with the most animation frames.
const perThread = {};
for (const e of events) if (e.name === 'FireAnimationFrame') perThread[`${e.pid}:${e.tid}`] = (perThread[`${e.pid}:${e.tid}`] ?? 0) + 1;
const [pid, tid] = (Object.entries(perThread).sort((a, b) => b[1] - a[1])[0]?.[0] ?? '0:0').split(':').map(Number);
const main = { pid, tid };
const rows = {};
for (const e of events) {
  if (e.ph !== 'X' || !e.dur || (main && (e.pid !== main.pid || e.tid !== main.tid))) continue;
  const r = (rows[e.name] ??= { wall: 0, cpu: 0, n: 0 });
  r.wall += e.dur / 1000; r.cpu += (e.tdur ?? 0) / 1000; r.n += 1;
}
const frames = rows.FireAnimationFrame?.n ?? 0;
console.log(`main thread, per second of trace (${(frames / 3).toFixed(0)} animation frames/s):`);
for (const [k, r] of Object.entries(rows).sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 14)) {
  console.log(`${k.padEnd(26)} wall ${(r.wall / 3).toFixed(0).padStart(5)} ms/s  cpu ${(r.cpu / 3).toFixed(0).padStart(5)} ms/s  ${(r.n / 3).toFixed(0).padStart(4)}/s`);
}
await ctx.close();
server.close();
