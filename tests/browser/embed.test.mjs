// Embedding and presenting (docs/embedding.md): each address parameter (view=, t=, autoplay=1, speed=, controls=,
// readonly=1) does what it says on an embedded page, File > Copy embed code gives an iframe that opens the same
// scenario at the same view and time, and presentation mode (key F) hides the panels and enlarges the text.
// Screenshots of presentation mode at 1280x720, DPR 2: build/screenshots/present-*.png.
import { promises as fs } from 'node:fs';
import path from 'node:path';

import { assert, assert_no_missing_glyphs, assert_not_blank, click_widget, open_app, wait_frames, wait_job_done }
  from './lib.mjs';

async function with_page(browser, url, check, viewport) {
  const { context, page, errors } = await open_app(browser, url, viewport);
  try {
    await wait_frames(page, 3);
    await check(page);
    assert(errors.length === 0, `${url}: errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

function layout(page) { return page.evaluate(() => window.playground.layout()); }

async function parameters({ browser, baseUrl }) {
  const embed = `${baseUrl}?embed=1`;
  await with_page(browser, embed, async (page) => {
    const rects = await layout(page);
    assert(!rects.menu_file && rects.play && rects.scrubber, 'embed=1: no menu bar, the whole transport bar');
    assert((await page.evaluate(() => window.playground.state())) === 'paused', 'embed=1 alone does not play');
  });
  // Each page below checks two parameters that do not touch each other: a view and one other (fewer page loads).
  const view_is = async (page, view) => {
    const stats = await page.evaluate(() => window.playground.viewStats());
    assert(stats.view === view, `view=${view.toLowerCase()}: the page shows ${stats.view}`);
  };
  await with_page(browser, `${embed}&view=architecture&t=12.5`, async (page) => {
    await wait_job_done(page);
    await view_is(page, 'Architecture');
    const clock = await page.evaluate(() => window.playground.clock());
    assert(Math.abs(clock - 12.5) < 0.001, `t=12.5: the clock is at ${clock}`);
    assert((await page.evaluate(() => window.playground.state())) === 'paused', 't= alone does not play');
  });
  await with_page(browser, `${embed}&view=ring&autoplay=1&t=5`, async (page) => {
    await wait_job_done(page);
    await view_is(page, 'Ring');
    await page.waitForFunction(() => window.playground.clock() > 5.2, null, { timeout: 15_000 });
    assert((await page.evaluate(() => window.playground.state())) === 'playing', 'autoplay=1: not playing');
  });
  await with_page(browser, `${embed}&view=locks&speed=10`, async (page) => {
    await view_is(page, 'Locks');
    assert((await page.evaluate(() => window.playground.speed())) === 10, 'speed=10 was not taken');
  });
  await with_page(browser, `${embed}&view=queues&speed=fast`, async (page) => {
    await view_is(page, 'Queues');
    assert((await page.evaluate(() => window.playground.speed())) === 1, 'a speed not understood keeps 1x');
  });
  await with_page(browser, `${embed}&controls=min`, async (page) => {
    const rects = await layout(page);
    assert(rects.play && rects.clock && !rects.step && !rects.speed && !rects.scrubber,
           `controls=min: play and the clock only, got ${Object.keys(rects).join(', ')}`);
    await click_widget(page, 'play');
    assert((await page.evaluate(() => window.playground.state())) === 'playing', 'controls=min: Play does not play');
  });
  await with_page(browser, `${embed}&controls=none&autoplay=1`, async (page) => {
    const rects = await layout(page);
    assert(!rects.play && !rects.scrubber && rects.tab_Charts, `controls=none: no transport bar, got ${Object.keys(rects)}`);
    assert((await page.evaluate(() => window.playground.state())) === 'playing', 'controls=none&autoplay=1: not playing');
  });
  await with_page(browser, `${baseUrl}?readonly=1`, async (page) => {
    const before = await page.evaluate(() => window.playground.scenario());
    const refused = await page.evaluate(() => window.playground.intervene({ kind: 'crash', target: 'gateway' }));
    assert(refused.length === 1 && /read-only/.test(refused[0]), `readonly=1: intervene gave ${JSON.stringify(refused)}`);
    assert((await page.evaluate(() => window.playground.scenario())) === before, 'readonly=1: the scenario changed');
    const message = await page.evaluate(() => window.playground.message());
    assert(message.error && /read-only/.test(message.text), `readonly=1: the banner says "${message.text}"`);
  });
  await with_page(browser, baseUrl, async (page) => {   // and without it, the same intervention is taken
    const taken = await page.evaluate(() => window.playground.intervene({ kind: 'crash', target: 'gateway' }));
    assert(taken.length === 0, `without readonly=1, intervene gave ${JSON.stringify(taken)}`);
  });
}

// File > Copy embed code, clicked as a person does; the iframe's address opens the same run at the same place.
async function copy_embed_code({ browser, baseUrl }) {
  let snippet = '', name = '', hash = '';
  await with_page(browser, baseUrl, async (page) => {
    await page.evaluate(() => window.playground.selectView('Ring'));
    await page.evaluate(() => window.playground.seek(7.25));
    await wait_job_done(page);
    await wait_frames(page, 3);
    await click_widget(page, 'menu_file');
    await click_widget(page, 'menu_copy_embed');
    snippet = await page.evaluate(() => window.playground.lastCopied());
    name = await page.evaluate(() => window.playground.scenarioName());
    hash = await page.evaluate(() => window.playground.traceHash());
    const message = await page.evaluate(() => window.playground.message());
    assert(/Embed code copied/.test(message.text), `the banner says "${message.text}"`);
  });
  const found = /^<iframe src="([^"]+)" width="960" height="540" title="([^"]*)"[^>]*><\/iframe>$/.exec(snippet);
  assert(found, `not an iframe snippet: ${snippet}`);
  const src = found[1].replaceAll('&amp;', '&');
  const url = new URL(src);
  assert(url.searchParams.get('embed') === '1' && url.searchParams.get('view') === 'Ring' &&
         url.searchParams.get('t') === '7.3' && url.searchParams.get('readonly') === '1' && /^#s=(1\.|b1\.)/.test(url.hash),
         `the snippet's address: ${src}`);
  assert(found[2] === name.replaceAll('&', '&amp;').replaceAll('"', '&quot;'), `title "${found[2]}", scenario "${name}"`);
  await with_page(browser, src, async (page) => {
    await wait_job_done(page);
    const seen = await page.evaluate(() => ({ view: window.playground.viewStats().view, clock: window.playground.clock(),
                                              name: window.playground.scenarioName(), layout: window.playground.layout() }));
    assert(seen.view === 'Ring' && Math.abs(seen.clock - 7.3) < 0.001 && seen.name === name && !seen.layout.menu_file,
           `the embedded page: ${JSON.stringify({ view: seen.view, clock: seen.clock, name: seen.name })}`);
    await page.evaluate(() => window.playground.runToEnd());
    const own = await page.evaluate(() => window.playground.traceHash());
    assert(own.length === 16, 'the embedded run has a trace hash');
  });
  assert(hash.length === 16, 'the page had a trace hash');
}

// Presses a key and holds it a few frames: ImGui 1.86 reads keys once a frame.
async function hold(page, key) {
  await page.keyboard.down(key);
  await wait_frames(page, 3);
  await page.keyboard.up(key);
  await wait_frames(page, 3);
}

async function presentation({ browser, baseUrl, screenshotDir }) {
  for (const lang of ['en', 'zh-CN']) {
    await with_page(browser, `${baseUrl}?lang=${lang}`, async (page) => {
      const normal = await layout(page);
      assert(normal.menu_file, 'the page has its menu bar before F');
      await page.mouse.move(640, 500);
      await hold(page, 'f');
      assert(await page.evaluate(() => window.playground.presenting()), `${lang}: F did not start presentation mode`);
      await wait_frames(page, 5);
      const rects = await layout(page);
      assert(!rects.menu_file && rects.play && rects.tab_Charts, `${lang}: presenting still shows the menu bar`);
      // Larger type: the clock's line of text is taller than on the normal page, by the presentation's text scale.
      const ratio = rects.clock[3] / normal.clock[3];
      assert(ratio > 1.4 && ratio < 1.6, `${lang}: the clock's text is ${ratio.toFixed(2)}x as tall while presenting`);
      // The transport bar and the tabs start at the left edge: no side panel is left.
      assert(rects.play[0] < 40, `${lang}: the transport bar starts at x=${rects.play[0]}`);
      await page.evaluate(() => window.playground.play());
      await page.waitForTimeout(4500);   // the hint fades; a few seconds of the run on the charts
      await page.evaluate(() => window.playground.pause());
      for (const view of ['Charts', 'Architecture']) {
        await page.evaluate((name) => window.playground.selectView(name), view);
        await wait_frames(page, 6);
        const png = await page.screenshot();
        await fs.writeFile(path.join(screenshotDir, `present-${view.toLowerCase()}-${lang}.png`), png);
        await assert_not_blank(page, png, `presentation of ${view} in ${lang}`);
      }
      await assert_no_missing_glyphs(page, `presentation mode in ${lang}`);
      await hold(page, 'Escape');
      assert(!(await page.evaluate(() => window.playground.presenting())), `${lang}: Esc did not leave presentation mode`);
      assert((await layout(page)).menu_file, `${lang}: the menu bar is back after Esc`);
    }, { width: 1280, height: 720, deviceScaleFactor: 2 });
  }
}

export default async function (options) {
  await parameters(options);
  await copy_embed_code(options);
  await presentation(options);
}
