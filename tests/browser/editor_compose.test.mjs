// Composing on the Architecture view: the keys (the arrows move the selection, Escape clears it, Delete deletes), a
// rename through the name field, and screenshots of composing at 1280x720 (1920x1080 DPR 2: editor_compose_1080), a box selected and a
// request type selected (build/screenshots/editor-compose-{box,request}-*.png). The shop is opened as a template
// (File > New > the built-in); everything is done with the mouse and the keyboard.
import path from 'node:path';

import { assert, assert_no_missing_glyphs, click_widget, open_app, wait_frames } from './lib.mjs';
import { helpers } from './editor_build.test.mjs';

// The keys on the shop: the arrows, Escape, a rename through the name field, Delete.
async function check_keys(page, h) {
  await h.click('node:gateway');
  const gateway = await h.centre('node:gateway');
  const selected = async () => Object.keys(await h.layout()).filter((k) => k.startsWith('selected:'));
  assert(JSON.stringify(await selected()) === '["selected:gateway"]', `clicking the gateway selected ${await selected()}`);
  // Right arrow: a box to the right of the gateway, within 45 degrees of straight right, becomes the selection.
  await page.keyboard.press('ArrowRight');
  await wait_frames(page, 3);
  const moved = await selected();
  assert(moved.length === 1 && moved[0] !== 'selected:gateway', `the right arrow from the gateway selected ${moved}`);
  const [mx, my] = await h.centre(moved[0].replace('selected:', 'node:'));
  assert(mx - gateway[0] > 0 && Math.abs(my - gateway[1]) <= mx - gateway[0],
         `${moved[0]} at ${mx},${my} is not to the right of the gateway at ${gateway}`);
  const clock = await page.evaluate(() => window.playground.job().now_s ?? 0);
  assert(clock === 0, `the right arrow also stepped the run (t = ${clock})`);
  await page.keyboard.press('Escape');
  await wait_frames(page, 3);
  assert((await selected()).length === 0 && !(await h.layout()).compose_name, 'Escape did not clear the selection');
  // A rename through the name field: the request type's step follows.
  await h.click('node:order');
  await h.text('compose_name', 'orders');
  let s = await h.scenario();
  assert(s.services[3].name === 'orders' && s.requests[2].steps[2].call === 'orders',
         `rename: ${JSON.stringify(s.services[3].name)} / ${JSON.stringify(s.requests[2].steps)}`);
  // Delete: the catalog and browse's step that called it go; nothing is selected after.
  await h.click('node:catalog');
  await page.keyboard.press('Delete');
  await h.settle();
  s = await h.scenario();
  assert(s.services.length === 3 && !JSON.stringify(s.requests).includes('"catalog"'),
         `Delete left ${JSON.stringify(s.services.map((v) => v.name))}, ${JSON.stringify(s.requests)}`);
  assert((await selected()).length === 0, 'the deleted box is still selected');
}

export async function keys_and_screenshots(browser, baseUrl, screenshotDir, size, keys) {
  // The clicks at pixel ratio 1, then the ratio asked for (the page follows a change of devicePixelRatio): at
  // 1920x1080 x 2 a software-rendered frame takes more than a second, too long for a dozen clicks' frames.
  const { context, page, errors } = await open_app(browser, baseUrl, { width: size.width, height: size.height });
  try {
    const h = helpers(page);
    const t0 = Date.now();
    const progress = (what) => console.log(`      editor_compose ${size.width}x${size.height}: ${what} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    await h.click('menu_file');
    await h.click('menu_new');
    await h.click('menu_new:shop-spike.json');
    await h.click('request:checkout');
    progress('template opened');
    if (keys) {
      await check_keys(page, h);
      progress('keys checked');
    }
    // The look: the guide put away, a box selected (its fields in the panel), then the checkout selected (its steps
    // in the panel, its flow highlighted); the pointer out of the way of tooltips.
    if ((await h.layout()).guide_close) await h.click('guide_close');
    const name = `${size.width}x${size.height}-${size.deviceScaleFactor || 1}x`;
    await h.click('node:cart');
    if ((size.deviceScaleFactor || 1) !== 1) {
      const cdp = await context.newCDPSession(page);
      await cdp.send('Emulation.setDeviceMetricsOverride',
                     { width: size.width, height: size.height, deviceScaleFactor: size.deviceScaleFactor, mobile: false });
      await wait_frames(page, 3);
      const ratio = await page.evaluate(() => window.devicePixelRatio);
      assert(ratio === size.deviceScaleFactor, `the page's pixel ratio is ${ratio}`);
    }
    await page.mouse.move(2, size.height - 2);
    await wait_frames(page, 4);
    await page.screenshot({ path: path.join(screenshotDir, `editor-compose-box-${name}.png`) });
    await click_widget(page, 'request:checkout');   // (no wait for a job: selecting a request type starts none)
    await page.mouse.move(2, size.height - 2);
    await wait_frames(page, 4);
    await page.screenshot({ path: path.join(screenshotDir, `editor-compose-request-${name}.png`) });
    progress('screenshots taken');
    await assert_no_missing_glyphs(page, 'composing');
    assert(errors.length === 0, errors.join('\n'));
  } finally {
    await context.close();
  }
}

// (1920x1080 at DPR 2 draws four times the pixels in software: tests/browser/editor_compose_1080.test.mjs, on its own.)
export default async function editor_compose({ browser, baseUrl, screenshotDir }) {
  await keys_and_screenshots(browser, baseUrl, screenshotDir, { width: 1280, height: 720 }, true);
}
