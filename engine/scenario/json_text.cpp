// Checks of JSON text: see json_text.hpp.
#include "engine/scenario/json_text.hpp"

#include "engine/scenario/json_reader.hpp"

#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace pg {
namespace {

using json = nlohmann::json;

constexpr size_t duplicates_reported_max = 20;


// The reason part of one of nlohmann's messages: "[json.exception.parse_error.101] parse error at line 1, column
// 5: syntax error while parsing value - invalid literal; last read: 'tru'" -> "syntax error while parsing ...".
std::string reason_of(const nlohmann::detail::exception& e) {
  std::string what = e.what();
  if (e.id == 406) {   // out_of_range.406: "number overflow parsing '1e400'"
    size_t quote = what.find('\'');
    std::string number = quote == std::string::npos ? "" : what.substr(quote + 1);
    if (!number.empty() && number.back() == '\'') number.pop_back();
    if (number.size() > 40) number = number.substr(0, 40) + "...";
    return "number out of range" + (number.empty() ? std::string() : " (" + number + ")");
  }
  size_t start = what.find("parse error");
  if (start != std::string::npos) {
    size_t colon = what.find(": ", start);
    if (colon != std::string::npos) return what.substr(colon + 2);
  }
  size_t bracket = what.find("] ");
  return bracket == std::string::npos ? what : what.substr(bracket + 2);
}

class Checker : public nlohmann::json_sax<json> {
 public:
  explicit Checker(std::string_view text) : text_(text) {}

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    value();
    frames_.push_back(Frame{false, 0, {}, {}});
    return true;
  }
  bool key(string_t& name) override {
    Frame& f = frames_.back();
    f.key = name;
    if (!f.keys.insert(name).second) {
      ++duplicates_;
      if (errors.size() < duplicates_reported_max)
        errors.push_back({path(), "duplicate key \"" + (name.size() > 64 ? name.substr(0, 64) + "..." : name) +
                                      "\"; a JSON object may name each field only once"});
    }
    return true;
  }
  bool end_object() override {
    frames_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    value();
    frames_.push_back(Frame{true, 0, {}, {}});
    return true;
  }
  bool end_array() override {
    frames_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) override {
    // Line and column of the last character read, both counted from 1 (columns in bytes).
    size_t end = std::min(position, text_.size());
    size_t line = 1, line_start = 0;
    for (size_t i = 0; i < end; ++i)
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    size_t column = end - line_start;
    if (column == 0) column = 1;
    errors.clear();
    errors.push_back({"", "not valid JSON: line " + std::to_string(line) + " column " + std::to_string(column) +
                              ": " + reason_of(e)});
    syntax_error = true;
    return false;
  }

  std::vector<ValidationError> errors;
  bool syntax_error = false;
  size_t duplicates() const { return duplicates_; }

 private:
  struct Frame {
    bool array;
    size_t next_index;        // arrays: the index the next element gets
    std::string key;          // objects: the key of the member being read
    std::set<std::string> keys;
  };
  // A value starts: in an array it takes the next index.
  bool value() {
    if (!frames_.empty() && frames_.back().array) ++frames_.back().next_index;
    return true;
  }
  // The pointer of the member whose key was just read.
  std::string path() const {
    std::string p;
    for (size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      // The top frame's member is the key just read; an enclosing frame's current child is the frame above it.
      p += '/';
      if (f.array && i + 1 < frames_.size()) p += std::to_string(f.next_index - 1);
      else p += json_pointer_escape(f.key);
    }
    return p;
  }

  std::string_view text_;
  std::vector<Frame> frames_;
  size_t duplicates_ = 0;
};

}  // namespace

std::vector<ValidationError> check_json_text(std::string_view text) {
  Checker checker(text);
  try {
    json::sax_parse(text.begin(), text.end(), &checker, nlohmann::detail::input_format_t::json, /*strict=*/true);
  } catch (const std::exception& e) {
    // sax_parse reports through parse_error; anything thrown is unexpected but must not escape.
    return {{"", std::string("not valid JSON: ") + e.what()}};
  }
  std::vector<ValidationError> errors = std::move(checker.errors);
  if (!checker.syntax_error && checker.duplicates() > errors.size())
    errors.push_back({"", "and " + std::to_string(checker.duplicates() - errors.size()) + " more duplicate keys"});
  return errors;
}

}  // namespace pg
