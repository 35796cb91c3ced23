// Exercise authoring in the page (web/panels/exercise_author.cpp, docs/editor.md "Authoring exercises"), driven by
// pointer and keyboard only (window.playground is read, never asked to change anything): from the small shop, a
// teacher opens Exercise › Author an exercise…, writes the task, adds two goals with the metric picker, writes a
// hint, marks one parameter a student may change by clicking it, previews as a student and comes back, and copies the
// share link. A student opens the link in another page: a parameter not marked cannot be edited, the marked one
// can; Check gives the verdicts; `playground-cli check` on the student's scenario (exported read-only) against the
// exercise the link carries gives the same verdict per goal.
// The screenshots are exercise_author_720.test.mjs' and exercise_author_shots.test.mjs'.
// The scenario panel is scrolled by clicking its scrollbar (the mouse wheel does not reach it in headless Chromium).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_not_blank, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = (args) => spawnSync(path.join(repo_root, 'build/native/playground-cli'), args,
                                { encoding: 'utf8', cwd: repo_root });

// Types into the text field at `name` (a click, then the keys), then clicks `done` (elsewhere) to end the edit.
async function type_into(page, name, text, { select_all = false, done = 'author_window' } = {}) {
  await click_widget(page, name);
  await wait_frames(page, 2);   // a text box takes the keyboard the frames after the click
  if (select_all) {
    await page.keyboard.press('Control+A');
    await wait_frames(page, 2);
  }
  await page.keyboard.type(text, { delay: 10 });
  await wait_frames(page, 2);
  if (done) await click_widget(page, done);
}

// Ctrl+click turns an ImGui drag field into a text field with its text selected; the value is typed and Entered.
async function type_number(page, name, value) {
  await page.keyboard.down('Control');
  await wait_frames(page, 2);
  await click_widget(page, name);
  await page.keyboard.up('Control');
  await wait_frames(page, 2);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(String(value), { delay: 30 });
  await page.keyboard.press('Enter');
  await wait_frames(page, 6);
  await wait_job_done(page);
}

// A click on a widget by its rectangle, one frame for each of hover, press and release (ImGui 1.86 reads one mouse
// state a frame): lib.mjs' click_widget waits two of each, which a loaded machine cannot afford for this many clicks.
export async function click_widget(page, name) {
  const rect = (await page.evaluate(() => window.playground.layout()))[name];
  assert(rect && rect[2] > 0 && rect[3] > 0, `the app reports no rectangle for widget "${name}"`);
  await page.mouse.move(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
  await wait_frames(page, 1);
  await page.mouse.down();
  await wait_frames(page, 1);
  await page.mouse.up();
  await wait_frames(page, 1);
}

const started = Date.now();
const progress = (what) => { if (process.env.AUTHOR_TRACE) console.log(`      ${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`); };

// Scrolls the scenario panel (left) by clicking its scrollbar at `y` (ImGui jumps there: the bottom is the end).
async function click_scenario_scrollbar(page, y) {
  const width = page.viewportSize().width;
  const panel_width = Math.min(Math.max(width * 0.25, 280), 380);   // as App::frame sizes it
  await page.mouse.move(panel_width - 7, y);
  await wait_frames(page, 1);
  await page.mouse.down();
  await wait_frames(page, 1);
  await page.mouse.up();
  await wait_frames(page, 2);
}

// Opens the order service's fields in the scenario panel and scrolls until the instances field is on screen.
export async function show_order_fields(page) {
  const height = page.viewportSize().height;
  const field = async () => (await page.evaluate(() => window.playground.layout()))['field:/services/order/instances'];
  const on_screen = (rect) => rect && rect[1] > 40 && rect[1] + rect[3] < height - 10;
  await click_scenario_scrollbar(page, height - 6);
  await click_widget(page, 'header:service/order');
  for (let y = height - 6; y > 60 && !on_screen(await field()); y -= 100) await click_scenario_scrollbar(page, y);
  const rect = await field();
  assert(on_screen(rect), `the order fields are not on screen: ${rect}`);
}

const scenario_of = async (page) => JSON.parse(await page.evaluate(() => window.playground.scenario()));
const order_of = (scenario) => scenario.services.find((s) => s.name === 'order');

// A goal by the picker: search, choose, operator, target, label, Add.
async function add_goal(page, { search, metric, op, target, label }) {
  progress(`goal ${metric}`);
  await click_widget(page, 'author_metric');
  await page.keyboard.type(search, { delay: 20 });
  await wait_frames(page, 4);
  await click_widget(page, `author_metric:${metric}`);
  let state = await page.evaluate(() => window.playground.author());
  assert(state.metric === metric, `the picker chose "${state.metric}", not ${metric}`);
  await click_widget(page, `author_op:${op}`);
  await type_into(page, 'author_target', String(target), { select_all: true });
  if (label) await type_into(page, 'author_label', label);
  state = await page.evaluate(() => window.playground.author());
  assert(state.op === op && state.target === target, `the new goal reads ${state.op} ${state.target}`);
  const before = (await scenario_of(page)).goals?.length || 0;
  await click_widget(page, 'author_add_goal');
  await wait_job_done(page);
  const goals = (await scenario_of(page)).goals;
  assert(goals.length === before + 1, `Add goal left ${goals.length} goals`);
  const goal = goals[goals.length - 1];
  assert(goal.metric === metric && goal.op === op && goal.value === target && (goal.label || '') === (label || ''),
         `the goal added is ${JSON.stringify(goal)}`);
}

export async function screenshots(page, screenshotDir, suffix, { back = true, run = true } = {}) {
  // The run at its end (the transport bar stays above the window; a 4K canvas in software GL draws a run's slices too
  // slowly for the test's time, so that one shows time zero), then the picker open, its list filtered.
  if (run) {
    await click_widget(page, 'run_to_end');
    await wait_job_done(page);
  }
  await click_widget(page, 'author_metric');
  await page.keyboard.type('checkout', { delay: 20 });
  await page.mouse.move(5, 5);
  await wait_frames(page, 4);
  let png = await page.screenshot({ path: path.join(screenshotDir, `exercise-author-picker-${suffix}.png`) });
  await assert_not_blank(page, png, `the authoring window (${suffix})`);
  await page.keyboard.press('Escape');
  await wait_frames(page, 3);
  // Preview as student, then back.
  await click_widget(page, 'author_preview');
  await wait_job_done(page);
  await page.mouse.move(5, 5);
  await wait_frames(page, 4);
  png = await page.screenshot({ path: path.join(screenshotDir, `exercise-author-preview-${suffix}.png`) });
  await assert_not_blank(page, png, `the student preview (${suffix})`);
  const missing = await page.evaluate(() => window.playground.missingGlyphs());
  assert(missing.length === 0, `drawn without a glyph: ${missing}`);
  if (!back) return;
  await click_widget(page, 'author_back');
  await wait_job_done(page);
  assert((await page.evaluate(() => window.playground.author())).open, 'Back to authoring did not reopen the window');
}

export default async function exercise_author({ browser, baseUrl, screenshotDir }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'author-'));
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  let student = null;
  try {
    const shop = await scenario_of(page);
    assert(shop.name === 'A small shop under a traffic spike' && !shop.goals, `the page starts on "${shop.name}"`);
    // The run stays at time zero: every edit replays the run to the time shown, and a replay to the end on each of
    // the many edits below would outlast the runner's time on a loaded machine.

    progress('Exercise › Author an exercise…');
    // Exercise › Author an exercise…
    await click_widget(page, 'menu_exercise');
    await click_widget(page, 'menu_author');
    let state = await page.evaluate(() => window.playground.author());
    assert(state.open && !state.preview, `the authoring window did not open: ${JSON.stringify(state)}`);

    const task = 'Keep checkout fast.';
    await type_into(page, 'author_task', task);
    await wait_job_done(page);
    assert((await scenario_of(page)).exercise?.task === task, 'the task was not set');

    // Two goals, their targets from the shop's final report (playground-cli run): checkout p99 at most half of what it
    // is (the shop as given fails it), and browse p99 at most half of its own (order instances do not help browsing).
    const run = cli(['run', 'scenarios/shop-spike.json']);
    assert(run.status === 0, `playground-cli run: ${run.stderr}`);
    const report = JSON.parse(run.stdout);
    const checkout_p99 = report.requests.checkout.latency_ms.p99;
    const browse_p99 = report.requests.browse.latency_ms.p99;
    const checkout_target = Math.round(checkout_p99 / 2);
    const browse_target = Math.max(1, Math.round(browse_p99 / 2));
    await add_goal(page, { search: 'checkout p99', metric: 'requests.checkout.latency_ms.p99', op: '<=',
                           target: checkout_target, label: 'Checkout p99' });
    await add_goal(page, { search: 'browse p99', metric: 'requests.browse.latency_ms.p99', op: '<',
                           target: browse_target, label: '' });

    progress('A hint.');
    // A hint.
    const hint = 'Watch order.';
    await type_into(page, 'author_new_hint', hint, { done: null });
    await click_widget(page, 'author_add_hint');
    await wait_job_done(page);
    assert(JSON.stringify((await scenario_of(page)).exercise.hints) === JSON.stringify([hint]),
           'the hint was not added');

    progress("Mark the order service's instances");
    // Mark the order service's instances: open its header in the parameters panel, Mark, click the field, Done.
    await show_order_fields(page);
    await click_widget(page, 'author_mark');
    assert((await page.evaluate(() => window.playground.author())).marking, 'marking did not start');
    const instances_before = order_of(await scenario_of(page)).instances;
    await click_widget(page, 'field:/services/order/instances');
    await wait_job_done(page);
    await click_widget(page, 'author_mark');
    let exercise = await scenario_of(page);
    assert(JSON.stringify(exercise.exercise.allowed) === JSON.stringify(['/services/order/instances']),
           `allowed: ${JSON.stringify(exercise.exercise.allowed)}`);
    assert(order_of(exercise).instances === instances_before, 'a click while marking changed the value');

    progress('Preview as student: the exercise panel');
    // Preview as student: the exercise panel, the marked field editable and the others locked; back restores it.
    await click_widget(page, 'author_preview');
    await wait_job_done(page);
    state = await page.evaluate(() => window.playground.author());
    let goals = await page.evaluate(() => window.playground.goals());
    assert(state.preview && !state.open && goals.exercise && goals.goals.length === 2 && goals.task === task,
           `preview: ${JSON.stringify(state)} ${JSON.stringify(goals).slice(0, 300)}`);
    const editors = await page.evaluate(() => window.playground.editors());
    const locked = (p) => editors.find((e) => e.path === p)?.locked;
    assert(locked('/services/order/instances') === false && locked('/services/order/workers') === true,
           'in the preview only the marked parameter is editable');
    await type_number(page, 'field:/services/order/instances', instances_before + 1);   // tried in the preview
    assert(order_of(await scenario_of(page)).instances === instances_before + 1, 'the preview did not take the change');
    await click_widget(page, 'author_back');
    await wait_job_done(page);
    state = await page.evaluate(() => window.playground.author());
    assert(state.open && !state.preview, `Back to authoring: ${JSON.stringify(state)}`);
    assert(JSON.stringify(await scenario_of(page)) === JSON.stringify(exercise),
           'back from the preview is not the exercise as authored');

    progress('Save as a link.');
    // Save as a link.
    await click_widget(page, 'author_copy_link');
    const link = await page.evaluate(() => window.playground.lastCopied());
    assert(link.startsWith(baseUrl) && link.includes('#'), `the copied link: ${link.slice(0, 100)}`);
    const decoded = cli(['link', 'decode', link]);
    assert(decoded.status === 0, `link decode: ${decoded.stderr}`);
    assert(JSON.stringify(JSON.parse(decoded.stdout)) === JSON.stringify(exercise),
           'the link does not carry the exercise authored');
    const exercise_file = path.join(dir, 'exercise.json');
    writeFileSync(exercise_file, decoded.stdout);

    progress('A student opens the link in another page');
    // A student opens the link in another page.
    student = await open_app(browser, link, { width: 1280, height: 720 });
    const spage = student.page;
    goals = await spage.evaluate(() => window.playground.goals());
    assert(goals.exercise && goals.goals.length === 2 && goals.task === task,
           `the student's page: ${JSON.stringify(goals).slice(0, 300)}`);
    await show_order_fields(spage);
    // A parameter the exercise does not allow cannot be edited.
    const workers = order_of(await scenario_of(spage)).workers;
    await type_number(spage, 'field:/services/order/workers', workers + 20);
    assert(order_of(await scenario_of(spage)).workers === workers, 'a locked parameter was edited in the student view');
    // The allowed one can.
    const answer = instances_before + 2;
    await type_number(spage, 'field:/services/order/instances', answer);
    const submission = await scenario_of(spage);
    assert(order_of(submission).instances === answer,
           `instances typed ${answer}, now ${order_of(submission).instances}`);
    await click_widget(spage, 'exercise_check');
    await wait_job_done(spage);
    goals = await spage.evaluate(() => window.playground.goals());
    assert(goals.finished && goals.locked_changes.length === 0, `Check: ${JSON.stringify(goals).slice(0, 300)}`);

    progress('The CLI on the same submission');
    // The CLI on the same submission gives the same verdict per goal.
    const submission_file = path.join(dir, 'submission.json');
    writeFileSync(submission_file, await spage.evaluate(() => window.playground.scenario()));
    const checked = cli(['check', submission_file, '--exercise', exercise_file, '--format', 'json']);
    assert(checked.status === 0 || checked.status === 3, `check exited ${checked.status}: ${checked.stderr}`);
    const verdict = JSON.parse(checked.stdout);
    assert(verdict.goals.length === 2, `the CLI judged ${verdict.goals.length} goals`);
    verdict.goals.forEach((g, i) => {
      const p = goals.goals[i];
      assert(p.metric === g.metric && p.value === g.value && (p.status === 'passed') === g.passed,
             `goal ${i}: page ${p.metric} = ${p.value} ${p.status}, CLI ${g.metric} = ${g.value} passed ${g.passed}`);
    });
    assert(goals.passed === (verdict.status === 'passed') && (checked.status === 0) === goals.passed,
           `overall: page ${goals.passed}, CLI ${verdict.status}`);
    // Both kinds of verdict are compared: the answer meets the checkout goal and not the browse one.
    assert(goals.goals[0].status === 'passed' && goals.goals[1].status === 'failed',
           `checkout should pass, browse fail: ${goals.goals.map((g) => `${g.value} ${g.status}`).join(', ')}`);
    const line = goals.goals.map((g) => `${g.label} = ${g.value} (${g.op} ${g.target}) ${g.status}`).join('; ');
    console.log(`      authored: ${line}; the CLI agrees`);

    assert(errors.length === 0 && student.errors.length === 0,
           `console errors: ${errors.concat(student.errors).join('; ')}`);
  } finally {
    if (student) await student.context.close();
    await context.close();
  }
}
