// The page draws with two fonts: DejaVu Sans cut to web/fonts/latin-ranges.txt, and the Chinese cut (CJK blocks,
// full-width forms). A character in the page's sources, string tables or built-in scenarios outside both would be
// drawn as ImGui's fallback box, so this test names each one and where it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './helpers.mjs';

function files(dir, pattern, out = []) {
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) files(path, pattern, out);
    else if (pattern.test(name)) out.push(path);
  }
  return out;
}

const ranges = readFileSync(join(root, 'web/fonts/latin-ranges.txt'), 'utf8').split('\n')
  .filter((line) => /^[0-9A-Fa-f]/.test(line))
  .map((line) => line.split(/\s/)[0].split('-').map((h) => parseInt(h, 16)))
  .map(([a, b]) => [a, b ?? a]);
const chinese = [[0x2e80, 0x9fff], [0xff00, 0xffef]];

test('every character the page may draw is in the Latin cut or the Chinese font', () => {
  assert.ok(ranges.length > 5 && ranges[0][0] === 0x20, 'latin-ranges.txt was not read');
  const sources = [...files('web', /\.(cpp|hpp|inc)$/), ...files('engine', /\.cpp$/), ...files('scenarios', /\.json$/)];
  const missing = new Map();
  for (const file of sources) {
    const text = readFileSync(join(root, file), 'utf8');
    const points = [...text].map((c) => c.codePointAt(0));
    for (const m of text.matchAll(/\\u([0-9A-Fa-f]{4})/g)) points.push(parseInt(m[1], 16));
    for (const p of points) {
      if (p < 0x80 || [...ranges, ...chinese].some(([a, b]) => p >= a && p <= b)) continue;
      const key = `U+${p.toString(16).toUpperCase().padStart(4, '0')} ${String.fromCodePoint(p)}`;
      if (!missing.has(key)) missing.set(key, file);
    }
  }
  assert.deepEqual([...missing].map(([c, f]) => `${c} in ${f}`), []);
});
