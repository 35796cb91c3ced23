// Helpers the browser tests share: open the app in a fresh context, collect console errors, wait on
// window.playground, click an ImGui widget by the coordinates the app reports, and measure a screenshot.

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

// Opens the app in its own browser context (own viewport and pixel ratio) and waits for the first frame.
// `errors` collects console errors and uncaught page errors from the moment the page starts loading.
export async function open_app(browser, baseUrl,
                               { width = 1280, height = 720, deviceScaleFactor = 1, hasTouch = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, hasTouch });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  await page.goto(baseUrl);
  try {
    await page.waitForFunction(() => window.playground && window.playground.ready, null, { timeout: 30_000 });
  } catch (error) {
    const overlay = await page.evaluate(() => document.getElementById('error-detail')?.textContent || '');
    throw new Error(`the app did not draw a first frame: ${errors.concat(overlay).filter(Boolean).join('; ')}`);
  }
  // A link or a reload may have started a replay (a job in slices): the page is settled once it is done.
  await wait_job_done(page);
  return { context, page, errors };
}

// Waits until the app runs no job (run to end, seek, a replay, Check ... run in per-frame slices).
export async function wait_job_done(page, timeout = 60_000) {
  await page.waitForFunction(() => !window.playground.job().active, null, { timeout });
}

// Waits until the app has drawn `count` more frames, so a state change made through input is on screen.
export async function wait_frames(page, count = 3) {
  const start = await page.evaluate(() => window.playground.frames());
  await page.waitForFunction((target) => window.playground.frames() >= target, start + count, { timeout: 10_000 });
}

// Clicks the centre of a widget, by the rectangle the app reports in CSS pixels (the canvas fills the page).
export async function click_widget(page, name) {
  const rect = (await page.evaluate(() => window.playground.layout()))[name];
  assert(rect && rect[2] > 0 && rect[3] > 0, `the app reports no rectangle for widget "${name}"`);
  const x = rect[0] + rect[2] / 2;
  const y = rect[1] + rect[3] / 2;
  // Hover first and let ImGui see the cursor for a few frames, then press and release like a person would.
  await page.mouse.move(x, y);
  await wait_frames(page, 2);
  await page.mouse.down();
  await wait_frames(page, 2);
  await page.mouse.up();
  await wait_frames(page, 2);
  return { x, y };
}

// Statistics of a PNG screenshot, decoded by the browser itself (no image library needed in Node):
// the luminance's mean and standard deviation, and how many distinct colours (quantised to 4 bits per channel).
export async function image_statistics(page, png) {
  return page.evaluate(async (base64) => {
    const image = new Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = new OffscreenCanvas(image.naturalWidth, image.naturalHeight);
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    let sum = 0, sum_squares = 0;
    const colours = new Set();
    const count = pixels.length / 4;
    for (let i = 0; i < pixels.length; i += 4) {
      const luminance = 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
      sum += luminance;
      sum_squares += luminance * luminance;
      colours.add(((pixels[i] >> 4) << 8) | ((pixels[i + 1] >> 4) << 4) | (pixels[i + 2] >> 4));
    }
    const mean = sum / count;
    return { width: canvas.width, height: canvas.height, mean,
             deviation: Math.sqrt(Math.max(0, sum_squares / count - mean * mean)), colours: colours.size };
  }, png.toString('base64'));
}

export async function assert_not_blank(page, png, what) {
  const stats = await image_statistics(page, png);
  assert(stats.deviation > 4 && stats.colours >= 8,
         `${what} looks blank: luminance deviation ${stats.deviation.toFixed(2)}, ${stats.colours} colours`);
  return stats;
}

// Fails with the characters the page drew without a glyph since load (window.playground.missingGlyphs()).
export async function assert_no_missing_glyphs(page, what) {
  const missing = await page.evaluate(() => window.playground.missingGlyphs());
  const named = missing.map((c) => `U+${c.toString(16).toUpperCase().padStart(4, '0')} ${String.fromCodePoint(c)}`);
  assert(missing.length === 0, `${what}: drawn without a glyph: ${named.join(', ')}`);
}
