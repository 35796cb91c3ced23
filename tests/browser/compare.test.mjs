// Compare (A/B) in the page (web/panels/compare.cpp, web/compare.hpp): Run › Compare with… by mouse; B edited through
// the same parameter editors (Edit B, a Ctrl+click on the arrival rate, typing, Enter) while A keeps its value; B
// follows A's run; the table's B − A is B's number minus A's; over 3 seeds the pairs run in workers and give exactly
// the numbers `playground-cli compare A.json B.json --seeds 3 --json` prints; a copied link carries B (a new page
// opened on it compares the same two, B with the same trace hash); compared with itself every difference is zero.
// Screenshots (looked at): build/screenshots/compare-overlay-1280x720.png (A solid, B dashed) and
// compare-split-1280x720.png (Split A | B), DPR 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_no_missing_glyphs, assert_not_blank, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = (args) => spawnSync(path.join(repo_root, 'build/native/playground-cli'), args,
                                { encoding: 'utf8', cwd: repo_root });

// Ctrl+click turns an ImGui drag field into a text field with its text selected (the press and the release each
// in their own frames, as ImGui 1.86 reads one mouse state per frame).
async function ctrl_click_widget(page, name) {
  await page.keyboard.down('Control');
  await wait_frames(page, 2);
  await click_widget(page, name);
  await page.keyboard.up('Control');
  await wait_frames(page, 2);
}

export default async function compare({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  const dir = mkdtempSync(path.join(tmpdir(), 'compare-'));
  try {
    const pg = (fn, arg) => page.evaluate(fn, arg);
    const a_scenario = JSON.parse(await pg(() => window.playground.scenario()));
    assert(a_scenario.services.some((s) => s.name === 'order'), 'the first scenario is not the shop');
    const rate_a = a_scenario.workload.arrivals.rate_per_s;
    assert(typeof rate_a === 'number', 'the shop has an arrival rate');

    // Run › Compare with…, by mouse.
    await click_widget(page, 'menu_run');
    await click_widget(page, 'menu_compare');
    let state = await pg(() => window.playground.compare());
    assert(state.active && state.changes === '', `Compare with… did not start a comparison: ${JSON.stringify(state).slice(0, 200)}`);

    // Edit B through the parameter editors: the arrival rate, typed after a Ctrl+click.
    await click_widget(page, 'compare_edit_b');
    assert((await pg(() => window.playground.compare())).editing_b, 'Edit B was not chosen');
    const rate_b = Math.round(rate_a * 0.8);
    // The parameters sit below the library in the scenario panel: a taller window shows them without scrolling.
    await page.setViewportSize({ width: 1280, height: 2000 });
    await wait_frames(page, 4);
    const rate_rect = (await pg(() => window.playground.layout()))['field:/workload/arrivals/rate_per_s'];
    assert(rate_rect && rate_rect[1] + rate_rect[3] < 2000, `the rate editor is not on screen: ${rate_rect}`);
    await ctrl_click_widget(page, 'field:/workload/arrivals/rate_per_s');
    await page.keyboard.press('Control+A');
    await wait_frames(page, 2);
    await page.keyboard.type(String(rate_b), { delay: 50 });
    await page.keyboard.press('Enter');
    await wait_frames(page, 6);
    state = await pg(() => window.playground.compare());
    assert(state.b_scenario.workload.arrivals.rate_per_s === rate_b,
           `B's rate is ${state.b_scenario.workload.arrivals.rate_per_s}, typed ${rate_b}; changes "${state.changes}"`);
    const a_after = JSON.parse(await pg(() => window.playground.scenario()));
    assert(a_after.workload.arrivals.rate_per_s === rate_a, 'editing B changed A');
    assert(state.changes.includes('rate_per_s'), `B's changes: "${state.changes}"`);
    await page.setViewportSize({ width: 1280, height: 720 });
    await wait_frames(page, 4);

    // A runs to its end; B follows. The table's B - A is B's number minus A's, on the runs shown.
    await click_widget(page, 'compare_edit_a');
    await pg(() => window.playground.runToEnd());
    await wait_job_done(page);
    await page.waitForFunction(() => window.playground.compare().caught_up, null, { timeout: 60_000 });
    state = await pg(() => window.playground.compare());
    assert(state.rows.length >= 2, `the table has ${state.rows.length} rows`);
    for (const row of state.rows) {
      assert('a' in row && 'b' in row, `${row.metric}: no value for the shown runs`);
      assert(row.diff === row.b - row.a, `${row.metric}: B - A is ${row.diff}, not ${row.b} - ${row.a}`);
    }
    // B is exactly the scenario in its file: the CLI runs it to the same trace hash.
    const file_a = path.join(dir, 'a.json'), file_b = path.join(dir, 'b.json');
    writeFileSync(file_a, await pg(() => window.playground.scenario()));
    writeFileSync(file_b, JSON.stringify(state.b_scenario));
    const run_b = cli(['run', file_b]);
    assert(run_b.status === 0 && run_b.stdout.includes(state.b_trace_hash),
           `playground-cli run b.json does not give B's trace hash ${state.b_trace_hash}: ${run_b.stdout.slice(0, 300)}`);

    // Over 3 seeds in the workers: the CLI's numbers exactly.
    const metrics = state.rows.map((r) => r.metric);
    const problems = await pg(() => window.playground.compareSeeds(3));
    assert(problems.length === 0, `compare over seeds refused: ${problems.join('; ')}`);
    await page.waitForFunction(() => { const c = window.playground.compare(); return c.seeds.complete || c.seeds.error; },
                               null, { timeout: 120_000 });
    state = await pg(() => window.playground.compare());
    assert(!state.seeds.error, `the pairs failed: ${state.seeds.error}`);
    const args = ['compare', file_a, file_b, '--seeds', '3', '--json'];
    for (const m of metrics) args.push('--metric', m);
    const out = cli(args);
    assert(out.status === 0, `playground-cli compare failed: ${out.stderr}`);
    const expected = JSON.parse(out.stdout).metrics;
    for (const row of state.rows) {
      const e = expected.find((x) => x.metric === row.metric);
      for (const [page_key, cli_key] of [['a_mean', 'a_mean'], ['b_mean', 'b_mean'], ['diff_mean', 'diff_mean'],
                                         ['diff_ci95', 'diff_ci95']])
        assert(row[page_key] === e[cli_key], `${row.metric}: the page's ${page_key} ${row[page_key]} != the CLI's ${e[cli_key]}`);
    }
    console.log(`      ${metrics.length} metrics over 3 seeds equal playground-cli compare's; e.g. ${state.rows[0].metric}: ` +
                `B - A ${state.rows[0].diff_mean.toFixed(3)} +/- ${state.rows[0].diff_ci95.toFixed(3)}`);

    // The overlay (A solid, B dashed) and the split, looked at.
    await pg(() => window.playground.selectView('Charts'));
    await wait_frames(page, 4);
    const overlay = await page.screenshot({ path: path.join(screenshotDir, 'compare-overlay-1280x720.png') });
    await assert_not_blank(page, overlay, 'the compare overlay');
    await click_widget(page, 'compare_split');
    assert((await pg(() => window.playground.compare())).split, 'Split A | B did not turn on');
    await wait_frames(page, 4);
    const layout = await pg(() => window.playground.layout());
    const split = await page.screenshot({ path: path.join(screenshotDir, 'compare-split-1280x720.png') });
    await assert_not_blank(page, split, 'the split view');
    await pg(() => window.playground.selectView('Architecture'));
    await wait_frames(page, 4);
    await page.screenshot({ path: path.join(screenshotDir, 'compare-split-architecture-1280x720.png') });
    await pg(() => window.playground.compareOptions({ split: false }));
    assert(layout.compare_table, 'the compare table reports its rectangle');
    // In Chinese: every glyph there, screenshot looked at.
    await pg(() => window.playground.selectView('Charts'));
    assert(await pg(() => window.playground.setLanguage('zh-CN')), 'setLanguage(zh-CN) refused');
    await page.waitForFunction(() => window.playground.font().state === 'loaded', null, { timeout: 30_000 });
    await pg(() => window.playground.clearMissingGlyphs());
    await wait_frames(page, 5);
    await page.screenshot({ path: path.join(screenshotDir, 'compare-overlay-zh-1280x720.png') });
    await assert_no_missing_glyphs(page, 'Compare in Chinese');
    await pg(() => window.playground.setLanguage('en'));
    await wait_frames(page, 3);

    // The link carries B: a new page opened on it compares the same two runs.
    const link = await pg(() => window.playground.link());
    assert(link.includes('&b='), `the link does not carry B: ${link.slice(0, 120)}`);
    const second = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    try {
      const page2 = await second.newPage();
      await page2.goto(link);
      await page2.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
      await wait_job_done(page2);
      const opened = await page2.evaluate(() => window.playground.compare());
      assert(opened.active && opened.changes === state.changes,
             `the linked page compares "${opened.changes}", the sender "${state.changes}"`);
      await page2.evaluate(() => window.playground.runToEnd());
      await wait_job_done(page2);
      await page2.waitForFunction(() => window.playground.compare().caught_up, null, { timeout: 60_000 });
      const b2 = await page2.evaluate(() => window.playground.compare());
      assert(b2.b_trace_hash === state.b_trace_hash, `B's trace hash ${b2.b_trace_hash} on the linked page, ${state.b_trace_hash} here`);
    } finally {
      await second.close();
    }

    // Compared with itself: every difference exactly zero, on the shown runs and over seeds.
    await pg(() => window.playground.stopCompare());
    assert(!(await pg(() => window.playground.compare())).active, 'Stop comparing did not stop');
    assert((await pg(() => window.playground.startCompare(''))).length === 0, 'compare with itself refused');
    await page.waitForFunction(() => window.playground.compare().caught_up, null, { timeout: 60_000 });
    assert((await pg(() => window.playground.compareSeeds(2))).length === 0, 'seeds refused');
    await page.waitForFunction(() => { const c = window.playground.compare(); return c.seeds.complete || c.seeds.error; },
                               null, { timeout: 120_000 });
    state = await pg(() => window.playground.compare());
    for (const row of state.rows)
      assert(row.diff === 0 && row.diff_mean === 0 && row.diff_ci95 === 0 && row.a_mean === row.b_mean,
             `${row.metric}: A compared with itself differs: ${JSON.stringify(row)}`);
    assert(errors.length === 0, `console errors: ${errors.join('; ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await context.close();
  }
}
