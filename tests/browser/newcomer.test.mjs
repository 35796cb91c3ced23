// A newcomer's first minutes (issue 23): the page opens on the small shop; an exercise's goals read "pending"
// before anything has run and its hint button lies inside the panel; jumping to the end of a lock scenario shows
// its overlaps in the Locks window; Escape closes the speed list and the next click reaches what it aims at; with
// touch emulation the first tap on Play starts the run.
import { assert, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const pg = (page, fn, arg) => page.evaluate(fn, arg);

async function library_index(page, file) {
  const library = await pg(page, () => window.playground.library());
  const index = library.findIndex((e) => e.valid && e.file === file);
  assert(index >= 0, `${file} is not in the library`);
  return index;
}

async function opens_on_the_small_shop(page) {
  const name = await pg(page, () => window.playground.scenarioName());
  const expected = (await pg(page, () => window.playground.library())).find((e) => e.file === 'shop-spike.json').name;
  assert(name === expected, `the page should open on shop-spike ("${expected}"), opened on "${name}"`);
  assert((await pg(page, () => window.playground.goals())).exercise === false, 'the first scenario is no exercise');
}

async function goals_pending_before_play(page) {
  await pg(page, (i) => window.playground.loadBuiltin(i), await library_index(page, 'exercise-services-slow-instance.json'));
  await wait_frames(page, 3);
  const goals = await pg(page, () => window.playground.goals());
  const statuses = goals.goals.map((g) => g.status);
  assert(statuses.length > 0 && statuses.every((s) => s === 'pending'), `before play every goal is pending: ${statuses}`);
  const layout = await pg(page, () => window.playground.layout());
  const [hint, panel] = [layout.exercise_hint, layout.exercise_panel];
  assert(hint && panel, `hint and panel rectangles reported: ${JSON.stringify({ hint, panel })}`);
  assert(hint[1] >= panel[1] && hint[1] + hint[3] <= panel[1] + panel[3] && hint[0] + hint[2] <= panel[0] + panel[2],
         `the hint button ${hint} lies inside the exercise panel ${panel}`);
  await pg(page, () => { window.playground.setSpeed(10); window.playground.play(); });
  await page.waitForTimeout(600);
  await pg(page, () => window.playground.pause());
  const later = await pg(page, () => window.playground.goals());
  assert(later.clock_s > 0 && later.goals.some((g) => g.status === 'holding'),
         `once running a goal may hold: ${later.goals.map((g) => g.status)}`);
}

async function lock_overlaps_at_the_end(page) {
  await pg(page, (i) => window.playground.loadBuiltin(i), await library_index(page, 'locks-redis-gc-pause.json'));
  await pg(page, () => window.playground.selectView('Locks'));
  await pg(page, () => window.playground.runToEnd());
  await wait_job_done(page);
  await wait_frames(page, 3);
  const report = await pg(page, () => window.playground.report());
  const stats = (await pg(page, () => window.playground.viewStats())).locks;
  const total = JSON.stringify(report).match(/"overlaps":\s*(\d+)/);
  assert(total && Number(total[1]) > 0, `the scenario has overlaps in its report: ${total}`);
  assert(stats && stats.overlaps > 0, `the Locks window at the end shows overlaps: ${JSON.stringify(stats)}`);
  console.log(`      locks at the end: ${stats.overlaps} overlapped bars in the window, ${total[1]} in the report`);
}

async function escape_closes_the_speed_list(page) {
  await pg(page, (i) => window.playground.loadBuiltin(i), await library_index(page, 'shop-spike.json'));
  await click_widget(page, 'speed');
  await page.keyboard.press('Escape');
  await wait_frames(page, 3);
  await click_widget(page, 'play');
  const state = await pg(page, () => window.playground.state());
  assert(state === 'playing', `after Escape, one click on Play plays: ${state}`);
  await pg(page, () => window.playground.pause());
}

async function first_tap_plays(browser, baseUrl) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1024, height: 640, hasTouch: true });
  try {
    const rect = (await pg(page, () => window.playground.layout())).play;
    await page.touchscreen.tap(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
    await wait_frames(page, 4);
    const state = await pg(page, () => window.playground.state());
    assert(state === 'playing', `the first tap on Play starts the run: ${state}`);
    assert(errors.length === 0, errors.join('; '));
  } finally {
    await context.close();
  }
}

export default async function newcomer({ browser, baseUrl }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  try {
    await opens_on_the_small_shop(page);
    await goals_pending_before_play(page);
    await lock_overlaps_at_the_end(page);
    await escape_closes_the_speed_list(page);
    assert(errors.length === 0, errors.join('; '));
  } finally {
    await context.close();
  }
  await first_tap_plays(browser, baseUrl);
}
