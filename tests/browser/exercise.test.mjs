// Classroom exercises in the page: every built-in exercise fails as given and passes once its reference solution
// (tests/exercises/solutions/<same file>) is loaded - the same verdict as `playground-cli check`; goal statuses are
// live while the run plays (pending / holding, never a verdict before the end); a locked change makes the answer
// uncheckable; hints come one at a time; the Check button (clicked with the mouse) runs to the end and shows the
// verdict; the success state is saved as build/screenshots/exercise-solved-1280x720.png.
import { spawnSync } from 'node:child_process';
import { promises as fs, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_not_blank, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pg = (page, fn, arg) => page.evaluate(fn, arg);

async function solution_text(file) {
  return fs.readFile(path.join(repo_root, 'tests/exercises/solutions', file), 'utf8');
}

function describe(goals) {
  return goals.goals.map((g) => `${g.label}: ${g.value} (${g.op} ${g.target}) ${g.status}`).join('; ');
}

// Every exercise: fails as given, passes with its solution, through window.playground.
async function check_every_exercise(page, library) {
  const exercises = library.map((entry, index) => ({ ...entry, index })).filter((e) => e.file.startsWith('exercise-'));
  assert(exercises.length >= 8, `expected at least 8 built-in exercises, found ${exercises.length}`);
  for (const entry of exercises) {
    assert(entry.valid, `${entry.file} does not validate: ${entry.error}`);
    let errors = await pg(page, (i) => window.playground.loadBuiltin(i), entry.index);
    assert(errors.length === 0, `loading ${entry.file}: ${errors}`);
    let goals = await pg(page, () => window.playground.goals());
    assert(goals.exercise === true && goals.goals.length > 0 && goals.task, `${entry.file}: no exercise in goals()`);
    assert(goals.finished === false && goals.passed === false, `${entry.file}: a verdict before the run ended`);
    assert(goals.goals.every((g) => g.status === 'pending' || g.status === 'holding'),
           `${entry.file}: statuses at time 0 should be pending or holding: ${describe(goals)}`);
    goals = await pg(page, async () => { await window.playground.runToEnd(); return window.playground.goals(); });
    assert(goals.finished && !goals.passed && goals.goals.some((g) => g.status === 'failed'),
           `${entry.file}: should fail as given: ${describe(goals)}`);
    assert(goals.goals.every((g) => g.status === 'passed' || g.status === 'failed'), `${entry.file}: ${describe(goals)}`);

    errors = await pg(page, (text) => window.playground.loadScenario(text), await solution_text(entry.file));
    assert(errors.length === 0, `loading the solution of ${entry.file}: ${errors}`);
    goals = await pg(page, async () => { await window.playground.runToEnd(); return window.playground.goals(); });
    assert(goals.locked_changes.length === 0, `${entry.file}: the solution changes locked paths ${goals.locked_changes}`);
    assert(goals.finished && goals.passed && goals.goals.every((g) => g.status === 'passed'),
           `${entry.file}: should pass with its solution: ${describe(goals)}`);
    console.log(`      ${entry.file}: fails as given, passes solved (${goals.goals.map((g) => g.value).join(', ')})`);
  }
  return exercises;
}

export default async function exercise({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  try {
    const library = await pg(page, () => window.playground.library());
    const exercises = await check_every_exercise(page, library);

    // A scenario without goals is not an exercise: no panel, no goals.
    const plain = library.findIndex((e) => e.valid && e.file === 'shop-spike.json');
    assert(plain >= 0, 'shop-spike.json (a scenario without goals) is in the library');
    await pg(page, (i) => window.playground.loadBuiltin(i), plain);
    assert((await pg(page, () => window.playground.goals())).exercise === false, 'a plain scenario reported goals');

    // Live statuses while playing: still pending/holding, the clock moving, no verdict yet.
    const slow = exercises.find((e) => e.file === 'exercise-services-slow-instance.json');
    assert(slow, 'exercise-services-slow-instance.json missing from the library');
    await pg(page, (i) => window.playground.loadBuiltin(i), slow.index);
    await pg(page, () => { window.playground.setSpeed(10); window.playground.play(); });
    await page.waitForTimeout(800);
    let goals = await pg(page, () => window.playground.goals());
    assert(goals.clock_s > 0 && !goals.finished, `the run should be playing: clock ${goals.clock_s}`);
    assert(goals.goals.every((g) => g.status === 'pending' || g.status === 'holding'), `live: ${describe(goals)}`);
    await pg(page, () => window.playground.pause());

    // Hints, one at a time, by mouse.
    await pg(page, (i) => window.playground.loadBuiltin(i), slow.index);
    await wait_frames(page, 3);
    await click_widget(page, 'exercise_hint');
    assert((await pg(page, () => window.playground.goals())).hints_shown === 1, 'one click should show one hint');

    // The Check button, by mouse: runs to the end (a job, in slices), the exercise as given fails.
    await click_widget(page, 'exercise_check');
    await wait_job_done(page);
    goals = await pg(page, () => window.playground.goals());
    assert(goals.finished && !goals.passed, `Check on the exercise as given should fail: ${describe(goals)}`);

    // A locked change (the seed) makes an otherwise right answer uncheckable, as playground-cli check refuses it.
    const solved = JSON.parse(await solution_text(slow.file));
    await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify({ ...solved, seed: 7 }));
    goals = await pg(page, async () => { await window.playground.runToEnd(); return window.playground.goals(); });
    assert(goals.locked_changes.includes('/seed') && !goals.passed, `a changed seed should be refused: ${JSON.stringify(goals.locked_changes)}`);

    // The solution, then Check by mouse: success, on screen.
    await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(solved));
    await pg(page, () => window.playground.reset());
    await wait_frames(page, 3);
    await click_widget(page, 'exercise_check');
    await wait_job_done(page);
    goals = await pg(page, () => window.playground.goals());
    assert(goals.finished && goals.passed, `Check on the solution should pass: ${describe(goals)}`);
    // Dismiss the "Loaded ..." banner so the picture shows the exercise, as a student sees it after a while.
    if ((await pg(page, () => window.playground.layout())).message_close) await click_widget(page, 'message_close');
    await page.mouse.move(5, 715);
    await wait_frames(page, 4);
    const layout = await pg(page, () => window.playground.layout());
    assert(layout.exercise_solved, 'the success message is not on screen');
    const png = await page.screenshot({ path: path.join(screenshotDir, 'exercise-solved-1280x720.png') });
    await assert_not_blank(page, png, 'the exercise success screenshot');

    // An exercise with "seeds": 3 - Check runs the next two seeds after the shown run (in slices, with progress),
    // and the verdict per goal is the CLI's `check` on the same file: passed only when it holds on all three.
    const over_seeds = { ...solved, name: `${solved.name} over seeds`, exercise: { ...solved.exercise, seeds: 3 } };
    await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(over_seeds));
    await wait_frames(page, 3);
    await click_widget(page, 'exercise_check');
    let saw_seed_job = false;
    for (let i = 0; i < 600; ++i) {
      const job = await pg(page, () => window.playground.job());
      if (job.active && /seed/.test(job.label)) saw_seed_job = true;
      if (!job.active) break;
      await page.waitForTimeout(20);
    }
    await wait_job_done(page);
    goals = await pg(page, () => window.playground.goals());
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'seeds-')), 'over-seeds.json');
    writeFileSync(file, JSON.stringify(over_seeds));
    const cli = spawnSync(path.join(repo_root, 'build/native/playground-cli'),
                          ['check', file, '--exercise', file, '--format', 'json'], { encoding: 'utf8' });
    const verdict = JSON.parse(cli.stdout);
    assert(verdict.seeds === 3 && goals.seeds === 3, `seeds: CLI ${verdict.seeds}, page ${goals.seeds}`);
    assert(goals.finished && goals.passed === (verdict.status === 'passed'),
           `page ${goals.passed} against the CLI's ${verdict.status}: ${describe(goals)}`);
    verdict.goals.forEach((g, i) => {
      assert(goals.goals[i].held_on === g.held_on && goals.goals[i].value === g.value &&
             (goals.goals[i].status === 'passed') === g.passed,
             `goal ${i}: page held on ${goals.goals[i].held_on} (${goals.goals[i].value}), CLI ${g.held_on} (${g.value})`);
    });
    console.log(`      over 3 seeds: ${goals.goals.map((g) => `${g.label} held on ${g.held_on}/3`).join('; ')}` +
                `${saw_seed_job ? '' : ' (the other seeds ran within one poll)'}`);
    assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
}
