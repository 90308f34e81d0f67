// Story (e): Service prod goes ClusterIP → NodePort → LoadBalancer → ClusterIP through
// its type select. The layers nest and grow, the allocated nodePort is in 30000–32767,
// the user outside reaches prod only while it is exposed (unreachable as ClusterIP),
// and on the way back the nodePort and the load balancer's address are released.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openPage, poll, readPodStates, screenshot, useSuite } from './support.mjs';

const suite = useSuite();

const card = (page) => page.locator('[data-service="prod"]');
const layers = (page) => card(page).locator('[data-layer]').evaluateAll((els) => els.map((e) => e.dataset.layer));
const served = async (page) =>
  (await readPodStates(page)).filter((p) => p.name.startsWith('prod-')).reduce((a, p) => a + p.requests, 0);
const unreachable = async (page) => Number((await card(page).locator('[data-unreachable]').getAttribute('data-unreachable').catch(() => '0')) ?? 0);

test('ClusterIP → NodePort → LoadBalancer → ClusterIP: nodePort allocated, outside traffic flows, values released', { timeout: 120_000 }, async () => {
  const { page, problems } = await openPage(suite.browser, suite.server.url);
  let stage = 'load';
  const type = card(page).locator('select[data-action="type"]');
  try {
    await page.waitForSelector('[data-service="prod"][data-cluster-ip]');
    await poll(async () => (await readPodStates(page)).filter((p) => p.ready).length >= 3, { what: 'ready pods' });
    assert.equal(await card(page).getAttribute('data-type'), 'ClusterIP');
    const clusterIp = await card(page).getAttribute('data-cluster-ip');
    assert.match(clusterIp, /^10\.\d+\.\d+\.\d+$/, 'a ClusterIP from the service range');
    assert.equal(await card(page).getAttribute('data-node-port'), null);
    assert.deepEqual(await layers(page), ['ClusterIP']);
    await poll(async () => (await unreachable(page)) > 0, { what: "the outside user's requests to be unreachable" });
    await screenshot(page, 'story-e-1-clusterip');

    stage = 'NodePort';
    await type.selectOption('NodePort');
    await poll(async () => (await card(page).getAttribute('data-type')) === 'NodePort', { what: 'type NodePort' });
    const nodePort = Number(await card(page).getAttribute('data-node-port'));
    assert.ok(nodePort >= 30000 && nodePort <= 32767, `nodePort ${nodePort} in 30000–32767`);
    assert.equal(await card(page).getAttribute('data-cluster-ip'), clusterIp, 'the ClusterIP is kept');
    assert.deepEqual(await layers(page), ['NodePort', 'ClusterIP'], 'NodePort wraps ClusterIP');
    const stuck = await unreachable(page);
    const before = await served(page);
    await page.waitForTimeout(3_000);
    assert.equal(await unreachable(page), stuck, 'the user outside reaches it now');
    assert.ok((await served(page)) > before, 'prod pods keep serving');
    await screenshot(page, 'story-e-2-nodeport');

    stage = 'LoadBalancer';
    await type.selectOption('LoadBalancer');
    await poll(async () => (await card(page).getAttribute('data-type')) === 'LoadBalancer', { what: 'type LoadBalancer' });
    assert.equal(Number(await card(page).getAttribute('data-node-port')), nodePort, 'the nodePort is kept');
    assert.deepEqual(await layers(page), ['LoadBalancer', 'NodePort', 'ClusterIP']);
    const lb = await card(page).locator('[data-layer="LoadBalancer"] > .layer-tag .layer-addr').innerText();
    assert.match(lb, /^\d+\.\d+\.\d+\.\d+$/, `an ingress IP (${lb})`);
    await screenshot(page, 'story-e-3-loadbalancer');

    stage = 'back';
    await type.selectOption('ClusterIP');
    await poll(async () => (await card(page).getAttribute('data-type')) === 'ClusterIP', { what: 'type ClusterIP' });
    assert.equal(await card(page).getAttribute('data-node-port'), null, 'the nodePort is released');
    assert.deepEqual(await layers(page), ['ClusterIP']);
    assert.equal(await card(page).getAttribute('data-cluster-ip'), clusterIp);
    const events = await page.locator('[data-event="service/prod"]').allInnerTexts();
    assert.ok(events.length >= 3, `the type changes are events: ${events.join(' | ')}`);
    await poll(async () => (await unreachable(page)) > stuck, { what: 'the outside user to be unreachable again' });
    await screenshot(page, 'story-e-4-back');
    assert.deepEqual(problems, [], 'no console errors or warnings');
  } catch (e) {
    await screenshot(page, `story-e-failed-at-${stage}`).catch(() => {});
    throw e;
  } finally {
    await page.close();
  }
});
