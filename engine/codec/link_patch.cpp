// Short-link patches (see link_patch.hpp): a structural diff of two JSON trees, its compact text, and a parser
// that refuses anything malformed with the position and what it expected.
#include "engine/codec/link_patch.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace pg {
namespace {

using json = nlohmann::json;

bool is_key_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Characters a quoted string may hold as they are: the URL-fragment characters that mean nothing to the parser
// inside quotes. Everything else is *XX.
bool is_plain_in_quotes(char c) {
  return is_key_char(c) || c == '.' || c == '~' || c == '(' || c == ')' || c == ',' || c == ':' || c == ';' ||
         c == '@' || c == '$' || c == '/' || c == '=' || c == '+';
}

// Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF): what JSON text may hold, so a
// patched document can always be written out again.
bool valid_utf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    const auto c = (uint8_t)text[i];
    const size_t length = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    uint32_t code = length == 1 ? c : c & (0x7f >> length);
    for (size_t k = 1; k < length; ++k) {
      const auto next = (uint8_t)text[i + k];
      if ((next >> 6) != 2) return false;
      code = (code << 6) | (next & 0x3f);
    }
    const uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < smallest[length] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return false;
    i += length;
  }
  return true;
}

std::string quoted_text(std::string_view text) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out = "'";
  for (char c : text) {
    if (c == '\'' || c == '!') out += '!', out += c;
    else if (is_plain_in_quotes(c)) out += c;
    else out += '*', out += hex[(uint8_t)c >> 4], out += hex[(uint8_t)c & 15];
  }
  return out + "'";
}

// A member name or path segment: bare when it is made of key characters only.
std::string key_text(std::string_view key) {
  bool bare = !key.empty() && std::all_of(key.begin(), key.end(), is_key_char);
  return bare ? std::string(key) : quoted_text(key);
}

// A string value: bare when it starts with a letter (so it cannot be read as a number) and does not end in "."
// (chat programs drop a link's trailing full stop).
std::string string_text(const std::string& s) {
  bool bare = !s.empty() && is_letter(s.front()) && s.back() != '.' &&
              std::all_of(s.begin(), s.end(), [](char c) { return is_key_char(c) || c == '.'; });
  return bare ? s : quoted_text(s);
}

std::string value_text(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "!n";
    case json::value_t::boolean: return v.get<bool>() ? "!t" : "!f";
    case json::value_t::string: return string_text(v.get_ref<const std::string&>());
    case json::value_t::object: {
      std::string out = "(";
      for (auto it = v.begin(); it != v.end(); ++it)
        out += (out.size() > 1 ? "," : "") + key_text(it.key()) + ":" + value_text(it.value());
      return out + ")";
    }
    case json::value_t::array: {
      std::string out = "!(";
      for (const json& item : v) out += (out.size() > 2 ? "," : "") + value_text(item);
      return out + ")";
    }
    default: return v.dump();  // numbers: nlohmann's shortest round-trip form, "60.0" stays a decimal
  }
}

void diff_into(const std::string& path, const json& base, const json& target, std::vector<std::string>& ops);

void diff_arrays(const std::string& path, const json& base, const json& target, std::vector<std::string>& ops) {
  const size_t nb = base.size(), nt = target.size();
  size_t prefix = 0, suffix = 0;
  while (prefix < nb && prefix < nt && base[prefix] == target[prefix]) ++prefix;
  while (suffix < nb - prefix && suffix < nt - prefix && base[nb - 1 - suffix] == target[nt - 1 - suffix]) ++suffix;
  const size_t mb = nb - prefix - suffix, mt = nt - prefix - suffix, common = std::min(mb, mt);
  for (size_t i = prefix; i < prefix + common; ++i) diff_into(path + std::to_string(i) + ".", base[i], target[i], ops);
  for (size_t k = common; k < mb; ++k) ops.push_back(path + std::to_string(prefix + common) + "!");
  for (size_t k = common; k < mt; ++k)
    ops.push_back(path + std::to_string(prefix + k) + "+" + value_text(target[prefix + k]));
}

// path is the prefix for children: "" at the root, "services.0." below.
void diff_into(const std::string& path, const json& base, const json& target, std::vector<std::string>& ops) {
  if (base == target) return;
  if (base.is_object() && target.is_object()) {
    for (auto it = base.begin(); it != base.end(); ++it)
      if (!target.contains(it.key())) ops.push_back(path + key_text(it.key()) + "!");
    for (auto it = target.begin(); it != target.end(); ++it) {
      auto old = base.find(it.key());
      if (old == base.end()) ops.push_back(path + key_text(it.key()) + "=" + value_text(it.value()));
      else diff_into(path + key_text(it.key()) + ".", *old, it.value(), ops);
    }
    return;
  }
  if (base.is_array() && target.is_array()) return diff_arrays(path, base, target, ops);
  ops.push_back(path.substr(0, path.size() - 1) + "=" + value_text(target));
}

struct Segment {
  std::string text;
  bool quoted = false;
};

struct Change {
  std::vector<Segment> path;
  char kind = '=';
  json value;
};

// A recursive-descent reader of the patch text. The first error stops it; error says where and what was expected.
class PatchReader {
 public:
  explicit PatchReader(std::string_view text) : text_(text) {}

  bool read_changes(std::vector<Change>& changes) {
    if (text_.empty()) return true;
    while (true) {
      Change change;
      if (!read_path(change.path)) return false;
      if (pos_ >= text_.size() || (text_[pos_] != '=' && text_[pos_] != '+' && text_[pos_] != '!'))
        return expected("=, + or ! after the path");
      change.kind = text_[pos_++];
      if (change.kind != '!' && !read_value(change.value, 0)) return false;
      changes.push_back(std::move(change));
      if (pos_ == text_.size()) return true;
      if (text_[pos_] != '~') return expected("~ between changes or the end of the link");
      ++pos_;
    }
  }

  std::string error;

 private:
  bool expected(const std::string& what) {
    std::string found = pos_ < text_.size() ? "'" + std::string(1, text_[pos_]) + "'" : "the end";
    if (pos_ < text_.size() && ((uint8_t)text_[pos_] < 0x21 || (uint8_t)text_[pos_] > 0x7e)) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "byte 0x%02x", (unsigned)(uint8_t)text_[pos_]);
      found = buffer;
    }
    error = "at character " + std::to_string(pos_ + 1) + " of the changes: expected " + what + ", found " + found;
    return false;
  }

  bool read_path(std::vector<Segment>& path) {
    do {
      Segment segment;
      if (pos_ < text_.size() && text_[pos_] == '\'') {
        if (!read_quoted(segment.text)) return false;
        segment.quoted = true;
      } else if (!read_bare(segment.text, false)) {
        return expected("a member name or index");
      }
      path.push_back(std::move(segment));
    } while (pos_ < text_.size() && text_[pos_] == '.' && ++pos_);
    return true;
  }

  bool read_bare(std::string& out, bool allow_dot) {
    size_t start = pos_;
    while (pos_ < text_.size() && (is_key_char(text_[pos_]) || (allow_dot && text_[pos_] == '.'))) ++pos_;
    out.assign(text_.substr(start, pos_ - start));
    return pos_ > start;
  }

  bool read_quoted(std::string& out) {
    ++pos_;  // the opening '
    while (pos_ < text_.size() && text_[pos_] != '\'') {
      char c = text_[pos_];
      if (c == '!') {
        if (pos_ + 1 >= text_.size() || (text_[pos_ + 1] != '\'' && text_[pos_ + 1] != '!'))
          return ++pos_, expected("' or ! after ! in a quoted string");
        out += text_[pos_ + 1];
        pos_ += 2;
      } else if (c == '*') {
        int high = pos_ + 2 < text_.size() ? hex_value(text_[pos_ + 1]) : -1;
        int low = high >= 0 ? hex_value(text_[pos_ + 2]) : -1;
        if (low < 0) return ++pos_, expected("two hexadecimal digits after *");
        out += (char)(high * 16 + low);
        pos_ += 3;
      } else {
        out += c;
        ++pos_;
      }
    }
    if (pos_ >= text_.size()) return expected("' to end the quoted string");
    ++pos_;
    if (!valid_utf8(out)) {
      error = "the quoted string ending at character " + std::to_string(pos_) + " of the changes is not valid UTF-8";
      return false;
    }
    return true;
  }

  static int hex_value(char c) {
    if (is_digit(c)) return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  }

  bool read_value(json& out, int depth) {
    if (depth >= limits::patch_depth_max) return expected("less nesting (at most 64 levels)");
    if (pos_ >= text_.size()) return expected("a value");
    const char c = text_[pos_];
    if (c == '!') return read_bang(out, depth);
    if (c == '(') return read_object(out, depth);
    if (c == '\'') {
      std::string s;
      if (!read_quoted(s)) return false;
      out = std::move(s);
      return true;
    }
    if (is_digit(c) || c == '-') return read_number(out);
    std::string s;
    if (!is_letter(c) || !read_bare(s, true)) return expected("a value");
    out = std::move(s);
    return true;
  }

  bool read_bang(json& out, int depth) {
    const char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if (next == 't' || next == 'f' || next == 'n') {
      out = next == 'n' ? json(nullptr) : json(next == 't');
      pos_ += 2;
      return true;
    }
    if (next != '(') return ++pos_, expected("t, f, n or ( after !");
    pos_ += 2;
    out = json::array();
    if (pos_ < text_.size() && text_[pos_] == ')') return ++pos_, true;
    while (true) {
      json item;
      if (!read_value(item, depth + 1)) return false;
      out.push_back(std::move(item));
      if (pos_ < text_.size() && text_[pos_] == ')') return ++pos_, true;
      if (pos_ >= text_.size() || text_[pos_] != ',') return expected(", or ) in a list");
      ++pos_;
    }
  }

  bool read_object(json& out, int depth) {
    ++pos_;
    out = json::object();
    if (pos_ < text_.size() && text_[pos_] == ')') return ++pos_, true;
    while (true) {
      std::string key;
      if (pos_ < text_.size() && text_[pos_] == '\'') {
        if (!read_quoted(key)) return false;
      } else if (!read_bare(key, false)) {
        return expected("a member name");
      }
      if (pos_ >= text_.size() || text_[pos_] != ':') return expected(": after a member name");
      ++pos_;
      json value;
      if (!read_value(value, depth + 1)) return false;
      out[key] = std::move(value);
      if (pos_ < text_.size() && text_[pos_] == ')') return ++pos_, true;
      if (pos_ >= text_.size() || text_[pos_] != ',') return expected(", or ) in an object");
      ++pos_;
    }
  }

  bool read_number(json& out) {
    size_t start = pos_;
    while (pos_ < text_.size() && (is_digit(text_[pos_]) || text_[pos_] == '-' || text_[pos_] == '+' ||
                                   text_[pos_] == '.' || text_[pos_] == 'e' || text_[pos_] == 'E'))
      ++pos_;
    json number = json::parse(text_.substr(start, pos_ - start), nullptr, false);
    if (number.is_discarded() || !number.is_number()) {
      pos_ = start;
      return expected("a number");
    }
    out = std::move(number);
    return true;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

// The JSON pointer of a path ("/services/0/workers"), for messages.
std::string pointer(const std::vector<Segment>& path, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += "/" + path[i].text;
  return out.empty() ? "/" : out;
}

// An array index: 1 to 9 decimal digits, not quoted.
bool index_of(const Segment& segment, size_t& index) {
  if (segment.quoted || segment.text.empty() || segment.text.size() > 9 ||
      !std::all_of(segment.text.begin(), segment.text.end(), is_digit))
    return false;
  index = std::stoul(segment.text);
  return true;
}

// Applies one change; returns "" or what is wrong.
std::string apply_change(json& document, Change& change) {
  json* node = &document;
  const size_t last = change.path.size() - 1;
  for (size_t i = 0; i < last; ++i) {
    size_t index = 0;
    if (node->is_object() && node->contains(change.path[i].text)) node = &(*node)[change.path[i].text];
    else if (node->is_array() && index_of(change.path[i], index) && index < node->size()) node = &(*node)[index];
    else return pointer(change.path, i + 1) + " does not exist";
  }
  const Segment& leaf = change.path[last];
  const std::string where = pointer(change.path, last + 1);
  size_t index = 0;
  if (node->is_object()) {
    if (change.kind == '+') return where + ": + inserts into a list, and " + pointer(change.path, last) + " is an object";
    if (change.kind == '!' && !node->contains(leaf.text)) return where + " does not exist";
    if (change.kind == '!') node->erase(leaf.text);
    else (*node)[leaf.text] = std::move(change.value);
    return "";
  }
  if (!node->is_array()) return pointer(change.path, last) + " is neither an object nor a list";
  if (!index_of(leaf, index)) return where + ": a list item needs a number";
  const size_t limit = node->size() + (change.kind == '+' ? 1 : 0);
  if (index >= limit) return where + " is past the end of the list (" + std::to_string(node->size()) + " items)";
  if (change.kind == '+') node->insert(node->begin() + (std::ptrdiff_t)index, std::move(change.value));
  else if (change.kind == '!') node->erase((size_t)index);
  else (*node)[index] = std::move(change.value);
  return "";
}

}  // namespace

std::string json_patch_diff(const json& base, const json& target) {
  std::vector<std::string> ops;
  diff_into("", base, target, ops);
  std::string out;
  for (const std::string& op : ops) out += (out.empty() ? "" : "~") + op;
  return out;
}

PatchApply json_patch_apply(const json& base, std::string_view patch_text) {
  PatchApply result;
  if (patch_text.size() > limits::patch_text_bytes_max) {
    result.error = "the changes are " + std::to_string(patch_text.size()) + " bytes long; the limit is " +
                   std::to_string(limits::patch_text_bytes_max);
    result.malformed = true;
    return result;
  }
  std::vector<Change> changes;
  PatchReader reader(patch_text);
  if (!reader.read_changes(changes)) {
    result.error = reader.error;
    result.malformed = true;
    return result;
  }
  result.document = base;
  for (size_t i = 0; i < changes.size(); ++i) {
    std::string problem = apply_change(result.document, changes[i]);
    if (!problem.empty()) {
      result.error = "change " + std::to_string(i + 1) + " does not apply: " + problem;
      result.document = json();
      return result;
    }
  }
  return result;
}

}  // namespace pg
