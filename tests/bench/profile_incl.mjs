// CPU profile of the stress scenario, inclusive time by function (a function's own
// time plus its callees'), for the functions whose name matches PATTERN: where a
// frame's work goes below the page's entry points. Build with wasm function names as
// profile.mjs says (data-wasm-opt="0").
// Usage: node tests/bench/profile_incl.mjs DIST [seconds=6] [PATTERN=svcplay]
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, CHROMIUM_ARGS } from './serve.mjs';
const server = await serve(process.argv[2] ?? 'dist');
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'prof-')), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1366, height: 900 } });
const page = await ctx.newPage();
await page.goto(server.url + '?bench=frames');
await page.waitForTimeout(3500);
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const secs = Number(process.argv[3] ?? 6);
await page.waitForTimeout(secs * 1000);
const { profile } = await cdp.send('Profiler.stop');
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const dt = {}; profile.samples.forEach((id, i) => { dt[id] = (dt[id] ?? 0) + (profile.timeDeltas[i] ?? 0); });
const incl = {};
for (const [id, us] of Object.entries(dt)) {
  const seen = new Set();
  let cur = Number(id);
  while (cur !== undefined) {
    const n = byId.get(cur); const k = (n.callFrame.functionName || '(anon)').replace(/::h[0-9a-f]{16}$/, '').slice(0, 120);
    if (!seen.has(k)) { seen.add(k); incl[k] = (incl[k] ?? 0) + us / 1000; }
    cur = parent.get(cur);
  }
}
const pat = new RegExp(process.argv[4] ?? 'svcplay');
console.log(Object.entries(incl).filter(([k]) => pat.test(k)).sort((a, b) => b[1] - a[1]).slice(0, 45).map(([k, v]) => `${(v / secs).toFixed(1).padStart(7)} ms/s  ${k}`).join('\n'));
await ctx.close(); server.close();
