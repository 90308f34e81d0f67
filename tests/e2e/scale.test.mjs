// Story (b): scale prod from 2 to 10 with the replicas box; all ten pods become ready and
// each receives about a tenth of prod's requests; then scale to 1. Invalid replicas show
// the core's refusal next to the box and change nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readPodStates, screenshot, setSpeed, useSuite } from './support.mjs';

/** Simulated seconds of traffic counted (×10: ten wall seconds): 8 req/s → ~800 requests. */
const COUNT_SECONDS = 100;
/** Each pod's share must be within this of 1/10 (about ±4.5 standard deviations at 800 requests). */
const TOLERANCE = 0.05;

const suite = useSuite();

const prodPods = async (page) => (await readPodStates(page)).filter((p) => p.name.startsWith('prod-'));
const clock = (page) => page.locator('output.clock').innerText();

test('scale 2 → 10: every prod pod gets about a tenth; invalid replicas are refused; then 1', { timeout: 180_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  const box = page.locator('[data-deployment="prod"] input[data-action="scale"]');
  try {
    await poll(async () => (await prodPods(page)).filter((p) => p.ready).length === 2, { what: 'two ready prod pods' });
    assert.equal(await box.inputValue(), '2');

    stage = 'invalid';
    for (const [text, words] of [
      ['-1', 'deployment "prod": spec.replicas must be 0..=1000, got -1'],
      ['5000', 'deployment "prod": spec.replicas must be 0..=1000, got 5000'],
    ]) {
      await box.fill(text);
      await box.press('Enter');
      const err = page.locator('[data-deployment="prod"] [data-error="scale"]');
      assert.equal(await err.innerText(), words);
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
      assert.equal((await prodPods(page)).length, 2, `${text} changed nothing`);
    }
    await screenshot(page, 'story-b-1-refused');

    stage = 'scale up';
    await box.fill('10');
    await box.press('Enter');
    assert.equal(await page.locator('[data-deployment="prod"] [data-error="scale"]').count(), 0, 'the error is gone');
    await setSpeed(page, 1000);
    await poll(async () => {
      const p = await prodPods(page);
      return p.length === 10 && p.every((x) => x.ready);
    }, { what: 'ten ready prod pods' });

    stage = 'count';
    const start = new Map((await prodPods(page)).map((p) => [p.name, p.requests]));
    const t0 = await clock(page);
    await page.waitForTimeout((COUNT_SECONDS / 10) * 1000);
    const end = await prodPods(page);
    const served = end.map((p) => ({ name: p.name, n: p.requests - start.get(p.name) }));
    const total = served.reduce((a, b) => a + b.n, 0);
    assert.ok(total > 400, `enough requests counted (${total} from ${t0} to ${await clock(page)})`);
    for (const { name, n } of served) {
      const share = n / total;
      assert.ok(Math.abs(share - 0.1) <= TOLERANCE, `${name} served ${n} of ${total} (${(share * 100).toFixed(1)} %), expected 10 % ± ${TOLERANCE * 100}`);
    }
    const shareRows = await page.$$eval('[data-share="prod"] [data-share-pod]', (els) => els.map((e) => Number(e.dataset.expected)));
    // A tenth each: the panel's shares are of the requests that reached a pod (the user
    // outside cannot reach a ClusterIP Service; those requests are counted apart).
    assert.equal(shareRows.filter((x) => Math.abs(x - 0.1) < 1e-3).length, 10, 'the share panel expects 10 % each');
    await screenshot(page, 'story-b-2-ten');

    stage = 'scale down';
    await box.fill('1');
    await box.press('Enter');
    await poll(async () => (await prodPods(page)).length === 1, { what: 'one prod pod left' });
    assert.equal(await box.inputValue(), '1');
    await screenshot(page, 'story-b-3-one');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `story-b-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
