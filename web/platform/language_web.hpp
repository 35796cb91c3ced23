// The page's language and its Chinese font, on the browser side (web/platform/glue.js does the fetching).
//
// The language comes from ?lang=zh-CN|en, else the one chosen earlier in the language menu (localStorage), else
// the browser's. The Chinese font (cjk-sc.otf beside the app, about 0.8 MB) is fetched only when the page needs it:
// at start when the language is Chinese (the app starts once it is here, so no frame shows Chinese without glyphs),
// later when the menu switches to Chinese (the switch happens when the font has arrived) or when a scenario with
// Chinese text is opened. Until then the few characters the language menu needs are embedded.
#pragma once
#include <cstddef>

#include "web/strings.hpp"

namespace pgweb {

class App;

// At start, before the first frame: the language the page asks for, and the font bytes glue.js fetched before
// starting the app when that language needs them.
void start_language();
// Asks for a language (the menu): at once when its glyphs are here, otherwise once the font has been fetched.
void request_language(Lang lang);
// Each frame, before ImGui::NewFrame: applies a language whose font arrived, fetches the font when the scenario
// shows Chinese. True when the font atlas must be rebuilt.
bool language_frame(const App& app);
// Each frame, after the app drew: a line with the font's download progress while it is on its way.
void draw_font_progress();
// The fetched Chinese font, null until it is here (the atlas points into these bytes; they live as long as the page).
const unsigned char* cjk_font_data();
size_t cjk_font_size();

}  // namespace pgweb
