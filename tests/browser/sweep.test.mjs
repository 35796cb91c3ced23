// The Sweep in the page (web/panels/sweep.cpp, web/sweep.hpp, web/platform/glue_sweep.js): a sweep of the order
// service's instances on shop-spike runs in Web Workers while the page keeps drawing (no gap between frames over
// 100 ms), and its CSV is byte for byte what `playground-cli sweep` prints for the same options; clicking a point
// of the chart opens that run; the window, opened from the Run menu by mouse, is saved as
// build/screenshots/sweep-1280x720.png.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_not_blank, click_widget, open_app, wait_frames } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = (args) => spawnSync(path.join(repo_root, 'build/native/playground-cli'), args,
                                { encoding: 'utf8', cwd: repo_root });

export default async function sweep({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    const pg = (fn, arg) => page.evaluate(fn, arg);
    assert((await pg(() => window.playground.scenarioName())).length > 0, 'no scenario at start');
    const scenario = await pg(() => window.playground.scenario());
    assert(JSON.parse(scenario).services.some((s) => s.name === 'order'), 'the first scenario is not the shop');

    // Opened from the menu, by mouse.
    const run_menu = (await pg(() => window.playground.layout())).menu_run;
    assert(run_menu, 'the Run menu reports no rectangle');
    await click_widget(page, 'menu_run');
    await click_widget(page, 'menu_sweep');
    assert((await pg(() => window.playground.sweep())).open, 'Run > Sweep did not open the window');

    // The page's frames while the workers run: every requestAnimationFrame timestamp.
    await pg(() => {
      window.__frames = [];
      const tick = (t) => { window.__frames.push(t); if (window.__frames.length < 100000) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    });
    const spec = { param: '/services/order/instances', values: '1,2,3', seeds: 3,
                   metrics: ['requests.checkout.latency_ms.p99', 'requests.checkout.failed'] };
    const problems = await pg((s) => window.playground.startSweep(s), spec);
    assert(problems.length === 0, `the sweep was refused: ${problems.join('; ')}`);
    await page.waitForFunction(() => !window.playground.sweep().running, null, { timeout: 120_000 });
    const state = await pg(() => window.playground.sweep());
    assert(state.complete && state.done === 9, `the sweep did not complete: ${JSON.stringify(state).slice(0, 300)}`);
    const gaps = await pg(() => {
      const f = window.__frames;
      let worst = 0;
      for (let i = 1; i < f.length; ++i) worst = Math.max(worst, f[i] - f[i - 1]);
      return { frames: f.length, worst };
    });
    console.log(`      9 runs in ${state.elapsed_s.toFixed(2)} s (${(9 / state.elapsed_s).toFixed(1)} runs/s); ` +
                `${gaps.frames} frames meanwhile, longest gap ${gaps.worst.toFixed(0)} ms`);
    assert(gaps.frames > 3 && gaps.worst <= 100, `the page stalled: longest gap between frames ${gaps.worst} ms`);

    // The CLI's numbers, byte for byte (the same variants, seeds 1..3 and CSV writer; wasm and native agree).
    const args = ['sweep', 'scenarios/shop-spike.json', '--param', spec.param, '--values', spec.values, '--seeds', '3'];
    for (const m of spec.metrics) args.push('--metric', m);
    const raw = cli(args), summary = cli([...args, '--summary']);
    assert(raw.status === 0, raw.stderr);
    assert(state.csv === raw.stdout, `the page's CSV differs from the CLI's:\n${state.csv}\n---\n${raw.stdout}`);
    assert(state.summary_csv === summary.stdout, `summary CSV differs:\n${state.summary_csv}\n---\n${summary.stdout}`);

    await page.mouse.move(5, 715);
    await wait_frames(page, 4);
    const png = await page.screenshot({ path: path.join(screenshotDir, 'sweep-1280x720.png') });
    await assert_not_blank(page, png, 'the sweep screenshot');

    // A point of the chart opens its run: the value set, the first seed.
    await click_widget(page, 'sweep_point_2');
    await wait_frames(page, 3);
    const opened = JSON.parse(await pg(() => window.playground.scenario()));
    assert(opened.services.find((s) => s.name === 'order').instances === 3 && opened.seed === 1,
           `the clicked point opened instances ${opened.services.find((s) => s.name === 'order').instances}, seed ${opened.seed}`);

    // A bad value is refused with its path, and the window says so.
    const refused = await pg((s) => window.playground.startSweep(s), { ...spec, values: '1,2.5' });
    assert(refused.length === 1 && /\/services\/order\/instances: "2\.5" is not a whole number/.test(refused[0]),
           `a fractional instance count: ${refused}`);
    assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}
