// The JSON editor (Edit > Scenario as JSON…, docs/editor.md), driven with the mouse and the keyboard only: a typed
// error is listed with its JSON path, Apply is refused and the scenario stays as it was; clicking the problem selects
// its path; the fixed text applies; Ctrl+Z (outside the text box) gives back exactly the scenario before (canonical
// JSON equal), Edit > Redo the one after, Edit > Undo the one before again. The screenshots at DPR 2 and in
// Chinese: editor_screens.test.mjs.
import path from 'node:path';

import { assert, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const canonical = (text) => JSON.stringify(JSON.parse(text));

// Replaces the whole text of the focused ImGui text box with `text` (Ctrl+A selects all in ImGui's text boxes).
async function replace_text(page, text) {
  await page.keyboard.press('Control+A');
  await wait_frames(page, 2);
  await page.keyboard.type(text, { delay: 0 });
  await wait_frames(page, 2);
}

// The check runs once the text has been still for a moment (0.3 s): waits until it has.
async function wait_checked(page) {
  await page.waitForFunction(() => window.playground.jsonEditor().checked, null, { timeout: 10_000 });
  await wait_frames(page, 2);
  return page.evaluate(() => window.playground.jsonEditor());
}

export default async function ({ browser, baseUrl, screenshotDir }) {
  // The typing at DPR 1 (headless Chromium draws a DPR 2 page at a few frames a second, and ImGui 1.86 takes one
  // key per frame); the screenshots at DPR 2 below.
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  try {
    const pg = (fn, arg) => page.evaluate(fn, arg);
    const original = await pg(() => window.playground.scenario());
    const scenario = JSON.parse(original);
    assert(scenario.services.length > 0, 'the first scenario has no services');
    assert(!(await pg(() => window.playground.undoState())).undo, 'a fresh page has something to undo');

    // Edit > Scenario as JSON…, by mouse.
    await click_widget(page, 'menu_edit');
    await click_widget(page, 'menu_json_editor');
    let state = await pg(() => window.playground.jsonEditor());
    assert(state.open, 'Edit > Scenario as JSON… did not open the editor');
    assert(canonical(state.text) === canonical(original), 'the editor does not show the current scenario');

    // An error typed in (a small scenario, so the typing is short): listed with its path, Apply refused, the scenario
    // unchanged.
    const typed = (workers) => JSON.stringify({
      version: 1, name: 'Typed', workload: { arrivals: { rate_per_s: 50 } },
      requests: [{ name: 'r', steps: [{ call: 'a' }] }], services: [{ name: 'a', workers }],
    });
    await click_widget(page, 'json_text');
    await replace_text(page, typed(0));
    state = await wait_checked(page);
    assert(state.dirty && !state.valid, `the invalid text is taken as valid: ${JSON.stringify(state.problems)}`);
    const problem = state.problems.findIndex((p) => p.path === '/services/0/workers');
    assert(problem >= 0, `no problem at /services/0/workers: ${JSON.stringify(state.problems)}`);
    await page.screenshot({ path: path.join(screenshotDir, 'json-editor-problem-1280x720.png') });
    await click_widget(page, 'json_apply');
    await wait_job_done(page);
    assert(canonical(await pg(() => window.playground.scenario())) === canonical(original),
           'Apply changed the scenario while the text was invalid');
    // Clicking the problem selects what it is about.
    await click_widget(page, `json_problem:${problem}`);
    state = await pg(() => window.playground.jsonEditor());
    assert(state.selection === '/services/0/workers', `the selection is "${state.selection}"`);

    // Fixed: valid, and Apply replaces the scenario.
    await click_widget(page, 'json_text');
    await replace_text(page, typed(3));
    state = await wait_checked(page);
    assert(state.valid && state.problems.length === 0, `the fixed text has problems: ${JSON.stringify(state.problems)}`);
    await click_widget(page, 'json_apply');
    await wait_job_done(page);
    await wait_frames(page, 3);
    const applied = await pg(() => window.playground.scenario());
    assert(JSON.parse(applied).name === 'Typed' && JSON.parse(applied).services[0].workers === 3,
           `Apply did not replace the scenario: ${applied.slice(0, 200)}`);
    assert(canonical(applied) !== canonical(original), 'Apply left the scenario as it was');
    assert((await pg(() => window.playground.undoState())).undo, 'Apply is not undoable');

    // Ctrl+Z outside the text box: exactly the scenario before.
    await click_widget(page, 'json_status');
    state = await pg(() => window.playground.jsonEditor());
    await page.keyboard.press('Control+Z');
    await wait_frames(page, 3);
    await wait_job_done(page);
    assert(canonical(await pg(() => window.playground.scenario())) === canonical(original),
           'Ctrl+Z did not restore the scenario before Apply');
    // The editor's text, not edited since Apply, follows the scenario.
    await page.waitForFunction((want) => JSON.stringify(JSON.parse(window.playground.jsonEditor().text)) === want,
                               canonical(original), { timeout: 5_000 });
    const before_redo = await pg(() => window.playground.undoState());
    assert(before_redo.redo, `nothing to redo after Ctrl+Z: ${JSON.stringify(before_redo)}`);
    // Edit > Redo, by mouse, brings it back.
    await click_widget(page, 'menu_edit');
    await click_widget(page, 'menu_redo');
    await wait_job_done(page);
    assert(canonical(await pg(() => window.playground.scenario())) === canonical(applied),
           `Edit > Redo did not bring the applied scenario back: ${JSON.stringify(await pg(() => window.playground.undoState()))} ` +
           `${JSON.stringify(await pg(() => window.playground.message()))} ${JSON.stringify(await pg(() => window.playground.job()))}`);

    // Edit > Undo from the menu does the same.
    await click_widget(page, 'menu_edit');
    await click_widget(page, 'menu_undo');
    await wait_job_done(page);
    assert(canonical(await pg(() => window.playground.scenario())) === canonical(original), 'Edit > Undo did nothing');
    assert(errors.length === 0, errors.join('\n'));
  } finally {
    await context.close();
  }
}
