// The command-line runner, natively and as WebAssembly under Node: version, help, exit codes, and a table of bad
// scenarios, each of which must give exit code 2 and a message naming the JSON path, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli, clis } from './helpers.mjs';

const good = {
  version: 1, name: 'ok', seed: 1, duration_s: 1,
  workload: { arrivals: { rate_per_s: 10 } },
  requests: [{ name: 'browse', steps: [{ call: 'catalog' }] }],
  services: [{ name: 'catalog', workers: 2 }],
};
const withChange = (change) => { const s = structuredClone(good); change(s); return JSON.stringify(s); };

// [name, file contents, expected message fragment (path and rule)]
const badScenarios = [
  ['empty input', '', 'empty'],
  ['truncated JSON', JSON.stringify(good).slice(0, 40), 'not valid JSON'],
  ['not an object', '[1,2,3]', 'must be an object'],
  ['missing version', withChange((s) => delete s.version), '/version: is required'],
  ['newer version', withChange((s) => { s.version = 2; }), 'newer version'],
  ['wrong type', withChange((s) => { s.services[0].workers = 'four'; }), '/services/0/workers: must be a whole number'],
  ['out of range', withChange((s) => { s.services[0].workers = 0; }), '/services/0/workers: must be between 1 and 1024'],
  ['huge number', withChange((s) => { s.duration_s = 1e308; }), '/duration_s: must be between'],
  ['unknown field', withChange((s) => { s.services[0].workres = 3; }), '/services/0/workres: unknown field; did you mean "workers"?'],
  ['unknown step target', withChange((s) => { s.requests[0].steps[0].call = 'nope'; }), '/requests/0/steps/0/call: names "nope"'],
  ['negative rate', withChange((s) => { s.workload.arrivals.rate_per_s = -5; }), '/workload/arrivals/rate_per_s: must be between'],
  ['too many services', withChange((s) => { s.services = Array.from({ length: 65 }, (_, i) => ({ name: `s${i}` })); }), '/services: must have at most 64 items'],
  ['deep nesting', '{"version":1,"view":' + '['.repeat(100000) + ']'.repeat(100000) + '}', 'nested deeper'],
  ['non-UTF-8 bytes', Buffer.concat([Buffer.from('{"version":1,"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), 'not valid JSON'],
  ['bad distribution', withChange((s) => { s.services[0].service_time = { dist: 'gaussian', mean_ms: 3 }; }), '/services/0/service_time/dist: must be one of'],
];

const dir = mkdtempSync(join(tmpdir(), 'playground-cli-'));

for (const kind of clis) {
  test(`${kind}: --version prints the version`, () => {
    const result = runCli(kind, ['--version']);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^playground-cli \d+\.\d+\.\d+/);
  });

  test(`${kind}: a good scenario validates and runs`, () => {
    const file = join(dir, 'good.json');
    writeFileSync(file, JSON.stringify(good));
    assert.equal(runCli(kind, ['validate', file]).status, 0);
    const run = runCli(kind, ['run', file]);
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout);
    assert.equal(report.simulated_s, 1);
    assert.ok(report.requests.browse.arrivals > 0);
  });

  test(`${kind}: unknown command and missing file give exit code 2`, () => {
    assert.equal(runCli(kind, ['frobnicate']).status, 2);
    assert.equal(runCli(kind, ['run', join(dir, 'does-not-exist.json')]).status, 2);
    assert.equal(runCli(kind, ['run', join(dir, 'good.json'), '--seed', 'x']).status, 2);
  });

  for (const [name, contents, fragment] of badScenarios) {
    test(`${kind}: bad scenario (${name}) is refused with its path`, () => {
      const file = join(dir, `${name.replace(/\W+/g, '_')}.json`);
      writeFileSync(file, contents);
      for (const command of ['validate', 'run']) {
        const result = runCli(kind, [command, file]);
        assert.equal(result.status, 2, `${command}: exit ${result.status}, stderr: ${result.stderr}`);
        assert.ok(result.stderr.includes(fragment), `${command}: expected "${fragment}" in: ${result.stderr}`);
      }
    });
  }
}
