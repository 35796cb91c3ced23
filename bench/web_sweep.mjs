#!/usr/bin/env node
// Sweep throughput in the page: runs per second of the Sweep (Web Workers, each with its own engine) over the order
// service's instances on scenarios/shop-spike.json, with 1, 2 and every core's worth of workers, in headless
// Chromium; and the longest gap between the page's frames meanwhile. Compare with bench/sweep_throughput.mjs (the
// CLI's --jobs on the same sweep).
//   node bench/web_sweep.mjs [site-folder] [--seeds N]
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { serve } from '../scripts/serve.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium_flags = [
  '--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
];
let site = path.join(repo_root, 'build/wasm/site');
let seeds = 4;
for (let i = 2; i < process.argv.length; ++i) {
  if (process.argv[i] === '--seeds') seeds = Number(process.argv[++i]) || seeds;
  else site = path.resolve(process.argv[i]);
}
const values = '1,2,3,4';
const runs = 4 * seeds;

const server = await serve(site, 0);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromium_flags, headless: true });
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 720 } })).newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  console.log(`sweep of /services/order/instances over ${values} x ${seeds} seeds = ${runs} runs of shop-spike ` +
              `(navigator.hardwareConcurrency ${cores}, this machine ${availableParallelism()})`);
  let reference = null;
  for (const workers of [...new Set([1, 2, cores])]) {
    await page.evaluate(() => {
      window.__frames = [];
      const tick = (t) => { window.__frames.push(t); if (window.__frames.length < 100000) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const problems = await page.evaluate((spec) => window.playground.startSweep(spec),
      { param: '/services/order/instances', values, seeds, metrics: ['requests.checkout.latency_ms.p99'], workers });
    if (problems.length) throw new Error(problems.join('; '));
    await page.waitForFunction(() => !window.playground.sweep().running, null, { timeout: 600_000 });
    const state = await page.evaluate(() => window.playground.sweep());
    const gap = await page.evaluate(() => {
      let worst = 0;
      for (let i = 1; i < window.__frames.length; ++i) worst = Math.max(worst, window.__frames[i] - window.__frames[i - 1]);
      window.__frames = [];
      return worst;
    });
    if (reference === null) reference = state.csv;
    console.log(`page, ${String(workers).padStart(2)} workers ${state.elapsed_s.toFixed(2).padStart(7)} s  ` +
                `${(runs / state.elapsed_s).toFixed(2).padStart(7)} runs/s  longest frame gap ${gap.toFixed(0)} ms  ` +
                `${state.csv === reference ? 'same CSV' : 'CSV DIFFERS'}`);
  }
} finally {
  await browser.close();
  server.close();
}
