// The console panel: `/` focuses it; `kubectl scale deploy/prod --replicas=5` typed and
// run makes five prod pods that all take traffic; after the Service card's type select
// makes prod a NodePort, `kubectl get svc` shows its node port as kubectl prints it;
// ↑ recalls a line, Tab completes, errors print in kubectl's words.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readPodStates, screenshot, useSuite } from './support.mjs';

const suite = useSuite();

const input = (page) => page.locator('[data-console] input');
const output = (page) => page.locator('[data-console-output]');

/** Types a line into the console and runs it; returns what it printed. */
async function run(page, line) {
  const before = await page.locator('[data-console-output] .console-entry').count();
  await input(page).fill(line);
  await input(page).press('Enter');
  await poll(async () => (await page.locator('[data-console-output] .console-entry').count()) > before, {
    what: `the output of ${line}`,
  });
  const last = page.locator('[data-console-output] .console-entry').last();
  return {
    ok: (await last.getAttribute('data-ok')) === 'true',
    // What the line printed, without its final line end.
    text: (await last.locator('.console-text').count())
      ? (await last.locator('.console-text').textContent()).replace(/\n$/, '')
      : '',
  };
}

test('kubectl scale in the console: five prod pods take traffic', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  try {
    await poll(async () => (await readPodStates(page)).filter((p) => p.ready).length >= 3, { what: 'ready pods' });
    stage = 'shortcut';
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('/');
    assert.equal(await input(page).evaluate((el) => el === document.activeElement), true, '/ focuses the console');
    assert.equal(await input(page).inputValue(), '', 'the / is not typed');

    stage = 'scale';
    const scaled = await run(page, 'kubectl scale deploy/prod --replicas=5');
    assert.deepEqual(scaled, { ok: true, text: 'deployment.apps/prod scaled' });
    await poll(async () => (await readPodStates(page)).filter((p) => p.name.startsWith('prod-') && p.ready).length === 5, {
      what: 'five ready prod pods',
      timeout: 30_000,
    });
    const start = new Map((await readPodStates(page)).filter((p) => p.name.startsWith('prod-')).map((p) => [p.name, p.requests]));
    await poll(
      async () => {
        const now = (await readPodStates(page)).filter((p) => p.name.startsWith('prod-'));
        return now.length === 5 && now.every((p) => p.requests > (start.get(p.name) ?? 0));
      },
      { what: 'every one of the five prod pods to serve requests', timeout: 30_000 },
    );
    const pods = await run(page, 'kubectl get pods -l app=prod');
    const rows = pods.text.split('\n');
    assert.equal(rows[0].split(/\s+/).join(' '), 'NAME READY STATUS RESTARTS AGE');
    assert.equal(rows.length, 6, pods.text);
    assert.ok(rows.slice(1).every((r) => /^prod-\S+\s+1\/1\s+Running\s+0\s+\d+s$/.test(r)), pods.text);
    await screenshot(page, 'console-1-scaled');

    stage = 'history and completion';
    await input(page).fill('');
    await input(page).press('ArrowUp');
    assert.equal(await input(page).inputValue(), 'kubectl get pods -l app=prod');
    await input(page).fill('kubectl desc');
    await input(page).press('Tab');
    assert.equal(await input(page).inputValue(), 'kubectl describe ');
    assert.equal(await input(page).evaluate((el) => el === document.activeElement), true, 'Tab stays in the console');
    const missing = await run(page, 'kubectl get svc nope');
    assert.deepEqual(missing, { ok: false, text: 'Error from server (NotFound): services "nope" not found' });
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `console-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});

test('after the card makes prod a NodePort, kubectl get svc shows the node port', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  try {
    await page.waitForSelector('[data-service="prod"][data-cluster-ip]');
    const card = page.locator('[data-service="prod"]');
    const before = await run(page, 'kubectl get svc prod');
    assert.match(before.text.split('\n')[1], /^prod\s+ClusterIP\s+10\.\S+\s+<none>\s+80\/TCP\s+\d+s$/);

    stage = 'NodePort';
    await card.locator('select[data-action="type"]').selectOption('NodePort');
    await poll(async () => (await card.getAttribute('data-type')) === 'NodePort', { what: 'type NodePort' });
    const nodePort = await card.getAttribute('data-node-port');
    const clusterIp = await card.getAttribute('data-cluster-ip');
    const svc = await run(page, 'kubectl get svc');
    const row = svc.text.split('\n').find((l) => l.startsWith('prod '));
    assert.match(row, new RegExp(`^prod\\s+NodePort\\s+${clusterIp.replaceAll('.', '\\.')}\\s+<none>\\s+80:${nodePort}/TCP\\s+\\d+s$`), svc.text);
    assert.match(nodePort, /^3\d{4}$/);
    await screenshot(page, 'console-2-nodeport');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `console-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
