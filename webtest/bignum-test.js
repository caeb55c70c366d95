#!/usr/bin/env node
// Browser test: integers past 2^53 are shown exactly on the endpoint page. node bignum-test.js <adminBaseUrl> <endpoint>
'use strict';
const { fail, withPage } = require('./browser');

async function main() {
  const [base, endpoint] = process.argv.slice(2);
  if (!base || !endpoint) fail('usage: node bignum-test.js <adminBaseUrl> <endpoint>');
  await withPage([404], async (page, errors) => {
    await page.goto(base.replace(/\/$/, '') + '/', { waitUntil: 'load' });
    const row = page.locator('tr[data-endpoint="' + endpoint + '"] td').nth(2);
    await row.waitFor();
    await row.click();
    await page.locator('[data-testid="endpoint-page"] tr[data-diff="true"]').first().waitFor();
    const rows = await page.$$eval('[data-testid="endpoint-page"] tr', (rs) => rs.map((r) => r.innerText.replace(/\s+/g, ' ').trim()));
    // the body table's rows (the fields table also has a /big row, without values)
    const big = rows.find((r) => /^(\u2260 )?\/big 9/.test(r));
    const same = rows.find((r) => /^(\u2260 )?\/same 9/.test(r));
    console.log('big: ' + big);
    console.log('same: ' + same);
    if (!big || !big.includes('9007199254740993') || !big.includes('9007199254740992')) fail('/big should show both exact values: ' + big);
    if (!same || same.includes('\u2260') || !same.includes('9007199254740995')) fail('/same should show one exact value, equal: ' + same);
    if (errors.length) fail(errors.join('; '));
    console.log('bignum-test OK');
  });
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
