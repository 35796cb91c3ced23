// Classroom delivery through the CLI: goal points, check's formats (Gradescope's results.json checked against a
// schema written from Gradescope's specification, JUnit XML parsed and counted, our JSON), grade's summary, JSON and
// course modes, and the autograder folder run end to end in a temporary folder laid out as Gradescope lays it out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, existsSync, statSync, copyFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { runCli, root, clis } from './helpers.mjs';
import { validate } from './schema_check.mjs';

const gradescopeSchema = JSON.parse(readFileSync(join(root, 'tests/schemas/gradescope-results.schema.json'), 'utf8'));
const spike = 'scenarios/exercise-spike-capacity.json';
const spikeSolution = 'tests/exercises/solutions/exercise-spike-capacity.json';
const samples = 'tests/exercises/sample-submissions';
const read = (file) => JSON.parse(readFileSync(join(root, file), 'utf8'));
const temp = (prefix) => mkdtempSync(join(tmpdir(), prefix));
const hasWasm = clis.includes('node');

// ---- a tiny XML reader: enough to prove the JUnit output is well formed and to read its elements -------------------
const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescape = (text) => text.replace(/&(amp|lt|gt|quot|apos);/g, (_, name) => entities[name]);

function parseXml(text) {
  const token = /<\?xml[^?]*\?>|<(\/?)([A-Za-z][\w.-]*)((?:\s+[\w.-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/y;
  const rootNode = { name: '#document', attrs: {}, children: [], text: '' };
  const stack = [rootNode];
  let at = 0;
  while (at < text.length) {
    token.lastIndex = at;
    const m = token.exec(text);
    assert.ok(m, `XML is not well formed at offset ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
    at = token.lastIndex;
    const [, closing, name, attrText, selfClosing, chars] = m;
    if (chars !== undefined) {
      assert.doesNotMatch(chars.replace(/&(amp|lt|gt|quot|apos);/g, ''), /[&>]/, 'raw & or > in text');
      stack.at(-1).text += unescape(chars);
    } else if (name && closing) {
      assert.equal(stack.pop().name, name, `</${name}> closes another element`);
    } else if (name) {
      const attrs = {};
      for (const [, key, value] of attrText.matchAll(/([\w.-]+)="([^"]*)"/g)) {
        assert.doesNotMatch(value.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&/, `raw & in attribute ${key}`);
        attrs[key] = unescape(value);
      }
      const node = { name, attrs, children: [], text: '' };
      stack.at(-1).children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  assert.equal(stack.length, 1, 'every element is closed');
  assert.equal(rootNode.children.length, 1, 'one root element');
  return rootNode.children[0];
}

// ---- CSV with quoted fields -------------------------------------------------------------------------------------------
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; ++i; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; }
    else field += c;
  }
  assert.equal(field + row.join(''), '', 'the CSV ends with a newline');
  return rows;
}

// An exercise with points and a label full of markup, and its solution carrying the same goals.
function pointsExercise(dir) {
  const exercise = read(spike);
  exercise.goals[0].points = 2.5;
  exercise.goals[1].label = `p99 < 400 & "fast" <checkout> 'ok'\u0001`;
  const solution = read(spikeSolution);
  solution.goals = structuredClone(exercise.goals);
  writeFileSync(join(dir, 'exercise.json'), JSON.stringify(exercise));
  writeFileSync(join(dir, 'solution.json'), JSON.stringify(solution));
  return { exercise: join(dir, 'exercise.json'), solution: join(dir, 'solution.json'), goals: exercise.goals };
}

test('goal points: above 0, default 1 never written, in the schema', () => {
  const dir = temp('points-');
  for (const [points, ok] of [[0, false], [-1, false], ['2', false], [2e6, false], [0.25, true], [1, true]]) {
    const doc = read(spike);
    doc.goals[0].points = points;
    writeFileSync(join(dir, 'p.json'), JSON.stringify(doc));
    const result = runCli('native', ['validate', join(dir, 'p.json')]);
    assert.equal(result.status, ok ? 0 : 2, `points ${points}: ${result.stderr}`);
    if (!ok) assert.match(result.stderr, /\/goals\/0\/points: must be a number above 0/);
    const link = runCli('native', ['link', 'encode', join(dir, 'p.json')]);
    if (ok) {
      const decoded = JSON.parse(runCli('native', ['link', 'decode', link.stdout.trim()]).stdout);
      assert.equal('points' in decoded.goals[0], points !== 1, 'points written exactly when not 1');
    }
  }
  const schema = read('schema/scenario.schema.json');
  assert.deepEqual(schema.$defs.goal.properties.points.exclusiveMinimum, 0);
  assert.equal(schema.$defs.goal.properties.points.default, 1);
});

test('check --format text is the default output, byte for byte', () => {
  for (const submission of [spike, spikeSolution, join(samples, 'carol-locked.json'), join(samples, 'dave-broken.json')]) {
    const plain = runCli('native', ['check', submission, '--exercise', spike]);
    const text = runCli('native', ['check', submission, '--exercise', spike, '--format', 'text']);
    assert.deepEqual(text, plain);
  }
  const bad = runCli('native', ['check', spike, '--exercise', spike, '--format', 'xml']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--format must be one of text, json, gradescope, junit, got "xml"/);
});

test('check --format gradescope: valid results.json with the points as scores, and exit codes as for text', () => {
  const dir = temp('gradescope-');
  const { exercise, solution, goals } = pointsExercise(dir);
  const cases = [
    { submission: solution, status: 0, score: 3.5, passed: [true, true] },
    { submission: spike, status: 2, score: 0, output: /locks: \/goals/ },   // the goals differ: not the student's
    { submission: join(samples, 'carol-locked.json'), status: 2, score: 0, output: /locks: .*\/services\/order\/service_time\/mean_ms/ },
    { submission: join(samples, 'dave-broken.json'), status: 2, score: 0, output: /not a valid scenario: \/: not valid JSON/ },
  ];
  for (const c of cases) {
    const result = runCli('native', ['check', c.submission, '--exercise', exercise, '--format', 'gradescope']);
    assert.equal(result.status, c.status, result.stderr);
    const doc = JSON.parse(result.stdout);
    assert.deepEqual(validate(gradescopeSchema, doc), [], result.stdout);
    assert.equal(doc.score, c.score);
    assert.equal(doc.tests.length, goals.length);
    assert.deepEqual(doc.tests.map((t) => t.max_score), [2.5, 1]);
    assert.deepEqual(doc.tests.map((t) => t.name), goals.map((g) => g.label));
    assert.equal(doc.score, doc.tests.reduce((sum, t) => sum + t.score, 0));
    if (c.passed) assert.deepEqual(doc.tests.map((t) => t.status === 'passed'), c.passed);
    if (c.output) assert.match(doc.output, c.output);
    assert.ok(doc.execution_time >= 0);
  }
  // The unchanged built-in exercise fails both of its goals.
  const given = runCli('native', ['check', spike, '--exercise', spike, '--format', 'gradescope']);
  assert.equal(given.status, 3);
  const doc = JSON.parse(given.stdout);
  assert.deepEqual(validate(gradescopeSchema, doc), []);
  assert.equal(doc.score, 0);
  assert.deepEqual(doc.tests.map((t) => t.status), ['failed', 'failed']);
  assert.match(doc.tests[0].output, /^requests\.checkout\.failed = \d+ \(goal <= 10\)$/);
});

test('check --format junit: one testsuite, a testcase per goal, failures counted, markup escaped', () => {
  const dir = temp('junit-');
  const { exercise, solution, goals } = pointsExercise(dir);
  const failing = read(spike);
  failing.goals = structuredClone(goals);
  writeFileSync(join(dir, 'failing.json'), JSON.stringify(failing));
  for (const [submission, failures, errors, status] of [[solution, 0, 0, 0], [join(dir, 'failing.json'), 2, 0, 3],
    [join(samples, 'dave-broken.json'), 0, 2, 2]]) {
    const result = runCli('native', ['check', submission, '--exercise', exercise, '--format', 'junit']);
    assert.equal(result.status, status, result.stderr);
    const suite = parseXml(result.stdout.replace(/^<\?xml[^>]*\?>\n/, ''));
    assert.equal(suite.name, 'testsuite');
    const cases = suite.children.filter((c) => c.name === 'testcase');
    assert.equal(Number(suite.attrs.tests), goals.length);
    assert.equal(cases.length, goals.length);
    assert.equal(Number(suite.attrs.failures), failures);
    assert.equal(Number(suite.attrs.errors), errors);
    assert.equal(cases.filter((c) => c.children.some((x) => x.name === 'failure')).length, failures);
    assert.equal(cases.filter((c) => c.children.some((x) => x.name === 'error')).length, errors);
    // The label's markup survives escaping; the control character XML cannot carry became a space.
    assert.equal(cases[1].attrs.name, goals[1].label.replace('\u0001', ' '));
    // The JSON format agrees on which goals failed.
    const json = JSON.parse(runCli('native', ['check', submission, '--exercise', exercise, '--format', 'json']).stdout);
    if (errors === 0) assert.equal(json.goals.filter((g) => !g.passed).length, failures);
  }
});

test('check --format json: the documented shape; --out writes the file and nothing to stdout', () => {
  const dir = temp('json-');
  const out = join(dir, 'result.json');
  const result = runCli('native', ['check', spikeSolution, '--exercise', spike, '--format', 'json', '--out', out]);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, '');
  const doc = JSON.parse(readFileSync(out, 'utf8'));
  assert.deepEqual(Object.keys(doc).sort(), ['check', 'goals', 'max_score', 'score', 'status', 'submission']);
  assert.equal(doc.status, 'passed');
  assert.equal(doc.score, 2);
  for (const g of doc.goals) {
    assert.deepEqual(Object.keys(g).sort(), ['label', 'metric', 'op', 'passed', 'points', 'score', 'target', 'value']);
    assert.equal(typeof g.value, 'number');
  }
  const locked = JSON.parse(runCli('native', ['check', join(samples, 'carol-locked.json'), '--exercise', spike, '--format', 'json']).stdout);
  assert.equal(locked.status, 'locked');
  assert.deepEqual(locked.locked, ['/services/order/service_time/mean_ms']);
  assert.ok(locked.goals.every((g) => !('passed' in g)), 'undecided goals carry no verdict');
  const text = runCli('native', ['check', spike, '--exercise', spike, '--out', join(dir, 'text.txt')]);
  assert.equal(text.status, 3);
  assert.equal(readFileSync(join(dir, 'text.txt'), 'utf8'), runCli('native', ['check', spike, '--exercise', spike]).stdout);
});

test('the Node build writes the same formats (time fields aside)', { skip: !hasWasm }, () => {
  const strip = (s) => s.replace(/"execution_time": [\d.]+/, '').replace(/ time="[\d.]+"/, '');
  for (const format of ['json', 'gradescope', 'junit']) {
    for (const submission of [spike, spikeSolution, join(samples, 'carol-locked.json')]) {
      const args = ['check', submission, '--exercise', spike, '--format', format];
      const native = runCli('native', args), wasm = runCli('node', args);
      assert.equal(wasm.status, native.status);
      assert.equal(strip(wasm.stdout), strip(native.stdout));
    }
  }
});

test('grade: CSV rows keep their columns; --summary counts passes per goal; --format json', () => {
  const csv = parseCsv(runCli('native', ['grade', samples, '--exercise', spike]).stdout);
  assert.ok(csv.every((row) => row.length === csv[0].length), 'every row has the header\'s columns');
  assert.equal(csv[0].length, 2 + 2 * 2 + 1);
  const summary = runCli('native', ['grade', samples, '--exercise', spike, '--summary']);
  assert.equal(summary.status, 0, summary.stderr);
  const rows = parseCsv(summary.stdout);
  assert.deepEqual(rows[0], ['goal', 'metric', 'points', 'passed', 'checked', 'submissions']);
  // alice (unchanged) and bob (solved) are checked; carol is locked, dave is broken.
  assert.deepEqual(rows.slice(1), [
    ['At most 10 checkouts fail', 'requests.checkout.failed', '1', '1', '2', '4'],
    ['Checkout p99 under 400 ms', 'requests.checkout.latency_ms.p99', '1', '1', '2', '4'],
    ['all goals', '', '2', '1', '2', '4']]);
  const json = JSON.parse(runCli('native', ['grade', samples, '--exercise', spike, '--format', 'json']).stdout);
  assert.deepEqual(json.submissions.map((s) => [s.submission, s.status, s.score]),
    [['alice-unchanged.json', 'failed', 0], ['bob-solved.json', 'passed', 2], ['carol-locked.json', 'locked', 0],
      ['dave-broken.json', 'invalid', 0]]);
  assert.deepEqual(json.summary.goals.map((g) => g.passed), [1, 1]);
  assert.equal(json.summary.checked, 2);
  // Passes per goal agree with the per-submission CSV's verdict columns.
  for (let goal = 0; goal < 2; ++goal)
    assert.equal(csv.slice(1).filter((r) => r[2 + 2 * goal] === '1').length, json.summary.goals[goal].passed);
});

test('grade --course grades DIR/<exercise>/*.json for each exercise of the sample course', () => {
  const course = 'tests/exercises/courses/shop-basics.json';
  const dir = temp('course-');
  mkdirSync(join(dir, 'exercise-spike-capacity'));
  mkdirSync(join(dir, 'exercise-locks-oversell'));
  copyFileSync(join(root, spike), join(dir, 'exercise-spike-capacity', 'a-given.json'));
  copyFileSync(join(root, spikeSolution), join(dir, 'exercise-spike-capacity', 'b-solved.json'));
  copyFileSync(join(root, 'tests/exercises/solutions/exercise-locks-oversell.json'), join(dir, 'exercise-locks-oversell', 'solved.json'));
  const result = runCli('native', ['grade', '--course', course, dir]);
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stderr, /no folder .*exercise-queues-idempotent/);
  assert.deepEqual(parseCsv(result.stdout), [
    ['exercise', 'submission', 'status', 'score', 'max_score', 'passed'],
    ['exercise-spike-capacity', 'a-given.json', 'ok', '0', '2', '0'],
    ['exercise-spike-capacity', 'b-solved.json', 'ok', '2', '2', '1'],
    ['exercise-locks-oversell', 'solved.json', 'ok', '3', '3', '1']]);
  const json = JSON.parse(runCli('native', ['grade', '--course', course, dir, '--format', 'json']).stdout);
  assert.equal(json.course, 'Shop architecture: the basics');
  assert.deepEqual(json.exercises.map((e) => [e.id, e.title, e.submissions.length]),
    [['exercise-spike-capacity', 'Survive the spike', 2], ['exercise-locks-oversell', read('scenarios/exercise-locks-oversell.json').name, 1],
      ['exercise-queues-idempotent', 'Charge each order once', 0]]);
  const summary = parseCsv(runCli('native', ['grade', '--course', course, dir, '--summary']).stdout);
  assert.deepEqual(summary[0], ['exercise', 'goal', 'metric', 'points', 'passed', 'checked', 'submissions']);
  assert.deepEqual(summary.find((r) => r[0] === 'exercise-locks-oversell' && r[1] === 'all goals'), ['exercise-locks-oversell', 'all goals', '', '3', '1', '1', '1']);
});

test('grade --course uses an exercise carried inline in the course file (a course as one file)', () => {
  const dir = temp('course-inline-');
  // The exercise's file does not exist: the inline scenario is what is graded; the file name gives the id.
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ course: 1, name: 'One file', exercises: [
    { file: 'nowhere/spike.json', scenario: read(spike) }] }));
  mkdirSync(join(dir, 'spike'));
  copyFileSync(join(root, spike), join(dir, 'spike', 'a-given.json'));
  copyFileSync(join(root, spikeSolution), join(dir, 'spike', 'b-solved.json'));
  const result = runCli('native', ['grade', '--course', join(dir, 'c.json'), dir]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(parseCsv(result.stdout).slice(1), [['spike', 'a-given.json', 'ok', '0', '2', '0'],
                                                      ['spike', 'b-solved.json', 'ok', '2', '2', '1']]);
  const noGoals = { ...read(spike) };
  delete noGoals.goals;
  delete noGoals.i18n;
  writeFileSync(join(dir, 'd.json'), JSON.stringify({ course: 1, name: 'x', exercises: [{ file: 'spike.json', scenario: noGoals }] }));
  const refused = runCli('native', ['grade', '--course', join(dir, 'd.json'), dir]);
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /exercise "spike": its inline scenario has no goals/);
});

test('a course file with mistakes: every one named by its path', () => {
  const dir = temp('course-bad-');
  writeFileSync(join(dir, 'c.json'), JSON.stringify({ course: 2, nam: 'x', exercises: [{ file: '/abs.json' },
    { file: 'a/b.json' }, { file: 'c/b.json', extra: 1 }, { file: 'notes.txt' }] }));
  const result = runCli('native', ['grade', '--course', join(dir, 'c.json'), dir]);
  assert.equal(result.status, 2);
  for (const message of [/\/course: is a newer course format/, /\/name: is required/, /\/nam: unknown field; did you mean "name"/,
    /\/exercises\/0\/file: must be a relative path/, /\/exercises\/2\/file: another exercise already has the name "b"/,
    /\/exercises\/2\/extra: unknown field/, /\/exercises\/3\/file: must name a \.json file/])
    assert.match(result.stderr, message);
  writeFileSync(join(dir, 'd.json'), '{"course": 1, "name": "x", "exercises": [{"file": "missing.json"}]}');
  const missing = runCli('native', ['grade', '--course', join(dir, 'd.json'), dir]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /missing\.json/);
});

// Runs run_autograder as Gradescope would, in a temporary /autograder: source/ holds the folder, submission/ the file.
function runAutograder(folder, submission) {
  const ag = temp('autograder-');
  cpSync(folder, join(ag, 'source'), { recursive: true });
  mkdirSync(join(ag, 'submission'));
  if (submission) copyFileSync(submission, join(ag, 'submission', 'answer.json'));
  const result = spawnSync('bash', [join(ag, 'source', 'run_autograder')], {
    cwd: ag, encoding: 'utf8', env: { ...process.env, AUTOGRADER_ROOT: ag } });
  assert.equal(result.status, 0, result.stdout + result.stderr);
  return JSON.parse(readFileSync(join(ag, 'results', 'results.json'), 'utf8'));
}

test('autograder writes a Gradescope folder whose run_autograder scores a passing and a failing submission', { skip: !hasWasm }, () => {
  const folder = join(temp('autograder-out-'), 'spike');
  const made = runCli('native', ['autograder', spike, '--out', folder]);   // finds build/wasm beside build/native
  assert.equal(made.status, 0, made.stderr);
  for (const file of ['setup.sh', 'run_autograder', 'exercise.json', 'playground-cli.js', 'playground-cli.wasm',
    '.github/workflows/classroom.yml'])
    assert.ok(existsSync(join(folder, file)), file);
  for (const script of ['setup.sh', 'run_autograder']) assert.ok(statSync(join(folder, script)).mode & 0o100, `${script} is executable`);
  assert.match(readFileSync(join(folder, 'setup.sh'), 'utf8'), /apt-get install -y --no-install-recommends nodejs/);
  assert.match(readFileSync(join(folder, '.github/workflows/classroom.yml'), 'utf8'), /node \$flags playground-cli\.js check "\$submission" --exercise exercise\.json/);
  assert.equal(readFileSync(join(folder, 'exercise.json'), 'utf8'), readFileSync(join(root, spike), 'utf8'));

  const passing = runAutograder(folder, join(root, spikeSolution));
  assert.deepEqual(validate(gradescopeSchema, passing), []);
  assert.equal(passing.score, 2);
  assert.deepEqual(passing.tests.map((t) => [t.score, t.max_score, t.status]), [[1, 1, 'passed'], [1, 1, 'passed']]);

  const failing = runAutograder(folder, join(root, spike));
  assert.deepEqual(validate(gradescopeSchema, failing), []);
  assert.equal(failing.score, 0);
  assert.deepEqual(failing.tests.map((t) => [t.score, t.status]), [[0, 'failed'], [0, 'failed']]);

  const locked = runAutograder(folder, join(root, samples, 'carol-locked.json'));
  assert.deepEqual(validate(gradescopeSchema, locked), []);
  assert.equal(locked.score, 0);
  assert.match(locked.output, /locks: \/services\/order\/service_time\/mean_ms/);

  const nothing = runAutograder(folder, null);
  assert.deepEqual(validate(gradescopeSchema, nothing), []);
  assert.equal(nothing.score, 0);
  assert.match(nothing.output, /No \.json file/);
});

test('autograder refuses a scenario without goals and says where the WebAssembly CLI was looked for', () => {
  const dir = temp('autograder-bad-');
  const noGoals = runCli('native', ['autograder', 'scenarios/shop-spike.json', '--out', join(dir, 'x')]);
  assert.equal(noGoals.status, 2);
  assert.match(noGoals.stderr, /has no goals/);
  const noCli = runCli('native', ['autograder', spike, '--out', join(dir, 'y'), '--cli-js', join(dir, 'none.js')]);
  assert.equal(noCli.status, 2);
  assert.match(noCli.stderr, /WebAssembly CLI .* was not found at .*none\.js/);
});

test('a goal without a label is named "metric op value" whether or not the submission was checked', () => {
  const dir = temp('unlabelled-');
  const exercise = read(spike);
  delete exercise.goals[0].label;
  writeFileSync(join(dir, 'exercise.json'), JSON.stringify(exercise));
  // The name the text output gives it (the value as the canonical JSON writes it: 10.0).
  const text = runCli('native', ['check', join(dir, 'exercise.json'), '--exercise', join(dir, 'exercise.json')]).stdout;
  const name = text.split('\n')[0].match(/^FAIL  (.*): requests\.checkout\.failed = /)[1];
  assert.match(name, /^requests\.checkout\.failed <= 10/);
  for (const submission of [join(dir, 'exercise.json'), join(samples, 'dave-broken.json')]) {
    const doc = JSON.parse(runCli('native', ['check', submission, '--exercise', join(dir, 'exercise.json'), '--format', 'gradescope']).stdout);
    assert.equal(doc.tests[0].name, name);
    const json = JSON.parse(runCli('native', ['check', submission, '--exercise', join(dir, 'exercise.json'), '--format', 'json']).stdout);
    assert.equal(json.goals[0].label, name);
  }
});

test('the GitHub Classroom workflow\'s step passes a solution and fails the unchanged exercise by exit code', { skip: !hasWasm }, () => {
  const repo = join(temp('classroom-repo-'), 'repo');
  assert.equal(runCli('native', ['autograder', spike, '--out', repo]).status, 0);
  const workflow = readFileSync(join(repo, '.github/workflows/classroom.yml'), 'utf8');
  // The step's script: the indented block under "run: |" (the only one), run in the repository's root as Actions does.
  const block = workflow.match(/\n( +)run: \|\n((?:\1  .*\n)+)/);
  assert.ok(block, 'a run: | block');
  const script = block[2].split('\n').map((line) => line.slice(block[1].length + 2)).join('\n');
  const step = () => spawnSync('bash', ['-e', '-c', script], { cwd: repo, encoding: 'utf8' });
  assert.equal(step().status, 2, 'no submission yet');
  mkdirSync(join(repo, 'submission'));
  copyFileSync(join(root, spike), join(repo, 'submission', 'scenario.json'));
  const given = step();
  assert.equal(given.status, 3, given.stdout + given.stderr);
  assert.match(given.stdout, /some goals failed/);
  copyFileSync(join(root, spikeSolution), join(repo, 'submission', 'scenario.json'));
  const solved = step();
  assert.equal(solved.status, 0, solved.stdout + solved.stderr);
  assert.match(solved.stdout, /all goals passed/);
});
