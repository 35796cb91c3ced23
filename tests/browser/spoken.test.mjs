// The run readable without sight (web/panels/spoken.cpp, web/platform/glue_present.js): playwright's accessibility
// snapshot of the hidden report region gives the same clock, request counts, p99s and goal statuses as
// window.playground, in English and in Chinese; the region is out of sight but not display:none, the goals list is
// aria-live, and the region is rewritten at most a few times a second.
import { assert, open_app, wait_job_done } from './lib.mjs';

const exercise_file = 'exercise-spike-capacity.json';
const status_words = {
  en: { pending: 'pending', holding: 'holding so far', passed: 'passed', failed: 'failed' },
  'zh-CN': { pending: '待定', holding: '目前满足', passed: '通过', failed: '未通过' },
};

// The aria snapshot (YAML) as {heading: [list item texts]}, the items under the heading before them.
function parse_snapshot(yaml) {
  const sections = {};
  let heading = '';
  for (const line of yaml.split('\n')) {
    const found_heading = /- heading "(.*)" \[level=2\]/.exec(line);
    if (found_heading) {
      heading = found_heading[1];
      sections[heading] = [];
      continue;
    }
    const item = /- listitem: (.*)$/.exec(line);
    if (item && heading) sections[heading].push(item[1].startsWith('"') ? JSON.parse(item[1]) : item[1]);
  }
  return sections;
}

async function snapshot(page) {
  return parse_snapshot(await page.locator('#spoken-report').ariaSnapshot());
}

function numbers_in(line) {
  return (line.match(/-?\d+(\.\d+)?/g) || []).map(Number);
}

function close(a, b, tolerance, what) {
  assert(Math.abs(a - b) <= tolerance, `${what}: the region says ${a}, window.playground ${b}`);
}

// Compares the region's figures and goals with window.playground's report(), clock() and goals().
async function compare(page, lang, titles) {
  const truth = await page.evaluate(() => ({ clock: window.playground.clock(), report: window.playground.report(),
                                             goals: window.playground.goals() }));
  const sections = await snapshot(page);
  const figures = sections[titles.figures];
  assert(figures && figures.length >= 4, `no figures under "${titles.figures}": ${JSON.stringify(sections)}`);
  close(numbers_in(figures[0])[0], truth.clock, 0.051, 'the clock');
  const types = Object.entries(truth.report.requests);
  const completed = types.reduce((sum, [, stats]) => sum + stats.completed, 0);
  const failed = types.reduce((sum, [, stats]) => sum + stats.failed, 0);
  assert(numbers_in(figures[2])[0] === completed, `completed: "${figures[2]}", report says ${completed}`);
  assert(numbers_in(figures[3])[0] === failed, `errors: "${figures[3]}", report says ${failed}`);
  for (const [name, stats] of types) {
    const line = figures.find((text) => text.startsWith(`${name}:`) || text.startsWith(`${name}：`));
    assert(line, `no line for request type ${name} in ${JSON.stringify(figures)}`);
    const [counts, latency] = line.slice(name.length).split('p99');
    const [done, errors] = numbers_in(counts);
    const p99 = numbers_in(latency || '')[0];
    assert(done === stats.completed && errors === stats.failed, `"${line}" against ${JSON.stringify(stats)}`);
    if (stats.latency_ms.count > 0) close(p99, stats.latency_ms.p99, 0.051, `${name}'s p99`);
  }
  const goals = sections[titles.goals] || [];
  assert(goals.length === truth.goals.goals.length,
         `${goals.length} goals in the region, ${truth.goals.goals.length} in goals()`);
  truth.goals.goals.forEach((goal, i) => {
    const word = status_words[lang][goal.status];
    assert(goals[i].startsWith(`${word}:`) || goals[i].startsWith(`${word}：`),
           `goal ${i} is "${goal.status}" but the region says "${goals[i]}"`);
    if (lang === 'en') assert(goals[i].endsWith(goal.label), `goal ${i}: "${goals[i]}" lacks "${goal.label}"`);
  });
  const log = sections[titles.log] || [];
  assert(log.length >= 1 && log.length <= 5, `the region shows ${log.length} log lines`);
  return { figures, goals, truth };
}

// Waits until the region has caught up with a paused or finished run (it refreshes twice a second).
async function settled(page) {
  await page.waitForFunction(() => {
    const first = document.querySelector('#spoken-figures li');
    const clock = first && /(\d+\.\d)/.exec(first.textContent);
    return clock && Math.abs(Number(clock[1]) - window.playground.clock()) < 0.051;
  }, null, { timeout: 10_000 });
  await page.waitForTimeout(1200);   // two more refreshes: everything of this state is in
}

async function load_exercise(page) {
  const index = await page.evaluate((file) => window.playground.library().findIndex((e) => e.file === file),
                                    exercise_file);
  assert(index >= 0, `${exercise_file} is not built in`);
  const errors = await page.evaluate((i) => window.playground.loadBuiltin(i), index);
  assert(errors.length === 0, `loading ${exercise_file}: ${errors.join('; ')}`);
}

async function english({ browser, baseUrl }) {
  const { context, page, errors } = await open_app(browser, `${baseUrl}?lang=en`);
  try {
    await load_exercise(page);
    const hidden = await page.evaluate(() => {
      const region = document.getElementById('spoken-report');
      const box = region.getBoundingClientRect();
      return { display: getComputedStyle(region).display, width: box.width, height: box.height,
               live: document.getElementById('spoken-goals').getAttribute('aria-live') };
    });
    assert(hidden.display !== 'none' && hidden.width <= 1 && hidden.height <= 1,
           `the region should be out of sight but present: ${JSON.stringify(hidden)}`);
    assert(hidden.live === 'polite', `the goals list is aria-live="${hidden.live}"`);
    const titles = { figures: 'Run summary', goals: 'Exercise goals', log: 'Latest events' };

    await page.evaluate(() => window.playground.seek(15));
    await wait_job_done(page);
    await settled(page);
    const midway = await compare(page, 'en', titles);
    assert(midway.figures[1] === 'Paused', `state line "${midway.figures[1]}"`);

    // Rewrites while playing: at most a few a second (one batch of DOM changes per refresh).
    const batches = await page.evaluate(async () => {
      let count = 0;
      const observer = new MutationObserver(() => { ++count; });
      observer.observe(document.getElementById('spoken-report'), { subtree: true, childList: true, characterData: true });
      window.playground.play();
      await new Promise((resolve) => setTimeout(resolve, 3000));
      window.playground.pause();
      observer.disconnect();
      return count;
    });
    assert(batches >= 2 && batches <= 9, `the region changed ${batches} times in 3 s of playing (want 2..9)`);

    await page.evaluate(() => window.playground.runToEnd());
    await wait_job_done(page);
    await settled(page);
    const end = await compare(page, 'en', titles);
    assert(end.figures[1] === 'Finished', `state line "${end.figures[1]}"`);
    assert(end.truth.goals.goals.every((goal) => goal.status === 'passed' || goal.status === 'failed'),
           'a finished run has only passed or failed goals');
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

async function chinese({ browser, baseUrl }) {
  const { context, page, errors } = await open_app(browser, `${baseUrl}?lang=zh-CN`);
  try {
    await load_exercise(page);
    await page.evaluate(() => window.playground.runToEnd());
    await wait_job_done(page);
    await settled(page);
    const lang = await page.evaluate(() => document.getElementById('spoken-report').lang);
    assert(lang === 'zh-CN', `the region's lang is "${lang}"`);
    const titles = { figures: '运行摘要', goals: '练习目标', log: '最新事件' };
    const end = await compare(page, 'zh-CN', titles);
    assert(end.figures[0].startsWith('模拟时间'), `the clock line is "${end.figures[0]}"`);
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

export default async function (options) {
  await english(options);
  await chinese(options);
}
