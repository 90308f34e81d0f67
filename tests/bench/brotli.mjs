// What `dist/` weighs with Brotli (quality 11, Node's zlib.brotliCompressSync), file by
// file, next to gzip -9 (Node's zlib, which can differ from `gzip -9 -n` — the figure
// `cargo xtask size` reports — by a few bytes of header). Not a test: a measurement for
// BENCHMARKS.md, "Release size".
// Usage: node tests/bench/brotli.mjs [dist]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dist = process.argv[2] ?? 'dist';
const totals = { raw: 0, gzip: 0, brotli: 0 };
console.log('| file | raw | gzip -9 | brotli 11 |');
console.log('|---|---:|---:|---:|');
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { walk(path); continue; }
    const body = readFileSync(path);
    const row = {
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: 11,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }).length,
    };
    for (const k of Object.keys(totals)) totals[k] += row[k];
    console.log(`| ${relative(dist, path)} | ${row.raw} | ${row.gzip} | ${row.brotli} |`);
  }
};
walk(dist);
console.log(`| **total** | ${totals.raw} | ${totals.gzip} | ${totals.brotli} |`);
