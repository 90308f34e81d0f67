// Two builds side by side: runs `frames.mjs` on each in turn (A, B, A, B, …), so both
// see the same machine load, and prints each run and the medians per build. Frame
// intervals on a shared machine follow its load; the main-thread CPU per frame (from
// the trace) is the figure to compare.
// Usage: node tests/bench/frames_ab.mjs DIST_A DIST_B [rounds=3] [seconds=10]
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const [a, b] = [process.argv[2], process.argv[3]];
if (!a || !b) {
  console.error('usage: node tests/bench/frames_ab.mjs DIST_A DIST_B [rounds] [seconds]');
  process.exit(2);
}
const rounds = Number(process.argv[4] ?? 3);
const seconds = String(process.argv[5] ?? 10);
const frames = fileURLToPath(new URL('./frames.mjs', import.meta.url));
const runs = { [a]: [], [b]: [] };
for (let r = 0; r < rounds; r++) {
  for (const dist of [a, b]) {
    const load = loadavg()[0].toFixed(1);
    const out = JSON.parse(execFileSync('node', [frames, dist, seconds], { encoding: 'utf8' }));
    const cpu = out.main_thread_cpu_per_frame_ms;
    runs[dist].push(out);
    console.log(`${dist} (load ${load}): interval median ${out.median_ms} / p95 ${out.p95_ms} ms, `
      + `${out.over_16_7ms} of ${out.frames} over 25 ms; CPU/frame median ${cpu.median} / p95 ${cpu.p95} / max ${cpu.max} ms; `
      + `${out.median_in_flight} in flight`);
  }
}
const med = (xs) => { const s = [...xs].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
for (const dist of [a, b]) {
  const rs = runs[dist];
  console.log(`${dist}: medians of ${rs.length} runs: interval median ${med(rs.map((o) => o.median_ms))} / p95 ${med(rs.map((o) => o.p95_ms))} ms; `
    + `CPU/frame median ${med(rs.map((o) => o.main_thread_cpu_per_frame_ms.median))} / p95 ${med(rs.map((o) => o.main_thread_cpu_per_frame_ms.p95))} ms`);
}
