// playground-cli link qr: the QR code PNGs both CLIs write decode with zbarimg (Debian's zbar-tools) to the share
// link (or the text) they were given, from a few characters to what version 40 holds, and the native and the
// WebAssembly CLI write the same bytes. A text longer than any QR code holds is refused with a message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clis, runCli } from './helpers.mjs';

const zbarimg = spawnSync('sh', ['-c', 'command -v zbarimg'], { encoding: 'utf8' }).status === 0;
const skip = zbarimg ? false : 'SKIPPED: zbarimg not found (Debian package zbar-tools; scripts/install-deps.sh installs it)';
if (skip) console.log(`# ${skip}`);

function zbarRead(file) {
  return spawnSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', file], { encoding: 'utf8' }).stdout.replace(/\n$/, '');
}

function textOfLength(n) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = 'https://example.org/playground/#s=1.';
  for (let i = 0; out.length < n; ++i) out += alphabet[(i * 29 + (i >> 6)) % alphabet.length];
  return out.slice(0, n);
}

const dir = mkdtempSync(join(tmpdir(), 'playground-qr-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

for (const kind of clis) {
  test(`${kind}: link qr of a scenario decodes to its share link`, { skip }, () => {
    const file = 'scenarios/services-retry-storm.json';
    const base = 'http://127.0.0.1:8080/';
    const link = runCli(kind, ['link', 'encode', file, '--base', base]).stdout.trim();
    const out = join(dir, `${kind}-scenario.png`);
    const made = runCli(kind, ['link', 'qr', file, '--base', base, '--out', out]);
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout, /version \d+-M, mask \d, \d+x\d+ modules/);
    assert.equal(zbarRead(out), link);
  });

  test(`${kind}: link qr --text decodes back at every length up to version 40`, { skip }, () => {
    for (const length of [1, 120, 1000, 2000, 2331, 2332, 2953]) {
      const text = textOfLength(length);
      const out = join(dir, `${kind}-${length}.png`);
      const made = runCli(kind, ['link', 'qr', '--text', text, '--out', out]);
      assert.equal(made.status, 0, made.stderr);
      assert.match(made.stdout, length > 2331 ? /-L,/ : /-M,/, `${length} characters: ${made.stdout}`);
      assert.equal(zbarRead(out), text, `${length} characters`);
    }
  });

  test(`${kind}: link qr refuses a text no QR code holds`, () => {
    const made = runCli(kind, ['link', 'qr', '--text', textOfLength(2954), '--out', join(dir, 'none.png')]);
    assert.equal(made.status, 2);
    assert.match(made.stderr, /2954 bytes; a QR code at level L holds at most 2953/);
  });
}

test('the native and the WebAssembly CLI write the same PNG bytes', { skip: clis.length < 2 ? 'one CLI built' : false }, () => {
  const text = textOfLength(1500);
  const files = clis.map((kind) => {
    const out = join(dir, `same-${kind}.png`);
    assert.equal(runCli(kind, ['link', 'qr', '--text', text, '--out', out]).status, 0);
    return readFileSync(out);
  });
  assert.ok(files[0].equals(files[1]), 'the two CLIs wrote different PNGs');
});
