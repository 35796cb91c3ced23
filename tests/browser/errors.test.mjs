// What a person sees when the app cannot run: a browser without WebGL2, and a .wasm that fails to download.
// Both must end on the page's message overlay with a reason, never on a black or half-drawn page.
import { assert } from './lib.mjs';

async function overlay_text(page) {
  await page.waitForSelector('#error:not([hidden])', { timeout: 15_000 });
  return page.evaluate(() => ({
    title: document.getElementById('error-title').textContent,
    detail: document.getElementById('error-detail').textContent,
    loading_visible: !document.getElementById('status').hidden,
  }));
}

export default async function errors({ browser, baseUrl }) {
  // No WebGL2: pretend the browser has none.
  {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    try {
      const page = await context.newPage();
      await page.addInitScript(() => {
        const get_context = HTMLCanvasElement.prototype.getContext;
        HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
          return type === 'webgl2' ? null : get_context.call(this, type, ...rest);
        };
      });
      await page.goto(baseUrl);
      const shown = await overlay_text(page);
      assert(/cannot run/.test(shown.title), `no-WebGL2 overlay title: ${shown.title}`);
      assert(/WebGL2/.test(shown.detail), `no-WebGL2 overlay should name WebGL2: ${shown.detail}`);
      assert(!shown.loading_visible, 'the loading card should give way to the message');
    } finally {
      await context.close();
    }
  }
  // The .wasm is missing on the server.
  {
    const context = await browser.newContext({ viewport: { width: 800, height: 600 } });
    try {
      const page = await context.newPage();
      await page.route('**/playground.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
      await page.goto(baseUrl);
      const shown = await overlay_text(page);
      assert(/could not be loaded/.test(shown.title), `missing-wasm overlay title: ${shown.title}`);
      assert(/404/.test(shown.detail), `missing-wasm overlay should give the HTTP status: ${shown.detail}`);
    } finally {
      await context.close();
    }
  }
}
