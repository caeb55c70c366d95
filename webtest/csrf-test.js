#!/usr/bin/env node
// Browser test of the admin port's CSRF defence: node csrf-test.js <adminBaseUrl> <attackerBaseUrl>
// The attacker's server (AdminPageBrowserTest) serves attack.html, which posts to the admin's /api/reset as soon as it
// loads: a form (what any site can do without JavaScript) or fetch in no-cors mode. Each is opened from another site
// (localhost is not the admin's 127.0.0.1) and from the same site on another port; each must be refused with 403.
// Then the admin page's own POST (same origin) must pass: the test's tap counts exactly one reset.
'use strict';
const { fail, withPage } = require('./browser');

async function main() {
  const [admin, attacker] = process.argv.slice(2);
  if (!admin || !attacker) fail('usage: node csrf-test.js <adminBaseUrl> <attackerBaseUrl>');
  const base = admin.replace(/\/$/, '');
  const target = base + '/api/reset';
  const attackerPort = new URL(attacker).port;
  // 403: the refusals provoked below (Chromium logs each as a console error); 404: /favicon.ico
  await withPage([403, 404], async (page, errors) => {
    const attacks = [
      ['cross-site form', 'http://localhost:' + attackerPort + '/attack.html?form'],
      ['same-site form', 'http://127.0.0.1:' + attackerPort + '/attack.html?form'],
      ['cross-site fetch', 'http://localhost:' + attackerPort + '/attack.html?fetch'],
    ];
    for (const [what, url] of attacks) {
      const answered = page.waitForResponse((r) => r.url() === target && r.request().method() === 'POST');
      await page.goto(url + '#' + encodeURIComponent(base), { waitUntil: 'commit' });
      const res = await answered;
      // what the browser sent (as far as Chromium tells the driver: for a no-cors fetch it may not)
      const headers = await res.request().allHeaders();
      const line = what + ' from ' + new URL(url).origin + ': HTTP ' + res.status() + ', Sec-Fetch-Site '
        + (headers['sec-fetch-site'] || '(not reported)') + ', Origin ' + (headers['origin'] || '(not reported)');
      console.log(line);
      if (res.status() !== 403) fail('the admin should refuse the ' + line);
      if (what.endsWith('form')) {
        // the form navigated to the admin's answer; an opaque fetch answer has no body to read
        const body = await res.text();
        if (!/may not change the admin's state/.test(body)) fail('the refusal should say why: ' + body);
      }
    }
    // the admin page itself: its own POST passes
    await page.goto(base + '/', { waitUntil: 'load' });
    const own = await page.evaluate(async () => {
      const res = await fetch('/api/reset', { method: 'POST', cache: 'no-store' });
      return res.status + ' ' + (await res.text());
    });
    console.log('same-origin POST from the admin page: ' + own.trim());
    if (!own.startsWith('200 ')) fail('the admin page\'s own reset should pass: ' + own);
    if (errors.length) fail(errors.join('; '));
    console.log('csrf-test OK');
  });
}

main().catch((e) => fail(e && e.stack ? e.stack : String(e)));
