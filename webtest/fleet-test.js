#!/usr/bin/env node
// Browser test of the admin page's fleet view: node fleet-test.js <adminBaseUrl> <screenshot.png>
// The tap (tap-a) shares a PostgreSQL store with tap-b and with tap-gone, which wrote long ago (FleetAdminTest):
// GET /api/users/{id} was compared 40 times through tap-a and 20 through tap-b.
'use strict';
const fs = require('fs');
const path = require('path');
const { fail, withPage } = require('./browser');

const USERS = 'GET /api/users/{id}';

async function main() {
  const [base, shot] = process.argv.slice(2);
  if (!base || !shot) fail('usage: node fleet-test.js <adminBaseUrl> <screenshot.png>');
  const root = base.replace(/\/$/, '');
  // 404: the browser's own request for /favicon.ico (the page has none)
  await withPage([404], async (page, errors) => {
    const comparedIs = (n) => page.waitForFunction(([ep, want]) => {
      const row = Array.from(document.querySelectorAll('tr.endpoint-row')).filter((r) => r.getAttribute('data-endpoint') === ep)[0];
      return row && row.children[2].textContent === want;
    }, [USERS, String(n)]);
    const pressed = async () => (await page.locator('[data-testid="scope-switch"] button[aria-pressed="true"]').innerText()).trim();

    // this tap's own evidence first, with the switch (the store is shared)
    await page.goto(root + '/', { waitUntil: 'load' });
    const sw = page.locator('[data-testid="scope-switch"]');
    await sw.waitFor();
    if ((await pressed()) !== 'This tap') fail('the page should open on this tap, opens on ' + await pressed());
    await comparedIs(40);
    if (!(await page.locator('[data-testid="taps"]').isHidden())) fail('the taps table belongs to the fleet view only');
    console.log('this tap: ' + USERS + ' compared 40');

    // the fleet: counts of every tap, and the taps
    await sw.locator('button[data-scope="fleet"]').click();
    if (!page.url().includes('?scope=fleet')) fail('the address should say the scope: ' + page.url());
    await comparedIs(60);
    if ((await pressed()) !== 'Fleet') fail('the switch should show Fleet pressed, shows ' + await pressed());
    const rows = page.locator('[data-testid="taps-table"] tbody tr');
    // the view refreshes every 5 s; tap-gone's rows were written just before the page opened, maybe after the
    // fleet's last read (kept 2 s)
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="taps-table"] tbody tr').length === 3, null,
      { timeout: 20000 });
    const taps = await rows.evaluateAll((trs) => trs.map((tr) => ({ tap: tr.getAttribute('data-tap'),
      stale: tr.getAttribute('data-stale'), text: tr.innerText.replace(/\s+/g, ' ').trim() })));
    const byTap = {};
    taps.forEach((t) => { byTap[t.tap] = t; });
    for (const id of ['tap-a', 'tap-b', 'tap-gone']) if (!byTap[id]) fail('the taps table should list ' + id + ': ' + JSON.stringify(taps));
    if (!/\(this tap\)/.test(byTap['tap-a'].text)) fail('tap-a should be marked as this tap: ' + byTap['tap-a'].text);
    if (byTap['tap-a'].stale !== 'false' || byTap['tap-b'].stale !== 'false') fail('live taps marked stale: ' + JSON.stringify(taps));
    if (byTap['tap-gone'].stale !== 'true' || !/not seen for over 2 min/.test(byTap['tap-gone'].text)) {
      fail('tap-gone, last seen long ago, should carry the hint: ' + byTap['tap-gone'].text);
    }
    const source = await page.locator('[data-testid="source"]').innerText();
    if (!/^Every tap of store postgresql:\/\//.test(source) || !/3 taps/.test(source)) fail('the fleet source line: ' + source);
    console.log('fleet: ' + USERS + ' compared 60; taps: ' + taps.map((t) => t.text).join(' | '));

    // an endpoint of the fleet: samples from the shared store
    await page.locator('tr.endpoint-row[data-endpoint="' + USERS + '"] td').nth(2).click();
    await page.locator('[data-testid="endpoint-page"]').waitFor();
    await page.locator('[data-testid="scope-note"]').waitFor();
    await page.locator('[data-testid="latency-table"]').waitFor();
    const heading = await page.locator('[data-testid="endpoint-page"] h2', { hasText: 'Samples' }).innerText();
    if (!/^Samples \([1-9]\d*\)$/.test(heading)) fail('the fleet endpoint page should show samples: ' + heading);
    if (!page.url().includes('?scope=fleet#/endpoint/')) fail('the endpoint page keeps the scope: ' + page.url());
    console.log('fleet endpoint page: ' + heading);
    fs.mkdirSync(path.dirname(path.resolve(shot)), { recursive: true });
    await page.goto(root + '/?scope=fleet', { waitUntil: 'load' });
    // a link to /?scope=fleet opens on the fleet
    await page.locator('[data-testid="taps-table"]').waitFor();
    if ((await pressed()) !== 'Fleet') fail('/?scope=fleet should open on the fleet, opens on ' + await pressed());
    await comparedIs(60);
    await page.screenshot({ path: shot, fullPage: true });
    console.log('screenshot: ' + shot);

    // and back
    await sw.locator('button[data-scope="tap"]').click();
    await comparedIs(40);
    if (page.url().includes('scope=')) fail('this tap\'s view has no scope in the address: ' + page.url());
    if (errors.length) fail(errors.join('; '));
    console.log('fleet-test OK');
  });
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
