// The release build embedded with an <iframe> in another page, as README.md shows: it
// loads from a subfolder inside the frame, runs, and logs nothing to the console.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, screenshot, useSuite } from './support.mjs';

const EMBED = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>embedding page</title><link rel="icon" href="data:,"></head>
<body><h1>A page about Services</h1>
<iframe src="/docs/svcplay/" title="svcplay — Kubernetes Services playground"
  width="100%" height="600" style="border:0" loading="lazy"></iframe>
</body></html>`;

const suite = useSuite({ base: '/docs/svcplay/', pages: { '/article.html': EMBED } });

test('the playground runs inside an iframe, served from a subfolder', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.origin}/article.html`);
  try {
    const frame = page.frameLocator('iframe[title^="svcplay"]');
    const served = await poll(
      async () => {
        const counts = await frame
          .locator('[data-pod^="prod-"]')
          .evaluateAll((els) => els.map((e) => Number(e.dataset.requests)));
        return counts.length > 0 && counts.some((n) => n > 0) && counts;
      },
      { what: 'prod pods inside the iframe serving requests' },
    );
    assert.ok(served.length >= 1);
    assert.equal(await frame.locator('[data-service="prod"]').count(), 1);
    await screenshot(page, 'embed');
    assert.deepEqual(problems, [], 'no console errors or warnings, page errors or failed requests');
  } finally {
    await page.close();
  }
});
