// Path-aware reading of untrusted JSON: see json_reader.hpp.
#include "engine/scenario/json_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace pg {

std::string json_pointer_escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string describe_json_value(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: {
      std::string s = value.get<std::string>();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return "\"" + s + "\"";
    }
    default: {
      std::string s = value.dump();
      if (s.size() > 40) s = s.substr(0, 40) + "...";
      return s;
    }
  }
}

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

ObjectReader::ObjectReader(const json& object, std::string path, std::vector<ValidationError>& errors)
    : object_(object), path_(std::move(path)), errors_(errors) {
  if (!object_.is_object()) {
    error(path_, "must be an object, got " + describe_json_value(object_));
    valid_ = false;
  }
}

void ObjectReader::error(const std::string& path, const std::string& message) {
  if (errors_.size() < 200) errors_.push_back({path, message});
}

bool ObjectReader::has(const char* field) const { return valid_ && object_.contains(field); }

const json* ObjectReader::get(const char* field) {
  known_.emplace_back(field);
  if (!valid_) return nullptr;
  auto it = object_.find(field);
  return it == object_.end() ? nullptr : &*it;
}

static std::string format_number(double v) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.17g", v);
  // Shortest form that round-trips is not needed here; trim the noise of common values.
  std::snprintf(buffer, sizeof buffer, "%g", v);
  return buffer;
}

void ObjectReader::number(const char* field, double& out, double min, double max) {
  const json* value = get(field);
  if (!value) return;
  if (!value->is_number()) {
    error(child(field), "must be a number, got " + describe_json_value(*value));
    return;
  }
  double v = value->get<double>();
  if (!std::isfinite(v) || v < min || v > max) {
    error(child(field), "must be between " + format_number(min) + " and " + format_number(max) + ", got " +
                            describe_json_value(*value));
    return;
  }
  out = v;
}

void ObjectReader::integer(const char* field, int& out, int min, int max) {
  const json* value = get(field);
  if (!value) return;
  if (!value->is_number_integer() && !(value->is_number_float() && std::isfinite(value->get<double>()) &&
                                        value->get<double>() == std::floor(value->get<double>()))) {
    error(child(field), "must be a whole number, got " + describe_json_value(*value));
    return;
  }
  double v = value->get<double>();
  if (v < min || v > max) {
    error(child(field), "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                            describe_json_value(*value));
    return;
  }
  out = (int)v;
}

void ObjectReader::unsigned64(const char* field, uint64_t& out) {
  const json* value = get(field);
  if (!value) return;
  if (value->is_number_unsigned()) out = value->get<uint64_t>();
  else if (value->is_number_integer() && value->get<int64_t>() >= 0) out = (uint64_t)value->get<int64_t>();
  else error(child(field), "must be a whole number from 0 to 18446744073709551615, got " + describe_json_value(*value));
}

void ObjectReader::boolean(const char* field, bool& out) {
  const json* value = get(field);
  if (!value) return;
  if (!value->is_boolean()) {
    error(child(field), "must be true or false, got " + describe_json_value(*value));
    return;
  }
  out = value->get<bool>();
}

void ObjectReader::string(const char* field, std::string& out, size_t max_length, bool required) {
  const json* value = get(field);
  if (!value) {
    if (required && valid_) error(child(field), "is required");
    return;
  }
  if (!value->is_string()) {
    error(child(field), "must be a string, got " + describe_json_value(*value));
    return;
  }
  const std::string& s = value->get_ref<const std::string&>();
  if (s.size() > max_length) {
    error(child(field), "must be at most " + std::to_string(max_length) + " bytes long, got " +
                            std::to_string(s.size()));
    return;
  }
  if (required && s.empty()) {
    error(child(field), "must not be empty");
    return;
  }
  out = s;
}

void ObjectReader::choice_index(const char* field, int& out, std::initializer_list<const char*> words) {
  choice_words(field, out, words.begin(), (int)words.size());
}

bool ObjectReader::choice_words(const char* field, int& out, const char* const* words, int count) {
  const json* value = get(field);
  if (!value) return false;
  if (value->is_string())
    for (int i = 0; i < count; ++i)
      if (value->get_ref<const std::string&>() == words[i]) {
        out = i;
        return true;
      }
  std::string list;
  for (int i = 0; i < count; ++i) list += (list.empty() ? "" : ", ") + std::string("\"") + words[i] + "\"";
  error(child(field), "must be one of " + list + ", got " + describe_json_value(*value));
  return false;
}

void ObjectReader::choice_string(const char* field, std::string& out, std::initializer_list<const char*> words) {
  int index = -1;
  int i = 0;
  for (const char* w : words) {
    if (out == w) index = i;
    ++i;
  }
  choice_index(field, index, words);
  if (index >= 0) out = *(words.begin() + index);
}

const json* ObjectReader::array(const char* field, size_t max_length) {
  const json* value = get(field);
  if (!value) return nullptr;
  if (!value->is_array()) {
    error(child(field), "must be an array, got " + describe_json_value(*value));
    return nullptr;
  }
  if (value->size() > max_length) {
    error(child(field), "must have at most " + std::to_string(max_length) + " items, got " +
                            std::to_string(value->size()));
    return nullptr;
  }
  return value;
}

const json* ObjectReader::object(const char* field) {
  const json* value = get(field);
  if (!value) return nullptr;
  if (!value->is_object()) {
    error(child(field), "must be an object, got " + describe_json_value(*value));
    return nullptr;
  }
  return value;
}

void ObjectReader::require(const char* field) {
  if (valid_ && !object_.contains(field)) error(child(field), "is required");
}

void ObjectReader::finish() {
  if (!valid_) return;
  for (auto it = object_.begin(); it != object_.end(); ++it) {  // nlohmann objects iterate in sorted key order
    const std::string& key = it.key();
    if (std::find(known_.begin(), known_.end(), key) != known_.end()) continue;
    std::string best;
    size_t best_distance = SIZE_MAX;
    for (const std::string& candidate : known_) {
      size_t d = edit_distance(key, candidate);
      if (d < best_distance) {
        best_distance = d;
        best = candidate;
      }
    }
    std::string message = "unknown field";
    if (!best.empty() && best_distance <= std::max<size_t>(2, key.size() / 3))
      message += "; did you mean \"" + best + "\"?";
    error(child(key.c_str()), message);
  }
}

}  // namespace pg
