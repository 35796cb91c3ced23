#!/usr/bin/env node
// Measures the browser app's CPU time per frame with at least 10 000 requests in flight, drawn as particles by the
// architecture view: bench/scenarios/ten-thousand-in-flight.json (12 000 req/s into a backend that holds each for
// about a second), played at normal speed so each frame simulates its slice of events and draws every live flow.
// CPU per frame is measured inside the page (performance.now() around the whole frame function: engine slice, UI,
// GL command submission; window.playground.frameTimes()), in headless Chromium with software WebGL2.
// Target: median <= 8 ms. Also prints the Charts tab at the same load, for comparison.
//   node bench/web_frame_time.mjs [site-folder] [--seconds N]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

import { serve } from '../scripts/serve.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const chromium_flags = [
  '--no-sandbox', '--disable-gpu', '--use-gl=swiftshader', '--enable-unsafe-swiftshader', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
];
const target_ms = 8;
const flows_wanted = 10_000;

let site = path.join(repo_root, 'build/wasm/site');
let seconds = 5;
for (let i = 2; i < process.argv.length; ++i) {
  if (process.argv[i] === '--seconds') seconds = Number(process.argv[++i]) || seconds;
  else site = path.resolve(process.argv[i]);
}
const scenario = await fs.readFile(path.join(repo_root, 'bench/scenarios/ten-thousand-in-flight.json'), 'utf8');

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = sorted.reduce((s, v) => s + v, 0) / Math.max(sorted.length, 1);
  return { frames: sorted.length, median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1], mean };
}
const fmt = (s) => `median ${s.median.toFixed(2)} ms, mean ${s.mean.toFixed(2)}, p95 ${s.p95.toFixed(2)}, max ${s.max.toFixed(2)} over ${s.frames} frames`;

const server = await serve(site, 0);
const url = `http://127.0.0.1:${server.address().port}/`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromium_flags, headless: true });
let ok = false;
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
  const errors = await page.evaluate((text) => window.playground.loadScenario(text), scenario);
  if (errors.length) throw new Error(`the bench scenario does not load: ${errors.join('; ')}`);
  const results = {};
  for (const [view, reduced] of [['Architecture', false], ['Architecture', true], ['Charts', false]]) {
    await page.evaluate(([name, on]) => { window.playground.setReducedMotion(on); window.playground.selectView(name);
                                          window.playground.seek(5); }, [view, reduced]);
    await page.evaluate(() => { window.playground.setSpeed(1); window.playground.play(); });
    await page.waitForTimeout(500);   // let the page settle after the seek's replay
    await page.evaluate(() => window.playground.clearFrameTimes());
    await page.waitForTimeout(seconds * 1000);
    const sample = await page.evaluate(() => ({ times: window.playground.frameTimes(), stats: window.playground.viewStats(),
                                                clock: window.playground.clock() }));
    await page.evaluate(() => window.playground.pause());
    const frame = summary(sample.times.frame), engine = summary(sample.times.engine);
    if (!results[view]) results[view] = { frame, engine, stats: sample.stats };
    const a = sample.stats.architecture;
    console.log(`${(view + (reduced ? ' (reduced motion)' : '')).padEnd(30)} t=${sample.clock.toFixed(1)} s, ${a.flows_live} flows live` +
                (view === 'Architecture' && !reduced ? `, ${a.particles} particles (${a.particles_on_gpu ? 'GPU shader' : 'ImDrawList fallback'})` : ''));
    console.log(`  CPU per frame   ${fmt(frame)}`);
    console.log(`  engine slice    ${fmt(engine)}`);
    console.log(`  frames per s    ${(frame.frames / seconds).toFixed(1)}`);
  }
  const a = results.Architecture;
  ok = a.stats.architecture.flows_live >= flows_wanted && a.stats.architecture.particles >= flows_wanted &&
       a.frame.median <= target_ms;
  console.log(`target: >= ${flows_wanted} requests in flight drawn, median CPU per frame <= ${target_ms} ms: ` +
              (ok ? 'met' : 'NOT met'));
  await context.close();
} finally {
  await browser.close();
  server.close();
}
process.exit(ok ? 0 : 1);
