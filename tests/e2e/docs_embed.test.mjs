// docs/embed.html, served next to the release build as a site would deploy it (the build
// at /app/, the page at /app/docs/embed.html): both playgrounds render, in embed mode
// (the scene and play/pause, no panels), the second with prod scaled to 4, and the
// strict CSP of both pages blocks nothing.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openPage, poll, root, screenshot, useSuite } from './support.mjs';

const suite = useSuite(async () => {
  const page = await readFile(join(root, 'docs', 'embed.html'), 'utf8');
  const css = await readFile(join(root, 'docs', 'embed.css'), 'utf8');
  return { pages: { '/app/docs/embed.html': page, '/app/docs/embed.css': css } };
});

test('docs/embed.html renders two differently configured playgrounds', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}docs/embed.html`, { height: 1400 });
  try {
    const frames = { default: page.frameLocator('iframe#default'), scaled: page.frameLocator('iframe#scaled') };
    const prodPods = (f) => f.locator('[data-pod^="prod-"]').evaluateAll((els) => els.map((e) => Number(e.dataset.requests)));
    for (const [name, want] of [['default', 2], ['scaled', 4]]) {
      const f = frames[name];
      const counts = await poll(async () => {
        const c = await prodPods(f);
        return c.length === want && c.some((n) => n > 0) && c;
      }, { what: `${want} prod pods serving in the ${name} playground` });
      assert.equal(counts.length, want);
      assert.equal(await f.locator('.embed-bar button[data-action="play"]').count(), 1, 'play/pause');
      assert.equal(await f.locator('.scenario-menu, .panels, .toolbar').count(), 0, 'no chrome but the embed bar');
      const open = await f.locator('.embed-bar a.open-full').getAttribute('href');
      assert.ok(open.startsWith(`${suite.server.url}`) && !open.includes('embed'), open);
    }
    const scaledOpen = await frames.scaled.locator('a.open-full').getAttribute('href');
    assert.match(scaledOpen, /#s=1\./, 'open in svcplay keeps the scenario');
    await page.locator('iframe#scaled').scrollIntoViewIfNeeded();
    await screenshot(page, 'docs-embed');
    assert.deepEqual(problems, [], 'no console errors (CSP violations included), page errors or failed requests');
  } finally {
    await page.close();
  }
});

test('docs/embed.html shows lessons 3 and 6 side by side, each on its own', { timeout: 60_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, `${suite.server.url}docs/embed.html`, { width: 1600, height: 1000 });
  try {
    const boxes = [];
    for (const n of [3, 6]) {
      const frame = page.frameLocator(`iframe#lesson-${n}`);
      await frame.locator(`[data-lesson="${n}"][data-goal="unmet"]`).waitFor();
      assert.equal(await frame.locator('[data-lesson]').count(), 1, `only lesson ${n}`);
      boxes.push(await page.locator(`iframe#lesson-${n}`).boundingBox());
    }
    assert.equal(boxes[0].y, boxes[1].y, 'the two frames are level');
    assert.ok(boxes[0].x + boxes[0].width <= boxes[1].x, 'lesson 3 is left of lesson 6');
    assert.ok(boxes[0].width >= 720, `each frame is at least 720 px wide (${boxes[0].width})`);
    await page.locator('iframe#lesson-3').scrollIntoViewIfNeeded();
    await screenshot(page, 'docs-embed-lessons');
    assert.deepEqual(problems, [], 'no console errors or warnings, page errors or failed requests');
  } finally {
    await page.close();
  }
});
