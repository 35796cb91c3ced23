// Short links (#s=b1.<id>.<hash>.<changes>, docs/links-and-schema.md "Short links") across the two builds: every
// built-in with one changed parameter and one added intervention gives the same short link from both CLIs, under
// 120 characters, which each CLI decodes to the same canonical document as the self-contained link and which runs
// to the same trace hash; bad short links give the same message in both with exit code 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { root, runCli, clis } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'playground-short-link-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const builtIns = readdirSync(join(root, 'scenarios')).filter((f) => f.endsWith('.json') && f !== 'index.json').sort();
const table = JSON.parse(readFileSync(join(root, 'scenarios/links/bases.json'), 'utf8'));

// The built-in as a person edits it: the seed changed, an intervention added.
function edited(file) {
  const doc = JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8'));
  doc.seed = (doc.seed ?? 1) + 1;
  doc.interventions = [...(doc.interventions ?? []),
    { at_s: 5, kind: 'set', path: '/workload/arrivals/rate_per_s', value: 900 }];
  const out = join(dir, file);
  writeFileSync(out, JSON.stringify(doc));
  return out;
}

function ok(kind, args) {
  const result = runCli(kind, args);
  assert.equal(result.status, 0, `${kind} ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

test('both CLIs are built', () => {
  assert.deepEqual(clis, ['native', 'node']);
});

test('every built-in has exactly one id', () => {
  assert.deepEqual(table.map((row) => row.file).sort(), builtIns);
  assert.equal(new Set(table.map((row) => row.id)).size, table.length);
});

for (const file of builtIns) {
  test(`${file} with a changed seed and an intervention: one short link under 120 characters`, () => {
    const source = edited(file);
    const row = table.find((r) => r.file === file);
    const links = clis.map((kind) => ok(kind, ['link', 'encode', source]).trim());
    assert.equal(links[1], links[0], 'the CLIs make different short links');
    assert.ok(links[0].startsWith(`#s=b1.${row.id}.${row.hashes.at(-1)}.`), links[0]);
    assert.ok(links[0].length < 120, `${links[0].length} characters: ${links[0]}`);
    const full = ok('native', ['link', 'encode', '--full', source]).trim();
    assert.match(full, /^#s=1\./);
    const canonical = ok('native', ['link', 'decode', full]);
    const hashes = new Set();
    for (const kind of clis) {
      const decoded = ok(kind, ['link', 'decode', `https://example.org/play/${links[0]}`]);
      assert.equal(decoded, canonical, `${kind} decodes the short link to another document`);
      const back = join(dir, `${kind}-${file}`);
      writeFileSync(back, decoded);
      hashes.add(JSON.parse(ok(kind, ['run', back])).trace_hash);
      hashes.add(JSON.parse(ok(kind, ['run', source])).trace_hash);
    }
    assert.equal(hashes.size, 1, `trace hashes differ: ${[...hashes].join(' ')}`);
  });
}

test('an unchanged built-in links as its id and hash', () => {
  const row = table[0];
  for (const kind of clis)
    assert.equal(ok(kind, ['link', 'encode', join('scenarios', row.file)]).trim(), `#s=b1.${row.id}.${row.hashes.at(-1)}`);
});

test('bad short links give the same message in both CLIs', () => {
  const row = table[1];
  const start = `#s=b1.${row.id}.${row.hashes.at(-1)}`;
  const bad = [
    ['unknown id', '#s=b1.99999.AAAAAA', /names built-in scenario 99999, which this version/],
    ['wrong hash', `#s=b1.${row.id}.AAAAAA`, /names a version \(AAAAAA\) of built-in scenario/],
    ['newer format', '#s=b9.1.AAAAAA', /newer version of the playground \(short link format 9/],
    ['malformed changes', `${start}.seed`, /is damaged: at character 5 of the changes: expected =, \+ or !/],
    ['changes that do not apply', `${start}.services.99.workers=2`, /change 1 does not apply: \/services\/99 does not exist/],
    ['invalid result', `${start}.seed=-1`, /\/seed/],
  ];
  for (const [what, link, expected] of bad) {
    const messages = clis.map((kind) => {
      const result = runCli(kind, ['link', 'decode', link]);
      assert.equal(result.status, 2, `${kind} ${what}: exit ${result.status}`);
      assert.match(result.stderr, expected, `${kind} ${what}`);
      return result.stderr;
    });
    assert.equal(messages[1], messages[0], what);
  }
});
