// The walking skeleton in a real browser: the page loads without errors, draws a non-blank frame, Play (through
// window.playground and through a mouse click on the ImGui button) makes the simulated clock advance, Pause stops
// it, and HiDPI screens get a backing store at device resolution. Screenshots: build/screenshots/skeleton*.png.
import path from 'node:path';

import { assert, assert_not_blank, click_widget, open_app, wait_frames } from './lib.mjs';

async function clock_after(page, ms) {
  await page.waitForTimeout(ms);
  return page.evaluate(() => window.playground.clock());
}

async function check_play_pause(page) {
  const pg = () => page.evaluate(() => ({ state: window.playground.state(), clock: window.playground.clock() }));
  const start = await pg();
  assert(start.state === 'paused', `the app should open paused, state is ${start.state}`);
  assert(start.clock === 0, `the clock should start at 0, it is ${start.clock}`);

  // Play by clicking the ImGui button.
  await click_widget(page, 'play');
  assert((await pg()).state === 'playing', 'clicking Play did not start the run');
  const a = await pg();
  const b = await clock_after(page, 600);
  assert(b > a.clock + 0.2, `the clock should advance about 0.6 s at 1x while playing: ${a.clock} -> ${b}`);

  // Pause by clicking the same button (its label is now Pause); the clock stops.
  await click_widget(page, 'play');
  const paused = await pg();
  assert(paused.state === 'paused', 'clicking Pause did not stop the run');
  const still = await clock_after(page, 300);
  assert(still === paused.clock, `the clock moved while paused: ${paused.clock} -> ${still}`);

  // Play through the JS API.
  await page.evaluate(() => window.playground.play());
  assert((await pg()).state === 'playing', 'playground.play() did not start the run');
  const c = await clock_after(page, 500);
  assert(c > still + 0.15, `the clock did not advance after playground.play(): ${still} -> ${c}`);
  await page.evaluate(() => window.playground.pause());
  assert((await pg()).state === 'paused', 'playground.pause() did not stop the run');
}

async function check_engine_view(page) {
  const info = await page.evaluate(() => ({
    name: window.playground.scenarioName(), hash: window.playground.traceHash(),
    events: window.playground.events(), report: window.playground.report(),
  }));
  // The page opens on the small shop (web/default_scenario.hpp: first_scenario_file), as the README's tour begins.
  const first = await page.evaluate(() => window.playground.library().find((entry) => entry.file === 'shop-spike.json'));
  assert(first && info.name === first.name, `the app should open on shop-spike, has "${info.name}"`);
  assert(/^[0-9a-f]{16}$/.test(info.hash), `trace hash should be 16 hex digits: ${info.hash}`);
  assert(info.events > 0, 'no events were processed while playing');
  assert(info.report && typeof info.report === 'object', 'report() should return an object');
}

export default async function skeleton({ browser, baseUrl, screenshotDir }) {
  // 1280x720 at device pixel ratio 1.
  {
    const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
    try {
      const size = await page.evaluate(() => [document.getElementById('canvas').width,
                                              document.getElementById('canvas').height]);
      assert(size[0] === 1280 && size[1] === 720, `canvas backing store ${size} at DPR 1, expected 1280,720`);
      await check_play_pause(page);
      await check_engine_view(page);
      await page.evaluate(() => window.playground.play());
      await page.waitForTimeout(400);
      await wait_frames(page, 2);
      const png = await page.screenshot({ path: path.join(screenshotDir, 'skeleton.png') });
      await assert_not_blank(page, png, 'the 1280x720 screenshot');
      assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  }
  // The same window at device pixel ratio 2: the backing store doubles, the layout stays in CSS pixels, and a
  // click at CSS coordinates still lands on the button.
  {
    const { context, page, errors } = await open_app(browser, baseUrl,
                                                     { width: 1280, height: 720, deviceScaleFactor: 2 });
    try {
      await wait_frames(page, 2);
      const size = await page.evaluate(() => [document.getElementById('canvas').width,
                                              document.getElementById('canvas').height]);
      assert(size[0] === 2560 && size[1] === 1440, `canvas backing store ${size} at DPR 2, expected 2560,1440`);
      await click_widget(page, 'play');
      assert(await page.evaluate(() => window.playground.state()) === 'playing', 'clicking Play at DPR 2 failed');
      const a = await page.evaluate(() => window.playground.clock());
      const b = await clock_after(page, 500);
      assert(b > a, `the clock did not advance at DPR 2: ${a} -> ${b}`);
      const png = await page.screenshot({ path: path.join(screenshotDir, 'skeleton-dpr2.png') });
      const stats = await assert_not_blank(page, png, 'the DPR 2 screenshot');
      assert(stats.width === 2560, `the DPR 2 screenshot is ${stats.width} px wide`);
      assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  }
  // The pixel ratio changing under a running app (browser zoom, a window dragged to another screen): the backing
  // store follows and the font atlas is rebuilt for the new ratio.
  {
    const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720 });
    try {
      const session = await context.newCDPSession(page);
      await session.send('Emulation.setDeviceMetricsOverride',
                         { width: 1280, height: 720, deviceScaleFactor: 1.5, mobile: false });
      await wait_frames(page, 3);
      const size = await page.evaluate(() => [document.getElementById('canvas').width,
                                              document.getElementById('canvas').height]);
      assert(size[0] === 1920 && size[1] === 1080, `canvas backing store ${size} after DPR 1 -> 1.5`);
      await click_widget(page, 'play');
      assert(await page.evaluate(() => window.playground.state()) === 'playing', 'clicking Play at DPR 1.5 failed');
      const png = await page.screenshot({ path: path.join(screenshotDir, 'skeleton-dpr-change.png') });
      await assert_not_blank(page, png, 'the screenshot after the DPR change');
      assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
    } finally {
      await context.close();
    }
  }
}
