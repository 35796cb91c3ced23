// Composing at 1920x1080, device pixel ratio 2: the screenshots of tests/browser/editor_compose.test.mjs (a box
// selected, then a request type selected, on the shop opened as a template), in a file of its own because every frame
// at that size takes long in software rendering.
import { keys_and_screenshots } from './editor_compose.test.mjs';

export default async function editor_compose_1080({ browser, baseUrl, screenshotDir }) {
  await keys_and_screenshots(browser, baseUrl, screenshotDir, { width: 1920, height: 1080, deviceScaleFactor: 2 }, false);
}
