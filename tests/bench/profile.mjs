// CPU profile of the stress scenario: self time by function, top 30. For finding hot
// spots; build without wasm-opt to keep wasm function names:
//   sed 's/data-wasm-opt="z"/data-wasm-opt="0"/' index.html > index-prof.html
//   trunk build --release --offline --dist dist-prof index-prof.html
// Usage: node tests/bench/profile.mjs dist-prof
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
await page.waitForTimeout(4000);
const { profile } = await cdp.send('Profiler.stop');
const self = {}; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = {}; profile.samples.forEach((id, i) => { dt[id] = (dt[id] ?? 0) + (profile.timeDeltas[i] ?? 0); });
for (const [id, us] of Object.entries(dt)) { const n = byId.get(Number(id)); const k = n.callFrame.functionName || n.callFrame.url || '(anon)'; self[k] = (self[k] ?? 0) + us / 1000; }
console.log(Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 4).toFixed(1).padStart(7)} ms/s  ${k.slice(0, 110)}`).join('\n'));
await ctx.close(); server.close();
