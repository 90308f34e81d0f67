// Manifests in and out, share links and autosave, in the release build in Chromium:
// importing by paste (and refusing an invalid manifest with its line and column), a
// share link opening the same scenario in a fresh browser, a corrupt link falling back
// to the default without touching the autosave, and the autosave surviving a reload.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, screenshot, useSuite } from './support.mjs';

const SHOP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  replicas: 3
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
  - port: 80
    targetPort: 8080
`;

const suite = useSuite();

const services = (page) => page.$$eval('[data-service]', (els) => els.map((e) => e.dataset.service).sort());
const podNames = (page) => page.$$eval('[data-pod]', (els) => els.map((e) => e.dataset.pod).sort());

async function importYaml(page, text) {
  await page.click('button[data-action="import"]');
  await page.fill('[data-dialog="import"] textarea[data-field="import"]', text);
  await page.click('button[data-action="apply-import"]');
  return page.locator('[data-dialog="import"] .outcome');
}

async function exportYaml(page) {
  await page.click('button[data-action="export"]');
  const yaml = await page.inputValue('[data-dialog="export"] textarea[data-field="export"]');
  await page.click('[data-dialog="export"] button[data-action="close"]');
  return yaml;
}

test('import by paste: pods and Service appear; an invalid manifest says where and changes nothing', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    await poll(async () => (await services(page)).length === 2, { what: 'the default Services' });
    const bad = SHOP.replace('port: 80', 'port: 99999');
    const refused = await importYaml(page, bad);
    assert.equal(await refused.getAttribute('data-outcome'), 'refused');
    const errors = await page.locator('.import-errors li').allTextContents();
    assert.ok(
      errors.some((e) => e.startsWith('document 2, line 29, column 11') && e.includes('spec.ports[0].port: Invalid value: 99999')),
      JSON.stringify(errors),
    );
    await screenshot(page, 'scenario-1-import-refused');
    assert.deepEqual(await services(page), ['dev', 'prod'], 'nothing applied');
    assert.equal(
      await page.inputValue('[data-dialog="import"] textarea[data-field="import"]'), bad,
      'the refused text stays in the box to be fixed',
    );

    const applied = await importYaml(page, SHOP);
    assert.equal(await applied.getAttribute('data-outcome'), 'applied');
    await poll(async () => (await services(page)).includes('shop'), { what: 'Service shop' });
    const shop = await poll(
      async () => {
        const pods = (await podNames(page)).filter((n) => n.startsWith('shop-'));
        return pods.length === 3 && pods;
      },
      { what: 'three shop pods' },
    );
    assert.equal(shop.length, 3);
    await screenshot(page, 'scenario-2-imported');
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});

test('a share link opens the same scenario in a fresh browser; a corrupt one falls back', { timeout: 90_000 }, async () => {
  const { page: a, problems } = await openPage(suite.browser, suite.server.url);
  let b;
  let c;
  try {
    await a.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: suite.server.origin });
    await poll(async () => (await services(a)).length === 2, { what: 'the default Services' });
    await importYaml(a, SHOP);
    await a.click('[data-dialog="import"] button[data-action="close"]');
    await a.click('button[data-action="share"]');
    const link = await a.inputValue('[data-dialog="share"] input[data-field="share"]');
    assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/app\/#s=1\.[A-Za-z0-9_-]+$/);
    assert.equal(a.url(), link, 'the address bar carries the scenario');
    await poll(async () => (await a.locator('[data-dialog="share"] .copy-status').textContent()).length > 0, { what: 'copy status' });
    const copied = await a.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, link, 'the link is on the clipboard');
    await screenshot(a, 'scenario-3-share');
    const yamlA = await exportYaml(a);
    await a.click('button[data-action="embed"]');
    const snippet = await a.inputValue('[data-dialog="embed"] textarea[data-field="embed"]');
    assert.equal(
      snippet,
      `<iframe src="${link.replace('#', '?embed#')}" title="svcplay — Kubernetes Services playground" width="100%" height="900" loading="lazy"></iframe>`,
    );
    await poll(async () => (await a.evaluate(() => navigator.clipboard.readText())) === snippet, { what: 'the snippet on the clipboard' });
    await screenshot(a, 'scenario-3b-embed');
    await a.click('[data-dialog="embed"] button[data-action="close"]');

    ({ page: b } = await openPage(suite.browser, link));
    ({ page: c } = await openPage(suite.browser, link));
    for (const p of [b, c]) {
      await poll(async () => (await services(p)).join() === 'dev,prod,shop', { what: 'the shared Services' });
    }
    assert.equal(await exportYaml(b), yamlA, 'same objects');
    // Same scenario, same run: once every pod is up, the same pod names.
    const settled = async (p) =>
      poll(
        async () => {
          // Six app pods (dev, 2 × prod, 3 × shop); the traffic clients' pods (`client`,
          // and `loadgen`, which sends to every imported Service) are not ones.
          const ready = await p.$$eval('[data-pod]', (els) => {
            const apps = els.filter((e) => e.dataset.pod !== 'client' && e.dataset.pod !== 'loadgen');
            return apps.every((e) => e.dataset.ready === 'true') && apps.length === 6;
          });
          return ready && podNames(p);
        },
        { what: 'six ready pods' },
      );
    const [podsB, podsC] = [await settled(b), await settled(c)];
    assert.deepEqual(podsB, podsC);
    assert.equal(podsB.filter((n) => n.startsWith('shop-')).length, 3);
    await screenshot(b, 'scenario-4-opened-link');

    await b.goto('about:blank'); // a full load, not a same-document fragment change
    await b.goto(`${suite.server.url}#s=1.this*is*not*base64`);
    const notice = await poll(async () => (await b.locator('[data-notice]').textContent().catch(() => '')) || false, {
      what: 'the bad-link notice',
    });
    assert.match(notice, /could not be loaded \(corrupt scenario link: invalid base64 at character 5\)/);
    await poll(async () => (await services(b)).join() === 'dev,prod', { what: 'the default scenario' });
    await screenshot(b, 'scenario-5-bad-link');
    await b.click('[data-notice] button[data-action="dismiss"]');
    assert.equal(await b.locator('[data-notice]').count(), 0, 'the notice is dismissible');
    // A link pasted into the address bar of an open page changes only the fragment.
    await b.evaluate((hash) => {
      location.hash = hash;
    }, new URL(link).hash);
    await poll(async () => (await services(b)).join() === 'dev,prod,shop', { what: 'the pasted link loaded' });
    await b.evaluate(() => {
      location.hash = '#s=7.AAAA';
    });
    const other = await poll(async () => (await b.locator('[data-notice]').textContent().catch(() => '')) || false, {
      what: 'the unknown-version notice',
    });
    assert.match(other, /scenario version "7" is not supported/);
    assert.deepEqual(problems, []);
  } finally {
    await a.close();
    await b?.close();
    await c?.close();
  }
});

test('autosave: an import survives a reload, a bad link does not overwrite it, Reset does', { timeout: 90_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  try {
    await poll(async () => (await services(page)).length === 2, { what: 'the default Services' });
    await importYaml(page, SHOP);
    await poll(async () => (await services(page)).includes('shop'), { what: 'Service shop' });
    await page.reload();
    await poll(async () => (await services(page)).join() === 'dev,prod,shop', { what: 'shop after a reload' });
    await screenshot(page, 'scenario-6-reloaded');

    await page.goto('about:blank'); // full loads, not same-document fragment changes
    await page.goto(`${suite.server.url}#s=1.AAAA`);
    await poll(async () => (await page.locator('[data-notice]').count()) === 1, { what: 'the bad-link notice' });
    assert.deepEqual(await services(page), ['dev', 'prod']);
    await page.waitForTimeout(2_500); // longer than the autosave's throttle
    await page.goto('about:blank');
    await page.goto(suite.server.url);
    await poll(async () => (await services(page)).join() === 'dev,prod,shop', { what: 'the autosave, untouched' });

    await page.click('button[data-action="reset"]');
    await poll(async () => (await services(page)).join() === 'dev,prod', { what: 'the default after Reset' });
    await page.reload();
    await poll(async () => (await services(page)).join() === 'dev,prod', { what: 'Reset saved' });
    assert.deepEqual(problems, []);
  } finally {
    await page.close();
  }
});
