#!/usr/bin/env node
// Browser end-to-end tests: serves the built site (build/wasm/site, or the folder given) on a free port, launches
// Debian's Chromium headless through playwright-core, and runs every tests/browser/*.test.mjs. Each test module
// exports a default async function ({browser, baseUrl, screenshotDir}) that throws on failure.
// Prints one line per test and a final "N passed, M failed"; exits non-zero when anything failed.
//   node tests/browser/run.mjs [site-folder] [--filter text]
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

import { serve } from '../../scripts/serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo_root = path.resolve(here, '../..');
const chromium_path = '/usr/bin/chromium';
// WebGL2 on the CPU in a closed network (docs/toolchain.md, "Headless Chromium for the browser tests").
// playwright adds --headless and a fresh temporary --user-data-dir itself.
const chromium_flags = [
  '--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
];
const test_timeout_ms = 120_000;   // a test file may ask for longer with `export const timeout_ms = ...`

function parse_arguments(argv) {
  const options = { site: path.join(repo_root, 'build/wasm/site'), filter: '' };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === '--filter') options.filter = argv[++i] || '';
    else options.site = path.resolve(argv[i]);
  }
  return options;
}

function with_timeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function main() {
  const options = parse_arguments(process.argv.slice(2));
  for (const needed of ['index.html', 'playground.js', 'playground.wasm']) {
    if (!existsSync(path.join(options.site, needed))) {
      console.error(`run: ${options.site}/${needed} missing; build the site first (./play builds it)`);
      console.log('0 passed, 1 failed');
      return 1;
    }
  }
  if (!existsSync(chromium_path)) {
    console.error(`run: ${chromium_path} missing; install the Debian package chromium (scripts/install-deps.sh)`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const test_files = (await fs.readdir(here))
    .filter((name) => name.endsWith('.test.mjs') && name.includes(options.filter))
    .sort();
  const screenshotDir = path.join(repo_root, 'build/screenshots');
  await fs.mkdir(screenshotDir, { recursive: true });

  const server = await serve(options.site, 0);
  const baseUrl = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: chromium_path, args: chromium_flags, headless: true });
  let passed = 0;
  let failed = 0;
  try {
    for (const file of test_files) {
      const name = file.replace(/\.test\.mjs$/, '');
      const started = Date.now();
      try {
        const module = await import(pathToFileURL(path.join(here, file)).href);
        const test = module.default;
        if (typeof test !== 'function') throw new Error(`${file} has no default export function`);
        await with_timeout(test({ browser, baseUrl, screenshotDir }), module.timeout_ms || test_timeout_ms, name);
        ++passed;
        console.log(`ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      } catch (error) {
        ++failed;
        console.log(`FAIL  ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        console.log(String(error && error.stack ? error.stack : error).replace(/^/gm, '      '));
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  });
