// Same scenario and seed => same trace hash, natively and in WebAssembly under Node; different seeds differ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, scenarioFiles, clis } from './helpers.mjs';

test('both CLIs are built', () => {
  assert.deepEqual(clis, ['native', 'node']);
});

for (const file of scenarioFiles()) {
  test(`trace hash of ${file} is the same natively and under Node`, () => {
    const reports = clis.map((kind) => {
      const result = runCli(kind, ['run', file]);
      assert.equal(result.status, 0, `${kind}: ${result.stderr}`);
      return JSON.parse(result.stdout);
    });
    assert.match(reports[0].trace_hash, /^[0-9a-f]{16}$/);
    assert.ok(reports[0].events > 0, 'the run processed events');
    assert.equal(reports[1].trace_hash, reports[0].trace_hash);
    assert.equal(reports[1].events, reports[0].events);
    // The whole report, not just the hash: every number a student reads must agree.
    assert.deepEqual(reports[1], reports[0]);
  });

  test(`another seed gives another trace hash for ${file}`, () => {
    const a = JSON.parse(runCli('native', ['run', file, '--seed', '1']).stdout);
    const b = JSON.parse(runCli('native', ['run', file, '--seed', '2']).stdout);
    assert.notEqual(a.trace_hash, b.trace_hash);
  });
}
