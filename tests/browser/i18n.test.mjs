// Both languages in a real browser (every built-in scenario in Chinese: i18n_views.test.mjs).
//  - The English page fetches no Chinese font and misses no glyph either.
//  - The language menu's switch (setLanguage) fetches the font, switches once it is here, and is remembered.
//  - Chinese typed through the input method (DevTools Input.imeSetComposition + Input.insertText) lands in the
//    scenario's name and in the exported scenario.
import path from 'node:path';

import { assert, assert_no_missing_glyphs, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const views = ['Charts', 'Architecture', 'Ring', 'Locks', 'Queues'];

async function english_page_then_switch({ browser, baseUrl }) {
  const { context, page, errors } = await open_app(browser, baseUrl);
  const fetched = [];
  // Neither the font nor the Chinese texts (zh-CN.txt: the string table's Chinese column, left out of the wasm).
  page.on('request', (request) => { if (/\.otf$|zh-CN\.txt$/.test(request.url())) fetched.push(request.url()); });
  const spoken_text = () => page.evaluate(() => document.getElementById('spoken-report').textContent);
  const ideographs = /[\u4e00-\u9fff]/;
  try {
    assert(await page.evaluate(() => window.playground.language()) === 'en', 'a browser in English gets English');
    assert((await page.evaluate(() => window.playground.font())).state === 'embedded',
           'the English page must not fetch the Chinese font');
    for (const view of views) {
      await page.evaluate((name) => window.playground.selectView(name), view);
      await wait_frames(page, 3);
    }
    await assert_no_missing_glyphs(page, 'the English page');
    assert(fetched.length === 0, `the English page fetched ${fetched.join(', ')}`);
    assert(!ideographs.test(await spoken_text()), 'the English page shows Chinese text');

    // The menu's switch: the font comes first, then the language, and a reload keeps it.
    assert(await page.evaluate(() => window.playground.setLanguage('zh-CN')), 'setLanguage(zh-CN) refused');
    await page.waitForFunction(() => window.playground.font().state === 'loaded', null, { timeout: 30_000 });
    await wait_frames(page, 3);
    assert(await page.evaluate(() => window.playground.language()) === 'zh-CN', 'the switch did not happen');
    // The page's own strings are Chinese now (they came in zh-CN.txt with the font), in the text mirror too.
    await page.waitForFunction(() => /[\u4e00-\u9fff]/.test(document.getElementById('spoken-report').textContent),
                               null, { timeout: 5_000 });
    assert(fetched.some((url) => url.endsWith('zh-CN.txt')), 'the switch did not fetch zh-CN.txt');
    assert(!(await page.evaluate(() => window.playground.setLanguage('fr'))), 'a language the page lacks is refused');
    await page.reload();
    await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
    assert(await page.evaluate(() => window.playground.language()) === 'zh-CN', 'the choice was not remembered');
    await page.evaluate(() => window.playground.setLanguage('en'));
    await wait_frames(page, 2);
    assert(await page.evaluate(() => window.playground.language()) === 'en', 'switching back to English failed');
    await assert_no_missing_glyphs(page, 'after switching languages');
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

// Presses keys and holds them for a few frames, as a person does: ImGui 1.86 reads the keys' state once a frame, so
// a press released within the same frame (what keyboard.press does on a busy machine) can go unseen.
async function hold(page, keys) {
  for (const key of keys) await page.keyboard.down(key);
  await wait_frames(page, 3);
  for (const key of [...keys].reverse()) await page.keyboard.up(key);
  await wait_frames(page, 2);
}

async function chinese_input({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, `${baseUrl}?lang=zh-CN`, { deviceScaleFactor: 2 });
  try {
    // A scenario with a short description, so the name field is on screen without scrolling.
    await page.evaluate(() => {
      const library = window.playground.library();
      return window.playground.loadBuiltin(library.findIndex((entry) => entry.file === 'shop-spike.json'));
    });
    await wait_frames(page, 3);
    if (!(await page.evaluate(() => window.playground.layout())).scenario_name) await click_widget(page, 'scenario_texts');
    await wait_frames(page, 3);
    // The panel scrolls: bring the field up from below the fold.
    await page.mouse.move(150, 400);
    for (let tries = 0; tries < 10; ++tries) {
      const rect = (await page.evaluate(() => window.playground.layout())).scenario_name;
      if (rect && rect[1] + rect[3] < 700) break;
      await page.mouse.wheel(0, 200);
      await wait_frames(page, 3);
    }
    await click_widget(page, 'scenario_name');
    await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'ime-input', null,
                               { timeout: 5_000 });
    // A frame between keys, as a person types: ImGui 1.86 reads the keys' state once a frame.
    const cdp = await context.newCDPSession(page);
    const steps = [
      () => hold(page, ['Control', 'a']),
      // Pressed and released at once (within one frame): the page holds the release back a frame so ImGui sees it.
      () => page.keyboard.press('Backspace'),
      // Pinyin being composed, then the candidate chosen: what an input method does.
      () => cdp.send('Input.imeSetComposition', { text: 'miao', selectionStart: 4, selectionEnd: 4 }),
      () => cdp.send('Input.imeSetComposition', { text: '秒杀', selectionStart: 2, selectionEnd: 2 }),
      () => cdp.send('Input.insertText', { text: '秒杀' }),
      () => page.keyboard.type('-sale'),
      () => cdp.send('Input.insertText', { text: '库存' }),
    ];
    for (const step of steps) {
      await step();
      await wait_frames(page, 2);
    }
    await wait_frames(page, 3);
    await page.screenshot({ path: path.join(screenshotDir, 'i18n-zh-ime.png') });
    // A click elsewhere lets the field go (the input over it lets clicks through to the canvas): the edit is
    // applied, then it is in the scenario a link or a download carries.
    await page.mouse.move(700, 400);
    await wait_frames(page, 2);
    await page.mouse.down();
    await wait_frames(page, 2);
    await page.mouse.up();
    await wait_frames(page, 5);
    await wait_job_done(page);
    const name = await page.evaluate(() => JSON.parse(window.playground.scenario()).name);
    assert(name === '秒杀-sale库存', `the scenario's name should be 秒杀-sale库存, it is ${JSON.stringify(name)}`);
    assert(await page.evaluate(() => document.activeElement?.id !== 'ime-input'), 'the click did not end the edit');
    // Enter, pressed as quickly as a keyboard can, lets the field go too.
    await click_widget(page, 'scenario_name');
    await page.keyboard.press('End');
    await wait_frames(page, 2);
    await cdp.send('Input.insertText', { text: '！' });
    await wait_frames(page, 2);
    await page.keyboard.press('Enter');
    await wait_frames(page, 5);
    await wait_job_done(page);
    const renamed = await page.evaluate(() => JSON.parse(window.playground.scenario()).name);
    assert(renamed === '秒杀-sale库存！', `after Enter the name should be 秒杀-sale库存！, it is ${JSON.stringify(renamed)}`);
    await assert_no_missing_glyphs(page, 'typing Chinese');
    assert(errors.length === 0, `errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

export default async function (options) {
  await english_page_then_switch(options);
  await chinese_input(options);
}
