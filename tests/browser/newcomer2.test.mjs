// A newcomer's first minutes, the second part (issue 23): the glossary explains a word where it appears and its
// button opens the view that shows it; a damaged link or a file that is not a scenario says what happened and what
// to do, with the technical reason as a details line, and the scenario stays; a ring node's tooltip; a click with
// the speed list open reaches Play; on a phone (390x844, DPR 3, touch) one panel at a time with readable tabs, a
// full-width timeline, the clock, Play on the first tap, an intervention made by taps, a long press that opens a
// term's card, a finger's drag that scrolls, and an exercise checked by a tap.
import { assert, assert_no_missing_glyphs, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const pg = (page, fn, arg) => page.evaluate(fn, arg);

async function load(page, file) {
  const library = await pg(page, () => window.playground.library());
  const index = library.findIndex((e) => e.valid && e.file === file);
  assert(index >= 0, `${file} is not in the library`);
  assert((await pg(page, (i) => window.playground.loadBuiltin(i), index)).length === 0, `${file} loads`);
  await wait_frames(page, 3);
}

async function rect_of(page, name) {
  const rect = (await pg(page, () => window.playground.layout()))[name];
  assert(rect && rect[2] > 0 && rect[3] > 0, `the page reports no rectangle for "${name}"`);
  return rect;
}

// Hovering "p99" in the inspector shows its explanation; a click opens its card, whose button brings the Charts
// to the front. Help > Glossary lists every term, and a term's button there opens its view (fencing token: Locks).
async function glossary_explains_and_links(page) {
  await load(page, 'shop-spike.json');
  await pg(page, () => window.playground.selectView('Architecture'));
  await wait_frames(page, 3);
  const rect = await rect_of(page, 'term_p99');
  await page.mouse.move(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
  await wait_frames(page, 4);
  let glossary = await pg(page, () => window.playground.glossary());
  assert(glossary.tooltip === 'p99', `hovering p99 shows its explanation: ${JSON.stringify(glossary.tooltip)}`);
  const p99 = glossary.terms.find((t) => t.id === 'p99');
  assert(p99 && p99.view === 'Charts' && /99/.test(p99.text), `p99's row: ${JSON.stringify(p99)}`);
  assert(glossary.terms.length >= 15 && glossary.terms.every((t) => t.name && t.text && t.view),
         `every term has a name, an explanation and a view: ${glossary.terms.length}`);
  await click_widget(page, 'term_p99');
  glossary = await pg(page, () => window.playground.glossary());
  assert(glossary.card === 'p99', `a click opens p99's card: ${glossary.card}`);
  await click_widget(page, 'term_card_view');
  const stats = await pg(page, () => window.playground.viewStats());
  assert(stats.view === 'Charts', `the card's button brings the Charts to the front: ${stats.view}`);
  assert((await pg(page, () => window.playground.glossary())).card === null, 'the card closes');

  await click_widget(page, 'menu_help');
  await click_widget(page, 'menu_glossary');
  assert((await pg(page, () => window.playground.glossary())).open, 'Help > Glossary opens the list');
  await click_widget(page, 'glossary_view_fencing');
  const view = (await pg(page, () => window.playground.viewStats())).view;
  assert(view === 'Locks', `the list's fencing button opens Locks: ${view}`);
  assert(!(await pg(page, () => window.playground.glossary())).open, 'and closes the list');
  console.log(`      glossary: ${glossary.terms.length} terms; p99 hovered, its card opened the Charts`);
}

// A link cut short: the banner says what happened and what to do, the reason is a details line of its own, and the
// scenario the person had is still there. A file that is no JSON says so in the same way.
async function friendly_errors(page) {
  await load(page, 'shop-spike.json');
  const kept = await pg(page, () => window.playground.scenario());
  const link = await pg(page, () => window.playground.link());
  const payload = link.slice(link.indexOf('#s=') + 3);
  const cut = `#s=${payload.slice(0, Math.floor(payload.length / 2))}`;
  const errors = await pg(page, (l) => window.playground.openLink(l), cut);
  assert(errors.length > 0, 'a link cut in half is refused');
  await wait_frames(page, 3);
  let message = await pg(page, () => window.playground.message());
  const [headline] = message.text.split('\n');
  assert(message.error && /damaged or was cut off/.test(headline) && /Ask for the link again/.test(headline),
         `the banner says what happened and what to do: ${headline}`);
  assert(/You still have/.test(headline), `and that the scenario is kept: ${headline}`);
  assert(message.detail && !headline.includes(message.detail) && message.text.includes(`\nDetails: ${message.detail}`),
         `the technical reason is a details line: ${JSON.stringify(message)}`);
  const layout = await pg(page, () => window.playground.layout());
  const [text, detail] = [layout.message_text, layout.message_detail];
  assert(text && detail && detail[1] >= text[1] + text[3] - 1, `the details line is under the message: ${text} / ${detail}`);
  assert(await pg(page, () => window.playground.scenario()) === kept, 'the scenario the person had stays');

  const refused = await pg(page, () => window.playground.loadScenario('{"version": 1, "name": '));
  assert(refused.length > 0, 'no JSON: refused');
  message = await pg(page, () => window.playground.message());
  assert(message.error && /is not a scenario file/.test(message.text) && message.detail,
         `a file that is not JSON: ${message.text}`);
  assert(await pg(page, () => window.playground.scenario()) === kept, 'the scenario stays after a bad file too');
  console.log(`      "${headline.slice(0, 70)}…" / details: "${message.detail.slice(0, 50)}…"`);
}

// In Chinese: the glossary's list, a term's card and a bad link's message, every character with its glyph.
async function chinese(page) {
  await pg(page, () => window.playground.setLanguage('zh-CN'));
  await page.waitForFunction(() => window.playground.language() === 'zh-CN' &&
                                   window.playground.font().state === 'loaded', null, { timeout: 30_000 });
  await pg(page, () => window.playground.clearMissingGlyphs());
  await pg(page, () => window.playground.openGlossary(true));
  await wait_frames(page, 4);
  const glossary = await pg(page, () => window.playground.glossary());
  assert(glossary.terms.find((t) => t.id === 'fencing').name === '栅栏令牌', 'the terms are in Chinese');
  await pg(page, () => window.playground.openGlossary(false));
  await pg(page, () => window.playground.openLink('#s=1.AAAA'));
  await wait_frames(page, 4);
  const message = await pg(page, () => window.playground.message());
  assert(/链接/.test(message.text) && /\n详情：/.test(message.text), `the bad link's message in Chinese: ${message.text}`);
  await assert_no_missing_glyphs(page, 'the glossary and a bad link in Chinese');
  await pg(page, () => window.playground.setLanguage('en'));
  await page.waitForFunction(() => window.playground.language() === 'en', null, { timeout: 20_000 });
}

// Hovering a cache node's arc on the ring names the node with its keys and share.
async function ring_node_tooltip(page) {
  await load(page, 'ring-virtual-nodes-even-out-load.json');
  await pg(page, () => window.playground.selectView('Ring'));
  await pg(page, () => window.playground.seek(3));
  await wait_job_done(page);
  await wait_frames(page, 3);
  const canvas = await rect_of(page, 'ring_canvas');
  // The rim of the ring: the centre of the canvas, up by its radius (the canvas' smaller half, less a margin).
  const [cx, cy] = [canvas[0] + canvas[2] / 2, canvas[1] + canvas[3] / 2];
  const font = 13;
  const radius = Math.min(canvas[2], canvas[3]) / 2 - font * 2.2;
  let shown = '';
  for (const angle of [0.3, 1.2, 2.5, 4.0]) {
    await page.mouse.move(cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
    await wait_frames(page, 3);
    shown = (await pg(page, () => window.playground.viewStats())).ring.tooltip;
    if (shown) break;
  }
  assert(shown, 'hovering the ring\'s rim shows a node\'s tooltip');
  console.log(`      ring: the rim's tooltip names ${shown}`);
}

// The speed list open, one click on Play: the list closes and the run plays (ImGui alone spends the click closing it).
async function speed_list_passes_the_click(page) {
  await load(page, 'shop-spike.json');
  await click_widget(page, 'speed');
  await click_widget(page, 'play');
  const state = await pg(page, () => window.playground.state());
  assert(state === 'playing', `with the speed list open, one click on Play plays: ${state}`);
  await pg(page, () => window.playground.pause());
  // A click on the speed box itself still just closes its list (and a click elsewhere then acts at once).
  await click_widget(page, 'speed');
  await click_widget(page, 'speed');
  await click_widget(page, 'play');
  assert(await pg(page, () => window.playground.state()) === 'playing', 'the box toggles its list; Play then plays');
  await pg(page, () => window.playground.pause());
}

async function tap(page, name) {
  const rect = await rect_of(page, name);
  await page.touchscreen.tap(rect[0] + rect[2] / 2, rect[1] + rect[3] / 2);
  await wait_frames(page, 4);
}

// One touch event on the canvas at `at` (playwright's touchscreen has taps only).
function touch(page, type, at) {
  return pg(page, ({ type, at }) => {
    const canvas = document.querySelector('canvas');
    const point = new Touch({ identifier: 7, target: canvas, clientX: at.x, clientY: at.y });
    canvas.dispatchEvent(new TouchEvent(type, { touches: type === 'touchend' ? [] : [point], changedTouches: [point],
                                                bubbles: true, cancelable: true }));
  }, { type, at });
}

// A finger held on one spot: touchstart, a wait, then touchend.
async function long_press(page, rect, held_ms) {
  const at = { x: rect[0] + rect[2] / 2, y: rect[1] + rect[3] / 2 };
  await touch(page, 'touchstart', at);
  await page.waitForTimeout(held_ms);
  await wait_frames(page, 2);
  const during = await pg(page, () => window.playground.glossary());
  await touch(page, 'touchend', at);
  await wait_frames(page, 3);
  return during;
}

// A finger dragged up over the glossary's list scrolls it, as a page would.
async function touch_drag_scrolls(page) {
  await pg(page, () => window.playground.openGlossary(true));
  await wait_frames(page, 3);
  const before = await rect_of(page, 'glossary_view_ttl');
  const x = 40;
  await touch(page, 'touchstart', { x, y: 600 });
  await wait_frames(page, 2);
  for (let y = 580; y >= 300; y -= 40) {
    await touch(page, 'touchmove', { x, y });
    await wait_frames(page, 1);
  }
  await touch(page, 'touchend', { x, y: 300 });
  await wait_frames(page, 3);
  const after = (await pg(page, () => window.playground.layout())).glossary_view_ttl;
  assert(after && after[1] < before[1] - 100, `a drag of 300 px scrolled the list: ${before[1]} -> ${after && after[1]}`);
  await pg(page, () => window.playground.openGlossary(false));
  await wait_frames(page, 2);
}

async function phone_layout(browser, baseUrl, screenshotDir) {
  const { context, page, errors } = await open_app(browser, baseUrl,
                                                   { width: 390, height: 844, deviceScaleFactor: 3, hasTouch: true });
  try {
    const stats = await pg(page, () => window.playground.viewStats());
    assert(stats.layout === 'phone' && stats.panel === 'views', `a 390 px page is laid out for a phone: ${stats.layout}`);
    assert(stats.tabs_clipped === 0, `every tab shows its whole name: ${stats.tabs_clipped} clipped`);
    const layout = await pg(page, () => window.playground.layout());
    for (const name of ['phone_tab_views', 'phone_tab_scenario', 'phone_tab_inspector', 'phone_tab_log']) {
      const r = layout[name];
      assert(r && r[2] >= 80 && r[3] >= 34 && r[1] + r[3] <= 844, `${name} is a large target on screen: ${r}`);
    }
    for (const name of ['tab_Charts', 'tab_Architecture', 'tab_Ring', 'tab_Locks', 'tab_Queues'])
      assert(layout[name] && layout[name][2] >= 40 && layout[name][3] >= 30, `${name} is readable: ${layout[name]}`);
    assert(layout.scrubber && layout.scrubber[2] >= 390 - 40, `the timeline is full width: ${layout.scrubber}`);
    assert(layout.clock && layout.clock[0] + layout.clock[2] <= 390 && layout.clock[1] < 120,
           `the clock is on screen, at the top: ${layout.clock}`);
    assert(layout.play && layout.play[3] >= 30, `Play is a finger's target: ${layout.play}`);

    await tap(page, 'play');
    assert(await pg(page, () => window.playground.state()) === 'playing', 'the first tap on Play plays');
    await page.waitForTimeout(500);
    await tap(page, 'play');
    assert(await pg(page, () => window.playground.state()) === 'paused', 'a second tap pauses');

    // Breaking something by taps: the Inspector panel, the first instance, Crash.
    await tap(page, 'phone_tab_inspector');
    assert((await pg(page, () => window.playground.viewStats())).panel === 'inspector', 'the Inspector panel opens');
    await tap(page, 'instance0');
    await tap(page, 'crash');
    await wait_job_done(page);
    const interventions = JSON.parse(await pg(page, () => window.playground.scenario())).interventions || [];
    assert(interventions.length === 1 && interventions[0].kind === 'crash', `a crash made by taps: ${JSON.stringify(interventions)}`);

    // A long press on a word of the glossary opens its card while the finger is still down.
    const during = await long_press(page, await rect_of(page, 'term_p99'), 700);
    assert(during.card === 'p99', `a long press on p99 opens its card: ${JSON.stringify(during.card)}`);
    await tap(page, 'term_card_view');
    const after = await pg(page, () => window.playground.viewStats());
    assert(after.panel === 'views' && after.view === 'Charts', `the card's button shows the Charts: ${after.panel} ${after.view}`);
    await touch_drag_scrolls(page);

    // An exercise by taps: Check runs it to the end and gives the verdict.
    await load(page, 'exercise-spike-capacity.json');
    await pg(page, () => window.playground.setPhonePanel('views'));
    await wait_frames(page, 3);
    const [check, panel] = [await rect_of(page, 'exercise_check'), await rect_of(page, 'exercise_panel')];
    assert(check[0] + check[2] <= panel[0] + panel[2], `Check lies inside the exercise panel: ${check} / ${panel}`);
    await tap(page, 'exercise_check');
    await wait_job_done(page);
    await wait_frames(page, 3);
    const goals = await pg(page, () => window.playground.goals());
    assert(goals.exercise && goals.finished && goals.goals.every((g) => g.status === 'passed' || g.status === 'failed'),
           `a tap on Check gives the verdict: ${JSON.stringify(goals.goals.map((g) => g.status))}`);
    await page.screenshot({ path: `${screenshotDir}/newcomer2-phone.png` });
    assert(errors.length === 0, errors.join('; '));
    console.log(`      phone: tabs ${['Charts', 'Architecture'].map((n) => layout[`tab_${n}`][2].toFixed(0)).join(', ')} px wide, ` +
                `timeline ${layout.scrubber[2].toFixed(0)} px; tap played, taps crashed an instance`);
  } finally {
    await context.close();
  }
}

export default async function newcomer2({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  try {
    await glossary_explains_and_links(page);
    await friendly_errors(page);
    await ring_node_tooltip(page);
    await speed_list_passes_the_click(page);
    await chinese(page);
    assert(errors.length === 0, errors.join('; '));
  } finally {
    await context.close();
  }
  await phone_layout(browser, baseUrl, screenshotDir);
}
