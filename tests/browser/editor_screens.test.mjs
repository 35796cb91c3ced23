// The editor's core as a newcomer sees it (docs/editor.md): the JSON editor opened by mouse at 1280x720 and
// 1920x1080, DPR 2, and in Chinese (every string translated, no glyph missing); Black Friday's Architecture view with
// the automatic layout at both sizes, its nodes' boxes apart and inside the view. Screenshots:
// build/screenshots/json-editor-*.png, architecture-black-friday-*.png.
import path from 'node:path';

import { assert, assert_no_missing_glyphs, assert_not_blank, click_widget, open_app, wait_frames } from './lib.mjs';

// The Architecture view's node boxes (arch_node:<name> rectangles) overlap nowhere and lie inside the view.
async function check_boxes(page, what) {
  const rects = await page.evaluate(() => window.playground.layout());
  const canvas = rects.architecture_canvas;
  assert(canvas, `${what}: no architecture canvas: ${Object.keys(rects).filter((k) => !k.startsWith('field')).join(' ')}`);
  const boxes = Object.entries(rects).filter(([name]) => name.startsWith('arch_node:'));
  assert(boxes.length >= 8, `${what}: ${boxes.length} node boxes reported`);
  for (const [name, [x, y, w, h]] of boxes) {
    assert(x >= canvas[0] && y >= canvas[1] && x + w <= canvas[0] + canvas[2] && y + h <= canvas[1] + canvas[3],
           `${what}: ${name} is outside the view`);
    for (const [other, [x2, y2, w2, h2]] of boxes)
      if (other > name) assert(x + w <= x2 || x2 + w2 <= x || y + h <= y2 || y2 + h2 <= y, `${what}: ${name} ${[x, y, w, h]} overlaps ${other} ${[x2, y2, w2, h2]} in ${canvas}`);
  }
}

export default async function ({ browser, baseUrl, screenshotDir }) {
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    const library = await page.evaluate(() => window.playground.library());
    const black_friday = library.findIndex((e) => e.file === 'black-friday.json');
    assert(black_friday >= 0, 'no black-friday.json');
    await page.evaluate((i) => window.playground.loadBuiltin(i), black_friday);
    // As a person who has read the first screen's guide sees it: "Got it" closes the guide, the banner is closed.
    await click_widget(page, 'guide_close');
    await click_widget(page, 'message_close');
    await page.evaluate(() => window.playground.selectView('Architecture'));
    await wait_frames(page, 3);
    await page.screenshot({ path: path.join(screenshotDir, 'architecture-black-friday-1280x720@2x.png') });
    await check_boxes(page, '1280x720');
    await click_widget(page, 'menu_edit');
    await click_widget(page, 'menu_json_editor');
    assert((await page.evaluate(() => window.playground.jsonEditor())).open, 'the editor did not open');
    const status = (await page.evaluate(() => window.playground.layout())).json_status;
    await page.mouse.move(status[0] + status[2] - 4, status[1] + 2);   // off the list behind, whose tooltips would cover it
    await wait_frames(page, 3);
    const png = await page.screenshot({ path: path.join(screenshotDir, 'json-editor-1280x720@2x.png') });
    await assert_not_blank(page, png, 'the JSON editor');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await wait_frames(page, 4);
    await page.screenshot({ path: path.join(screenshotDir, 'json-editor-1920x1080@2x.png') });
    await click_widget(page, 'menu_edit');
    await click_widget(page, 'menu_json_editor');   // closed again
    await wait_frames(page, 3);
    await check_boxes(page, '1920x1080');
    await page.screenshot({ path: path.join(screenshotDir, 'architecture-black-friday-1920x1080@2x.png') });
    assert(errors.length === 0, errors.join('\n'));
  } finally {
    await context.close();
  }
  // In Chinese (the page waits for its font with ?lang=zh-CN).
  const zh = await open_app(browser, `${baseUrl}?lang=zh-CN`, { width: 1280, height: 720 });
  try {
    await click_widget(zh.page, 'menu_edit');
    await click_widget(zh.page, 'menu_json_editor');
    await wait_frames(zh.page, 2);
    await zh.page.screenshot({ path: path.join(screenshotDir, 'json-editor-zh-1280x720.png') });
    await assert_no_missing_glyphs(zh.page, 'the JSON editor in Chinese');
    assert(zh.errors.length === 0, zh.errors.join('\n'));
  } finally {
    await zh.context.close();
  }
}
