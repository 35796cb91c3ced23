// The QR code of the share link (File > Show QR code): opened from the menu with the mouse, the code the page shows
// and the PNG it downloads both decode with zbarimg (Debian's zbar-tools) to the page's current link, also read off a
// screenshot of the page itself at 1280x720 and device pixel ratios 2 and 1; Esc, Close and a click close it; a link
// too long for any QR code gets a sentence instead; the Chinese page shows the view with every glyph.
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { assert, assert_no_missing_glyphs, assert_not_blank, click_widget, open_app, wait_frames, wait_job_done } from './lib.mjs';

const pg = (page, fn, arg) => page.evaluate(fn, arg);

function have_zbarimg() {
  return spawnSync('sh', ['-c', 'command -v zbarimg'], { encoding: 'utf8' }).status === 0;
}

// What zbarimg reads in a PNG file ('' when it finds no QR code).
function zbar_read(file) {
  const result = spawnSync('zbarimg', ['--raw', '-q', '-Sdisable', '-Sqrcode.enable', file], { encoding: 'utf8' });
  return result.stdout.replace(/\n$/, '');
}

async function zbar_read_bytes(bytes, name) {
  const file = path.join(os.tmpdir(), `playground-qr-${process.pid}-${name}.png`);
  await fs.writeFile(file, bytes);
  try {
    return zbar_read(file);
  } finally {
    await fs.rm(file, { force: true });
  }
}

async function press(page, key) {
  await page.keyboard.down(key);
  await wait_frames(page, 2);
  await page.keyboard.up(key);
  await wait_frames(page, 3);
}

// File > Show QR code, with the mouse, as a person does.
async function open_from_menu(page) {
  await click_widget(page, 'menu_file');
  await click_widget(page, 'menu_show_qr');
  await wait_frames(page, 3);
  const qr = await pg(page, () => window.playground.qr());
  assert(qr.open, 'File > Show QR code did not open the QR code view');
  return qr;
}

// The view's code, its PNG and its download decode to the page's link; the screenshot of the page decodes too.
async function check_code(page, screenshotDir, name) {
  const qr = await pg(page, () => window.playground.qr());
  const link = await pg(page, () => window.playground.link());
  assert(qr.fits && qr.text === link, `the QR code should carry the current link (${link.length} chars)`);
  assert(qr.size === 17 + 4 * qr.version && qr.rows.length === qr.size, `version ${qr.version}, size ${qr.size}`);
  const from_png = await zbar_read_bytes(Buffer.from(qr.png, 'base64'), `${name}-png`);
  assert(from_png === link, `zbarimg read "${from_png.slice(0, 60)}" from qr().png, not the link`);
  const shot = path.join(screenshotDir, `${name}.png`);
  const png = await page.screenshot({ path: shot });
  await assert_not_blank(page, png, `the QR code view (${name})`);
  const from_screen = zbar_read(shot);
  assert(from_screen === link, `zbarimg read "${from_screen.slice(0, 60)}" off the screenshot, not the link`);
  const rect = (await pg(page, () => window.playground.layout())).qr_code;
  assert(rect && rect[0] >= 0 && rect[1] >= 0 && rect[0] + rect[2] <= 1280 && rect[1] + rect[3] <= 720,
         `the code should lie inside the window: ${JSON.stringify(rect)}`);
  const [download] = await Promise.all([page.waitForEvent('download'), click_widget(page, 'qr_download')]);
  const saved = await fs.readFile(await download.path());
  assert(saved.equals(Buffer.from(qr.png, 'base64')), 'Download PNG saved other bytes than qr().png');
  assert(/-qr\.png$/.test(download.suggestedFilename()), `download name ${download.suggestedFilename()}`);
  console.log(`      ${name}: link of ${link.length} chars -> version ${qr.version}-${qr.ecc}, mask ${qr.mask}, ` +
              `${rect[2].toFixed(0)} px on screen, decoded from PNG, download and screenshot`);
  return qr;
}

async function check_closing(page) {
  await press(page, 'Escape');
  assert(!(await pg(page, () => window.playground.qr())).open, 'Esc should close the QR code view');
  await open_from_menu(page);
  await click_widget(page, 'qr_close');
  assert(!(await pg(page, () => window.playground.qr())).open, 'Close should close the QR code view');
  await open_from_menu(page);
  const state = await pg(page, () => window.playground.state());
  await page.mouse.click(20, 360);   // beside the code, on no button
  await wait_frames(page, 3);
  assert(!(await pg(page, () => window.playground.qr())).open, 'a click beside the code should close the view');
  assert(await pg(page, () => window.playground.state()) === state, 'the closing click should reach nothing below');
}

// A scenario whose link no QR code holds: a description of incompressible text makes the link long.
async function check_too_long(page, screenshotDir, name = 'qr-too-long') {
  const scenario = JSON.parse(await pg(page, () => window.playground.scenario()));
  let seed = 12345;
  const words = [];
  while (words.join(' ').length < 3900) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    words.push(seed.toString(36));
  }
  scenario.description = words.join(' ');
  const errors = await pg(page, (text) => window.playground.loadScenario(text), JSON.stringify(scenario));
  assert(errors.length === 0, `the long scenario did not load: ${errors.join('; ')}`);
  await wait_job_done(page);
  const link = await pg(page, () => window.playground.link());
  assert(link.length > 2953, `the test scenario's link should be too long for a QR code, it is ${link.length}`);
  await pg(page, () => window.playground.showQr());
  await wait_frames(page, 3);
  const qr = await pg(page, () => window.playground.qr());
  assert(qr.open && !qr.fits && !qr.png, 'a link too long for a QR code should show no code');
  assert(qr.problem.includes(String(link.length)) && qr.problem.includes('2953'),
         `the view should say how long the link is and what fits: "${qr.problem}"`);
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  // The view offers the link itself: its Copy share link button copies the same link the menu would.
  await click_widget(page, 'qr_copy_link');
  assert(await pg(page, () => window.playground.lastCopied()) === link, 'Copy share link in the view copied another text');
  console.log(`      link of ${link.length} chars: "${qr.problem.slice(0, 80)}..."`);
  await press(page, 'Escape');
}

// The page's starting scenario: a code when its link fits, else the sentence (its full link is longer than a QR
// code holds until the short link form exists; the test takes whichever the link's length calls for).
async function check_start(page, screenshotDir) {
  const qr = await open_from_menu(page);
  const link = await pg(page, () => window.playground.link());
  if (link.length <= 2953) return check_code(page, screenshotDir, 'qr-view-start');
  assert(!qr.fits && qr.problem.includes(String(link.length)), `the start page's link of ${link.length} chars: "${qr.problem}"`);
  await page.screenshot({ path: path.join(screenshotDir, 'qr-view-start-too-long.png') });
  console.log(`      the starting scenario's link is ${link.length} chars: the view says it does not fit`);
  return qr;
}

// Opens a built-in scenario by file name (its full link fits in a QR code).
async function load_builtin(page, file) {
  const index = (await pg(page, () => window.playground.library())).findIndex((entry) => entry.file === file);
  assert(index >= 0, `${file} is not in the library`);
  const errors = await pg(page, (i) => window.playground.loadBuiltin(i), index);
  assert(errors.length === 0, `${file}: ${errors.join('; ')}`);
  await wait_job_done(page);
}

// Reading the code off a screenshot is checked at device pixel ratio 2, where frames are slow in headless Chromium
// (four times the pixels); closing the view, the too-long sentence and the Chinese view are checked at ratio 1.
export default async function qr({ browser, baseUrl, screenshotDir }) {
  assert(have_zbarimg(), 'zbarimg missing: install the Debian package zbar-tools (scripts/install-deps.sh)');
  const { context, page, errors } = await open_app(browser, baseUrl, { width: 1280, height: 720, deviceScaleFactor: 2 });
  try {
    await check_start(page, screenshotDir);
    await press(page, 'Escape');
    // A longer link: an intervention travels in it, and the code grows.
    await load_builtin(page, 'services-retry-storm.json');
    await pg(page, () => window.playground.seek(2));
    const intervened = await pg(page, () => window.playground.intervene({ kind: 'crash', target: 'order#0', for_ms: 500 }));
    assert(intervened.length === 0, `the intervention failed: ${intervened.join('; ')}`);
    await open_from_menu(page);
    await check_code(page, screenshotDir, 'qr-view-intervention');
    await press(page, 'Escape');
    assert(errors.length === 0, `console errors:\n${errors.join('\n')}`);
  } finally {
    await context.close();
  }
  const plain = await open_app(browser, baseUrl, { width: 1280, height: 720 });
  try {
    await load_builtin(plain.page, 'services-retry-storm.json');
    await open_from_menu(plain.page);
    await check_code(plain.page, screenshotDir, 'qr-view-1280x720-dpr1');
    await check_closing(plain.page);
    await press(plain.page, 'Escape');
    await check_too_long(plain.page, screenshotDir);
    assert(plain.errors.length === 0, `console errors:\n${plain.errors.join('\n')}`);
  } finally {
    await plain.context.close();
  }
  // The Chinese page: the same view, every glyph drawn.
  const zh = await open_app(browser, `${baseUrl}?lang=zh-CN`, { width: 1280, height: 720 });
  try {
    await load_builtin(zh.page, 'services-retry-storm.json');
    await open_from_menu(zh.page);
    await check_code(zh.page, screenshotDir, 'qr-view-zh');
    await assert_no_missing_glyphs(zh.page, 'the Chinese QR code view');
    await press(zh.page, 'Escape');
    await check_too_long(zh.page, screenshotDir, 'qr-too-long-zh');
    await assert_no_missing_glyphs(zh.page, 'the Chinese too-long sentence');
    assert(zh.errors.length === 0, `console errors on the Chinese page:\n${zh.errors.join('\n')}`);
  } finally {
    await zh.context.close();
  }
}
