// The playground on a phone, 360 × 740 with touch, in Chromium: nothing sticks out
// sideways, there or at 320, 390 and 414 px (the page, the map, every panel and the
// EndpointSlice tables fit; the kube-proxy rules and the event list scroll inside their
// own boxes), every control is a tap target of 32 px or more, a refused import keeps
// its text, and a pod is killed by a tap: it turns terminating and its Deployment
// replaces it. Saves 06-phone.png, the phone shot of the review set.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readOverflow, readPodStates, readSmallTargets, screenshot, screenshotPage, useSuite } from './support.mjs';

const suite = useSuite();

const PHONE = { width: 360, height: 740, isMobile: true, hasTouch: true };

/** Asserts that nothing overflows sideways, naming what does. */
async function assertFits(page, when) {
  const o = await readOverflow(page);
  assert.ok(o.page <= o.viewport, `${when}: the page is ${o.page} px wide in a ${o.viewport} px viewport`);
  assert.deepEqual(o.wide, [], `${when}: boxes wider inside than outside`);
  assert.deepEqual(o.outside, [], `${when}: elements past the viewport's edge`);
}

test('phone widths: no horizontal overflow, 32 px tap targets, a kill by tap', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url, PHONE);
  let stage = 'load';
  try {
    await page.waitForSelector('[data-service="prod"][data-cluster-ip]');
    assert.deepEqual(
      await page.locator('[data-service]').evaluateAll((els) => els.map((e) => e.dataset.service)),
      ['dev', 'prod'],
    );
    const initial = await poll(
      async () => {
        const prod = (await readPodStates(page)).filter((p) => p.name.startsWith('prod-'));
        return prod.length === 2 && prod.every((p) => p.ready && p.requests > 0) && prod;
      },
      { what: 'two ready prod pods that have served requests' },
    );
    await poll(async () => (await page.locator('[data-endpoints="prod"] tr[data-endpoint]').count()) === 2, {
      what: 'the EndpointSlice table of prod',
    });
    await assertFits(page, 'default scenario');
    assert.deepEqual(await readSmallTargets(page), [], 'controls smaller than 32 px');
    // The other common phone widths, then back.
    for (const width of [320, 390, 414]) {
      await page.setViewportSize({ width, height: PHONE.height });
      // The emulated device's resize reaches layout over a few frames (a box can read
      // as the old width's for one of them): wait for the new width to settle, then
      // assert on the settled page.
      await poll(async () => {
        const o = await readOverflow(page);
        return o.viewport === width && o.outside.length === 0 && o.wide.length === 0;
      }, { what: `the layout at ${width} px`, timeout: 3_000 }).catch(() => {});
      await assertFits(page, `default scenario at ${width} px`);
    }
    await page.setViewportSize({ width: PHONE.width, height: PHONE.height });
    await screenshotPage(page, '06-phone');

    stage = 'import dialog';
    await page.locator('[data-action="import"]').tap();
    await page.waitForSelector('[data-dialog="import"]');
    const yaml = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  ports:\n  - port: 99999\n';
    await page.locator('[data-dialog="import"] textarea[data-field="import"]').fill(yaml);
    await page.locator('[data-dialog="import"] button[data-action="apply-import"]').tap();
    await page.waitForSelector('[data-dialog="import"] [data-outcome="refused"]');
    assert.equal(await page.locator('[data-dialog="import"] textarea[data-field="import"]').inputValue(), yaml, 'the refused YAML stays in the box to be fixed');
    await assertFits(page, 'import dialog with a refusal');
    assert.deepEqual(await readSmallTargets(page), [], 'dialog controls smaller than 32 px');
    await screenshotPage(page, 'phone-import-refused');
    await page.locator('[data-dialog="import"] button[data-action="close"]').tap();

    stage = 'kill by tap';
    const [victim, survivor] = initial;
    await page.locator(`[data-pod="${victim.name}"] button[data-action="kill"]`).tap();
    await poll(
      async () => (await readPodStates(page)).find((p) => p.name === victim.name)?.state !== 'ready',
      { what: `${victim.name} to leave the ready state after the tap` },
    );
    const replacement = await poll(
      async () =>
        (await readPodStates(page)).find(
          (p) => p.name.startsWith('prod-') && p.name !== victim.name && p.name !== survivor.name && p.ready,
        ),
      { what: 'a ready replacement prod pod' },
    );
    assert.ok(replacement.name !== victim.name, 'the replacement has a new name');
    await assertFits(page, 'after the kill');
    await screenshotPage(page, 'phone-after-kill');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `phone-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
