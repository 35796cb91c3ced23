// Every built-in scenario in every view with ?lang=zh-CN: the page waits for its Chinese font, speaks Chinese, and
// draws every character with a glyph (window.playground.missingGlyphs() stays empty). Screenshots at 1280x720,
// DPR 1: build/screenshots/i18n-zh-*.png. Whether a glyph is missing does not depend on the pixel ratio, and frames at
// ratio 1 cost a quarter of the pixels in headless Chromium; i18n.test.mjs looks at the Chinese page at ratio 2.
import path from 'node:path';

import { assert, assert_no_missing_glyphs, assert_not_blank, open_app, wait_frames, wait_job_done } from './lib.mjs';

const views = ['Charts', 'Architecture', 'Ring', 'Locks', 'Queues'];

async function every_scenario_and_view(page, screenshotDir, half) {
  const library = await page.evaluate(() => window.playground.library());
  assert(library.length >= 20, `the library lists ${library.length} scenarios`);
  const middle = Math.ceil(library.length / 2);
  const [from, to] = half === 0 ? [0, middle] : [middle, library.length];
  for (let i = from; i < to; ++i) {
    const errors = await page.evaluate((index) => window.playground.loadBuiltin(index), i);
    assert(errors.length === 0, `${library[i].file} did not load: ${errors.join('; ')}`);
    await page.evaluate(() => window.playground.seek(2));
    await wait_job_done(page);
    for (const view of views) {
      await page.evaluate((name) => window.playground.selectView(name), view);
      await wait_frames(page, 2);
    }
    await assert_no_missing_glyphs(page, `${library[i].file} in Chinese`);
    if (['black-friday.json', 'shop-spike.json', 'locks-redis-gc-pause.json'].includes(library[i].file)) {
      await page.evaluate(() => window.playground.selectView('Architecture'));
      await wait_frames(page, 3);
      const png = await page.screenshot({ path: path.join(screenshotDir, `i18n-zh-${library[i].file.replace('.json', '')}.png`) });
      await assert_not_blank(page, png, `${library[i].file} in Chinese`);
    }
  }
}

export async function chinese_page({ browser, baseUrl, screenshotDir }, half) {
  const { context, page, errors } = await open_app(browser, `${baseUrl}?lang=zh-CN`);
  try {
    assert(await page.evaluate(() => window.playground.language()) === 'zh-CN', 'the page should speak zh-CN');
    const font = await page.evaluate(() => window.playground.font());
    assert(font.state === 'loaded' && font.bytes > 100_000, `the Chinese font should be loaded: ${JSON.stringify(font)}`);
    console.log(`      Chinese font: ${(font.bytes / 1024).toFixed(0)} KB, arrived in ${Math.round(font.ms)} ms`);
    const png = await page.screenshot({ path: path.join(screenshotDir, 'i18n-zh-start.png') });
    await assert_not_blank(page, png, 'the Chinese page');
    await every_scenario_and_view(page, screenshotDir, half);
    assert(errors.length === 0, `errors on the Chinese page: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

// The first half of the library here, the second in i18n_views2.test.mjs (each file has its own time limit).
export default async function (options) {
  await chinese_page(options, 0);
}
