// The authoring window at 1920x1080 with device pixel ratio 2 (and, from exercise_author_720.test.mjs, at 1280x720 in
// English and in Chinese with no glyph missing), on a built-in exercise opened from its link: Exercise › Author an
// exercise… by mouse, the run to its end (at 1280x720), the metric picker open, then the student preview (and back). Screenshots
// (looked at): build/screenshots/exercise-author-{picker,preview}-1920x1080@2x.png.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { assert, open_app } from './lib.mjs';
import { click_widget, screenshots } from './exercise_author.test.mjs';

const repo_root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function author_at(browser, url, size, screenshotDir, suffix, options = {}) {
  const { context, page, errors } = await open_app(browser, url, size);
  try {
    const goals = await page.evaluate(() => window.playground.goals());
    assert(goals.exercise && goals.goals.length > 0, `${suffix}: the link did not open an exercise`);
    await click_widget(page, 'menu_exercise');
    await click_widget(page, 'menu_author');
    const state = await page.evaluate(() => window.playground.author());
    assert(state.open && !(await page.evaluate(() => window.playground.goals())).exercise,
           `${suffix}: authoring should show the teacher's mode: ${JSON.stringify(state)}`);
    const rect = (await page.evaluate(() => window.playground.layout())).author_window;
    const viewport = page.viewportSize();
    assert(rect && rect[0] >= 280 && rect[0] + rect[2] <= viewport.width, `${suffix}: the window at ${rect}`);
    await screenshots(page, screenshotDir, suffix, options);
    assert(errors.length === 0, `${suffix}: console errors: ${errors.join('; ')}`);
  } finally {
    await context.close();
  }
}

// The built-in exercise's share link fragment (#s=1....), as playground-cli link encode writes it.
export function exercise_fragment() {
  const encoded = spawnSync(path.join(repo_root, 'build/native/playground-cli'),
                            ['link', 'encode', 'scenarios/exercise-spike-capacity.json', '--full'],
                            { encoding: 'utf8', cwd: repo_root });
  assert(encoded.status === 0, `link encode: ${encoded.stderr}`);
  const fragment = encoded.stdout.trim();
  assert(fragment.startsWith('#'), `link encode printed ${fragment.slice(0, 40)}`);
  return fragment;
}

export default async function exercise_author_shots({ browser, baseUrl, screenshotDir }) {
  const fragment = exercise_fragment();
  await author_at(browser, `${baseUrl}${fragment}`, { width: 1920, height: 1080, deviceScaleFactor: 2 },
                  screenshotDir, '1920x1080@2x', { back: false, run: false });
}
