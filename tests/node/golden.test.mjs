// Golden trace hashes: every built-in and test scenario must give the hash recorded in tests/golden/, natively and
// under Node. A changed hash fails until it is updated deliberately (scripts/update-golden-hashes.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, clis, scenarioFiles } from './helpers.mjs';

const golden = JSON.parse(readFileSync(join(root, 'tests/golden/trace_hashes.json'), 'utf8'));

test('every scenario has a golden hash and every golden hash a scenario', () => {
  assert.deepEqual(Object.keys(golden).sort(), scenarioFiles().sort());
});

for (const [file, hash] of Object.entries(golden)) {
  for (const kind of clis) {
    test(`${kind}: ${file} gives its golden trace hash`, () => {
      const result = runCli(kind, ['run', file]);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(JSON.parse(result.stdout).trace_hash, hash);
    });
  }
}
