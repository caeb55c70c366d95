#!/usr/bin/env node
// Browser test of the admin page: node page-test.js <adminBaseUrl> <screenshot.png>
// Drives Debian's /usr/bin/chromium with playwright-core (no browser download).
'use strict';
const fs = require('fs');
const path = require('path');
const { fail, withPage } = require('./browser');

async function main() {
  const [base, shot] = process.argv.slice(2);
  if (!base || !shot) fail('usage: node page-test.js <adminBaseUrl> <screenshot.png>');
  // 404: the browser's own request for /favicon.ico (the page has none)
  await withPage([404], async (page, errors) => {
    await page.goto(base.replace(/\/$/, '') + '/', { waitUntil: 'load' });
    const table = page.locator('[data-testid="endpoints-table"]');
    await table.waitFor();
    await page.locator('[data-testid="endpoints-table"] tr[data-endpoint]').first().waitFor();
    const endpoints = await page.$$eval('[data-testid="endpoints-table"] tr[data-endpoint]',
      (rows) => rows.map((r) => r.getAttribute('data-endpoint') + '|' + r.getAttribute('data-verdict')));
    console.log('listed ' + endpoints.length + ' endpoints');
    const expected = ['GET /api/orders/{id}/summary', 'GET /api/categories', 'GET /api/products/{id}'];
    for (const e of expected) {
      if (!endpoints.some((x) => x.startsWith(e + '|'))) fail('endpoint "' + e + '" is not listed; listed: ' + endpoints.join(', '));
    }
    const badge = await page.locator('tr[data-endpoint="GET /api/orders/{id}/summary"] .badge').textContent();
    if (!/FAILING/.test(badge)) fail('GET /api/orders/{id}/summary should show a FAILING badge, shows "' + badge + '"');
    // the filter box narrows the table
    await page.fill('#filter', 'summary');
    const filtered = await page.locator('[data-testid="endpoints-table"] tr[data-endpoint]').count();
    if (filtered !== 1) fail('filter "summary" should leave 1 row, left ' + filtered);
    await page.fill('#filter', '');
    await page.locator('tr[data-endpoint="GET /api/orders/{id}/summary"] td').nth(2).click();
    const ep = page.locator('[data-testid="endpoint-page"]');
    await ep.waitFor();
    await page.locator('[data-testid="endpoint-page"] [data-diff="true"]').first().waitFor();
    const diffs = await page.locator('[data-testid="endpoint-page"] [data-diff="true"]').count();
    const firstDiff = (await page.locator('[data-testid="endpoint-page"] tr[data-diff="true"]').first().innerText()).replace(/\s+/g, ' ');
    if (!/\/average/.test(firstDiff) || !firstDiff.includes('\u2260')) fail('the first highlighted row should be /average with a ≠ marker, is "' + firstDiff + '"');
    const fields = await page.locator('[data-testid="fields-table"]').innerText();
    if (!/integer-division/.test(fields)) fail('the fields table should name the likely cause integer-division: ' + fields);
    await page.locator('[data-testid="latency-table"]').waitFor();
    console.log('endpoint page: ' + diffs + ' highlighted differences, first: ' + firstDiff.trim());
    if (errors.length) fail(errors.join('; '));
    fs.mkdirSync(path.dirname(path.resolve(shot)), { recursive: true });
    // the endpoint page down to the first sample's highlighted body difference
    await page.screenshot({ path: shot, fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1750 } });
    console.log('screenshot: ' + shot);
    console.log('page-test OK');
  });
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
