// The page's strings: one table, one row per string, keyed by id, with an English and a Simplified Chinese column.
// The rows live in web/i18n/strings_*.inc as X(id, English, 简体中文), grouped by the part of the page that shows
// them; this header turns them into the StrId enum and the table. Rows with printf conversions say what each one
// receives in the comment above the row; the translation keeps the same conversions in the same order (a unit test
// checks it, and that no row is left untranslated or unused).
//
// Text the engine writes (event-log lines, validation messages, field help) is not in this table: it is English
// with names and numbers in it, and web/translate.hpp turns it into the page's language by pattern.
//
// Use: text(StrId::cancel), or text_format(StrId::job_progress, ...) for the rows with conversions.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace pgweb {

// The languages of the page, in the table's column order.
enum class Lang : uint8_t { en, zh_CN };
inline constexpr int lang_count = 2;
const char* lang_code(Lang lang);   // "en", "zh-CN": the ?lang= values and the scenario's i18n keys
const char* lang_name(Lang lang);   // "English", "简体中文": each in its own language, for the language menu
// "zh", "zh-CN", "zh-Hans", "zh-SG" (any case) are Simplified Chinese; "en", "en-US" ... English. False otherwise.
bool lang_from_code(std::string_view code, Lang& lang);

// The page's language. A process-wide setting rather than a parameter: every string lookup reads it, and passing it
// through every drawing function would add an argument everywhere for nothing. Set by the app (menu, ?lang=).
void set_language(Lang lang);
Lang language();

enum class StrId : uint16_t {
#define X(id, en, zh) id,
#include "web/i18n/strings_all.inc"
#undef X
  count
};

// The page itself never names a row, so the WebAssembly build leaves the names out (about 15 KB of the download);
// the native build, which the unit tests use, keeps them.
#ifdef __EMSCRIPTEN__
#define PGWEB_STR_ID(id)
#else
#define PGWEB_STR_ID(id) #id,
#endif
// The page (PGWEB_CHINESE_FETCHED, set for the app's target only) does not carry the Chinese column either: it
// arrives with the Chinese font as zh-CN.txt (load_chinese_texts in web/translate.hpp), so an English page does not
// download it. Every other build (native tests, the tool that writes zh-CN.txt) has both columns.
#ifdef PGWEB_CHINESE_FETCHED
#define PGWEB_ZH(zh) nullptr
#else
#define PGWEB_ZH(zh) zh
#endif

struct Str {
#ifndef __EMSCRIPTEN__
  const char* id;   // the row's name, for tools and tests
#endif
  const char* text[lang_count];
};

inline constexpr Str strings[] = {
#define X(id, en, zh) Str{PGWEB_STR_ID(id) {en, PGWEB_ZH(zh)}},
#include "web/i18n/strings_all.inc"
#undef X
};
#undef PGWEB_STR_ID
static_assert(sizeof strings / sizeof strings[0] == (size_t)StrId::count, "one row per id");

// The fetched Chinese of row `row` (null before zh-CN.txt has been loaded, and in builds that have the column).
const char* fetched_chinese_text(size_t row);

// The row in `lang`; English where the language's column is not here (yet). Out of line: it is called from about a
// thousand places in the page, and each inlined copy would cost download bytes.
const char* text(StrId id, Lang lang);
const char* text(StrId id);

// A widget's label in the page's language with an ImGui id that is the same in every language ("Help###help"):
// a window, popup, tab or header keeps its place and open state when the language changes.
inline std::string labelled(StrId id, const char* imgui_id) { return std::string(text(id)) + "###" + imgui_id; }

// A number for a table cell or a tick: 4 significant digits, or 3 in exponent form when very large or small.
std::string short_number(double v);

// A row with printf conversions, filled in (the rows' comments say what each conversion receives).
template <typename... Args>
std::string text_format(StrId id, Args... args) {
  const char* format = text(id);
  const int size = std::snprintf(nullptr, 0, format, args...);
  if (size <= 0) return format;
  std::string out((size_t)size + 1, '\0');
  std::snprintf(out.data(), out.size(), format, args...);
  out.resize((size_t)size);
  return out;
}

}  // namespace pgweb
