// Working offline (docs/offline.md): the service worker keeps the site, so a page opened once opens again and runs
// without a network, in English and (once its font was fetched) in Chinese; the manifest makes it installable; and a
// new build reaches a browser that has the old one cached.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { serve } from '../../scripts/serve.mjs';
import { assert, open_app, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function wait_controlled(page) {
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 30_000 });
}

// Polls an async predicate in the page (waitForFunction takes a returned Promise for a truthy value).
async function until(page, what, predicate, argument, timeout = 30_000) {
  const start = Date.now();
  while (!(await page.evaluate(predicate, argument))) {
    if (Date.now() - start > timeout) throw new Error(`${what}: not within ${timeout / 1000} s`);
    await page.waitForTimeout(200);
  }
}

// The playground's caches in this browser context, e.g. ['playground-site-0123456789abcdef'].
function cache_names(page) {
  return page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith('playground-')).sort());
}

async function site_version(baseUrl) {
  const text = await (await fetch(`${baseUrl}sw.js`)).text();
  const found = /const site_version = '([0-9a-f]{16})'/.exec(text);
  assert(found, 'sw.js carries no site version (was it stamped by web/offline/stamp_sw.cmake?)');
  return found[1];
}

async function reload_ready(page) {
  await page.reload();
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
  await wait_job_done(page);
}

async function run_scenario(page, what) {
  const library = await page.evaluate(() => window.playground.library());
  const index = library.findIndex((entry) => entry.file === 'shop-spike.json');
  assert(index >= 0, 'shop-spike.json is not among the built-in scenarios');
  const errors = await page.evaluate((i) => window.playground.loadBuiltin(i), index);
  assert(errors.length === 0, `${what}: loading shop-spike failed: ${errors.join('; ')}`);
  const result = await page.evaluate(() => window.playground.runToEnd());
  assert(result.status === 'finished', `${what}: runToEnd ended "${result.status}"`);
  const report = await page.evaluate(() => window.playground.report());
  assert(report && result.events > 0, `${what}: the run has no report or no events`);
}

async function offline_after_first_visit({ browser, baseUrl }) {
  const { context, page, errors } = await open_app(browser, baseUrl);
  try {
    await wait_controlled(page);
    const version = await site_version(baseUrl);
    assert(JSON.stringify(await cache_names(page)) === JSON.stringify([`playground-site-${version}`]),
           `caches ${JSON.stringify(await cache_names(page))}, expected the site's version ${version}`);
    // Installable: Chromium's own check of the manifest, its icon and the service worker.
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert(manifest.errors.length === 0, `manifest errors: ${JSON.stringify(manifest.errors)}`);
    // A playwright context is an incognito profile, where Chromium never offers to install ("in-incognito"); any
    // other reason (no usable icon, a manifest without a name or start URL ...) fails the test.
    const installability = (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors
      .filter((error) => error.errorId !== 'in-incognito');
    assert(installability.length === 0, `not installable: ${JSON.stringify(installability)}`);

    await context.setOffline(true);
    assert(!(await page.evaluate(() => navigator.onLine)), 'the browser still says it is online');
    await reload_ready(page);
    await run_scenario(page, 'offline, English');
    await context.setOffline(false);

    // The Chinese font is kept once fetched: a Chinese page opens offline with its glyphs.
    assert(await page.evaluate(() => window.playground.setLanguage('zh-CN')), 'setLanguage(zh-CN) refused');
    await page.waitForFunction(() => window.playground.font().state === 'loaded', null, { timeout: 30_000 });
    await until(page, 'the font is cached', async () =>
      (await caches.keys()).some((name) => name.startsWith('playground-font-')));
    await context.setOffline(true);
    await reload_ready(page);
    assert(await page.evaluate(() => window.playground.language()) === 'zh-CN', 'the offline page is not in Chinese');
    const font = await page.evaluate(() => window.playground.font());
    assert(font.state === 'loaded', `offline, the Chinese font is "${font.state}" (${font.failure || ''})`);
    await run_scenario(page, 'offline, Chinese');
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

// A copy of the site, served on its own port: changing its index.html and stamping sw.js again is a new build.
async function new_build_reaches_the_browser({ browser, baseUrl }) {
  const site = await fs.mkdtemp(path.join(os.tmpdir(), 'playground-site-'));
  const served = new URL(baseUrl);
  const source = path.join(repo_root, 'build/wasm/site');
  for (const name of await fs.readdir(source)) await fs.copyFile(path.join(source, name), path.join(site, name));
  const server = await serve(site, 0);
  const copyUrl = `http://${served.hostname}:${server.address().port}/`;
  const { context, page, errors } = await open_app(browser, copyUrl);
  try {
    await wait_controlled(page);
    const first = await site_version(copyUrl);
    const marker = `<!-- a new build: ${Date.now()} -->`;
    const index_html = path.join(site, 'index.html');
    await fs.writeFile(index_html, (await fs.readFile(index_html, 'utf8')).replace('</head>', `${marker}\n</head>`));
    const stamped = spawnSync('cmake', [`-DSITE=${site}`, `-DTEMPLATE=${path.join(repo_root, 'web/offline/sw.js.in')}`,
                                        '-P', path.join(repo_root, 'web/offline/stamp_sw.cmake')], { encoding: 'utf8' });
    assert(stamped.status === 0, `stamp_sw.cmake failed: ${stamped.stderr}`);
    const second = await site_version(copyUrl);
    assert(second !== first, `a changed index.html left the site version at ${first}`);

    // Online, a reload lets the browser see the new sw.js; the new worker caches the new files, the old cache goes.
    await reload_ready(page);
    // The check the browser makes on a later visit, asked for now (as index.html does once the app runs).
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await until(page, 'the new build\'s cache replaces the old one', async (want) => {
      const names = (await caches.keys()).filter((name) => name.startsWith('playground-'));
      return names.length === 1 && names[0] === want;
    }, `playground-site-${second}`);
    await context.setOffline(true);
    await reload_ready(page);
    const html = await page.content();
    assert(html.includes(marker), 'offline, the page is still the old build');
    await run_scenario(page, 'offline, new build');
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
    server.close();
    await fs.rm(site, { recursive: true, force: true });
  }
}

export default async function (options) {
  await offline_after_first_visit(options);
  await new_build_reaches_the_browser(options);
}
