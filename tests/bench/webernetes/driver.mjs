// The webernetes side of the svcplay-against-webernetes comparison (issue 18): one
// Deployment of N probed replicas behind a NodePort Service, wait until all N pods are
// Ready and are endpoints of the Service, then R requests through the Service, counting
// which pods answered. Prints one JSON line: wall ms per phase and peak RSS.
//
// The package is NOT a dependency of svcplay (nothing in our package.json). Get it at
// bench time into a scratch prefix, then point WBN_PREFIX at it (default /tmp/wbn):
//
//   npm install --no-save --prefix /tmp/wbn @ngrok/webernetes@0.3.5
//   node tests/bench/webernetes/driver.mjs [--replicas 1000] [--requests 10000]
//        [--clock real|stepped] [--nodes ceil(N/110), at least 3] [--step-ms 10]
//
// Clock modes. webernetes' Clock (src/clock.ts) runs on wall time by default: a timer of
// 10 s is a real 10 s wait. It offers no virtual clock that runs free, but it can be
// paused and advanced by hand (`clock.pause()`, `clock.step(ms)`, what its own tests do).
// - `real` (default): its default clock; probe periods and jitter are real waits. The
//   faster mode at 1,000 replicas (≈ 145 s against ≈ 320 s stepped, 2026-12-08): the
//   simulator's own work there outlasts the waits (not profiled; its `step()` finds
//   each next due timer by scanning all pending ones).
// - `stepped`: the clock is paused after `init()` and advanced `--step-ms` simulated ms
//   per turn of Node's event loop (a turn lets the simulator's promise continuations run
//   before the next timers are due). The faster mode at small N (100 replicas: 7.3 s
//   against 12.3 s real), where the real mode mostly waits.
//
// Nodes: webernetes' Cluster takes `nodes` (its default 3). It does not cap pods per node,
// but each node's pod CIDR is a /24, so 3 nodes hold at most ~754 pods (the control
// plane's 8 pods sit on node-1); at 1,000 replicas 246 pods stay Pending for want of an
// IP. The default here is svcplay's node count, ceil(N / 110), at least 3: 10 nodes for
// 1,000 replicas.
//
// The app: a small image of our own (not one of webernetes' built-in images, whose
// agnhost has no /hostname) answering /healthz with 200 (the readiness probe's path) and
// /hostname with the pod's name (from the downward API, POD_NAME). The probe is an
// httpGet on /healthz with the API defaults (period 10 s, timeout 1 s, success 1,
// failure 3), as svcplay's `web_container`.
//
// A request: `cluster.fetch("http://node-1:30080/hostname")`, one after another, from
// node-1's host network to the NodePort; webernetes' kube-proxy picks the endpoint (round
// robin). Its network latency hooks are left at their default (0 ms).

import { readFileSync } from "node:fs";
import { register } from "node:module";
import { setImmediate as turn } from "node:timers/promises";

// dist/ imports "./clock" without ".js"; resolve-js.mjs adds it (see there).
register("./resolve-js.mjs", import.meta.url);

const prefix = process.env.WBN_PREFIX ?? "/tmp/wbn";
const pkg = `${prefix}/node_modules/@ngrok/webernetes`;
const { Cluster, BaseImage } = await import(`${pkg}/dist/index.js`);
const version = JSON.parse(readFileSync(`${pkg}/package.json`, "utf8")).version;

function arg(name, fallback) {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const replicas = Number(arg("replicas", "1000"));
const requests = Number(arg("requests", "10000"));
const clockMode = arg("clock", "real");
// As many nodes as svcplay's side uses (110 pods a node), and at least webernetes' 3.
const nodes = Number(arg("nodes", String(Math.max(3, Math.ceil(replicas / 110)))));
const stepMs = Number(arg("step-ms", "10"));
if (!["stepped", "real"].includes(clockMode)) {
	throw new Error(`--clock must be stepped or real, not ${clockMode}`);
}

const NODE_PORT = 30080;

class HostnameImage extends BaseImage {
	static imageName = "svcplay-bench/hostname";
	static imageVersion = "1.0";
	defaultCommand = ["serve"];

	async exec(ctx, argv) {
		if (argv[0] !== "serve") {
			return await super.exec(ctx, argv);
		}
		const name = ctx.env.get("POD_NAME") ?? "unknown";
		ctx.listenHttp(8080, async (_reqCtx, request) => {
			switch (request.url.pathname) {
				case "/healthz":
					return { status: 200, body: "ok\n" };
				case "/hostname":
					return { status: 200, body: name };
				default:
					return { status: 404, body: "not found\n" };
			}
		});
		return await ctx.waitUntilKilled();
	}
}

function vmHwmMiB() {
	const status = readFileSync("/proc/self/status", "utf8");
	const line = status.split("\n").find((l) => l.startsWith("VmHWM:"));
	return line ? Number(line.split(/\s+/)[1]) / 1024 : 0;
}

const isReady = (pod) =>
	pod.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") === true;

const t0 = performance.now();
const cluster = new Cluster({ nodes });
cluster.registerImage(HostnameImage);
await cluster.init();

// In stepped mode a pump advances the paused clock while the scenario awaits.
let pumping = false;
let pump = Promise.resolve();
if (clockMode === "stepped") {
	cluster.pause();
	pumping = true;
	pump = (async () => {
		while (pumping) {
			cluster.clock.step(stepMs);
			await turn();
		}
	})();
}
const simStart = cluster.clock.nowMs();

// Ready pods and ready endpoints of the Service, kept by informers (no polling).
const readyPods = new Set();
const podState = new Map(); // name -> phase, with "+ready" when Ready (for progress)
const endpointsBySlice = new Map();
let resolveAll;
const allReady = new Promise((r) => {
	resolveAll = r;
});
const check = () => {
	let endpoints = 0;
	for (const n of endpointsBySlice.values()) endpoints += n;
	if (readyPods.size >= replicas && endpoints >= replicas) resolveAll();
};
const podInformer = cluster.informer(
	"pods",
	(type, pod) => {
		const name = pod.metadata?.name;
		if (type === "delete" || !isReady(pod)) readyPods.delete(name);
		else readyPods.add(name);
		if (type === "delete") podState.delete(name);
		else podState.set(name, `${pod.status?.phase ?? "none"}${isReady(pod) ? "+ready" : ""}`);
		check();
	},
	{ namespace: "default", labelSelector: "app=web" },
);
const sliceInformer = cluster.informer(
	"endpointslices",
	(type, slice) => {
		const name = slice.metadata?.name;
		if (type === "delete") endpointsBySlice.delete(name);
		else
			endpointsBySlice.set(
				name,
				(slice.endpoints ?? []).filter((e) => e.conditions?.ready === true).length,
			);
		check();
	},
	{ namespace: "default", labelSelector: "kubernetes.io/service-name=web" },
);

await cluster.apply([
	{
		apiVersion: "apps/v1",
		kind: "Deployment",
		metadata: { name: "web" },
		spec: {
			replicas,
			selector: { matchLabels: { app: "web" } },
			template: {
				metadata: { labels: { app: "web" } },
				spec: {
					containers: [
						{
							name: "web",
							image: "svcplay-bench/hostname:1.0",
							ports: [{ name: "http", containerPort: 8080 }],
							env: [
								{
									name: "POD_NAME",
									valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "metadata.name" } },
								},
							],
							readinessProbe: { httpGet: { path: "/healthz", port: 8080 } },
						},
					],
				},
			},
		},
	},
	{
		apiVersion: "v1",
		kind: "Service",
		metadata: { name: "web" },
		spec: {
			type: "NodePort",
			selector: { app: "web" },
			ports: [{ name: "http", port: 80, targetPort: "http", nodePort: NODE_PORT }],
		},
	},
]);

// Progress on stderr every 5 wall seconds (WBN_PROGRESS=0 silences it).
const progress =
	process.env.WBN_PROGRESS === "0"
		? undefined
		: setInterval(() => {
				let endpoints = 0;
				for (const n of endpointsBySlice.values()) endpoints += n;
				const sim = cluster.clock.nowMs() - simStart;
				const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
				const phases = {};
				for (const p of podState.values()) phases[p] = (phases[p] ?? 0) + 1;
				console.error(
					`progress: sim ${sim} ms, ready ${readyPods.size}, endpoints ${endpoints}, rss ${rss} MiB, pods ${JSON.stringify(phases)}`,
				);
			}, 5000);
await allReady;
clearInterval(progress);
// As webernetes' own examples/helpers.ts does: 50 ms more on its clock, so kube-proxy
// has taken in the last Ready endpoint before the first request.
await cluster.clock.wait(50);
const tReady = performance.now();
const simReady = cluster.clock.nowMs();

const byPod = new Map();
let failed = 0;
for (let i = 0; i < requests; i++) {
	const resp = await cluster.fetch(`http://node-1:${NODE_PORT}/hostname`);
	if (resp.status !== 200) {
		failed++;
		continue;
	}
	byPod.set(resp.body, (byPod.get(resp.body) ?? 0) + 1);
}
const tRequests = performance.now();
const simEnd = cluster.clock.nowMs();

pumping = false;
await pump;
await podInformer.stop();
await sliceInformer.stop();
const counts = [...byPod.values()];
const peak = vmHwmMiB();
const tEnd = performance.now();
console.log(
	JSON.stringify({
		side: "webernetes",
		version,
		node: process.version,
		clock: clockMode,
		step_ms: clockMode === "stepped" ? stepMs : null,
		nodes,
		replicas,
		requests,
		ready_ms: +(tReady - t0).toFixed(1),
		requests_ms: +(tRequests - tReady).toFixed(1),
		total_ms: +(tEnd - t0).toFixed(1),
		sim_ready_ms: simReady - simStart,
		sim_requests_ms: simEnd - simReady,
		ok: counts.reduce((a, b) => a + b, 0),
		failed,
		pods_answering: byPod.size,
		min_per_pod: counts.length ? Math.min(...counts) : 0,
		max_per_pod: counts.length ? Math.max(...counts) : 0,
		peak_rss_mib: +peak.toFixed(1),
	}),
);
// Closing the cluster is not timed (its servers' shutdown waits are not the scenario).
cluster.close().catch(() => {});
process.exit(0);
