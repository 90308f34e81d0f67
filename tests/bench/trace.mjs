// Where the main thread's time goes in the stress scenario: a 3 s Chromium trace,
// summed by event name, as wall ms per second and CPU (thread) ms per second. CPU time
// stays meaningful when other processes load the machine; wall time does not.
// Usage: node tests/bench/trace.mjs [dist]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS, traceMainThread } from './serve.mjs';

const server = await serve(process.argv[2] ?? 'dist');
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'trace-')), {
  executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 },
});
const page = await ctx.newPage();
await page.goto(server.url + '?bench=frames');
await page.waitForTimeout(3500);
const { onMain, frames } = await traceMainThread(page, 3000);
const rows = {};
for (const e of onMain) {
  if (!e.dur) continue;
  const r = (rows[e.name] ??= { wall: 0, cpu: 0, n: 0 });
  r.wall += e.dur / 1000; r.cpu += (e.tdur ?? 0) / 1000; r.n += 1;
}
console.log(`main thread, per second of trace (${(frames / 3).toFixed(0)} animation frames/s):`);
for (const [k, r] of Object.entries(rows).sort((a, b) => b[1].cpu - a[1].cpu).slice(0, 14)) {
  console.log(`${k.padEnd(26)} wall ${(r.wall / 3).toFixed(0).padStart(5)} ms/s  cpu ${(r.cpu / 3).toFixed(0).padStart(5)} ms/s  ${(r.n / 3).toFixed(0).padStart(4)}/s`);
}
await ctx.close();
server.close();
