// Classroom exercises through the CLI: every built-in exercise fails as given and passes with its reference
// solution; changing a locked parameter is refused naming it; `grade` prints the expected CSV.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli, root, clis } from './helpers.mjs';

const exercises = readdirSync(join(root, 'scenarios')).filter((f) => f.startsWith('exercise-') && f.endsWith('.json')).sort();

test('the built-in library has exercises, each with goals and a reference solution', () => {
  assert.ok(exercises.length > 0);
  for (const file of exercises) {
    const doc = JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8'));
    assert.ok(doc.goals?.length > 0, `${file} has goals`);
    assert.ok(doc.exercise?.task, `${file} has a task`);
    assert.ok(existsSync(join(root, 'tests/exercises/solutions', file)), `${file} has a reference solution`);
  }
});

for (const file of exercises) {
  const exercise = join('scenarios', file);
  test(`${file}: fails as given, passes with its reference solution`, () => {
    const given = runCli('native', ['check', exercise, '--exercise', exercise]);
    assert.equal(given.status, 3, given.stdout + given.stderr);
    assert.match(given.stdout, /FAIL/);
    const solution = runCli('native', ['check', join('tests/exercises/solutions', file), '--exercise', exercise]);
    assert.equal(solution.status, 0, solution.stdout + solution.stderr);
    assert.doesNotMatch(solution.stdout, /FAIL/);
  });

  test(`${file}: changing a locked parameter is refused with its path`, () => {
    const doc = JSON.parse(readFileSync(join(root, exercise), 'utf8'));
    doc.duration_s = doc.duration_s + 1;   // never allowed
    const dir = mkdtempSync(join(tmpdir(), 'exercise-'));
    writeFileSync(join(dir, 'locked.json'), JSON.stringify(doc));
    for (const kind of clis) {
      const result = runCli(kind, ['check', join(dir, 'locked.json'), '--exercise', exercise]);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /\/duration_s: this parameter is locked by the exercise/);
    }
  });
}

test('grade prints one CSV row per submission with goal verdicts', () => {
  const result = runCli('native', ['grade', 'tests/exercises/sample-submissions', '--exercise', 'scenarios/exercise-spike-capacity.json']);
  assert.equal(result.status, 0, result.stderr);
  const rows = result.stdout.trim().split('\n');
  assert.equal(rows[0], 'submission,status,At most 10 checkouts fail,At most 10 checkouts fail (value),Checkout p99 under 400 ms,Checkout p99 under 400 ms (value),passed');
  assert.equal(rows.length, 5);
  assert.match(rows[1], /^alice-unchanged\.json,ok,0,\d+,0,[\d.]+,0$/);
  assert.match(rows[2], /^bob-solved\.json,ok,1,0,1,[\d.]+,1$/);
  assert.match(rows[3], /^carol-locked\.json,locked: \/services\/order\/service_time\/mean_ms is locked,,,,,0$/);
  assert.match(rows[4], /^dave-broken\.json,"invalid: \/: not valid JSON.*",,,,,0$/);
  // The Node build grades identically.
  if (clis.includes('node')) {
    const wasm = runCli('node', ['grade', 'tests/exercises/sample-submissions', '--exercise', 'scenarios/exercise-spike-capacity.json']);
    assert.equal(wasm.stdout, result.stdout);
  }
});
