// Issue 6: a client's request rate. Paused, 20 presses of "step" are exactly 2 s of
// simulated time, so prod's pods count exactly rate × 2 new requests (the credit under one
// request that the client carries adds no whole one): 16 at the default 8 req/s, 80 at 40.
// Invalid rates show the core's words next to the box and change nothing. The card's
// controls are keyboard reachable with a visible focus, and fit a 360 px phone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { artifactsDir, openPage, poll, readPods, screenshot, useSuite } from './support.mjs';

const suite = useSuite();

const CARD = '[data-client="client"]';
const PROD = `${CARD} [data-target="prod"]`;
/** Presses of "step" per measurement: 20 × 100 ms = 2 s of simulated time. */
const STEPS = 20;

/** Saves a screenshot of the client pod's card as tests/artifacts/<name>.png. */
async function cardShot(page, name) {
  await mkdir(artifactsDir, { recursive: true });
  await page.locator(CARD).screenshot({ path: join(artifactsDir, `${name}.png`) });
}

/** Simulated seconds on the toolbar clock (`t = 12.3 s` or `1:02.3`). */
async function simSeconds(page) {
  const t = (await page.locator('output.clock').innerText()).trim();
  const m = t.match(/(?:(\d+):)?(\d+(?:\.\d+)?)/);
  return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
}

const prodServed = async (page) =>
  (await readPods(page)).filter((p) => p.name.startsWith('prod-')).reduce((a, p) => a + p.requests, 0);

/** Steps 2 s of simulated time and returns how many requests prod's pods served in it. */
async function servedInTwoSeconds(page) {
  const before = await prodServed(page);
  const t0 = await simSeconds(page);
  const step = page.locator('button[data-action="step"]');
  for (let i = 0; i < STEPS; i += 1) await step.click();
  await poll(async () => Math.abs((await simSeconds(page)) - (t0 + STEPS / 10)) < 0.01, { what: `the clock at ${t0 + STEPS / 10} s` });
  return (await prodServed(page)) - before;
}

test('a client rate of 40 serves five times the requests of 8; bad rates are refused', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  const box = page.locator(`${PROD} input[data-action="rate"]`);
  const rate = () => page.locator(PROD).getAttribute('data-rate');
  try {
    await poll(async () => {
      const prod = (await readPods(page)).filter((p) => p.name.startsWith('prod-'));
      return prod.length === 2 && prod.every((p) => p.ready);
    }, { what: 'two ready prod pods' });
    await page.locator('button[data-action="play"]').click();
    assert.equal(await box.inputValue(), '8');
    assert.equal(await rate(), '8');

    stage = 'at 8 req/s';
    assert.equal(await servedInTwoSeconds(page), 16, '8 req/s × 2 s');

    stage = 'invalid';
    const error = page.locator(`${PROD} [data-error="rate"]`);
    for (const [text, got] of [['abc', '"abc"'], ['-1', '"-1"'], ['1.5', '"1.5"'], ['5000', '5000']]) {
      await box.fill(text);
      await box.press('Enter');
      assert.equal(
        await error.innerText(),
        `client "client" (to service "prod"): rate: must be between 0 and 1000 requests per second, got ${got}`,
      );
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
      assert.equal(await rate(), '8', `${text} changed nothing`);
    }
    await cardShot(page, 'rate-1-card-error');
    assert.equal(await servedInTwoSeconds(page), 16, 'still 8 req/s after the refusals');

    stage = 'at 40 req/s';
    await box.fill('40');
    await box.press('Enter');
    assert.equal(await rate(), '40');
    assert.equal(await error.count(), 0, 'the error is gone');
    assert.equal(await servedInTwoSeconds(page), 80, '40 req/s × 2 s: five times as many');
    assert.equal(
      await page.locator('[data-event="client/client"]').first().innerText().then((t) => t.includes('sends 40 requests per second to service prod (was 8/s)')),
      true,
      'the change is in the event log',
    );

    stage = 'keyboard';
    await page.locator(CARD).focus();
    await page.keyboard.press('Tab'); // dev's target box
    await page.keyboard.press('Tab'); // dev's −
    await page.keyboard.press('Tab'); // dev's box
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { action: el?.dataset.action, target: el?.closest('[data-target]')?.dataset.target, outline: getComputedStyle(el).outlineStyle };
    });
    assert.deepEqual(focused, { action: 'rate', target: 'dev', outline: 'solid' }, 'Tab reaches the box, with a visible focus ring');
    await page.keyboard.press('Tab'); // dev's +
    await page.keyboard.press('Enter');
    assert.equal(await page.locator(`${CARD} [data-target="dev"]`).getAttribute('data-rate'), '5', '+ by keyboard');
    await cardShot(page, 'rate-2-card');
    await screenshot(page, 'rate-3-page');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `rate-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});

test('the client cards and their rate controls fit a 360 px phone', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url, { width: 360, height: 740 });
  try {
    await poll(async () => (await page.locator(`${PROD} input[data-action="rate"]`).count()) === 1, { what: 'the rate box' });
    await page.locator(`${PROD} input[data-action="rate"]`).fill('abc');
    await page.locator(`${PROD} input[data-action="rate"]`).press('Enter');
    await page.locator(`${PROD} [data-error="rate"]`).waitFor();
    const overflow = await page.$$eval('[data-client]', (cards) =>
      cards.flatMap((card) => {
        const c = card.getBoundingClientRect();
        const out = [];
        if (c.left < 0 || c.right > window.innerWidth) out.push(`${card.dataset.client} card ${c.left}–${c.right}`);
        for (const el of card.querySelectorAll('[data-action], [data-error]')) {
          const r = el.getBoundingClientRect();
          if (r.left < c.left || r.right > c.right) out.push(`${card.dataset.client} ${el.dataset.action ?? 'error'} ${r.left}–${r.right} outside ${c.left}–${c.right}`);
        }
        return out;
      }),
    );
    assert.deepEqual(overflow, [], 'every control inside its card, every card on screen');
    await cardShot(page, 'rate-4-phone-card');
    await screenshot(page, 'rate-5-phone');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } finally {
    await page.close();
  }
});
