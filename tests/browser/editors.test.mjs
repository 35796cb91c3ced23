// The page's field editors come from the engine's field rows: for every editor the page offers (on every built-in
// scenario), its range equals the validator's - the committed JSON Schema's range for that field, and the native
// validator accepts nothing past it (one past the maximum is refused, naming that field's path). Every path an
// exercise allows gets at least one editor. Screenshot of the parameters panel: build/screenshots/editors-*.png.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, assert_not_blank, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const schema = JSON.parse(readFileSync(path.join(repo_root, 'schema/scenario.schema.json'), 'utf8'));
const native_cli = path.join(repo_root, 'build/native/playground-cli');
const kinds = { services: 'service', caches: 'cache', locks: 'lock', queues: 'queue' };

// The schema of the field an editor path names: /services/order/retries/max -> $defs.service ... retries.max.
function schema_of(editor_path) {
  const parts = editor_path.split('/').slice(1);
  let node;
  if (parts[0] === 'workload') node = schema.$defs.workload, parts.shift();
  else if (kinds[parts[0]]) node = schema.$defs[kinds[parts[0]]], parts.splice(0, 2);
  else node = schema;
  for (const part of parts) node = node?.properties?.[part];
  return node;
}

// The document path of an editor path in this scenario: items by index, as the validator's messages name them.
function document_path(editor_path, scenario) {
  const parts = editor_path.split('/').slice(1);
  if (kinds[parts[0]]) {
    const name = parts[1].replace(/~1/g, '/').replace(/~0/g, '~');
    parts[1] = String(scenario[parts[0]].findIndex((item) => item.name === name));
  }
  return parts;
}

function validate(document) {
  const dir = mkdtempSync(path.join(tmpdir(), 'editors-'));
  const file = path.join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(document));
  const result = spawnSync(native_cli, ['validate', file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr };
}

function set_at(document, parts, value) {
  let node = document;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts[parts.length - 1]] = value;
}

export default async function ({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    const library = await page.evaluate(() => window.playground.library());
    assert(library.length >= 20, `the library lists ${library.length} scenarios`);
    let checked = 0, refused_past_max = 0;
    const seen = new Set();
    for (let index = 0; index < library.length; ++index) {
      const loaded = await page.evaluate((i) => window.playground.loadBuiltin(i), index);
      assert(loaded.length === 0, `${library[index].file}: ${loaded}`);
      const scenario = JSON.parse(await page.evaluate(() => window.playground.scenario()));
      const editors = await page.evaluate(() => window.playground.editors());
      assert(editors.length > 0, `${library[index].file}: no editors`);
      for (const editor of editors) {
        const field = schema_of(editor.path);
        assert(field, `${library[index].file}: the editor ${editor.path} has no field in the schema`);
        if (editor.min === undefined) {
          if (editor.words) assert(JSON.stringify(editor.words) === JSON.stringify(field.enum), `${editor.path}: words ${editor.words} vs ${field.enum}`);
          continue;
        }
        assert(editor.min === field.minimum && editor.max === field.maximum,
               `${editor.path}: the editor offers ${editor.min}..${editor.max}, the validator ${field.minimum}..${field.maximum}`);
        ++checked;
        // Past the maximum, the engine's validator refuses it at this field's path (each field once over the library).
        const key = editor.path.replace(/^\/(services|caches|locks|queues)\/[^/]+/, '/$1/*');
        if (seen.has(key)) continue;
        seen.add(key);
        const parts = document_path(editor.path, scenario);
        const document = structuredClone(scenario);
        set_at(document, parts, editor.max + 1);
        const result = validate(document);
        assert(result.status === 2 && result.stderr.includes(`/${parts.join('/')}: must be between`),
               `${editor.path} = max + 1 should be refused at /${parts.join('/')}: ${result.stderr}`);
        ++refused_past_max;
      }
      // Every allowed path of an exercise gets an editor.
      for (const allowed of scenario.exercise?.allowed || [])
        assert(editors.some((e) => e.path === allowed || e.path.startsWith(`${allowed}/`)),
               `${library[index].file}: the allowed path ${allowed} has no editor`);
    }
    // The library covers most numeric rows of every table (38 of them when this was written).
    assert(checked > 300 && refused_past_max >= 30, `checked ${checked} editors, ${refused_past_max} fields past max`);

    // One click on a number field, then typing, replaces its value; Enter commits it. (ImGui's drag box took the click
    // for the start of a drag and dropped the typing: typing 800 in the rate box left 400.) The parameters sit below
    // the library in the scenario panel: a taller window shows them without scrolling.
    const shop = library.findIndex((e) => e.file === 'shop-spike.json');
    assert(shop >= 0, 'no shop-spike.json in the library');
    await page.evaluate((i) => window.playground.loadBuiltin(i), shop);
    await page.setViewportSize({ width: 1280, height: 2000 });
    await wait_frames(page, 4);
    const rate_before = JSON.parse(await page.evaluate(() => window.playground.scenario())).workload.arrivals.rate_per_s;
    assert(rate_before !== 800, `the shop's rate is already ${rate_before}`);
    await click_widget(page, 'field:/workload/arrivals/rate_per_s');   // press and release, no Ctrl, no double click
    await page.keyboard.type('800', { delay: 50 });
    await page.keyboard.press('Enter');
    await wait_frames(page, 6);
    await wait_job_done(page);
    const rate_after = JSON.parse(await page.evaluate(() => window.playground.scenario())).workload.arrivals.rate_per_s;
    assert(rate_after === 800, `one click and typing 800 then Enter left the rate at ${rate_after} (was ${rate_before})`);
    await page.setViewportSize({ width: 1280, height: 720 });
    await wait_frames(page, 4);

    // The parameters panel drawn from the rows, on the whole shop (every kind of item).
    const black_friday = library.findIndex((e) => e.file === 'black-friday.json');
    await page.evaluate((i) => window.playground.loadBuiltin(i), black_friday);
    await wait_frames(page, 3);
    const png = await page.screenshot({ path: path.join(screenshotDir, 'editors-1280x720@2x.png') });
    await assert_not_blank(page, png, 'the parameters panel');
    assert(errors.length === 0, errors.join('\n'));
  } finally {
    await context.close();
  }
}
