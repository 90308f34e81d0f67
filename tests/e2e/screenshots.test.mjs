// The review set of screenshots, in tests/artifacts/: 01-default.png (the default
// scenario with traffic flowing), 02-after-kill.png (a prod pod terminating, its
// replacement starting), 03-nodeport.png (prod as NodePort: the outside user gets in
// through the node port), 04-loadbalancer-local.png (prod as LoadBalancer with
// externalTrafficPolicy Local), 05-dark.png (the default scenario in the dark theme).
// 06-phone.png comes from phone.test.mjs. Each state is checked before its shot, and
// any console error or warning fails the test.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readPodStates, screenshot, screenshotPage, useSuite } from './support.mjs';

const suite = useSuite();

const DESKTOP = { width: 1366, height: 900 };

const prod = (page) => page.locator('[data-service="prod"]');
const userRoute = (page) => page.locator('[data-client="user"] [data-target="prod"]').getAttribute('data-route');
const blockedLines = (page) => page.locator('canvas.routes').getAttribute('data-blocked');
const prodPods = async (page) => (await readPodStates(page)).filter((p) => p.name.startsWith('prod-'));

/** Waits for the default scenario with both prod pods serving. */
async function trafficFlowing(page) {
  await page.waitForSelector('[data-service="prod"][data-cluster-ip]');
  return poll(
    async () => {
      const pods = await prodPods(page);
      return pods.length === 2 && pods.every((p) => p.ready && p.requests >= 3) && pods;
    },
    { what: 'both prod pods serving' },
  );
}

test('the review screenshots: default, after a kill, NodePort, LoadBalancer Local, dark', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url, DESKTOP);
  let stage = 'default';
  try {
    const [victim] = await trafficFlowing(page);
    assert.equal(await userRoute(page), 'unreachable', 'the outside user cannot reach a ClusterIP');
    await poll(async () => (await blockedLines(page)) === '1', { what: "the user's line drawn blocked" });
    await screenshotPage(page, '01-default');

    stage = 'kill';
    await page.locator(`[data-pod="${victim.name}"] button[data-action="kill"]`).click();
    await poll(
      async () => {
        const pods = await prodPods(page);
        const v = pods.find((p) => p.name === victim.name);
        return v?.state === 'terminating' && pods.length === 3 && pods;
      },
      { what: `${victim.name} terminating beside its replacement` },
    );
    await page.waitForTimeout(800);
    await screenshotPage(page, '02-after-kill');

    stage = 'NodePort';
    await prod(page).locator('select[data-action="type"]').selectOption('NodePort');
    await poll(async () => (await userRoute(page)) === 'node-port', { what: "the user's route via the node port" });
    const nodePort = await prod(page).getAttribute('data-node-port');
    assert.match(await page.locator('[data-client="user"] [data-target="prod"]').innerText(), new RegExp(`port ${nodePort}`));
    await poll(async () => (await blockedLines(page)) === '0', { what: "the user's line drawn through" });
    await page.waitForTimeout(2_000);
    await screenshotPage(page, '03-nodeport');

    stage = 'LoadBalancer Local';
    await prod(page).locator('select[data-action="type"]').selectOption('LoadBalancer');
    await poll(async () => (await userRoute(page)) === 'load-balancer', { what: "the user's route via the load balancer" });
    const policy = prod(page).locator('select[data-action="external-traffic-policy"]');
    if (!(await policy.isVisible())) await prod(page).locator('summary').first().click();
    await policy.selectOption('Local');
    assert.equal(await policy.inputValue(), 'Local');
    assert.equal(await page.locator('[data-error]').count(), 0, 'no refusal');
    await page.waitForTimeout(2_500);
    await screenshotPage(page, '04-loadbalancer-local');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `screenshots-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});

test('the dark theme shot', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url, { ...DESKTOP, colorScheme: 'dark' });
  try {
    await trafficFlowing(page);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(background, 'rgb(19, 21, 24)', 'the dark palette is in force');
    await page.waitForTimeout(1_000);
    await screenshotPage(page, '05-dark');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, 'screenshots-failed-dark').catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
