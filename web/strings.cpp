// The page's language (see strings.hpp).
#include "web/strings.hpp"

#include <cmath>
#include <cstdio>

namespace pgweb {
namespace {

Lang current = Lang::en;

char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

bool starts_with_word(std::string_view code, std::string_view word) {
  if (code.size() < word.size()) return false;
  for (size_t i = 0; i < word.size(); ++i)
    if (lower(code[i]) != word[i]) return false;
  return code.size() == word.size() || code[word.size()] == '-' || code[word.size()] == '_';
}

}  // namespace

const char* lang_code(Lang lang) { return lang == Lang::zh_CN ? "zh-CN" : "en"; }
const char* lang_name(Lang lang) { return lang == Lang::zh_CN ? "简体中文" : "English"; }

bool lang_from_code(std::string_view code, Lang& lang) {
  if (starts_with_word(code, "zh")) {
    // Traditional Chinese (zh-TW, zh-HK, zh-Hant) is not Simplified: refuse rather than show the wrong script.
    std::string rest;
    for (char c : code.substr(2)) rest += lower(c);
    if (rest.find("hant") != std::string::npos || rest == "-tw" || rest == "-hk" || rest == "-mo") return false;
    lang = Lang::zh_CN;
    return true;
  }
  if (starts_with_word(code, "en")) {
    lang = Lang::en;
    return true;
  }
  return false;
}

void set_language(Lang lang) { current = lang; }

const char* text(StrId id, Lang lang) {
  const char* t = strings[(size_t)id].text[(int)lang];
  if (!t) t = fetched_chinese_text((size_t)id);
  return t ? t : strings[(size_t)id].text[0];
}

const char* text(StrId id) { return text(id, current); }
Lang language() { return current; }

std::string short_number(double v) {
  char out[32];
  if (std::fabs(v) >= 1e5 || (v != 0 && std::fabs(v) < 1e-3)) std::snprintf(out, sizeof out, "%.3g", v);
  else std::snprintf(out, sizeof out, "%.4g", v);
  return out;
}

}  // namespace pgweb
