// Connections on the canvas: the gRPC scenario's client keeps one connection, drawn
// from its card to its pod; scaling the backend from 2 to 6 moves nothing, while the
// HTTP client (a new connection per request) spreads over all six. The client card's
// `-c` box opens more connections; the seed's scenario shows the frontend that calls a
// pod IP failing once that pod is replaced.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, screenshotPage, setSpeed, useSuite } from './support.mjs';

const suite = useSuite();

/** The share rows of a Service: `{ pod, served, connections }`. */
const shareRows = (page, svc) =>
  page.$$eval(`[data-share="${svc}"] [data-share-pod]`, (els) =>
    els.map((e) => ({
      pod: e.dataset.sharePod,
      served: Number(e.dataset.served),
      connections: Number(e.dataset.connections),
    })),
  );

const pinnedLines = (page) => page.locator('canvas.routes').getAttribute('data-pinned').then(Number);

test('a gRPC connection stays on its pod through a scale-up, drawn on the canvas', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url, { width: 1366, height: 900 });
  let stage = 'load';
  try {
    await page.selectOption('select[data-action="scenario"]', 'grpc');
    await poll(async () => (await pinnedLines(page)) === 1, { what: 'one pinned connection drawn' });
    const grpc = page.locator('[data-client="grpc-client"] li[data-target="backend"]');
    assert.equal(await grpc.getAttribute('data-protocol'), 'grpc');
    assert.equal(await grpc.getAttribute('data-open'), '1');

    stage = 'pinned pod';
    const pinnedPod = async () => {
      const rows = await shareRows(page, 'backend');
      return rows.find((r) => r.connections === 1)?.pod;
    };
    const pod = await poll(pinnedPod, { what: 'a share row with the connection' });

    stage = 'scale to 6';
    const box = page.locator('[data-deployment="backend"] input[data-action="scale"]');
    await box.fill('6');
    await box.press('Enter');
    await setSpeed(page, 500);
    await poll(async () => (await shareRows(page, 'backend')).filter((r) => r.served > 0).length === 6, {
      what: 'all six backend pods serving (the HTTP client spreads)',
      timeout: 60_000,
    });
    assert.equal(await pinnedPod(), pod, 'the gRPC connection did not move');
    assert.equal(await pinnedLines(page), 1);
    const rows = await shareRows(page, 'backend');
    const mine = rows.find((r) => r.pod === pod);
    const others = rows.filter((r) => r.pod !== pod);
    assert.ok(others.every((r) => r.served < mine.served), `the pinned pod serves the most: ${JSON.stringify(rows)}`);
    await screenshotPage(page, 'connections-grpc-scale-up');

    stage = 'edit -c';
    const conns = page.locator('[data-client="grpc-client"] input[data-action="connections"]');
    await conns.fill('3');
    await conns.press('Enter');
    await poll(async () => (await grpc.getAttribute('data-open')) === '3', { what: 'three open connections' });
    assert.equal(await grpc.getAttribute('data-connections'), '3');
    await poll(async () => (await pinnedLines(page)) >= 1, { what: 'connections drawn' });
    assert.deepEqual(problems, []);
  } catch (e) {
    await screenshotPage(page, `connections-failed-${stage.replace(/ /g, '-')}`);
    throw e;
  } finally {
    await page.close();
  }
});

test("the seed's frontend calling a pod IP fails once the pod is replaced", { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url, { width: 1366, height: 900 });
  try {
    await page.selectOption('select[data-action="scenario"]', 'pod-ip');
    const errors = (target) =>
      page
        .locator(`[data-client="client"] li[data-target="${target}"] .client-conns`)
        .getAttribute('data-errors')
        .then(Number);
    const backend = page.locator('[data-pod^="backend-"][data-ready="true"]').first();
    await poll(async () => (await backend.count()) === 1, { what: 'the backend pod' });
    const served = () => page.locator('[data-pod^="frontend-ip"]').getAttribute('data-requests').then(Number);
    await poll(async () => (await errors('frontend-ip')) === 0 && (await served()) > 0, {
      what: 'frontend-ip served',
    });
    await backend.locator('button[data-action="kill"]').click();
    await setSpeed(page, 500);
    await poll(async () => (await errors('frontend-ip')) > 10, { what: 'frontend-ip failing', timeout: 60_000 });
    const dnsErrors = await errors('frontend-dns');
    await page.waitForTimeout(2_000);
    assert.equal(await errors('frontend-dns'), dnsErrors, 'frontend-dns works again once the new pod runs');
    await screenshotPage(page, 'connections-pod-ip-vs-name');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
