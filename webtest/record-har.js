#!/usr/bin/env node
// Records fixtures/har/chromium-site.har: Debian's real Chromium (playwright-core, headless) against the site of
// cli/src/test/java/dev/shadowparity/cli/HarSiteBackend.java (see fixtures/har/README.md and fixtures/har/record.sh).
// Usage: node record-har.js <siteBaseUrl> <out.har> [--no-unresolvable]
// Env: CHROMIUM (default /usr/bin/chromium), TIMEOUT_MS (default 30000)
//
// What the browser does, in order:
//   1. GET /old-home: 301 to /, which loads /style.css and /app.js; the page's script fetches /api/articles;
//   2. reload: / again (no-store), /style.css and /app.js revalidated (If-None-Match, 304), /api/articles again;
//   3. window.runChecks(): GET /api/articles/1, HEAD /api/articles/1, GET /login (302 to /api/session),
//      GET /api/missing (404), GET /api/slow aborted after 300 ms by an AbortController, an image from another host
//      name (http://localhost:PORT/cdn/pixel.png) and, unless --no-unresolvable, a fetch of
//      http://parity-unresolvable.invalid/x.js (a name that does not resolve);
//   4. closes the context, which writes the HAR.
'use strict';
const fs = require('fs');
const path = require('path');

async function main() {
  const args = process.argv.slice(2);
  const unresolvable = !args.includes('--no-unresolvable');
  const [base, out] = args.filter((a) => !a.startsWith('--'));
  if (!base || !out) {
    console.error('usage: node record-har.js <siteBaseUrl> <out.har> [--no-unresolvable]');
    process.exit(2);
  }
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) {
    console.error('record-har: ' + exe + ' is missing: apt-get install -y chromium');
    process.exit(1);
  }
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    console.error('record-har: playwright-core is not installed: (cd webtest && npm ci --no-audit --no-fund)');
    process.exit(1);
  }
  const timeout = Number(process.env.TIMEOUT_MS || 30000);
  const harPath = path.resolve(out);
  const browser = await chromium.launch({
    executablePath: exe,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-default-apps', '--disable-sync'],
  });
  try {
    console.log('record-har: chromium ' + browser.version() + ', playwright-core '
      + require('playwright-core/package.json').version);
    const context = await browser.newContext({ recordHar: { path: harPath, content: 'embed', mode: 'full' } });
    const page = await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (e) => console.log('record-har: page error: ' + e.message));
    page.on('console', (m) => console.log('record-har: page console: ' + m.text()));
    page.on('requestfailed', (r) => console.log('record-har: request failed: ' + r.method() + ' ' + r.url() + ' '
      + (r.failure() && r.failure().errorText)));
    const root = base.replace(/\/$/, '');
    await page.goto(root + '/old-home', { waitUntil: 'load' });
    await page.waitForFunction(() => window.siteReady === true);
    console.log('record-har: loaded ' + page.url());
    await page.reload({ waitUntil: 'load' });
    await page.waitForFunction(() => window.siteReady === true);
    console.log('record-har: reloaded ' + page.url());
    const log = await page.evaluate((u) => window.runChecks({ unresolvable: u }), unresolvable);
    console.log('record-har: page log:\n' + log);
    await context.close(); // writes the HAR
    console.log('record-har: wrote ' + harPath);
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error('record-har: ' + (e && e.stack ? e.stack : String(e)));
  process.exit(1);
});
