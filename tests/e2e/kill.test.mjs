// Killing a pod behind the `prod` Service, in the release build, in Chromium: the killed
// pod stops receiving requests while the other prod pod keeps serving, and the
// Deployment's replacement pod appears and then receives requests.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readPods, screenshot, useSuite } from './support.mjs';

/**
 * Requests the surviving pod must serve in a row while the killed one serves none. With
 * two live pods each request picks one at random, so a run of 25 for one pod happens by
 * chance about once in 2^24 requests: a run this long means the killed pod gets nothing.
 */
const QUIET_WHILE_OTHER_SERVES = 25;

const suite = useSuite();

const prodPods = async (page) => (await readPods(page)).filter((p) => p.name.startsWith('prod-'));

test('a killed prod pod stops serving, the other keeps serving, a replacement takes over', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  try {
    // The app mounts after the wasm loads; with the other test files running alongside, that can take a while.
    await page.waitForSelector('[data-service="prod"]');
    assert.equal(await page.locator('[data-service="prod"]').count(), 1, 'one element for Service prod');
    const initial = await poll(
      async () => {
        const prod = await prodPods(page);
        return prod.length === 2 && prod.every((p) => p.ready && p.requests > 0) && prod;
      },
      { what: 'two ready prod pods that have served requests' },
    );
    await screenshot(page, 'kill-1-before');
    const [victim, survivor] = initial;

    stage = 'kill';
    await page.locator(`[data-pod="${victim.name}"] button[data-action="kill"]`).click();

    // "Stops increasing": a stretch in which the survivor serves QUIET_WHILE_OTHER_SERVES
    // requests and the victim none (its card may also disappear once its grace period ends).
    let victimCount = null;
    let survivorAtLastVictimRequest = null;
    const quiet = await poll(
      async () => {
        const pods = await readPods(page);
        const v = pods.find((p) => p.name === victim.name);
        const s = pods.find((p) => p.name === survivor.name);
        assert.ok(s, `surviving pod ${survivor.name} is still shown`);
        const now = v ? v.requests : victimCount;
        if (victimCount === null || now !== victimCount) {
          victimCount = now;
          survivorAtLastVictimRequest = s.requests;
        }
        const served = s.requests - survivorAtLastVictimRequest;
        return served >= QUIET_WHILE_OTHER_SERVES && { victim: victimCount, survivor: s.requests, served };
      },
      { what: `${victim.name} to stop receiving requests while ${survivor.name} serves ${QUIET_WHILE_OTHER_SERVES}` },
    );
    assert.ok(quiet.survivor > survivor.requests, 'the surviving prod pod kept serving');
    await screenshot(page, 'kill-2-stopped');

    stage = 'replacement';
    const before = new Set(initial.map((p) => p.name));
    const replacement = await poll(
      async () => (await prodPods(page)).find((p) => !before.has(p.name)),
      { what: 'a replacement prod pod to appear' },
    );
    const served = await poll(
      async () => (await prodPods(page)).find((p) => p.name === replacement.name && p.ready && p.requests > 0),
      { what: `replacement ${replacement.name} to become ready and receive requests` },
    );
    assert.ok(served.requests > 0);

    // The killed pod never served again.
    const last = (await readPods(page)).find((p) => p.name === victim.name);
    if (last) assert.equal(last.requests, quiet.victim, `${victim.name} served after it was killed`);
    await screenshot(page, 'kill-3-replaced');
    assert.deepEqual(problems, [], 'no console errors or warnings, page errors or failed requests');
  } catch (e) {
    await screenshot(page, `kill-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
