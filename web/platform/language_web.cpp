// The page's language and its Chinese font (see language_web.hpp).
#include "web/platform/language_web.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include <emscripten/emscripten.h>
#include <imgui.h>
#include <nlohmann/json.hpp>

#include "web/app.hpp"
#include "web/platform/glyph_watch.hpp"
#include "web/scenario_text.hpp"
#include "web/translate.hpp"

// ---- the page's side (web/platform/glue.js) ---------------------------------------------------------------------
// clang-format off
// The language the page asks for: ?lang=, else the menu's earlier choice, else the browser's ("zh-CN", "en"...).
EM_JS(char*, host_language_code, (), {
  var text = String(Module.playgroundHost.languageCode() || "en");
  var size = lengthBytesUTF8(text) + 1;
  var pointer = _malloc(size);
  stringToUTF8(text, pointer, size);
  return pointer;
});
EM_JS(void, host_save_language, (const char* code), { Module.playgroundHost.saveLanguage(UTF8ToString(code)); });
// Starts fetching cjk-sc.otf (once); it answers with pg_cjk_font_progress, then pg_cjk_font_loaded or _failed.
EM_JS(void, host_fetch_cjk_font, (), { Module.playgroundHost.fetchCjkFont(); });
// The font fetched before the app started (the Chinese page waits for it), copied to the heap; null when none.
EM_JS(unsigned char*, host_take_cjk_font, (int* size_out), {
  var bytes = Module.playgroundHost.takeCjkFont();
  if (!bytes) return 0;
  var pointer = _malloc(bytes.length);
  HEAPU8.set(bytes, pointer);
  HEAP32[size_out >> 2] = bytes.length;
  return pointer;
});
// The Chinese texts (zh-CN.txt) fetched with that font; null when none.
EM_JS(unsigned char*, host_take_chinese_texts, (int* size_out), {
  var bytes = Module.playgroundHost.takeChineseTexts();
  if (!bytes) return 0;
  var pointer = _malloc(bytes.length);
  HEAPU8.set(bytes, pointer);
  HEAP32[size_out >> 2] = bytes.length;
  return pointer;
});
EM_JS(void, host_ime_position, (int x, int y), { Module.playgroundHost.imePosition(x, y); });
// clang-format on

namespace pgweb {
namespace {

enum class FontState : uint8_t { embedded, loading, loaded, failed };

// The Chinese font and the language waiting for it. File scope like the platform state in main_web.cpp: the
// exported functions glue.js calls carry no user pointer.
struct LanguageState {
  FontState font = FontState::embedded;
  std::vector<unsigned char> font_bytes;   // the atlas points into these; never freed
  double progress = 0;                     // 0..1 while loading
  std::string failure;
  bool pending = false;                    // a language waits for the font
  Lang pending_language = Lang::en;
  bool atlas_dirty = false;
  uint64_t frames = 0;
};
LanguageState state;

void fetch_font() {
  if (state.font != FontState::embedded) return;
  state.font = FontState::loading;
  state.progress = 0;
  set_glyph_watch_paused(true);
  host_fetch_cjk_font();
}

void use_font(unsigned char* bytes, int size) {
  state.font_bytes.assign(bytes, bytes + size);
  std::free(bytes);
  state.font = FontState::loaded;
  state.atlas_dirty = true;
}

bool needs_cjk_font(Lang lang) { return lang == Lang::zh_CN; }

void ime_position(int x, int y) { host_ime_position(x, y); }

}  // namespace

void start_language() {
  ImGui::GetIO().ImeSetInputScreenPosFn = ime_position;
  char* code = host_language_code();
  Lang lang = Lang::en;
  lang_from_code(code ? code : "", lang);
  std::free(code);
  int size = 0;
  std::string refused = "zh-CN.txt did not arrive";
  if (unsigned char* texts = host_take_chinese_texts(&size)) {
    refused = load_chinese_texts(std::string_view(reinterpret_cast<const char*>(texts), (size_t)size));
    std::free(texts);
  }
  size = 0;
  if (unsigned char* bytes = host_take_cjk_font(&size)) {
    if (refused.empty()) use_font(bytes, size);
    else std::free(bytes);   // without its texts the font alone would show English: fetch both again below
  }
  if (needs_cjk_font(lang) && state.font != FontState::loaded) {
    // The page should have fetched it before starting; it did not (a failed fetch): wait for it in English.
    state.pending = true;
    state.pending_language = lang;
    fetch_font();
    lang = Lang::en;
  }
  set_language(lang);
}

void request_language(Lang lang) {
  host_save_language(lang_code(lang));
  if (!needs_cjk_font(lang) || state.font == FontState::loaded) {
    state.pending = false;
    set_language(lang);
    return;
  }
  state.pending = true;
  state.pending_language = lang;
  fetch_font();
}

bool language_frame(const App& app) {
  // A scenario's own Chinese text (a teacher's exercise written in Chinese) needs the font in an English page too.
  if (state.font == FontState::embedded && state.frames++ % 30 == 0 && scenario_has_cjk(app.scenario())) fetch_font();
  if (state.font == FontState::loaded && state.pending) {
    state.pending = false;
    set_language(state.pending_language);
  }
  const bool rebuild = state.atlas_dirty;
  state.atlas_dirty = false;
  if (rebuild) set_glyph_watch_paused(false);
  return rebuild;
}

void draw_font_progress() {
  if (state.font != FontState::loading && state.font != FontState::failed) return;
  const std::string line = state.font == FontState::loading
                               ? text_format(StrId::font_loading, state.progress * 100.0)
                               : text_format(StrId::font_failed, state.failure.c_str());
  const ImVec2 size = ImGui::CalcTextSize(line.c_str());
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImVec2 at(display.x - size.x - 16.0f, display.y - size.y - 12.0f);
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  draw->AddRectFilled(ImVec2(at.x - 8, at.y - 4), ImVec2(at.x + size.x + 8, at.y + size.y + 4),
                      IM_COL32(22, 26, 30, 235), 4.0f);
  draw->AddText(at, IM_COL32(200, 210, 218, 255), line.c_str());
}

const unsigned char* cjk_font_data() { return state.font == FontState::loaded ? state.font_bytes.data() : nullptr; }
size_t cjk_font_size() { return state.font == FontState::loaded ? state.font_bytes.size() : 0; }

}  // namespace pgweb

// ---- entry points for glue.js and window.playground ----------------------------------------------------------------
extern "C" {

EMSCRIPTEN_KEEPALIVE void pg_cjk_font_progress(double fraction) { pgweb::state.progress = fraction; }
// Takes a malloc'ed copy of zh-CN.txt; returns "" when accepted, else why not (glue.js then reports the font failed).
EMSCRIPTEN_KEEPALIVE const char* pg_chinese_texts(unsigned char* bytes, int size) {
  static std::string refused;
  refused = bytes ? pgweb::load_chinese_texts(std::string_view(reinterpret_cast<const char*>(bytes), (size_t)size))
                  : "no texts";
  std::free(bytes);
  return refused.c_str();
}
// Takes a malloc'ed copy of the font's bytes.
EMSCRIPTEN_KEEPALIVE void pg_cjk_font_loaded(unsigned char* bytes, int size) {
  if (bytes && size > 0) pgweb::use_font(bytes, size);
}
EMSCRIPTEN_KEEPALIVE void pg_cjk_font_failed(const char* why) {
  pgweb::state.font = pgweb::FontState::failed;
  pgweb::state.failure = why ? why : "";
  pgweb::state.pending = false;
  pgweb::set_glyph_watch_paused(false);
}
// {"state": "embedded" | "loading" | "loaded" | "failed", "progress", "bytes", "failure"}
EMSCRIPTEN_KEEPALIVE const char* pg_font_json() {
  static std::string out;
  static const char* names[] = {"embedded", "loading", "loaded", "failed"};
  out = nlohmann::json{{"state", names[(int)pgweb::state.font]},
                       {"progress", pgweb::state.progress},
                       {"bytes", pgweb::state.font_bytes.size()},
                       {"failure", pgweb::state.failure}}
            .dump();
  return out.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* pg_language() {
  return pgweb::lang_code(pgweb::state.pending ? pgweb::state.pending_language : pgweb::language());
}
// Returns 0 for a code the page does not speak.
EMSCRIPTEN_KEEPALIVE int pg_set_language(const char* code) {
  pgweb::Lang lang;
  if (!code || !pgweb::lang_from_code(code, lang)) return 0;
  pgweb::request_language(lang);
  return 1;
}
EMSCRIPTEN_KEEPALIVE const char* pg_missing_glyphs_json() {
  static std::string out;
  out = nlohmann::json(pgweb::missing_glyphs()).dump();
  return out.c_str();
}
EMSCRIPTEN_KEEPALIVE void pg_clear_missing_glyphs() { pgweb::clear_missing_glyphs(); }
// Text the browser's input method committed (or typed into the input glue.js keeps over the focused field).
EMSCRIPTEN_KEEPALIVE void pg_text_input(const char* utf8) {
  if (utf8 && ImGui::GetCurrentContext()) ImGui::GetIO().AddInputCharactersUTF8(utf8);
}
EMSCRIPTEN_KEEPALIVE int pg_wants_text_input() {
  return ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput ? 1 : 0;
}

}  // extern "C"
