// Text the engine writes, in the page's language. The engine speaks English (the CLI and the reports are English,
// and a log line carries names and numbers), so the page translates its lines by pattern: web/i18n/messages.inc
// lists each English pattern with {} for the parts the engine fills in, and its Chinese.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/scenario/field.hpp"
#include "web/strings.hpp"

namespace pgweb {

// The text in `lang`: the first pattern that matches the whole text, with the parts it captured put in the
// translation's places. The text unchanged when `lang` is English or no pattern matches.
std::string translate(std::string_view english, Lang lang);
inline std::string translate(std::string_view english) { return translate(english, language()); }

// True when a pattern matches the whole text (for tests: every line the engine writes has a translation).
bool has_translation(std::string_view english);

// A field's English name for the page: its row's label, or the last part of its path made readable
// ("visibility_timeout_ms" -> "Visibility timeout"); without the unit. translate() gives it in the page's language.
std::string field_name(const pg::FieldInfo& info);

// The Chinese column of the string table and of the patterns, which the page fetches with the Chinese font: the
// contents of zh-CN.txt ("pg-zh 1 ROWS PATTERNS HASH\n", then every row's and every pattern's Chinese, each ended
// by a NUL byte, in table order; HASH is an FNV-1a hash of the English columns, so a file from another build is
// refused rather than putting text on the wrong rows). Written by web/i18n/write_chinese_texts.cpp at build time.
std::string chinese_texts_file();
// Takes zh-CN.txt's contents; "" when accepted, else why not (the page then stays with the English rows).
std::string load_chinese_texts(std::string_view file);

// The patterns, for tests.
struct MessagePattern {
  const char* en;
  const char* zh;
};
extern const MessagePattern message_patterns[];
extern const size_t message_pattern_count;

}  // namespace pgweb
