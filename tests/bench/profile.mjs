// CPU profile of the stress scenario: self time by function, top 30. For finding hot
// spots; build without wasm-opt to keep wasm function names:
//   sed 's/data-wasm-opt="z"/data-wasm-opt="0"/' index.html > index-prof.html
//   trunk build --release --offline --dist dist-prof index-prof.html
// Usage: node tests/bench/profile.mjs dist-prof
import { profileStress } from './serve.mjs';
const { byId, self: dt } = await profileStress(process.argv[2] ?? 'dist', 4000);
const self = {};
for (const [id, us] of dt) { const n = byId.get(id); const k = n.callFrame.functionName || n.callFrame.url || '(anon)'; self[k] = (self[k] ?? 0) + us / 1000; }
console.log(Object.entries(self).sort((a, b) => b[1] - a[1]).slice(0, 30).map(([k, v]) => `${(v / 4).toFixed(1).padStart(7)} ms/s  ${k.slice(0, 110)}`).join('\n'));
