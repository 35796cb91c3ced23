#!/usr/bin/env node
// Measures what a visitor waits for: the size of playground.wasm (raw and gzip, as a static host would send it)
// and the time from navigation to the app's first drawn frame in headless Chromium (software WebGL2, so a real
// GPU machine is faster). Serves the built site on a free local port; runs the page `runs` times, fresh context each.
//   node bench/web_first_frame.mjs [site-folder] [--runs N]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { chromium } from 'playwright-core';

import { serve } from '../scripts/serve.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium_flags = [
  '--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
];
const targets = { wasm_raw_bytes: 1.5e6, first_frame_ms: 1500 };

let site = path.join(repo_root, 'build/wasm/site');
let runs = 5;
for (let i = 2; i < process.argv.length; ++i) {
  if (process.argv[i] === '--runs') runs = Number(process.argv[++i]) || runs;
  else site = path.resolve(process.argv[i]);
}

const wasm = await fs.readFile(path.join(site, 'playground.wasm'));
const js = await fs.readFile(path.join(site, 'playground.js'));
const gzip = (bytes) => zlib.gzipSync(bytes, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`playground.wasm  ${kb(wasm.length)} raw, ${kb(gzip(wasm))} gzip   (target <= ${targets.wasm_raw_bytes / 1e6} MB raw)`);
console.log(`playground.js    ${kb(js.length)} raw, ${kb(gzip(js))} gzip`);

const server = await serve(site, 0);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromium_flags, headless: true });
const times = [];
try {
  for (let i = 0; i < runs; ++i) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await context.newPage();
    await page.goto(url);
    // index.html notes performance.now() (milliseconds since this page's navigation) at the first drawn frame.
    await page.waitForFunction(() => window.playgroundFirstFrameMs > 0, null, { timeout: 30_000 });
    times.push(await page.evaluate(() => window.playgroundFirstFrameMs));
    await context.close();
  }
} finally {
  await browser.close();
  server.close();
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`first frame      median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)} ` +
            `over ${runs} loads   (target <= ${targets.first_frame_ms} ms)`);
const ok = wasm.length <= targets.wasm_raw_bytes && median <= targets.first_frame_ms;
console.log(ok ? 'within targets' : 'OUTSIDE targets');
process.exit(ok ? 0 : 1);
