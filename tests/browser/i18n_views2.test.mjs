// The second half of the library in Chinese, every view, no missing glyph (see i18n_views.test.mjs).
import { chinese_page } from './i18n_views.test.mjs';

export default async function (options) {
  await chinese_page(options, 1);
}
