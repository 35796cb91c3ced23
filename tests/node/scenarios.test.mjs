// The built-in scenario library: scenarios/index.json lists every scenarios/*.json exactly once with a title, the
// mechanism it teaches and a summary (the app's scenario menu is built from it), and every listed file is a valid
// scenario for both the JSON Schema and the engine, with a description a student can follow. Every built-in text a
// student reads (the scenario's name, description, task, hints and goal labels; the index's title and summary) has
// its Simplified Chinese translation, and no translation stands for a text that is not there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { root, runCli, clis } from './helpers.mjs';
import { validate } from './schema_check.mjs';

const schema = JSON.parse(readFileSync(join(root, 'schema', 'scenario.schema.json'), 'utf8'));
const index = JSON.parse(readFileSync(join(root, 'scenarios', 'index.json'), 'utf8'));
const files = readdirSync(join(root, 'scenarios')).filter((n) => n.endsWith('.json') && n !== 'index.json').sort();

// Identifiers a reader types or looks up (metric paths such as locks.inventory.oversold, field names such as
// ttl_ms, instance names such as order#1 and inventory/3) and numbers: a translation keeps them, in ASCII. Rates
// ("views/s") are units, which a translation words its own way.
const kept = /[A-Za-z][\w-]*(?:[.#/][\w*-]+)+|[a-z]+_[a-z_]+|\d+(?:\.\d+)?/g;
const keptTokens = (text) => [...new Set(text.match(kept) ?? [])].filter((token) => !token.endsWith('/s'));

// A translation is there, is Chinese, and keeps the base text's identifiers and numbers.
function checkTranslated(base, translated, what) {
  assert.equal(typeof translated, 'string', `${what}: no zh-CN text`);
  assert.match(translated, /\p{Script=Han}/u, `${what}: the zh-CN text has no Chinese in it`);
  for (const token of keptTokens(base)) {
    assert.ok(translated.includes(token), `${what}: the zh-CN text lacks "${token}" of the English one`);
  }
}

// The i18n object of a scenario: zh-CN translates every text the scenario has, and no language translates a text
// the scenario lacks (the engine also refuses more goal labels or hints than there are; this also names missing ones).
function checkScenarioTranslations(document) {
  const i18n = document.i18n ?? {};
  assert.ok('zh-CN' in i18n, 'no i18n/zh-CN');
  const exercise = document.exercise ?? {};
  const goals = document.goals ?? [];
  for (const [lang, t] of Object.entries(i18n)) {
    const where = `i18n/${lang}`;
    for (const key of Object.keys(t)) assert.ok(['name', 'description', 'exercise', 'goals'].includes(key), `${where}/${key} is not a text`);
    if ('description' in t) assert.ok(document.description, `${where}/description translates no description`);
    for (const key of Object.keys(t.exercise ?? {})) assert.ok(key in exercise && ['task', 'hints'].includes(key), `${where}/exercise/${key} translates nothing`);
    assert.ok((t.exercise?.hints ?? []).length <= (exercise.hints ?? []).length, `${where}/exercise/hints: more than /exercise/hints`);
    assert.ok((t.goals ?? []).length <= goals.length, `${where}/goals: more than /goals`);
    (t.goals ?? []).forEach((g, i) => assert.ok(!('label' in g) || goals[i].label, `${where}/goals/${i}: the goal has no label`));
  }
  const zh = i18n['zh-CN'];
  checkTranslated(document.name, zh.name, 'name');
  checkTranslated(document.description ?? '', zh.description, 'description');
  if (exercise.task) checkTranslated(exercise.task, zh.exercise?.task, 'exercise/task');
  (exercise.hints ?? []).forEach((h, i) => checkTranslated(h, zh.exercise?.hints?.[i], `exercise/hints/${i}`));
  goals.forEach((g, i) => { if (g.label) checkTranslated(g.label, zh.goals?.[i]?.label, `goals/${i}/label`); });
}

test('scenarios/index.json is a list of {file, title, mechanism, summary, i18n}', () => {
  assert.ok(Array.isArray(index));
  for (const [i, entry] of index.entries()) {
    assert.deepEqual(Object.keys(entry).sort(), ['file', 'i18n', 'mechanism', 'summary', 'title'], `entry ${i}`);
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

test('every index entry has its title and summary in zh-CN, and nothing else', () => {
  for (const entry of index) {
    assert.deepEqual(Object.keys(entry.i18n), ['zh-CN'], `${entry.file}: i18n languages`);
    const zh = entry.i18n['zh-CN'];
    assert.deepEqual(Object.keys(zh).sort(), ['summary', 'title'], `${entry.file}: i18n/zh-CN fields`);
    checkTranslated(entry.title, zh.title, `${entry.file}: title`);
    checkTranslated(entry.summary, zh.summary, `${entry.file}: summary`);
  }
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
    checkScenarioTranslations(document);
    for (const kind of clis) {
      const result = runCli(kind, ['validate', join('scenarios', file)]);
      assert.equal(result.status, 0, `${kind}: ${result.stderr}`);
    }
  });
}
