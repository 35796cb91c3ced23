// Share links across the two builds: a link made by the native CLI decodes in the WebAssembly CLI under Node and
// the other way round (both use the engine's own deflate/inflate; natively zlib is only a test oracle), both make
// the same link for the same scenario, links compressed by another encoder (Node's zlib) decode too, and every
// kind of malformed link gives the same message in both CLIs with exit code 2.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { runCli, clis, scenarioFiles } from './helpers.mjs';

const dir = mkdtempSync(join(tmpdir(), 'playground-link-'));
const fragmentOf = (bytes) => `#s=1.${Buffer.from(bytes).toString('base64url')}`;
const linkForJson = (text) => fragmentOf(deflateRawSync(Buffer.from(text)));

const good = {
  version: 1, name: 'link test', seed: 5, duration_s: 2,
  workload: { arrivals: { rate_per_s: 20 } },
  requests: [{ name: 'browse', steps: [{ call: 'catalog' }] }],
  services: [{ name: 'catalog', workers: 2 }],
};

test('both CLIs are built', () => {
  assert.deepEqual(clis, ['native', 'node']);
});

for (const file of scenarioFiles()) {
  test(`${file}: the same link from both CLIs, and each decodes the other's`, () => {
    const links = clis.map((kind) => {
      // --full: the self-contained form (a built-in's shortest link names it; tests/node/short_link.test.mjs).
      const result = runCli(kind, ['link', 'encode', '--full', file]);
      assert.equal(result.status, 0, `${kind}: ${result.stderr}`);
      assert.match(result.stdout, /^#s=1\.[A-Za-z0-9_-]+\n$/);
      return result.stdout.trim();
    });
    assert.equal(links[1], links[0], 'deflate output differs between native and WebAssembly');
    const canonical = runCli('native', ['link', 'decode', links[0]]).stdout;
    for (const kind of clis) {
      for (const link of links) {
        const decoded = runCli(kind, ['link', 'decode', link]);
        assert.equal(decoded.status, 0, `${kind}: ${decoded.stderr}`);
        assert.equal(decoded.stdout, canonical);
      }
    }
    // Another DEFLATE encoder (zlib, through Node) for the same JSON decodes to the same scenario.
    const zlibLink = linkForJson(JSON.stringify(JSON.parse(canonical)));
    for (const kind of clis) assert.equal(runCli(kind, ['link', 'decode', zlibLink]).stdout, canonical, kind);
  });
}

test('link encode --base prints a full URL, and decode takes URLs and standard input', () => {
  const file = join(dir, 'good.json');
  writeFileSync(file, JSON.stringify(good));
  for (const kind of clis) {
    const url = runCli(kind, ['link', 'encode', file, '--base', 'https://example.org/play/#old']).stdout.trim();
    assert.match(url, /^https:\/\/example\.org\/play\/#s=1\./);
    const decoded = runCli(kind, ['link', 'decode', url]);
    assert.equal(decoded.status, 0, decoded.stderr);
    assert.equal(JSON.parse(decoded.stdout).name, 'link test');
    const piped = runCli(kind, ['link', 'decode', '-'], `${url}\n`);
    assert.equal(piped.status, 0, piped.stderr);
    assert.equal(piped.stdout, decoded.stdout);
  }
});

test('a scenario too large for a link is refused by link encode', () => {
  // 64 goals with incompressible 256-character labels and metrics, 16 caches of 64 nodes with incompressible names
  // and partitions between incompressible group names, up to the 256 group members a scenario may name (set paths
  // and targets must name things that exist): well over 64 KiB after compression (random printable text
  // compresses to about 6.5 bits a character).
  let state = 12345;
  const random = (n) => Array.from({ length: n }, () => {  // xorshift32: deterministic, incompressible enough
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5; state >>>= 0;
    return String.fromCharCode(35 + (state % 56));
  }).join('');
  const big = structuredClone(good);
  big.goals = Array.from({ length: 64 }, () => ({ label: random(256), metric: random(256), value: 1 }));
  big.caches = Array.from({ length: 16 }, (_, c) => ({ name: `cache-${c}`, nodes: Array.from({ length: 64 }, () => random(64)) }));
  big.interventions = Array.from({ length: 64 }, () => ({ at_s: 1, kind: 'partition', groups_a: [random(64), random(64)], groups_b: [random(64), random(64)] }));
  const file = join(dir, 'big.json');
  writeFileSync(file, JSON.stringify(big));
  for (const kind of clis) {
    assert.equal(runCli(kind, ['validate', file]).status, 0, kind);
    const result = runCli(kind, ['link', 'encode', file]);
    assert.equal(result.status, 2, kind);
    assert.match(result.stderr, /too large for a link/);
  }
});

const goodLink = linkForJson(JSON.stringify(good));
const bombLink = fragmentOf(deflateRawSync(Buffer.alloc(8 << 20, 32), { level: 9 }));

// [name, link, message fragment]
const badLinks = [
  ['not a link at all', 'https://example.org/play/', 'not a playground link'],
  ['no version', '#s=abcdef', 'not a playground link'],
  ['newer link format', goodLink.replace('#s=1.', '#s=2.'), 'this link was made by a newer version of the playground (link format 2; this one reads format 1)'],
  ['no data', '#s=1.', 'no scenario data'],
  ['bad base64', `${goodLink.slice(0, 20)}*${goodLink.slice(21)}`, "the link is damaged: '*' at position 15 of its data is not a base64url character"],
  ['standard base64 characters', `${goodLink.slice(0, 20)}+/${goodLink.slice(22)}`, 'is not a base64url character'],
  ['truncated', goodLink.slice(0, goodLink.length - 8), 'the link is cut short'],
  ['truncated to an impossible length', goodLink.slice(0, 5 + 4 * 5 + 1), 'cut short'],
  ['too long', `#s=1.${'A'.repeat(100000)}`, 'the link is too long'],
  ['decompression bomb', bombLink, "the link's scenario is larger than 1048576 bytes when decompressed"],
  ['invalid deflate data', fragmentOf(Buffer.from([0x07, 0x00])), 'the link is damaged: its compressed data is invalid'],
  ['not JSON inside', linkForJson('this is not json'), 'not valid JSON'],
  ['newer scenario version inside', linkForJson(JSON.stringify({ ...good, version: 2 })), '/version: this scenario was made by a newer version'],
  ['schema violation inside', linkForJson(JSON.stringify({ ...good, services: [{ name: 'catalog', workres: 2 }] })), '/services/0/workres: unknown field; did you mean "workers"?'],
  ['range violation inside', linkForJson(JSON.stringify({ ...good, duration_s: 1e9 })), '/duration_s: must be between'],
];

test('the bomb is small and the good link is good', () => {
  assert.ok(bombLink.length < 20000, `${bombLink.length}`);
  for (const kind of clis) assert.equal(runCli(kind, ['link', 'decode', goodLink]).status, 0);
});

for (const [name, link, fragment] of badLinks) {
  test(`bad link (${name}) gives its message in both CLIs`, () => {
    const messages = clis.map((kind) => {
      const result = runCli(kind, ['link', 'decode', link]);
      assert.equal(result.status, 2, `${kind}: exit ${result.status}, stderr: ${result.stderr}`);
      assert.ok(result.stderr.includes(fragment), `${kind}: expected "${fragment}" in: ${result.stderr}`);
      assert.equal(result.stdout, '');
      return result.stderr;
    });
    assert.equal(messages[1], messages[0]);
  });
}
