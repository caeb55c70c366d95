#!/usr/bin/env node
// Browser test of the admin page's triage: node triage-test.js <adminBaseUrl> <proxyBaseUrl> <token> <screenshot.png>
// The tap runs with an admin token and a baseline file holding one stale entry, and has seen a CORS header differ on
// GET /api/users/{id} and GET /api/users and a name differ after a PUT that reached OLD only (AdminPageBrowserTest).
'use strict';
const fs = require('fs');
const path = require('path');
const { fail, withPage } = require('./browser');

const CORS = 'header:access-control-allow-origin';
const ONE = 'GET /api/users/{id}';

async function main() {
  const [base, proxy, token, shot] = process.argv.slice(2);
  if (!base || !proxy || !token || !shot) fail('usage: node triage-test.js <adminBaseUrl> <proxyBaseUrl> <token> <screenshot.png>');
  // 401: the first load, before the token is given; 409: the entry another operator accepted first (provoked below);
  // 404: the browser's own request for /favicon.ico
  await withPage([401, 404, 409], async (page, errors) => {
    await page.goto(base.replace(/\/$/, '') + '/', { waitUntil: 'load' });
    await page.locator('#auth-token').waitFor();
    await page.fill('#auth-token', token);
    await page.click('#auth-form button[type=submit]');

    // one group across both endpoints, with its endpoints behind a summary
    const cors = page.locator(`[data-testid="groups-table"] tr[data-field="${CORS}"]`);
    await cors.waitFor();
    const corsText = (await cors.innerText()).replace(/\s+/g, ' ');
    if (!/on 2 endpoints/.test(corsText)) fail('the CORS group should be on 2 endpoints: ' + corsText);
    await cors.locator('summary').click();
    const listed = await cors.locator('ul.eps li').allInnerTexts();
    if (listed.length !== 2 || !listed.includes(ONE) || !listed.includes('GET /api/users')) fail('the CORS group lists ' + listed.join(', '));
    console.log('group: ' + corsText.trim());

    // the stale entry of the file
    const stale = page.locator('[data-testid="baseline-table"] tr[data-field="/legacy_id"]');
    await stale.waitFor();
    const staleText = await stale.innerText();
    if ((await stale.getAttribute('data-state')) !== 'stale' || !staleText.includes('stale: no longer occurs \u2014 remove it')) {
      fail('the /legacy_id entry should be marked stale: ' + staleText);
    }
    const totals = await page.locator('[data-testid="totals"]').innerText();
    if (!/Accepted/.test(totals)) fail('the totals should count Accepted: ' + totals);

    // another operator accepts the /name difference while this page's form is open: the server's refusal is shown
    const name = page.locator('[data-testid="groups-table"] tr[data-field="/name"]');
    await name.locator('button.accept').click();
    const nameForm = page.locator('[data-testid="groups-table"] tr.accept-row:not([hidden]) form');
    await nameForm.locator('input[name=reason]').fill('users may be renamed on OLD during the test');
    // the form offers the group's own endpoints first; this operator widens it to all, as the other one did
    if (!(await nameForm.locator('input[value=only]').isChecked())) fail('the form should default to the group\'s endpoints');
    await nameForm.locator('input[value=all]').check();
    const first = await page.evaluate(async ([key]) => {
      const res = await fetch('/api/accept', { method: 'POST', headers: { 'Content-Type': 'application/json',
        Authorization: 'Bearer ' + sessionStorage.getItem(key) }, body: JSON.stringify({ field: '/name', kind: 'value',
        endpoints: ['*'], reason: 'renames are not mirrored', by: 'bob' }) });
      return res.status;
    }, ['parity-admin-token']);
    if (first !== 201) fail('the direct accept of /name answered ' + first);
    await nameForm.locator('button[type=submit]').click();
    const err = nameForm.locator('.accept-error');
    await page.waitForFunction((e) => e.textContent.length > 0, await err.elementHandle());
    const errText = await err.innerText();
    if (!/^HTTP 409: already accepted/.test(errText)) fail('the refusal should be shown: "' + errText + '"');
    console.log('refused: ' + errText);
    await nameForm.locator('button', { hasText: 'Cancel' }).click();

    // accept the CORS group on its own two endpoints, through the button
    await cors.locator('button.accept').click();
    const form = page.locator('[data-testid="groups-table"] tr.accept-row:not([hidden]) form');
    await form.locator('input[name=reason]').fill('blanket CORS policy, SEC-112');
    await form.locator('input[name=by]').fill('alice');
    await form.locator('input[value=only]').check();
    await form.locator('button[type=submit]').click();
    const entry = page.locator(`[data-testid="baseline-table"] tr[data-field="${CORS}"]`);
    await entry.waitFor();
    const entryText = (await entry.innerText()).replace(/\s+/g, ' ');
    if (!entryText.includes('alice') || !entryText.includes('SEC-112') || !entryText.includes(ONE)) fail('the new entry shows ' + entryText);
    await page.locator(`[data-testid="groups-table"] tr[data-field="${CORS}"] .accepted`).waitFor();
    console.log('accepted: ' + entryText.trim());

    // from now on it applies: a new exchange is accepted, and the page says so at its next refresh (every 5 s)
    const res = await fetch(proxy.replace(/\/$/, '') + '/api/users/1');
    if (res.status !== 200) fail('GET /api/users/1 through the tap answered ' + res.status);
    await page.waitForFunction((field) => {
      const tr = document.querySelector('[data-testid="baseline-table"] tr[data-field="' + field + '"]');
      return tr && tr.getAttribute('data-state') === 'in-use';
    }, CORS, { timeout: 60000 });
    const accepted = await page.locator('[data-testid="totals"] .box', { hasText: 'Accepted' }).locator('b').innerText();
    if (accepted !== '1') fail('the totals should count 1 accepted, count ' + accepted);

    // the endpoint page: accepted count, query shapes, noise columns, the write that explains a sample
    await page.locator(`[data-testid="endpoints-table"] tr[data-endpoint="${ONE}"] a`).click();
    await page.locator('[data-testid="endpoint-page"] [data-testid="latency-table"]').waitFor();
    const summary = await page.locator('[data-testid="endpoint-page"] > p').nth(1).innerText();
    if (!/, 1 accepted \(by entry [0-9a-f]+: 1\)/.test(summary)) fail('the endpoint should say 1 accepted: ' + summary);
    const shapes = await page.$$eval('[data-testid="query-shapes"] tbody tr', (rows) => rows.map((r) =>
      (r.classList.contains('hot') ? '!' : '') + r.innerText.replace(/\s+/g, ' ').trim()));
    if (!shapes.includes('!?fields 1 1') || !shapes.some((s) => /^!\(no query\) \d+ \d+$/.test(s))) fail('query shapes: ' + shapes.join(' | '));
    const noiseHead = await page.locator('[data-testid="noise-table"] thead').innerText();
    if (!/Hidden when recorded/.test(noiseHead) || !/In mismatches recorded before/.test(noiseHead)) fail('noise columns: ' + noiseHead);
    const served = (await page.locator('[data-testid="noise-table"] tbody tr', { hasText: '/served_by' }).innerText())
      .replace(/\s+/g, ' ').trim();
    if (!/^\/served_by pinned \d+ 0 /.test(served)) fail('noise row: ' + served);
    const write = await page.locator('[data-testid="sample-write"]').first().innerText();
    if (!/^Likely cause: PUT \/api\/users\/2 \(OLD answered 204\) at .* reached OLD only$/.test(write)) fail('sample write: ' + write);
    console.log('endpoint page: ' + shapes.join(' | ') + '; ' + write);

    if (errors.length) fail(errors.join('; '));
    fs.mkdirSync(path.dirname(path.resolve(shot)), { recursive: true });
    await page.goto(base.replace(/\/$/, '') + '/#/', { waitUntil: 'load' });
    await page.locator('[data-testid="baseline-table"]').waitFor();
    await page.locator('[data-testid="triage"]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot, fullPage: true });
    if (errors.length) fail(errors.join('; '));
    console.log('screenshot: ' + shot);
    console.log('triage-test OK');
  });
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
