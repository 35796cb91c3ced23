// Path-aware reading of untrusted JSON into plain structs. Every problem becomes a ValidationError naming the JSON
// pointer, the rule and the offending value; reading goes on after an error so a user sees all problems at once.
// Unknown fields are errors with a "did you mean" suggestion, because they are usually typos.
#pragma once
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/scenario.hpp"

namespace pg {

using json = nlohmann::json;

std::string json_pointer_escape(std::string_view key);
std::string describe_json_value(const json& value);   // short, for messages: 3.5, "abc", an object, ...
size_t edit_distance(std::string_view a, std::string_view b);

class ObjectReader {
 public:
  ObjectReader(const json& object, std::string path, std::vector<ValidationError>& errors);
  ~ObjectReader() = default;

  bool valid() const { return valid_; }        // false when the value was not an object (error already reported)
  const std::string& path() const { return path_; }
  bool has(const char* field) const;
  const json* get(const char* field);          // marks the field known; null when absent
  std::string child(const char* field) const { return path_ + "/" + json_pointer_escape(field); }

  void number(const char* field, double& out, double min, double max);
  void integer(const char* field, int& out, int min, int max);
  void unsigned64(const char* field, uint64_t& out);
  void boolean(const char* field, bool& out);
  void string(const char* field, std::string& out, size_t max_length, bool required = false);
  // One of the listed words; out receives the index of the word.
  template <typename E>
  void choice(const char* field, E& out, std::initializer_list<const char*> words) {
    int index = (int)out;
    choice_index(field, index, words);
    out = (E)index;
  }
  void choice_string(const char* field, std::string& out, std::initializer_list<const char*> words);
  // One of count words; out receives its index. True when the field was present and one of the words.
  bool choice_words(const char* field, int& out, const char* const* words, int count);
  // An array of at most max_length items; null when absent or wrong (error reported).
  const json* array(const char* field, size_t max_length);
  const json* object(const char* field);
  void require(const char* field);
  // Reports every field that no get/number/... call asked for.
  void finish();
  void error(const std::string& path, const std::string& message);

 private:
  void choice_index(const char* field, int& out, std::initializer_list<const char*> words);
  const json& object_;
  std::string path_;
  std::vector<ValidationError>& errors_;
  std::vector<std::string> known_;
  bool valid_ = true;
};

}  // namespace pg
