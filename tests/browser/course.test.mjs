// A course (an exercise pack) in the page (issue 21): the sample course file opened through the file picker lists
// its exercises, a solved exercise reads "passed" and a failed run "tried", the statuses and the course survive a
// reload, "Save course" gives back the file (file -> page -> file), a course naming a file the page cannot read is
// refused with the exercise's path while the page keeps what it had, and Close course forgets it.
import fs from 'node:fs/promises';
import path from 'node:path';
import { assert, open_app, wait_frames, wait_job_done } from './lib.mjs';

const pg = (page, fn, arg) => page.evaluate(fn, arg);
const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const read = (file) => fs.readFile(path.join(repo, file), 'utf8');

// JSON with its members sorted: two documents are the same when these are equal.
function sorted(value) {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sorted(value[key])]));
  return value;
}
const same_json = (a, b) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

async function statuses(page) {
  return (await pg(page, () => window.playground.course())).exercises.map((e) => e.status);
}

async function opens_the_sample_course(page, course_text) {
  await page.setInputFiles('#scenario-file', { name: 'shop-basics.json', mimeType: 'application/json',
                                               buffer: Buffer.from(course_text) });
  await page.waitForFunction(() => window.playground.course().active, null, { timeout: 5000 });
  await wait_job_done(page);
  const course = await pg(page, () => window.playground.course());
  const file = JSON.parse(course_text);
  assert(course.name === file.name, `course name: ${course.name}`);
  assert(course.exercises.length === 3 && course.current === 0, `three exercises, the first open: ${JSON.stringify(course)}`);
  assert((await statuses(page)).every((s) => s === 'new'), `nothing tried yet: ${await statuses(page)}`);
  const spike = JSON.parse(await read('scenarios/exercise-spike-capacity.json'));
  assert(await pg(page, () => window.playground.scenarioName()) === spike.name, 'the first exercise is loaded');
  assert((await pg(page, () => window.playground.goals())).exercise, 'it is an exercise');
}

async function solved_is_passed_failed_is_tried(page) {
  const errors = await pg(page, (text) => window.playground.loadScenario(text),
                          await read('tests/exercises/solutions/exercise-spike-capacity.json'));
  assert(errors.length === 0, `the solution loads: ${errors}`);
  assert((await pg(page, () => window.playground.course())).current === 0, 'the answer is matched to exercise 1 by name');
  await pg(page, () => window.playground.check());
  await wait_job_done(page);
  await wait_frames(page, 4);
  assert((await pg(page, () => window.playground.goals())).passed, 'the solution passes its check');
  assert((await statuses(page))[0] === 'passed', `exercise 1 passed: ${await statuses(page)}`);

  assert((await pg(page, () => window.playground.openCourseExercise(1))).length === 0, 'exercise 2 opens');
  await pg(page, () => window.playground.check());
  await wait_job_done(page);
  await wait_frames(page, 4);
  assert(!(await pg(page, () => window.playground.goals())).passed, 'exercise 2 as given fails its goals');
  const now = await statuses(page);
  assert(now[0] === 'passed' && now[1] === 'tried' && now[2] === 'new', `passed, tried, new: ${now}`);
}

async function saves_the_same_file(page, course_text) {
  const [download] = await Promise.all([page.waitForEvent('download'), pg(page, () => window.playground.downloadCourse())]);
  const saved = await fs.readFile(await download.path(), 'utf8');
  assert(saved === await pg(page, () => window.playground.courseText()), 'the download is the course text');
  assert(same_json(JSON.parse(saved), JSON.parse(course_text)), `file -> page -> file changed the course:\n${saved}`);
  assert(saved === course_text, 'the sample is written canonically, so file -> page -> file gives the same bytes');
  return saved;
}

async function refuses_an_unreadable_exercise(page) {
  const before = await pg(page, () => window.playground.scenarioName());
  const bad = JSON.stringify({ course: 1, name: 'Elsewhere', exercises: [{ file: 'exercise-spike-capacity.json' },
                                                                        { file: 'my/own-exercise.json' }] });
  const errors = await pg(page, (text) => window.playground.loadScenario(text), bad);
  assert(errors.length === 1 && /\/exercises\/1\/file/.test(errors[0]), `the unreadable exercise is named: ${errors}`);
  const message = await pg(page, () => window.playground.message());
  assert(message.error && /Elsewhere/.test(message.text) && /own-exercise/.test(message.text), `banner: ${message.text}`);
  assert(await pg(page, () => window.playground.scenarioName()) === before, 'the scenario is kept');
  assert((await pg(page, () => window.playground.course())).name !== 'Elsewhere', 'the open course is kept');
}

export default async function course({ browser, baseUrl, screenshotDir }) {
  const course_text = await read('tests/exercises/courses/shop-basics.json');
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    await opens_the_sample_course(page, course_text);
    await solved_is_passed_failed_is_tried(page);
    const saved = await saves_the_same_file(page, course_text);
    await refuses_an_unreadable_exercise(page);
    await page.screenshot({ path: path.join(screenshotDir || '/tmp', 'course-1280x720.png') });

    await page.reload();
    await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
    await wait_job_done(page);
    const after = await pg(page, () => window.playground.course());
    assert(after.active && after.name === JSON.parse(course_text).name, `the course is back after a reload: ${JSON.stringify(after)}`);
    const kept = await statuses(page);
    assert(kept[0] === 'passed' && kept[1] === 'tried' && kept[2] === 'new', `the statuses survive a reload: ${kept}`);
    assert(await pg(page, () => window.playground.courseText()) === saved, 'the kept course is the same text');

    await pg(page, () => window.playground.closeCourse());
    await page.reload();
    await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
    assert(!(await pg(page, () => window.playground.course())).active, 'a closed course stays closed after a reload');
    assert(errors.length === 0, errors.join('; '));
  } finally {
    await context.close();
  }
}
