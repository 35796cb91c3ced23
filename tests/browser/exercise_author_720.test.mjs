// The authoring window at 1280x720, in English and in Chinese (?lang=zh-CN: every string drawn with a glyph), through
// the metric picker, the student preview and back (exercise_author_shots.test.mjs' steps). Screenshots (looked at):
// build/screenshots/exercise-author-{picker,preview}-1280x720.png and -zh-CN-1280x720.png.
import { author_at, exercise_fragment } from './exercise_author_shots.test.mjs';

export default async function exercise_author_720({ browser, baseUrl, screenshotDir }) {
  const fragment = exercise_fragment();
  await author_at(browser, `${baseUrl}${fragment}`, { width: 1280, height: 720 }, screenshotDir, '1280x720');
  await author_at(browser, `${baseUrl}?lang=zh-CN${fragment}`, { width: 1280, height: 720 }, screenshotDir,
                  'zh-CN-1280x720');
}
