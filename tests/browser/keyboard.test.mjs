// The transport, the views and the File actions reached by keyboard (web/platform/glue_present.js): Tab from the
// page moves the focus to a row of real buttons, named in the page's language (read back through playwright's
// accessibility snapshot); Enter on them plays and pauses, selects a view, copies the link; the row is out of sight
// until it has the focus; Esc gives the keyboard back to the app, whose own shortcut (Space) still works.
// Screenshot with the row shown: build/screenshots/keyboard-controls-*.png (1280x720, DPR 2 for English).
import path from 'node:path';

import { assert, assert_not_blank, open_app, wait_frames } from './lib.mjs';

const names = {
  en: { play: 'Play', pause: 'Pause', architecture: 'Architecture', link: 'Copy share link', title: 'Controls' },
  'zh-CN': { play: '播放', pause: '暂停', architecture: '架构', link: '复制分享链接', title: '控制按钮' },
};

const focused = (page) => page.evaluate(() => {
  const element = document.activeElement;
  return element && element.closest('#keyboard-controls') ? element.textContent : null;
});
const row_width = (page) => page.evaluate(() => document.getElementById('keyboard-controls').getBoundingClientRect().width);
const state = (page) => page.evaluate(() => window.playground.state());

async function tab_to(page, name, limit = 16) {
  for (let i = 0; i < limit; ++i) {
    if (await focused(page) === name) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached the button "${name}" (focus on ${await focused(page)})`);
}

async function language(browser, baseUrl, screenshotDir, lang) {
  const words = names[lang];
  const { context, page, errors } = await open_app(browser, `${baseUrl}?lang=${lang}`,
                                                    { width: 1280, height: 720, deviceScaleFactor: lang === 'en' ? 2 : 1 });
  try {
    await page.waitForSelector('#keyboard-controls button');
    assert(await row_width(page) <= 1, `${lang}: the row should be out of sight before it has the focus`);
    const aria = await page.locator('#keyboard-controls').ariaSnapshot();
    for (const word of [words.play, words.architecture, words.link]) {
      assert(aria.includes(`button "${word}"`), `${lang}: the accessibility tree has no button "${word}":\n${aria}`);
    }
    assert((await page.locator('nav#keyboard-controls').getAttribute('aria-label')) === words.title, `${lang}: row name`);
    await page.keyboard.press('Tab');
    assert(await focused(page) === words.play, `${lang}: the first Tab should reach "${words.play}", got ${await focused(page)}`);
    assert(await row_width(page) > 300, `${lang}: the row should be shown while it has the focus`);
    await page.keyboard.press('Enter');
    assert(await state(page) === 'playing', `${lang}: Enter on "${words.play}" did not play`);
    await page.waitForFunction((word) => document.activeElement.textContent === word, words.pause, { timeout: 3000 });
    await wait_frames(page, 3);
    const png = await page.screenshot({ path: path.join(screenshotDir, `keyboard-controls-${lang}.png`) });
    await assert_not_blank(page, png, `${lang}: the page with the keyboard's row shown`);
    await page.keyboard.press('Enter');
    assert(await state(page) === 'paused', `${lang}: Enter on "${words.pause}" did not pause`);
    await tab_to(page, words.architecture);
    await page.keyboard.press('Enter');
    await wait_frames(page, 2);
    const view = (await page.evaluate(() => window.playground.viewStats())).view;
    assert(view === 'Architecture', `${lang}: Enter on "${words.architecture}" shows ${view}`);
    await tab_to(page, words.link);
    await page.keyboard.press('Enter');
    const link = await page.evaluate(() => window.playground.link());
    assert(await page.evaluate(() => window.playground.lastCopied()) === link, `${lang}: "${words.link}" copied another text`);
    await page.keyboard.press('Shift+Tab');
    assert(await focused(page) !== null && await focused(page) !== words.link, `${lang}: Shift+Tab should go back a button`);
    await page.keyboard.press('Escape');
    assert(await focused(page) === null, `${lang}: Esc should leave the row`);
    assert(await row_width(page) <= 1, `${lang}: the row should hide again after Esc`);
    await page.keyboard.down(' ');
    await wait_frames(page, 3);
    await page.keyboard.up(' ');
    await wait_frames(page, 3);
    assert(await state(page) === 'playing', `${lang}: Space (the app's shortcut) should still play after the row`);
    assert(errors.length === 0, `${lang}: errors: ${errors.join('; ')}`);
    console.log(`      ${lang}: Tab reaches "${words.play}", Enter plays and pauses, selects a view, copies the link`);
  } finally {
    await context.close();
  }
}

export default async function ({ browser, baseUrl, screenshotDir }) {
  await language(browser, baseUrl, screenshotDir, 'en');
  await language(browser, baseUrl, screenshotDir, 'zh-CN');
}
