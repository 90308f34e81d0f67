// "Why doesn't my Service answer?" in the page's explain view, in the release build in
// Chromium: cause 1 (a selector that matches no pod, with the near miss) and cause 3 (a
// targetPort the app does not listen on, read from http-echo's flags) for Services
// imported into the page's world, then cause 9 (a LoadBalancer stuck at <pending>) for
// pasted manifests on bare metal and for a pasted live cluster's state; and a file
// dropped on the check box (cause 10 on manifests: a gRPC client's one long-lived
// connection), and cause 10 in the running gRPC scenario through a scale-up.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, screenshotPage, setSpeed, useSuite } from './support.mjs';

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: echo
spec:
  replicas: 2
  selector:
    matchLabels:
      app: echo
  template:
    metadata:
      labels:
        app: echo
    spec:
      containers:
      - name: echo
        image: hashicorp/http-echo:1.0
        args: ["-text=hello"]
---
apiVersion: v1
kind: Service
metadata:
  name: echo-typo
spec:
  selector:
    app: ecoh
  ports:
  - port: 80
    targetPort: 5678
---
apiVersion: v1
kind: Service
metadata:
  name: echo-port
spec:
  selector:
    app: echo
  ports:
  - port: 80
    targetPort: 8080
`;

const LB = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: web, image: "hashicorp/http-echo:1.0", args: ["-text=hi"]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 5678}]
`;

const DUMP = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Node
  metadata: {name: worker-a, resourceVersion: "10", uid: n-a}
  status:
    addresses: [{type: InternalIP, address: 192.168.0.11}]
    conditions: [{type: Ready, status: "True", lastTransitionTime: "2026-12-07T08:00:00Z"}]
- apiVersion: v1
  kind: Service
  metadata: {name: shop, namespace: store, resourceVersion: "30", uid: s-0}
  spec:
    type: LoadBalancer
    clusterIP: 10.43.10.20
    externalTrafficPolicy: Cluster
    selector: {app: shop}
    ports: [{port: 80, targetPort: 80, nodePort: 31080, protocol: TCP}]
  status:
    loadBalancer: {}
`;

const GRPC = `apiVersion: apps/v1
kind: Deployment
metadata: {name: backend}
spec:
  replicas: 3
  selector: {matchLabels: {app: backend}}
  template:
    metadata: {labels: {app: backend}}
    spec:
      containers:
      - {name: fortio, image: fortio/fortio, args: [server], ports: [{name: grpc, containerPort: 8079}]}
---
apiVersion: v1
kind: Service
metadata: {name: backend}
spec:
  selector: {app: backend}
  ports: [{name: grpc, port: 8079, targetPort: grpc}]
---
apiVersion: v1
kind: Pod
metadata: {name: grpc-client}
spec:
  containers:
  - {name: grpc, image: fortio/fortio, args: [load, -grpc, -ping, -qps, "20", -c, "1", -t, "0", "backend:8079"]}
`;

const suite = useSuite();

async function importYaml(page, text) {
  await page.click('button[data-action="import"]');
  await page.fill('[data-dialog="import"] textarea[data-field="import"]', text);
  await page.click('button[data-action="apply-import"]');
  await poll(async () => (await page.locator('[data-dialog="import"] [data-outcome="applied"]').count()) === 1, { what: 'the import to apply' });
  await page.click('[data-dialog="import"] button[data-action="close"]');
}

async function explainService(page, name) {
  await page.selectOption('select[data-action="explain-service"]', name);
  await poll(
    async () => (await page.$eval('select[data-action="explain-service"]', (s) => s.value)) === name,
    { what: `service ${name} picked` },
  );
}

async function findingText(page, kind, rule) {
  const sel = `[data-findings="${kind}"] [data-rule="${rule}"]`;
  await poll(async () => (await page.locator(sel).count()) > 0, { what: `a ${rule} finding in ${kind}` });
  return page.locator(sel).first().innerText();
}

test('explain view: cause 1 and cause 3 for imported Services, with the fix', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'import';
  try {
    await importYaml(page, APP);
    stage = 'cause-1';
    await explainService(page, 'echo-typo');
    const one = await findingText(page, 'service', 'selector-no-match');
    assert.match(one, /selector app=ecoh matches no pod in namespace default/);
    assert.match(one, /near miss: .*app=echo instead of app=ecoh \(a typo\?\)/);
    assert.match(one, /Fix: make spec.selector and the pods' labels/);
    await page.locator('.explain-panel').scrollIntoViewIfNeeded();
    await screenshotPage(page, 'debugger-1-selector');

    stage = 'cause-3';
    await explainService(page, 'echo-port');
    const three = await findingText(page, 'service', 'target-port-not-listening');
    assert.match(three, /targetPort 8080 of port 80 is not the port the app listens on/);
    assert.match(three, /listens on 5678 \(http-echo's default -listen=:5678\)/);
    assert.match(three, /Fix: set spec.ports\[0\].targetPort: 5678/);
    await screenshotPage(page, 'debugger-2-target-port');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshotPage(page, `debugger-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});

test('explain view: cause 9 for pasted manifests on bare metal and for a pasted cluster state', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'open';
  try {
    await page.click('.check-box summary');
    stage = 'bare-metal';
    await page.fill('textarea[data-field="check"]', LB);
    await page.selectOption('select[data-action="check-provider"]', 'none');
    await page.click('button[data-action="check"]');
    const nine = await findingText(page, 'checked', 'load-balancer-pending');
    assert.match(nine, /LoadBalancer web is stuck at <pending>: the cluster has no load-balancer provider \(bare metal without MetalLB\)/);
    assert.match(nine, /Fix: install a load-balancer provider/);
    assert.match(await page.locator('.check-outcome > p').first().innerText(), /^Simulated for a minute: 1 finding/);
    await page.locator('.check-box').scrollIntoViewIfNeeded();
    await screenshotPage(page, 'debugger-3-lb-bare-metal');

    stage = 'cloud';
    await page.selectOption('select[data-action="check-provider"]', 'cloud');
    await page.click('button[data-action="check"]');
    await poll(async () => (await page.locator('[data-findings="checked"] [data-rule="load-balancer-pending"]').count()) === 0,
      { what: 'a cloud provider to assign an address' });

    stage = 'dump';
    await page.fill('textarea[data-field="check"]', DUMP);
    await page.selectOption('select[data-action="check-provider"]', 'auto');
    await page.click('button[data-action="check"]');
    const live = await findingText(page, 'checked', 'load-balancer-pending');
    assert.match(live, /LoadBalancer shop is stuck at <pending>: no load-balancer controller has written status.loadBalancer.ingress/);
    assert.match(await page.locator('.check-outcome > p').first().innerText(), /^Read as a live cluster's state/);
    await screenshotPage(page, 'debugger-4-lb-dump');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshotPage(page, `debugger-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});

test('check box: a dropped file is read and checked (cause 10)', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'open';
  try {
    await page.click('.check-box summary');
    stage = 'drop';
    const area = page.locator('textarea[data-field="check"]');
    const dataTransfer = await page.evaluateHandle((text) => {
      const dt = new DataTransfer();
      dt.items.add(new File([text], 'grpc.yaml', { type: 'application/yaml' }));
      return dt;
    }, GRPC);
    await area.dispatchEvent('dragover', { dataTransfer });
    await area.dispatchEvent('drop', { dataTransfer });
    await poll(async () => (await area.inputValue()) === GRPC, { what: 'the dropped file in the text area' });
    assert.match(await page.locator('.check-box').innerText(), /read grpc\.yaml/);
    stage = 'check';
    await page.click('button[data-action="check"]');
    const ten = await findingText(page, 'checked', 'connections-not-rebalanced');
    assert.match(ten, /client grpc-client keeps 1 connection open to backend \(fortio, grpc\), which runs 3 replicas: each connection stays on the pod it first reached/);
    assert.match(ten, /Fix: balance on the client over a headless Service/);
    await page.locator('.check-box').scrollIntoViewIfNeeded();
    await screenshotPage(page, 'debugger-5-dropped-grpc');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshotPage(page, `debugger-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});

test('explain view: cause 10 in the running gRPC scenario, from its real connections', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  try {
    await page.selectOption('select[data-action="scenario"]', 'grpc');
    await explainService(page, 'backend');
    const sel = '[data-findings="service"] [data-rule="connections-not-rebalanced"]';
    stage = 'two replicas';
    await poll(async () => /^1 of backend's 2 ready pods/m.test(await page.locator(sel).first().innerText().catch(() => '')),
      { what: "one of two pods without the gRPC client's requests", timeout: 60_000 });
    stage = 'scale to 6';
    const box = page.locator('[data-deployment="backend"] input[data-action="scale"]');
    await box.fill('6');
    await box.press('Enter');
    await setSpeed(page, 500);
    await poll(async () => /5 of backend's 6 ready pods \(.*\) get no requests from client grpc-client: its 1 long-lived connection \(grpc\) is pinned to backend-\S+ and kube-proxy only balances new connections/
      .test(await page.locator(sel).first().innerText().catch(() => '')),
    { what: 'five of six pods without its requests after the scale-up', timeout: 90_000 });
    const ten = await page.locator(sel).first().innerText();
    assert.match(ten, /WARNING/i);
    assert.match(ten, /Fix: balance on the client over a headless Service/);
    assert.doesNotMatch(ten, /http-client/);
    await page.locator(sel).first().scrollIntoViewIfNeeded();
    await screenshotPage(page, 'debugger-6-grpc-scale-up');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshotPage(page, `debugger-failed-at-${stage.replace(/ /g, '-')}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
