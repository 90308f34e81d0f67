// Story (d): edit Service dev's selector. While typing `app=prod` the prod pods are
// highlighted; Enter applies it and dev's endpoints and traffic move to the prod pods.
// An invalid selector shows Kubernetes' message next to the box and changes nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  openPage, poll, readEndpoints, readPodStates, readShares, screenshot, useSuite,
} from './support.mjs';

const suite = useSuite();

test('a valid selector moves dev traffic to prod pods; an invalid one is refused', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  const box = page.locator('[data-service="dev"] input[data-action="selector"]');
  try {
    await poll(
      async () => (await readPodStates(page)).filter((p) => p.ready && /^(dev|prod)-/.test(p.name)).length === 3,
      { what: 'three ready app pods' },
    );
    assert.equal(await box.inputValue(), 'app=dev');
    const prodNames = (await readPodStates(page)).filter((p) => p.name.startsWith('prod-')).map((p) => p.name).sort();

    stage = 'preview';
    await box.fill('app=prod');
    const marks = await readPodStates(page);
    assert.deepEqual(
      marks.map((p) => [p.name.startsWith('prod-'), p.match]),
      marks.map((p) => [p.name.startsWith('prod-'), String(p.name.startsWith('prod-'))]),
      'prod pods highlighted, dev pod not',
    );
    assert.deepEqual((await readEndpoints(page, 'dev')).map((e) => e.pod.slice(0, 4)), ['dev-'], 'a preview routes nothing');
    await screenshot(page, 'story-d-1-preview');

    stage = 'apply';
    await box.press('Enter');
    await poll(
      async () => JSON.stringify((await readEndpoints(page, 'dev')).map((e) => e.pod).sort()) === JSON.stringify(prodNames),
      { what: "dev's endpoints to be the prod pods" },
    );
    assert.equal(await page.locator('[data-pod^="prod-"][data-match]').count(), 0, 'applied: no more preview');
    await poll(
      async () => {
        const rows = await readShares(page, 'dev');
        return prodNames.every((n) => rows.some((r) => r.pod === n && r.served > 0));
      },
      { what: 'dev traffic to reach both prod pods' },
    );
    await screenshot(page, 'story-d-2-applied');

    stage = 'invalid';
    for (const [text, words] of [
      ['app in (', "service \"dev\": unable to parse requirement: found '', expected: ',', ')' or identifier"],
      ['app=-bad-', 'service "dev": unable to parse requirement: values[0][app]: Invalid value: "-bad-": a valid label must'],
      ['app==a,', "service \"dev\": found '', expected: identifier after ','"],
    ]) {
      await box.fill(text);
      await box.press('Enter');
      const err = await page.locator('[data-service="dev"] [data-error="selector"]').innerText();
      assert.ok(err.startsWith(words), `${text}: ${err}`);
      assert.equal(await box.getAttribute('aria-invalid'), 'true');
    }
    await screenshot(page, 'story-d-3-refused');
    const still = (await readEndpoints(page, 'dev')).map((e) => e.pod).sort();
    assert.deepEqual(still, prodNames, 'the old selector keeps routing');
    await box.press('Escape');
    assert.equal(await box.inputValue(), 'app=prod', 'Escape shows the selector in force');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `story-d-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
