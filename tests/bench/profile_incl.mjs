// CPU profile of the stress scenario, inclusive time by function (a function's own
// time plus its callees'), for the functions whose name matches PATTERN: where a
// frame's work goes below the page's entry points. Build with wasm function names as
// profile.mjs says (data-wasm-opt="0").
// Usage: node tests/bench/profile_incl.mjs DIST [seconds=6] [PATTERN=svcplay]
import { profileStress } from './serve.mjs';
const secs = Number(process.argv[3] ?? 6);
const { byId, parent, self: dt } = await profileStress(process.argv[2] ?? 'dist', secs * 1000);
const incl = {};
for (const [id, us] of dt) {
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
