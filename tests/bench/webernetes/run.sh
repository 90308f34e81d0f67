#!/usr/bin/env bash
# svcplay against webernetes (issue 18): runs core/examples/probed.rs and driver.mjs
# alternately, ROUNDS rounds each, each under /usr/bin/time, and prints every run's JSON
# line, then a table of medians and ratios (svcplay / webernetes).
#
#   npm install --no-save --prefix /tmp/wbn @ngrok/webernetes@0.3.5   # once
#   cargo build --release -p svcplay-core --example probed            # once
#   tests/bench/webernetes/run.sh [N=1000] [R=10000] [ROUNDS=3] [CLOCK=real|stepped]
#
# Environment: WBN_PREFIX (where the package was installed, default /tmp/wbn),
# CARGO_TARGET_DIR (where the example was built, default ./target), OUT (a file to keep
# the raw runs in, default a temporary file).
set -euo pipefail

n=${1:-1000}
r=${2:-10000}
rounds=${3:-3}
clock=${4:-real}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
probed="${CARGO_TARGET_DIR:-$root/target}/release/examples/probed"
out=${OUT:-$(mktemp)}
[ -x "$probed" ] || { echo "build it first: cargo build --release -p svcplay-core --example probed" >&2; exit 2; }

: >"$out"
# One run: the side's JSON line, with /usr/bin/time's elapsed s and max RSS KB added.
run() {
	local side=$1
	shift
	local tf
	tf=$(mktemp)
	local line
	line=$(/usr/bin/time -o "$tf" -f "%e %M" "$@" | tail -n 1)
	read -r elapsed maxkb <"$tf"
	rm -f "$tf"
	node -e '
		const o = JSON.parse(process.argv[1]);
		o.time_elapsed_s = Number(process.argv[2]);
		o.time_max_rss_kb = Number(process.argv[3]);
		console.log(JSON.stringify(o));
	' "$line" "$elapsed" "$maxkb" | tee -a "$out"
}

echo "# uptime before: $(uptime)"
for i in $(seq 1 "$rounds"); do
	run svcplay "$probed" "$n" "$r"
	run webernetes node "$here/driver.mjs" --replicas "$n" --requests "$r" --clock "$clock"
done
echo "# uptime after: $(uptime)"
echo "# raw runs: $out"

node - "$out" <<'EOF'
const fs = require("node:fs");
const runs = fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map((l) => JSON.parse(l));
const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fields = [
	["ready_ms", "ready (wall ms)"],
	["requests_ms", "requests (wall ms)"],
	["total_ms", "total (wall ms)"],
	["peak_rss_mib", "peak RSS, VmHWM (MiB)"],
	["time_max_rss_kb", "peak RSS, /usr/bin/time (MiB)", (kb) => kb / 1024],
	["time_elapsed_s", "process elapsed, /usr/bin/time (s)"],
];
const side = (name) => runs.filter((r) => r.side === name);
const ours = side("svcplay");
const theirs = side("webernetes");
const fmt = (x) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x >= 1 ? x.toFixed(1) : x.toFixed(3));
const ratio = (x) => (x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toPrecision(3));
console.log("| measure | svcplay median | webernetes median | svcplay / webernetes | webernetes / svcplay |");
console.log("|---|---:|---:|---:|---:|");
for (const [key, label, f = (x) => x] of fields) {
	const a = median(ours.map((r) => f(r[key])));
	const b = median(theirs.map((r) => f(r[key])));
	console.log(`| ${label} | ${fmt(a)} | ${fmt(b)} | ${ratio(a / b)} | ${ratio(b / a)}× |`);
}
EOF
