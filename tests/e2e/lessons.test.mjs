// Lessons, in the release build, in Chromium: every lesson completed with "show me"
// alone (chained by "next"); lessons 1, 4 and 6 completed by hand (kill a pod, scale
// through the Deployment box, change the type on the Service card); `?embed&lesson=3`
// renders only that lesson and fits the height its snippet recommends; lesson 1 at
// phone width; the first-visit offer; screenshots of each lesson's first and last step;
// "show me" ends with its lines; a lesson never overwrites the sandbox and a returning
// learner finds the lesson world they left; lesson 14's DNS failures at phone width.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readOverflow, screenshot, setSpeed, useSuite } from './support.mjs';

const LESSONS = 14;
/** The height the lesson snippet recommends (web/src/lesson_progress.rs). */
const EMBED_HEIGHT = 1240;
/** The height the scenario snippet recommends (web/src/share.rs). */
const PLAIN_EMBED_HEIGHT = 900;

/** The document's height and the play button's bottom edge. */
const readFit = (page) =>
  page.evaluate(() => {
    const play = document.querySelector('.embed-bar button[data-action="play"]').getBoundingClientRect();
    return { doc: document.documentElement.scrollHeight, playBottom: play.bottom + scrollY };
  });

const suite = useSuite();

const panel = (page) => page.locator('[data-lesson]');
const where = (page) =>
  panel(page).evaluate((e) => ({ lesson: Number(e.dataset.lesson), step: Number(e.dataset.step), goal: e.dataset.goal }));
const goalMet = (page, what, timeout = 60_000) =>
  poll(async () => (await where(page)).goal === 'met', { what, timeout });
const steps = (page) => panel(page).locator('.lesson-count').textContent().then((t) => Number(t.split(' of ')[1]));

test('every lesson is completed with show me alone, one after the other', { timeout: 600_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=1`, { height: 900 });
  try {
    await page.waitForSelector('[data-lesson="1"]');
    await setSpeed(page, 1000);
    for (let n = 1; n <= LESSONS; n++) {
      await poll(async () => (await where(page)).lesson === n, { what: `lesson ${n} open` });
      const total = await steps(page);
      const pad = String(n).padStart(2, '0');
      for (let s = 1; s <= total; s++) {
        const at = await where(page);
        assert.deepEqual(at, { lesson: n, step: s, goal: 'unmet' }, `lesson ${n} step ${s} starts unmet`);
        if (s === 1) await screenshot(page, `lesson-${pad}-first`);
        await page.locator('[data-action="show-me"]').click();
        await goalMet(page, `lesson ${n} step ${s} met by show me`);
        if (s === total) await screenshot(page, `lesson-${pad}-last`);
        const live = await page.locator('[data-lesson-live]').textContent();
        assert.match(live, /^Goal met\./, 'the live region announces the goal');
        if (n < LESSONS || s < total) {
          await page.locator('[data-action="next-lesson"]').click();
          // Keyboard focus moves to the new step's heading, not back to the page's top.
          await poll(async () => (await page.evaluate(() => document.activeElement?.id)) === 'lesson-title', {
            what: `focus on the heading after next (lesson ${n} step ${s})`,
          });
        }
      }
    }
    // After the last lesson's goal: Finish closes the panel.
    await page.locator('[data-action="next-lesson"]').click();
    assert.equal(await panel(page).count(), 0, 'Finish closes the lesson');
    assert.deepEqual(problems, [], 'no console errors or warnings, page errors or failed requests');
  } finally {
    await page.close();
  }
});

test('lesson 1 by hand: kill a prod pod from its card', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=1`);
  try {
    await page.waitForSelector('[data-lesson="1"][data-goal="unmet"]');
    // Predict first: the right answer is marked and explained.
    await page.locator('.lesson-predict [data-choice="0"]').click();
    assert.equal(await page.locator('.lesson-predict .choice.wrong').count(), 1);
    assert.match(await page.locator('.lesson-why').textContent(), /^Not quite\./);
    await page.locator('[data-pod^="prod-"] button[data-action="kill"]').first().click();
    await goalMet(page, 'lesson 1 met by a kill');
    assert.equal(await page.locator('[data-action="next-lesson"]').count(), 1, 'next appears');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('lesson 4 by hand: scale prod to 10 in the Deployment box', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=4`);
  try {
    await page.waitForSelector('[data-lesson="4"][data-goal="unmet"]');
    const box = page.locator('[data-deployment="prod"] input[data-action="scale"]');
    await box.fill('10');
    await box.press('Enter');
    await goalMet(page, 'lesson 4 met by the replicas box');
    assert.equal(await page.locator('[data-pod^="prod-"]').count(), 10);
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('lesson 6 by hand: the type menu, NodePort then LoadBalancer', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=6`);
  try {
    await page.waitForSelector('[data-lesson="6"][data-goal="unmet"]');
    const type = page.locator('[data-service="prod"] select[data-action="type"]');
    await type.selectOption('NodePort');
    await goalMet(page, 'lesson 6 step 1 met by the type menu');
    await page.locator('[data-action="next-lesson"]').click();
    assert.deepEqual(await where(page), { lesson: 6, step: 2, goal: 'unmet' });
    await type.selectOption('LoadBalancer');
    await goalMet(page, 'lesson 6 step 2 met by the type menu');
    assert.equal(await page.locator('[data-service="prod"] [data-layer]').count(), 3, 'three layers');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('?embed&lesson=3 shows only that lesson; embeds fit their snippet height at 720 to 1000 px', { timeout: 180_000 }, async () => {
  for (const width of [720, 1000]) {
    const { page, problems } = await openPage(suite.browser, `${suite.server.url}?embed&lesson=3`, { width, height: EMBED_HEIGHT });
    try {
      await page.waitForSelector('[data-lesson="3"]');
      assert.equal(await panel(page).count(), 1);
      assert.equal(await page.locator('.lesson-pick, .lesson-offer, .scenario-menu, .panels, .toolbar, .console').count(), 0, 'minimal chrome');
      await page.locator('[data-action="show-me"]').click();
      await goalMet(page, 'embedded lesson 3 met');
      assert.equal(await page.locator('[data-action="next-lesson"]').count(), 0, 'an embed stays on its lesson');
      const open = await page.locator('.embed-bar a.open-full').getAttribute('href');
      assert.ok(open.endsWith('?lesson=3'), open);
      if (width === 720) await screenshot(page, 'lesson-embed-3');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
    // The tallest lesson state: lesson 6 with prod a LoadBalancer (three layers).
    const six = await openPage(suite.browser, `${suite.server.url}?embed&lesson=6`, { width, height: EMBED_HEIGHT });
    try {
      await six.page.waitForSelector('[data-lesson="6"]');
      let fit = await readFit(six.page);
      assert.ok(fit.doc <= EMBED_HEIGHT && fit.playBottom <= EMBED_HEIGHT, `lesson 6 at ${width} px: ${JSON.stringify(fit)}`);
      await six.page.locator('[data-action="show-me"]').click();
      await goalMet(six.page, 'lesson 6 step 1');
      await six.page.locator('[data-action="next-lesson"]').click();
      await six.page.locator('[data-action="show-me"]').click();
      await goalMet(six.page, 'lesson 6 step 2');
      fit = await readFit(six.page);
      assert.ok(fit.doc <= EMBED_HEIGHT && fit.playBottom <= EMBED_HEIGHT, `lesson 6 done at ${width} px: ${JSON.stringify(fit)}`);
      await screenshot(six.page, `lesson-embed-6-${width}`);
      assert.deepEqual(six.problems, []);
    } finally {
      await six.page.close();
    }
    const plain = await openPage(suite.browser, `${suite.server.url}?embed`, { width, height: PLAIN_EMBED_HEIGHT });
    try {
      await plain.page.waitForSelector('[data-pod^="prod-"][data-ready="true"]');
      const fit = await readFit(plain.page);
      assert.ok(fit.doc <= PLAIN_EMBED_HEIGHT && fit.playBottom <= PLAIN_EMBED_HEIGHT, `the scenario embed at ${width} px: ${JSON.stringify(fit)}`);
      assert.deepEqual(plain.problems, []);
    } finally {
      await plain.page.close();
    }
  }
});

test('lesson 1 at phone width, by tapping', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=1`, {
    width: 390, height: 844, isMobile: true, hasTouch: true,
  });
  try {
    await page.waitForSelector('[data-lesson="1"]');
    await page.locator('.lesson-predict [data-choice="1"]').tap();
    assert.match(await page.locator('.lesson-why').textContent(), /^Right\./);
    await page.locator('[data-action="show-me"]').tap();
    await goalMet(page, 'lesson 1 met at phone width');
    const overflow = await readOverflow(page);
    assert.deepEqual({ wide: overflow.wide, outside: overflow.outside }, { wide: [], outside: [] }, 'nothing sticks out sideways');
    await screenshot(page, 'lesson-phone-1');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a first-time visitor is offered the tour, and a returning one lands where they left', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    await page.waitForSelector('[data-offer]');
    assert.equal(await panel(page).count(), 0, 'the offer does not open a lesson by itself');
    await page.locator('[data-action="start-tour"]').click();
    await page.waitForSelector('[data-lesson="1"]');
    await page.locator('[data-action="show-me"]').click();
    await goalMet(page, 'lesson 1 met');
    await page.locator('[data-action="next-lesson"]').click();
    await page.waitForSelector('[data-lesson="2"]');
    await page.reload();
    await page.waitForSelector('[data-lesson="2"][data-goal="unmet"]');
    assert.equal(await page.locator('[data-offer]').count(), 0, 'no offer for a returning learner');
    const picked = await page.locator('select[data-action="pick-lesson"] option', { hasText: '✓ 1.' }).count();
    assert.equal(picked, 1, 'lesson 1 is marked done');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('"show me" ends when its lines end, and next appears when the goal is met', { timeout: 120_000 }, async () => {
  // Lesson 14, step 1: two lines, 600 ms apart, at ×1.
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=14`);
  try {
    await page.waitForSelector('[data-lesson="14"][data-goal="unmet"]');
    const button = page.locator('[data-action="show-me"]');
    await button.click();
    await poll(async () => (await button.textContent()) === 'Show me', {
      what: '"Showing…" to end with the second line (about 0.6 s)',
      timeout: 2_500,
      interval: 50,
    });
    assert.match(await page.locator('.lesson-doing code').textContent(), /^kubectl exec shopper -- nslookup api\.shop$/);
    await goalMet(page, 'lesson 14 step 1 met');
    assert.equal(await button.textContent(), 'Show me');
    assert.equal(await button.isDisabled(), true, 'done: nothing left to show');
    assert.equal(await page.locator('[data-action="next-lesson"]').count(), 1, 'next appears');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a lesson never overwrites the sandbox: closing returns to it, and a returning learner finds the lesson world they left', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  const stored = (key) => page.evaluate((k) => localStorage.getItem(k), key);
  const prodPods = () => page.locator('[data-pod^="prod-"]').count();
  try {
    await page.locator('[data-action="dismiss-tour"]').click();
    // The learner's own sandbox: prod at 5 replicas, autosaved.
    const box = page.locator('[data-deployment="prod"] input[data-action="scale"]');
    await box.fill('5');
    await box.press('Enter');
    await poll(async () => (await prodPods()) === 5, { what: 'prod at 5 pods' });
    const mine = await poll(async () => (await stored('svcplay.autosave')) ?? false, { what: 'the sandbox autosaved' });
    await page.waitForTimeout(2_500);
    const sandbox = await stored('svcplay.autosave');
    // A lesson over it: lesson 4 scales prod to 10 in its own world.
    await page.locator('select[data-action="pick-lesson"]').selectOption('3');
    await page.waitForSelector('[data-lesson="4"][data-goal="unmet"]');
    assert.equal(await prodPods(), 2, "the lesson's own world");
    await page.locator('[data-action="show-me"]').click();
    await goalMet(page, 'lesson 4 met');
    await poll(async () => (await stored('svcplay.lesson-world'))?.startsWith('4.1 s=1.'), { what: "the lesson's world saved under its own key" });
    assert.equal(await stored('svcplay.autosave'), sandbox, 'the sandbox autosave is untouched');
    assert.ok(mine);
    // A returning learner: lesson 4, step 1, prod at 10 as they left it.
    await page.reload();
    await page.waitForSelector('[data-lesson="4"][data-step="1"]');
    await poll(async () => (await prodPods()) === 10, { what: 'the lesson world as left (10 prod pods)' });
    // Closing the lesson: the sandbox as it was.
    await page.locator('[data-action="close-lesson"]').click();
    await poll(async () => (await prodPods()) === 5, { what: 'the sandbox back (5 prod pods)' });
    await page.waitForTimeout(2_500);
    assert.equal(await stored('svcplay.autosave'), sandbox, 'still the sandbox');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('lesson 14 at phone width: the DNS failures fit the client card, nothing sticks out sideways', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}?lesson=14`, { width: 390, height: 844, isMobile: true, hasTouch: true });
  try {
    await page.waitForSelector('[data-lesson="14"]');
    await poll(async () => Number(await page.locator('[data-client="shopper"] [data-unresolved]').getAttribute('data-unresolved').catch(() => 0)) > 0, {
      what: "shopper's DNS failures on its card",
    });
    assert.match(
      await page.locator('[data-client="shopper"] .client-dns code').textContent(),
      /^\d+ × Unable to lookup 'api\.shop' : lookup api\.shop on 10\.96\.0\.10:53: no such host$/,
    );
    const overflow = await readOverflow(page);
    assert.deepEqual({ page: overflow.page, wide: overflow.wide }, { page: 390, wide: [] });
    await screenshot(page, 'lesson-14-phone');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
