// The built-in scenario library: scenarios/index.json lists every scenarios/*.json exactly once with a title, the
// mechanism it teaches and a summary (the app's scenario menu is built from it), and every listed file is a valid
// scenario for both the JSON Schema and the engine, with a description a student can follow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, clis } from './helpers.mjs';
import { validate } from './schema_check.mjs';

const schema = JSON.parse(readFileSync(join(root, 'schema', 'scenario.schema.json'), 'utf8'));
const index = JSON.parse(readFileSync(join(root, 'scenarios', 'index.json'), 'utf8'));
const files = readdirSync(join(root, 'scenarios')).filter((n) => n.endsWith('.json') && n !== 'index.json').sort();

test('scenarios/index.json is a list of {file, title, mechanism, summary}', () => {
  assert.ok(Array.isArray(index));
  for (const [i, entry] of index.entries()) {
    assert.deepEqual(Object.keys(entry).sort(), ['file', 'mechanism', 'summary', 'title'], `entry ${i}`);
    for (const field of ['file', 'title', 'mechanism', 'summary']) {
      assert.equal(typeof entry[field], 'string', `entry ${i}: ${field}`);
      assert.ok(entry[field].trim().length > 0, `entry ${i}: ${field} is empty`);
    }
    assert.match(entry.file, /^[a-z0-9][a-z0-9-]*\.json$/, `entry ${i}: file is a plain name in scenarios/`);
    assert.ok(existsSync(join(root, 'scenarios', entry.file)), `entry ${i}: ${entry.file} does not exist`);
  }
  const listed = index.map((e) => e.file);
  assert.equal(new Set(listed).size, listed.length, 'a file is listed twice');
});

test('every scenarios/*.json is listed in the index', () => {
  const listed = new Set(index.map((e) => e.file));
  const missing = files.filter((f) => !listed.has(f));
  assert.deepEqual(missing, [], 'add these to scenarios/index.json');
});

for (const file of files) {
  test(`scenarios/${file} validates (schema and engine) and has a description`, () => {
    const document = JSON.parse(readFileSync(join(root, 'scenarios', file), 'utf8'));
    assert.deepEqual(validate(schema, document), []);
    assert.ok((document.description ?? '').length >= 40, 'a description a student can follow');
    for (const kind of clis) {
      const result = runCli(kind, ['validate', join('scenarios', file)]);
      assert.equal(result.status, 0, `${kind}: ${result.stderr}`);
    }
  });
}
