// Story (c): break a prod pod's app. Its readiness probe fails from then on; after
// failureThreshold × periodSeconds (30 s of simulated time, run at ×10) the pod is
// NotReady: `data-ready=false`, the endpoints panel says ready ✗, and it gets no new
// requests. Heal it and it returns.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, poll, readEndpoints, readPodStates, screenshot, setSpeed, useSuite,
} from './support.mjs';

const suite = useSuite();

const pod = async (page, name) => (await readPodStates(page)).find((p) => p.name === name);
const endpoint = async (page, name) => (await readEndpoints(page, 'prod')).find((e) => e.pod === name);
/** Simulated seconds on the toolbar clock (`12.3 s` or `1:02.3`). */
async function simSeconds(page) {
  const t = (await page.locator('output.clock').innerText()).trim();
  const m = t.match(/(?:(\d+):)?(\d+(?:\.\d+)?)/);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
}

test('a broken pod leaves the ready endpoints after 30 s and returns when healed', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  try {
    const [target] = await poll(
      async () => {
        const p = (await readPodStates(page)).filter((x) => x.name.startsWith('prod-'));
        return p.length === 2 && p.every((x) => x.ready) && p;
      },
      { what: 'two ready prod pods' },
    );
    const name = target.name;
    const card = page.locator(`[data-pod="${name}"]`);

    stage = 'break';
    await card.locator('button[data-action="break"]').click();
    const brokeAt = await simSeconds(page);
    assert.equal(await card.locator('button[data-action="heal"]').count(), 1, 'the button turns into heal');
    assert.equal((await pod(page, name)).ready, true, 'still ready: the probe has not failed 3 times yet');
    await setSpeed(page, 1000);
    await poll(async () => (await pod(page, name)).ready === false, { what: `${name} to turn not ready`, timeout: 20_000 });
    const elapsed = (await simSeconds(page)) - brokeAt;
    assert.ok(elapsed >= 20 && elapsed <= 45, `not ready after ${elapsed.toFixed(1)} simulated seconds (probe: 3 × 10 s)`);
    assert.equal(await card.getAttribute('data-state'), 'not-ready');
    const ep = await endpoint(page, name);
    assert.deepEqual(ep && [ep.ready, ep.serving, ep.terminating], [false, false, false], 'ready ✗ in the slice');
    const row = page.locator(`[data-endpoints="prod"] tr[data-endpoint="${name}"] td`).nth(3);
    assert.match(await row.innerText(), /✗/);
    await setSpeed(page, 100);
    const frozen = (await pod(page, name)).requests;
    await page.waitForTimeout(2_500);
    assert.equal((await pod(page, name)).requests, frozen, 'a not-ready pod gets no new requests');
    await screenshot(page, 'story-c-1-not-ready');

    stage = 'heal';
    await card.locator('button[data-action="heal"]').click();
    await setSpeed(page, 1000);
    await poll(async () => (await pod(page, name)).ready, { what: `${name} to be ready again`, timeout: 20_000 });
    await poll(async () => (await endpoint(page, name))?.ready, { what: 'ready ✓ in the slice' });
    await poll(async () => (await pod(page, name)).requests > frozen, { what: `${name} to serve again` });
    await screenshot(page, 'story-c-2-healed');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `story-c-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
