// Story (a): kill a prod pod. Its card turns Terminating at once (`data-ready=false`), its
// endpoint stays in the slice as terminating and not ready, its request share drops to
// zero, and the Deployment's replacement appears and takes traffic.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, poll, readEndpoints, readPodStates, readShares, screenshot, setSpeed, useSuite,
} from './support.mjs';

const suite = useSuite();

test('a killed pod is terminating, its share drops to zero, a replacement takes traffic', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  try {
    const prod = await poll(
      async () => {
        const p = (await readPodStates(page)).filter((x) => x.name.startsWith('prod-'));
        return p.length === 2 && p.every((x) => x.ready && x.requests > 0) && p;
      },
      { what: 'two ready prod pods serving' },
    );
    const [victim] = prod;
    stage = 'kill';
    await page.locator(`[data-pod="${victim.name}"] button[data-action="kill"]`).click();
    const card = page.locator(`[data-pod="${victim.name}"]`);
    assert.equal(await card.getAttribute('data-ready'), 'false', 'not ready at once');
    assert.equal(await card.getAttribute('data-state'), 'terminating');
    assert.match(await card.locator('.pod-state').innerText(), /Terminating/);
    const ep = (await readEndpoints(page, 'prod')).find((e) => e.pod === victim.name);
    assert.deepEqual(
      ep && { ready: ep.ready, serving: ep.serving, terminating: ep.terminating },
      { ready: false, serving: true, terminating: true },
      'the slice keeps it: terminating, still serving, not ready',
    );
    await screenshot(page, 'story-a-1-terminating');

    stage = 'share';
    await setSpeed(page, 300);
    // The share window is 10 s of simulated time: once it has passed, the victim served none of it.
    await poll(
      async () => {
        const row = (await readShares(page, 'prod')).find((r) => r.pod === victim.name);
        return !row || row.served === 0;
      },
      { what: `${victim.name}'s share to drop to zero` },
    );

    stage = 'replacement';
    const taken = await poll(
      async () => {
        const fresh = (await readPodStates(page)).find((p) => p.name.startsWith('prod-') && !prod.some((o) => o.name === p.name));
        if (!fresh?.ready) return false;
        const row = (await readShares(page, 'prod')).find((r) => r.pod === fresh.name);
        return row && row.served > 0 && { fresh, row };
      },
      { what: 'a replacement prod pod to become ready and take a share' },
    );
    // The core's expectation: half of the requests that reach a pod (the user outside sends
    // 2 req/s that cannot reach a ClusterIP Service; the panel counts them apart).
    assert.ok(Math.abs(taken.row.expected - 0.5) < 1e-3, `expected share ${taken.row.expected} is 0.5`);
    await screenshot(page, 'story-a-2-replaced');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `story-a-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
