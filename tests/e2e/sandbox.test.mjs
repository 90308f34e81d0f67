// The sandbox speaks for itself (issue 14), in the release build: the first screen says
// what to try; each type is explained where it is chosen; pod buttons have labels and
// tooltips; breaking readiness shows the failing probe at once; pod names are whole; the
// request share keeps requests that never reached a pod apart; a Service keeps its colour
// when a selector changes; the kube-proxy menu names the mode its rules were written for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, screenshot, useSuite } from './support.mjs';

const suite = useSuite();

const colourOf = (page, sel) =>
  page.locator(sel).first().evaluate((e) => [...e.classList].find((c) => /^c[0-9n]$/.test(c)));

test('a newcomer reads what to try, what each type is, and what each pod button does', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    await page.waitForSelector('[data-pod^="prod-"][data-ready="true"]');
    // A first visit shows the offer; "Not now" leaves the one-line hint.
    await page.locator('[data-action="dismiss-tour"]').click();
    assert.match(await page.locator('[data-hint]').textContent(), /^Try: delete a pod/);
    assert.equal(
      await page.locator('[data-service="prod"] [data-type-help]').textContent(),
      'ClusterIP, the foundation: a virtual IP reachable only from inside the cluster.',
    );
    await page.locator('[data-service="prod"] select[data-action="type"]').selectOption('NodePort');
    await poll(async () => (await page.locator('[data-service="prod"] [data-type-help]').getAttribute('data-type-help')) === 'NodePort', { what: 'the NodePort sentence' });
    assert.match(await page.locator('[data-service="prod"] [data-type-help]').textContent(), /^NodePort adds a port opened on every node/);
    const pod = page.locator('[data-pod^="prod-"]').first();
    assert.equal(await pod.locator('[data-action="kill"]').getAttribute('title'), 'delete pod');
    assert.equal(await pod.locator('[data-action="break"]').getAttribute('title'), 'fail readiness probe');
    // Whole names: the ReplicaSet's name and hash, then the suffix, none of it cut.
    const cut = await page.$$eval('[data-pod] .pod-name', (els) => els.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent));
    assert.deepEqual(cut, [], 'no pod name is cut');
    // Breaking readiness shows the failing probe at once, counted toward failureThreshold.
    await pod.locator('[data-action="break"]').click();
    assert.match(await pod.locator('.probe-failing').textContent(), /probe ✗ 0\/3/);
    assert.equal(await pod.locator('[data-action="heal"]').getAttribute('title'), 'heal: pass readiness probe');
    await poll(async () => (await pod.locator('.probe-failing').getAttribute('data-probe-failures').catch(() => null)) === '1', { what: 'the first failed probe counted' });
    await screenshot(page, 'sandbox-probe-failing');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('the request share splits only the requests that reached a pod', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    // The user outside sends to prod, a ClusterIP Service: those requests never reach a pod.
    const never = await poll(async () => Number(await page.locator('[data-share="prod"] [data-never]').getAttribute('data-never').catch(() => 0)), { what: 'requests that never reached a pod, counted apart' });
    assert.ok(never > 0);
    const expected = await poll(async () => {
      const x = await page.$$eval('[data-share="prod"] [data-share-pod]', (els) => els.map((e) => Number(e.dataset.expected)));
      return x.length === 2 && x.every((v) => v > 0) && x;
    }, { what: 'two prod pods expected to serve' });
    assert.deepEqual(expected.map((x) => x.toFixed(2)), ['0.50', '0.50'], 'two pods, half each of what reaches them');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a Service keeps its colour when a selector changes; the kube-proxy menu follows the world', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    await page.waitForSelector('[data-service="prod"]');
    const before = { dev: await colourOf(page, '[data-service="dev"]'), prod: await colourOf(page, '[data-service="prod"]') };
    const box = page.locator('[data-service="dev"] input[data-action="selector"]');
    await box.fill('app=dve');
    await box.press('Enter');
    await poll(async () => (await box.inputValue()) === 'app=dve', { what: 'the typo applied' });
    await page.waitForTimeout(300);
    assert.equal(await colourOf(page, '[data-service="prod"]'), before.prod, 'prod keeps its colour');
    assert.notEqual(before.dev, before.prod);
    // nftables, then Reset: the menu and the rules agree on iptables again.
    const mode = page.locator('select[data-action="proxy-mode"]');
    await mode.selectOption('nftables');
    await poll(async () => (await page.locator('pre[data-rules]').getAttribute('data-rules')) === 'nftables', { what: 'nft rules' });
    await page.locator('button[data-action="reset"], button:has-text("Reset")').first().click();
    await poll(async () => (await page.locator('pre[data-rules]').getAttribute('data-rules')) === 'iptables', { what: 'iptables rules after Reset' });
    assert.equal(await mode.inputValue(), 'iptables', 'the menu names the mode of the rules shown');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a refused type leaves the type menu naming the type the Service has', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    await page.waitForSelector('[data-service="prod"]');
    const input = page.locator('[data-console] input');
    await input.fill('kubectl create service clusterip hl --clusterip=None --tcp=80:8080');
    await input.press('Enter');
    const menu = page.locator('[data-service="hl"] select[data-action="type"]');
    await menu.waitFor();
    await menu.selectOption('NodePort');
    const error = page.locator('[data-service="hl"] [data-error="type"]');
    await error.waitFor();
    assert.match(await error.textContent(), /may not be set to 'None' for NodePort services/);
    assert.equal(await menu.inputValue(), 'ClusterIP', 'the menu names the type hl still has');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
