// Pattern translation of the engine's English text (see translate.hpp).
#include "web/translate.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

namespace pgweb {

const MessagePattern message_patterns[] = {
#define M(en, zh) MessagePattern{en, PGWEB_ZH(zh)},
#include "web/i18n/messages.inc"
#undef M
};
const size_t message_pattern_count = sizeof message_patterns / sizeof message_patterns[0];

namespace {

constexpr std::string_view hole = "{}";

// Matches text against pattern[from..] (pattern literals with {} holes; every hole takes at least one character),
// appending what each hole took to `parts`. Backtracks over where each hole ends; patterns are short and have few
// holes, so this stays cheap.
bool match_from(std::string_view pattern, std::string_view text, std::vector<std::string_view>& parts) {
  const size_t at = pattern.find(hole);
  if (at == std::string_view::npos) return pattern == text;
  const std::string_view literal = pattern.substr(0, at);
  if (text.substr(0, literal.size()) != literal) return false;
  const std::string_view rest_pattern = pattern.substr(at + hole.size());
  const std::string_view rest_text = text.substr(literal.size());
  for (size_t take = 1; take <= rest_text.size(); ++take) {
    parts.push_back(rest_text.substr(0, take));
    if (match_from(rest_pattern, rest_text.substr(take), parts)) return true;
    parts.pop_back();
  }
  return false;
}

std::string translate_part(std::string_view part, int depth);

// The translation with its holes filled: {} takes the next part, {N} (1-based) the N-th. A part is put in as it was
// unless it is itself a sentence with a pattern (see translate_part).
std::string fill(std::string_view translation, const std::vector<std::string_view>& raw_parts, int depth) {
  std::vector<std::string> parts;
  for (std::string_view part : raw_parts) parts.push_back(translate_part(part, depth));
  std::string out;
  size_t next = 0;
  for (size_t i = 0; i < translation.size(); ++i) {
    if (translation[i] == '{' && i + 1 < translation.size()) {
      if (translation[i + 1] == '}') {
        if (next < parts.size()) out += parts[next];
        ++next;
        ++i;
        continue;
      }
      if (translation[i + 1] >= '1' && translation[i + 1] <= '9' && i + 2 < translation.size() &&
          translation[i + 2] == '}') {
        const size_t index = (size_t)(translation[i + 1] - '1');
        if (index < parts.size()) out += parts[index];
        i += 2;
        continue;
      }
    }
    out += translation[i];
  }
  return out;
}

const MessagePattern* find_pattern(std::string_view english, std::vector<std::string_view>& parts) {
  for (size_t i = 0; i < message_pattern_count; ++i) {
    parts.clear();
    if (match_from(message_patterns[i].en, english, parts)) return &message_patterns[i];
  }
  return nullptr;
}

// ---- the fetched Chinese column (zh-CN.txt) ----
// The table's rows, then the patterns, as zh-CN.txt lists them. File scope, like the page's language (strings.cpp):
// text() reads it for every string and has no object to ask.
std::vector<std::string> fetched;

const char* pattern_chinese(const MessagePattern* pattern) {
  if (pattern->zh) return pattern->zh;
  const size_t row = (size_t)StrId::count + (size_t)(pattern - message_patterns);
  return row < fetched.size() ? fetched[row].c_str() : nullptr;
}

// The engine builds some sentences from others (a validation rule quotes a placement error, a lock event names a
// client "flow 3 on order#1", a limited log line gets a suffix), so a part with a space in it is translated too when
// a pattern matches it whole. Names and numbers have no space and are left alone. Parts are shorter than the text
// they come from; the depth bound only keeps a pathological pattern set from costing much.
std::string translate_part(std::string_view part, int depth) {
  if (depth >= 4 || part.find(' ') == std::string_view::npos) return std::string(part);
  std::vector<std::string_view> parts;
  const MessagePattern* pattern = find_pattern(part, parts);
  const char* chinese = pattern ? pattern_chinese(pattern) : nullptr;
  return chinese ? fill(chinese, parts, depth + 1) : std::string(part);
}

}  // namespace

std::string translate(std::string_view english, Lang lang) {
  if (lang == Lang::en) return std::string(english);
  std::vector<std::string_view> parts;
  const MessagePattern* pattern = find_pattern(english, parts);
  const char* chinese = pattern ? pattern_chinese(pattern) : nullptr;
  return chinese ? fill(chinese, parts, 1) : std::string(english);
}

const char* fetched_chinese_text(size_t row) { return row < fetched.size() ? fetched[row].c_str() : nullptr; }

uint64_t english_columns_hash() {
  uint64_t hash = 14695981039346656037ull;   // FNV-1a, 64 bits
  auto add = [&](const char* text) {
    for (const char* c = text; ; ++c) {
      hash = (hash ^ (unsigned char)*c) * 1099511628211ull;
      if (!*c) break;
    }
  };
  for (const Str& row : strings) add(row.text[0]);
  for (size_t i = 0; i < message_pattern_count; ++i) add(message_patterns[i].en);
  return hash;
}

std::string chinese_texts_file() {
  char header[96];
  std::snprintf(header, sizeof header, "pg-zh 1 %zu %zu %016llx\n", (size_t)StrId::count, message_pattern_count,
                (unsigned long long)english_columns_hash());
  std::string out = header;
  for (const Str& row : strings) out.append(text(static_cast<StrId>(&row - strings), Lang::zh_CN)).push_back('\0');
  for (size_t i = 0; i < message_pattern_count; ++i) {
    const char* chinese = pattern_chinese(&message_patterns[i]);
    out.append(chinese ? chinese : message_patterns[i].en).push_back('\0');
  }
  return out;
}

std::string load_chinese_texts(std::string_view file) {
  char header[96];
  std::snprintf(header, sizeof header, "pg-zh 1 %zu %zu %016llx\n", (size_t)StrId::count, message_pattern_count,
                (unsigned long long)english_columns_hash());
  if (file.substr(0, std::strlen(header)) != header)
    return "zh-CN.txt was written for another build of the page (its header is not \"" +
           std::string(header, std::strlen(header) - 1) + "\")";
  file.remove_prefix(std::strlen(header));
  std::vector<std::string> rows;
  const size_t wanted = (size_t)StrId::count + message_pattern_count;
  while (!file.empty() && rows.size() < wanted) {
    const size_t end = file.find('\0');
    if (end == std::string_view::npos) break;
    rows.emplace_back(file.substr(0, end));
    file.remove_prefix(end + 1);
  }
  if (rows.size() != wanted || !file.empty())
    return "zh-CN.txt is cut short or has extra text (" + std::to_string(rows.size()) + " of " +
           std::to_string(wanted) + " rows)";
  fetched = std::move(rows);
  return "";
}

std::string field_name(const pg::FieldInfo& info) {
  if (info.label) return info.label;
  std::string_view path = info.path;
  path = path.substr(path.rfind('/') + 1);
  // The unit goes in parentheses after the name (field_label in the page), so the path's unit suffix is dropped.
  for (const char* suffix : {"_ms", "_s", "_per_s"})
    if (path.size() > std::strlen(suffix) && path.substr(path.size() - std::strlen(suffix)) == suffix)
      path = path.substr(0, path.size() - std::strlen(suffix));
  std::string label(path);
  std::replace(label.begin(), label.end(), '_', ' ');
  if (!label.empty() && label[0] >= 'a' && label[0] <= 'z') label[0] = (char)(label[0] - 'a' + 'A');
  return label;
}

bool has_translation(std::string_view english) {
  std::vector<std::string_view> parts;
  return find_pattern(english, parts) != nullptr;
}

}  // namespace pgweb
