// The page never blocks and loses nothing (issue 15, the page's half):
//  - Check on an expensive exercise (built here: the spike exercise over 900 s at ten times the rate) runs as a job
//    in per-frame slices: the cost warning is on screen before it starts, its progress grows over many frames
//    while animation frames keep coming, and the Cancel button (clicked with the mouse) stops it where it got;
//    runToEnd() is a Promise that a cancel() settles as 'cancelled';
//  - the WebGL context lost (WEBGL_lose_context) and restored: the app keeps its run and draws again;
//  - a reload after loading a file (with an intervention) gets the same scenario back, same trace hash at the end;
//  - adversarial scenarios (64 instances with 31 250-long lines at 200 000 arrivals/s; a retry storm at 100 000/s
//    that needs three times the work budget): frames keep arriving, the wasm heap stays under 1.5 GB, and a run
//    stopped by the work budget says so in the page.
// Screenshots: build/screenshots/robust-check-progress-1280x720-dpr2.png (the progress bar and Cancel during
// Check), robust-budget-stop-1280x720.png, robust-context-restored-1280x720.png.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_not_blank, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pg = (page, fn, arg) => page.evaluate(fn, arg);
const heap_limit_bytes = 1.5 * 1024 ** 3;
// Responsiveness, against the "a frame at least every 100 ms". What the app does in a frame (its engine
// slice of at most 30 ms, the UI, GL submission; measured inside the page by frameTimes()) and the gap between
// animation frames (that plus what the browser does to show a frame: in headless Chromium on SwiftShader,
// software GL, 40-60 ms at DPR 1 with the page idle and ~150 ms at DPR 2, so gaps are measured at DPR 1).
// Wall-clock figures on a shared machine include time the OS gave to other processes (the test machine has two
// cores and often a load of 6-9), so what is asserted is what the app controls: its typical frame (90th percentile
// of its frame time) under 100 ms, and animation frames during a job coming at most job_extra_gap_ms later (median)
// than they come to the same page idle, measured just before (the job's slice is 30 ms a frame). The maximum gap and
// how many gaps exceeded 100 ms are printed for every run.
const frame_target_ms = 100;
const job_extra_gap_ms = 50;
let idle_gaps = null;   // the idle page's animation frames, measured first

async function long_exercise() {
  const exercise = JSON.parse(await fs.readFile(path.join(repo_root, 'scenarios/exercise-spike-capacity.json'), 'utf8'));
  // ~15 million events (playground-cli validate --cost): many seconds in the page.
  // Its own name: a scenario named like a built-in exercise is checked against the built-in (and these changes
  // are not allowed there).
  return { ...exercise, name: 'Exercise: the spike, for fifteen minutes', duration_s: 900,
           workload: { ...exercise.workload,
                       arrivals: { rate_per_s: 4000, schedule: [{ at_s: 20, rate_per_s: 6000 }, { at_s: 30, rate_per_s: 4000 }] } } };
}

// 64 x 31 250 waiting slots (the validator's limit on the sum is 2 million) filled at 200 000 arrivals/s: a
// million requests are in the system after ~5 simulated seconds, where the work budget stops the run.
const wide_lines = {
  version: 1, name: 'Adversarial: 64 instances with long lines at 200k/s', seed: 1, duration_s: 120,
  workload: { arrivals: { rate_per_s: 200000 }, keys: { count: 1000 }, mix: [{ request: 'r', weight: 1 }] },
  requests: [{ name: 'r', steps: [{ call: 's' }] }],
  services: [{ name: 's', instances: 64, workers: 1, queue_max: 31250,
               service_time: { dist: 'exponential', mean_ms: 50 } }],
};
// Timeouts of 100 ms on a 40 ms lognormal service with five immediate retries, at 100 000 arrivals/s for 300 s:
// ~207 million events estimated, three times the per-run budget.
const retry_storm = {
  version: 1, name: 'Adversarial: retry storm at 100k/s', seed: 2, duration_s: 300,
  workload: { arrivals: { rate_per_s: 100000 }, keys: { count: 1000 }, mix: [{ request: 'r', weight: 1 }] },
  requests: [{ name: 'r', steps: [{ call: 'a' }, { call: 'b' }] }],
  services: [
    { name: 'a', instances: 8, workers: 64, queue_max: 20000, service_time: { dist: 'constant', mean_ms: 1 } },
    { name: 'b', instances: 16, workers: 8, queue_max: 50000, service_time: { dist: 'lognormal', mean_ms: 40, cv: 1.5 },
      timeout_ms: 100, retries: { max: 5, backoff_ms: 1, jitter: 'none' } },
  ],
};

// Records the gaps between animation frames (the page's own requestAnimationFrame) until stop_frame_gaps.
async function start_frame_gaps(page) {
  await pg(page, () => {
    window.playground.clearFrameTimes();
    window.__gaps = [];
    window.__recording = true;
    let last = performance.now();
    const tick = (t) => {
      window.__gaps.push(t - last);
      last = t;
      if (window.__recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

async function stop_frame_gaps(page) {
  return pg(page, () => {
    window.__recording = false;
    const gaps = window.__gaps.slice(1);
    const sorted = [...gaps].sort((a, b) => a - b);
    const cpu = [...window.playground.frameTimes().frame].sort((a, b) => a - b);
    return { frames: gaps.length, max_ms: sorted[sorted.length - 1] || 0,
             median_ms: sorted[Math.floor(sorted.length / 2)] || 0, over_100: gaps.filter((g) => g > 100).length,
             cpu_max_ms: cpu[cpu.length - 1] || 0, cpu_p90_ms: cpu[Math.floor(cpu.length * 0.9)] || 0,
             cpu_mean_ms: cpu.reduce((a, b) => a + b, 0) / Math.max(cpu.length, 1) };
  });
}

async function heap_bytes(page) {
  return pg(page, () => ({ wasm: window.Module && window.Module.HEAP8 ? window.Module.HEAP8.length : -1,
                           js: performance.memory ? performance.memory.usedJSHeapSize : -1 }));
}

// Progress samples of the running job, every interval_ms for duration_ms.
async function sample_progress(page, duration_ms, interval_ms = 400) {
  const samples = [];
  for (let waited = 0; waited < duration_ms; waited += interval_ms) {
    await page.waitForTimeout(interval_ms);
    samples.push(await pg(page, () => ({ job: window.playground.job(), frames: window.playground.frames() })));
  }
  return samples;
}

function describe_gaps(gaps) {
  return `${gaps.frames} frames, gap median ${gaps.median_ms.toFixed(0)} ms / max ${gaps.max_ms.toFixed(0)} ms ` +
         `(${gaps.over_100} over 100 ms); in-page frame time mean ${gaps.cpu_mean_ms.toFixed(1)} ms / p90 ` +
         `${gaps.cpu_p90_ms.toFixed(0)} ms / max ${gaps.cpu_max_ms.toFixed(0)} ms`;
}

function assert_responsive(gaps, what) {
  assert(gaps.cpu_p90_ms < frame_target_ms, `${what}: the app's frames: ${describe_gaps(gaps)}`);
  assert(gaps.median_ms <= idle_gaps.median_ms + job_extra_gap_ms,
         `${what}: animation frames ${describe_gaps(gaps)}; idle ${describe_gaps(idle_gaps)}`);
}

async function check_expensive_exercise(page) {
  const scenario = await long_exercise();
  const errors = await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(scenario));
  assert(errors.length === 0, `the long exercise does not load: ${errors}`);
  await wait_frames(page, 3);
  let layout = await pg(page, () => window.playground.layout());
  assert(layout.exercise_cost && layout.cost_warning, `no cost warning before Check: ${Object.keys(layout).join(', ')}`);

  await start_frame_gaps(page);
  await click_widget(page, 'exercise_check');
  const samples = await sample_progress(page, 3200);
  const progress = samples.map((s) => s.job.progress);
  assert(samples.every((s) => s.job.active && s.job.kind === 'check'), `Check is not a running job: ${JSON.stringify(samples[0].job)}`);
  const trace = samples.map((s) => `${(s.job.progress * 100).toFixed(2)}% @${s.frames}`).join(', ');
  let grew = 0;
  for (let i = 1; i < progress.length; ++i) {
    assert(progress[i] >= progress[i - 1], `Check's progress went down: ${trace}`);
    grew += progress[i] > progress[i - 1] ? 1 : 0;
  }
  assert(grew >= (progress.length - 1) / 2, `Check's progress should grow over most samples: ${trace}`);
  assert(progress[progress.length - 1] < 1, 'Check finished too soon to test Cancel: make the exercise longer');
  assert(samples[samples.length - 1].frames - samples[0].frames >= 20,
         `frames stalled during Check: ${samples[0].frames} -> ${samples[samples.length - 1].frames}`);
  layout = await pg(page, () => window.playground.layout());
  assert(layout.exercise_cancel && layout.exercise_cancel_progress && layout.job_cancel,
         `no progress bar and Cancel while checking: ${Object.keys(layout).join(', ')}`);

  await click_widget(page, 'exercise_cancel');
  const gaps = await stop_frame_gaps(page);
  const after = await pg(page, () => ({ job: window.playground.job(), goals: window.playground.goals(),
                                        clock: window.playground.clock(), message: window.playground.message() }));
  assert(!after.job.active, 'Cancel did not stop Check');
  assert(!after.goals.finished && after.clock > 0 && after.clock < scenario.duration_s,
         `a cancelled Check keeps the run where it stopped: clock ${after.clock}, finished ${after.goals.finished}`);
  assert(/Check cancelled/.test(after.message.text), `the banner should say Check was cancelled: ${after.message.text}`);
  const clock_then = after.clock;
  await wait_frames(page, 5);
  assert(await pg(page, () => window.playground.clock()) === clock_then, 'the run went on after Cancel');
  console.log(`      Check: progress ${progress.map((p) => (p * 100).toFixed(1)).join(' < ')} %, cancelled at ` +
              `${clock_then.toFixed(1)} s; ${describe_gaps(gaps)}`);
  assert_responsive(gaps, 'Check');

  // runToEnd() is a Promise; cancel() settles it as cancelled, the run kept where it got.
  await pg(page, () => { window.__result = null; window.__run = window.playground.runToEnd(); });
  await page.waitForTimeout(800);
  assert((await pg(page, () => window.playground.job())).kind === 'run_to_end', 'runToEnd started no job');
  const result = await pg(page, async () => { window.playground.cancel(); return window.__run; });
  assert(result.status === 'cancelled' && result.clock > clock_then && result.clock < scenario.duration_s,
         `runToEnd after cancel: ${JSON.stringify(result)}`);

  // An intervention this late is replayed from zero as a staged job: the previous run stays shown meanwhile, and
  // Cancel undoes the intervention (the scenario and the run are as before it).
  const kept = await pg(page, () => ({ scenario: window.playground.scenario(), clock: window.playground.clock(),
                                       hash: window.playground.traceHash() }));
  await pg(page, () => { window.__intervened = window.playground.intervene({ kind: 'crash', target: 'order#0' }); });
  await page.waitForTimeout(600);
  const replay = await pg(page, () => ({ job: window.playground.job(), clock: window.playground.clock(),
                                         interventions: JSON.parse(window.playground.scenario()).interventions || [] }));
  assert(replay.job.active && replay.job.kind === 'rebuild' && replay.job.staged && replay.job.progress < 1,
         `the intervention should be replaying as a staged job: ${JSON.stringify(replay.job)}`);
  assert(replay.clock === kept.clock && replay.interventions.length === 1,
         `while replaying, the previous run is shown and the scenario has the intervention: ${JSON.stringify(replay)}`);
  const undone = await pg(page, async () => { window.playground.cancel(); return window.__intervened; });
  const back = await pg(page, () => ({ scenario: window.playground.scenario(), clock: window.playground.clock(),
                                       hash: window.playground.traceHash(), message: window.playground.message() }));
  assert(undone.length === 1 && /cancelled/.test(undone[0]), `intervene() after Cancel: ${JSON.stringify(undone)}`);
  assert(back.scenario === kept.scenario && back.clock === kept.clock && back.hash === kept.hash,
         'Cancel during the replay of an intervention should leave the scenario and the run as they were before it');
  assert(/undone/.test(back.message.text), `the banner should say the change was undone: ${back.message.text}`);
  console.log(`      intervention at ${kept.clock.toFixed(1)} s: replay ${(replay.job.progress * 100).toFixed(1)} % ` +
              'when cancelled; scenario and run back as before');
  return gaps;
}

async function check_context_loss(page, screenshotDir) {
  const library = await pg(page, () => window.playground.library());
  const spike = library.findIndex((e) => e.file === 'shop-spike.json');
  await pg(page, (i) => window.playground.loadBuiltin(i), spike);
  await pg(page, () => { window.playground.selectView('Architecture'); return window.playground.seek(22); });
  await wait_frames(page, 3);
  const before = await pg(page, () => ({ scenario: window.playground.scenario(), clock: window.playground.clock(),
                                         hash: window.playground.traceHash() }));
  await pg(page, () => {
    window.__lose = document.getElementById('canvas').getContext('webgl2').getExtension('WEBGL_lose_context');
    window.__lose.loseContext();
  });
  await page.waitForFunction(() => window.playground.graphics().lost, null, { timeout: 5000 });
  const frames_lost = await pg(page, () => window.playground.frames());
  await page.waitForTimeout(300);
  assert(await pg(page, () => window.playground.frames()) > frames_lost, 'frames stopped while the context was lost');
  assert(await pg(page, () => !document.getElementById('status').hidden), 'no notice while the context is lost');
  await pg(page, () => window.__lose.restoreContext());
  await page.waitForFunction(() => !window.playground.graphics().lost && window.playground.graphics().restores === 1,
                             null, { timeout: 5000 });
  await wait_frames(page, 5);
  const after = await pg(page, () => ({ scenario: window.playground.scenario(), clock: window.playground.clock(),
                                        hash: window.playground.traceHash(), stats: window.playground.viewStats(),
                                        overlay_hidden: document.getElementById('status').hidden }));
  assert(after.scenario === before.scenario && after.clock === before.clock && after.hash === before.hash,
         `the run changed across the context loss: ${before.clock} ${before.hash} -> ${after.clock} ${after.hash}`);
  assert(after.overlay_hidden, 'the context-lost notice stayed after the restore');
  assert(after.stats.view === 'Architecture' && after.stats.architecture.particles > 0 &&
         after.stats.architecture.particles_on_gpu,
         `the architecture view draws no particles with its shader after the restore: ${JSON.stringify(after.stats.architecture)}`);
  const png = await page.screenshot({ path: path.join(screenshotDir, 'robust-context-restored-1280x720.png') });
  const stats = await assert_not_blank(page, png, 'the page after the context was restored');
  // It keeps playing and drawing.
  await pg(page, () => { window.playground.setSpeed(1); window.playground.play(); });
  await page.waitForTimeout(500);
  await pg(page, () => window.playground.pause());
  assert(await pg(page, () => window.playground.clock()) > before.clock, 'the run did not play on after the restore');
  console.log(`      context lost and restored at ${before.clock} s: same run (${after.hash}), ` +
              `${after.stats.architecture.particles} particles, ${stats.colours} colours on screen`);
}

async function check_reload(page) {
  const spike = JSON.parse(await fs.readFile(path.join(repo_root, 'scenarios/shop-spike.json'), 'utf8'));
  const file = { ...spike, name: 'Kept across a reload', seed: 1234, duration_s: 40 };
  await page.setInputFiles('#scenario-file', { name: 'kept.json', mimeType: 'application/json',
                                               buffer: Buffer.from(JSON.stringify(file)) });
  await page.waitForFunction(() => window.playground.scenarioName() === 'Kept across a reload', null, { timeout: 5000 });
  await pg(page, () => window.playground.seek(6));
  const scenario = JSON.parse(await pg(page, () => window.playground.scenario()));
  const target = `${scenario.services[scenario.services.length - 1].name}#0`;
  const errors = await pg(page, (t) => window.playground.intervene({ kind: 'crash', target: t, for_ms: 2000 }), target);
  assert(errors.length === 0, `intervention: ${errors}`);
  const before = await pg(page, async () => {
    const text = window.playground.scenario();
    await window.playground.runToEnd();
    return { scenario: text, hash: window.playground.traceHash() };
  });
  assert(JSON.parse(before.scenario).interventions.length === 1, 'the intervention is not in the scenario');

  await page.reload();
  await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
  await wait_job_done(page);
  const after = await pg(page, () => ({ scenario: window.playground.scenario(), clock: window.playground.clock(),
                                        message: window.playground.message() }));
  assert(after.scenario === before.scenario, 'the reload did not bring back the loaded file with its intervention');
  assert(/Restored/.test(after.message.text), `no banner saying the scenario was restored: ${after.message.text}`);
  assert(Math.abs(after.clock - 6) < 1e-6, `a restored scenario opens at its last intervention (6 s): ${after.clock}`);
  const hash = await pg(page, async () => { await window.playground.runToEnd(); return window.playground.traceHash(); });
  assert(hash === before.hash, `trace hash after the reload ${hash} vs before ${before.hash}`);
  console.log(`      reload: "${JSON.parse(after.scenario).name}" with 1 intervention restored, trace ${hash} both times`);
}

async function check_adversarial(page, scenario, run_ms, screenshot) {
  const errors = await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(scenario));
  assert(errors.length === 0, `${scenario.name} does not load: ${errors}`);
  await start_frame_gaps(page);
  await pg(page, () => { window.__result = null; window.__run = window.playground.runToEnd(); window.__run.then((r) => { window.__result = r; }); });
  let peak = { wasm: 0, js: 0 };
  const samples = [];
  for (let waited = 0; waited < run_ms; waited += 500) {
    await page.waitForTimeout(500);
    const heap = await heap_bytes(page);
    peak = { wasm: Math.max(peak.wasm, heap.wasm), js: Math.max(peak.js, heap.js) };
    samples.push(await pg(page, () => window.playground.job()));
    if (await pg(page, () => !!window.__result)) break;
  }
  let result = await pg(page, () => window.__result || null);
  if (!result) result = await pg(page, async () => { window.playground.cancel(); return window.__run; });
  const gaps = await stop_frame_gaps(page);
  const state = await pg(page, () => ({ report: window.playground.report(), message: window.playground.message(),
                                        clock: window.playground.clock(), events: window.playground.events() }));
  console.log(`      ${scenario.name}: ${result.status} at ${state.clock.toFixed(2)} s after ${state.events} events; ` +
              `${describe_gaps(gaps)}; wasm heap ${(peak.wasm / 2 ** 20).toFixed(0)} MB, ` +
              `JS heap ${(peak.js / 2 ** 20).toFixed(0)} MB`);
  assert(peak.wasm > 0 && peak.wasm < heap_limit_bytes, `wasm heap ${peak.wasm} bytes`);
  assert(peak.js < heap_limit_bytes, `JS heap ${peak.js} bytes`);
  assert(gaps.frames >= run_ms / 1000 * 5 || result.status === 'finished', `only ${gaps.frames} frames in ${run_ms} ms`);
  assert_responsive(gaps, scenario.name);
  if (screenshot) await page.screenshot({ path: screenshot });
  return { result, state, gaps, samples };
}

// The progress bar and Cancel during a long Check, as a person on a HiDPI screen sees them.
async function screenshot_check_progress(browser, baseUrl, screenshotDir) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(await long_exercise()));
    await click_widget(page, 'exercise_check');
    await page.mouse.move(5, 715);   // no tooltip over the picture
    await page.waitForTimeout(1500);
    const layout = await pg(page, () => window.playground.layout());
    assert(layout.exercise_cancel && layout.job_cancel, 'no Cancel while checking at DPR 2');
    const png = await page.screenshot({ path: path.join(screenshotDir, 'robust-check-progress-1280x720-dpr2.png') });
    await assert_not_blank(page, png, 'the Check progress screenshot');
    await pg(page, () => window.playground.cancel());
    assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}

export default async function robust({ browser, baseUrl, screenshotDir }) {
  await screenshot_check_progress(browser, baseUrl, screenshotDir);
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  try {
    await start_frame_gaps(page);
    await page.waitForTimeout(2000);
    idle_gaps = await stop_frame_gaps(page);
    console.log(`      idle page: ${describe_gaps(idle_gaps)}`);
    await check_expensive_exercise(page);
    await check_context_loss(page, screenshotDir);
    await check_reload(page);

    // The wide lines hit the work budget (a million requests in the system): the page says so, the run is kept.
    const wide = await check_adversarial(page, wide_lines, 20_000,
                                         path.join(screenshotDir, 'robust-budget-stop-1280x720.png'));
    assert(wide.result.status === 'finished' && wide.state.report.stopped,
           `the wide-lines run should stop at the work budget: ${JSON.stringify(wide.result)}`);
    assert(wide.state.message.error && /work limit/.test(wide.state.message.text) &&
           wide.state.message.text.includes(wide.state.report.stopped.message),
           `the budget stop is not explained in the page: ${wide.state.message.text}`);
    // The storm would need three budgets of work: a few seconds of it, then Cancel.
    const storm = await check_adversarial(page, retry_storm, 6000, null);
    assert(storm.result.status === 'cancelled' && storm.state.clock > 0, `retry storm: ${JSON.stringify(storm.result)}`);
    assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}
