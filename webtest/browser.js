// Shared by the browser tests: Debian's /usr/bin/chromium driven by playwright-core (no browser download).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

function fail(msg) {
  console.error('page-test FAILED: ' + msg);
  process.exit(1);
}

/**
 * Runs body(page, errors) in a fresh headless Chromium; errors collects page errors and console errors. Chromium
 * reports every HTTP error answer to a fetch as a console error ("Failed to load resource: ... status of 409"):
 * those whose status is in expectedStatuses are what the test provokes and are not errors.
 */
async function withPage(expectedStatuses, body) {
  const exe = process.env.CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(exe)) fail(exe + ' is missing: apt-get install -y chromium');
  let chromium;
  try {
    ({ chromium } = require('playwright-core'));
  } catch (e) {
    fail('playwright-core is not installed: (cd webtest && npm ci --no-audit --no-fund)');
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  const errors = [];
  const expected = new RegExp('^Failed to load resource: the server responded with a status of (' + expectedStatuses.join('|') + ') ');
  try {
    const page = context.pages()[0] || await context.newPage();
    page.on('pageerror', (e) => errors.push('page error: ' + e.message));
    page.on('console', (m) => {
      if (m.type() === 'error' && !(expectedStatuses.length && expected.test(m.text()))) errors.push('console: ' + m.text());
    });
    page.setDefaultTimeout(15000);
    await body(page, errors);
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

module.exports = { fail, withPage };
