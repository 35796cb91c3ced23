// One declaration per scenario parameter. A spec struct (ServiceSpec, LockSpec, ...) has a table of Field rows,
// each naming one JSON field of the item: its path inside the item ("workers", "retries/max"), its type, unit,
// range or word list, whether a run may change it (`set`), and a one-line help text. The default is the struct's
// own initialiser, read from a default-constructed spec, so it is never written twice.
//
// Derived from the rows (and nowhere else): the reader with its messages (engine/scenario/scenario.cpp), the canonical
// writer (engine/scenario/scenario_write.cpp), the JSON Schema (engine/scenario/schema.cpp), the `/kind/NAME/field` path resolver for
// `set` interventions and exercise `allowed` lists (engine/scenario/parameter_path.cpp), the runtime `set` clamps and the
// page's field editors. Adding a parameter is one row here plus its use in the model: see docs/fields.md.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/json_reader.hpp"

namespace pg {

enum class FieldType : uint8_t {
  integer,     // int, a whole number in [min, max]
  count,       // uint32_t, a whole number in [min, max]
  seed,        // uint64_t, any whole number from 0 to 2^64-1
  number,      // double in [min, max]
  boolean,     // bool
  choice,      // an enum class (uint8_t) whose values index `words`
  word,        // a std::string that must be one of `words`
  text,        // a std::string of at most max_length bytes
  custom,      // read, written and described by the row's own functions (lists, steps, distributions)
};

// Words of a choice or word field, in the order of the enum's values.
struct WordList {
  const char* const* words = nullptr;
  int count = 0;
  const char* operator[](int i) const { return words[i]; }
  int find(std::string_view word) const {
    for (int i = 0; i < count; ++i)
      if (word == words[i]) return i;
    return -1;
  }
};
template <size_t N>
constexpr WordList words_of(const char* const (&words)[N]) { return {words, (int)N}; }

// How the canonical writer treats a field.
enum class Write : uint8_t { unless_default, always };

// Everything about a field except how to reach it in its struct: what the schema, the resolver and the editors read.
struct FieldInfo {
  const char* path = "";          // inside the item, '/' between nested objects: "acquire/retry_ms"
  FieldType type = FieldType::number;
  double min = 0, max = 0;        // integer, count, number: inclusive range
  const char* unit = "";          // "ms", "s", "per s", "" ...
  const char* help = "";          // one line, for the schema's description and the page's tooltip
  bool settable = false;          // a `set` intervention may change it during a run
  Write write = Write::unless_default;
  bool required = false;
  WordList words;                 // choice, word
  size_t max_length = 0;          // text
  const char* alias = nullptr;    // an older `set` path for this field, still accepted ("retry_ms")
  const char* label = nullptr;    // short name for the page ("Workers"); the path's last part when null
};

using Errors = std::vector<ValidationError>;

template <class Spec>
struct Field : FieldInfo {
  using Access = void* (*)(Spec&);   // the member's address; the row's type says what is there
  Access access = nullptr;
  // custom fields
  void (*read_custom)(ObjectReader& r, const char* key, Spec& spec, Errors& errors) = nullptr;
  void (*write_custom)(nlohmann::json& object, const char* key, const Spec& spec) = nullptr;
  nlohmann::json (*schema_custom)() = nullptr;
  // Written when this says so, whatever the default (zipf_exponent only for zipf popularity).
  bool (*write_when)(const Spec& spec) = nullptr;

  template <class T>
  T& ref(Spec& spec) const { return *static_cast<T*>(access(spec)); }
  template <class T>
  const T& ref(const Spec& spec) const { return ref<T>(const_cast<Spec&>(spec)); }
};

// The options of a row, with designated initialisers: {.min = 1, .max = 64, .help = "..."}.
struct FieldOptions {
  double min = 0, max = 0;
  const char* unit = "";
  const char* help = "";
  bool settable = false;
  Write write = Write::unless_default;
  bool required = false;
  WordList words = {};
  size_t max_length = 0;
  const char* alias = nullptr;
  const char* label = nullptr;
};

template <class T>
constexpr FieldType field_type_of(bool has_words) {
  if constexpr (std::is_same_v<T, int>) return FieldType::integer;
  else if constexpr (std::is_same_v<T, uint32_t>) return FieldType::count;
  else if constexpr (std::is_same_v<T, uint64_t>) return FieldType::seed;
  else if constexpr (std::is_same_v<T, double>) return FieldType::number;
  else if constexpr (std::is_same_v<T, bool>) return FieldType::boolean;
  else if constexpr (std::is_enum_v<T>) {
    static_assert(sizeof(T) == 1, "choice fields are enum classes over uint8_t");
    return FieldType::choice;
  } else if constexpr (std::is_same_v<T, std::string>) return has_words ? FieldType::word : FieldType::text;
  else static_assert(sizeof(T) == 0, "no field type for this member");
}

// A row for a plain member: field<ServiceSpec>("workers", PG_MEMBER(ServiceSpec, workers), {...}).
template <class Spec, class T>
Field<Spec> field(const char* path, void* (*access)(Spec&), T* /*type*/, FieldOptions o) {
  Field<Spec> f;
  static_cast<FieldInfo&>(f) = FieldInfo{path,     field_type_of<T>(o.words.count > 0), o.min, o.max, o.unit,
                                         o.help,   o.settable, o.write, o.required, o.words, o.max_length,
                                         o.alias, o.label};
  f.access = access;
  return f;
}
// Two arguments: the member's address, and a null pointer of its type (which picks the row's type).
#define PG_MEMBER(Spec, member) \
  (+[](Spec& s) -> void* { return &s.member; }), (std::remove_reference_t<decltype(std::declval<Spec&>().member)>*)nullptr

// A row read and written by its own functions; schema() gives its JSON Schema.
template <class Spec>
Field<Spec> custom_field(const char* path, void (*read)(ObjectReader&, const char*, Spec&, Errors&),
                         void (*write)(nlohmann::json&, const char*, const Spec&), nlohmann::json (*schema)(),
                         FieldOptions o = {}) {
  Field<Spec> f;
  static_cast<FieldInfo&>(f) = FieldInfo{path,   FieldType::custom, o.min, o.max, o.unit, o.help, o.settable,
                                         o.write, o.required, o.words, o.max_length, o.alias, o.label};
  f.read_custom = read;
  f.write_custom = write;
  f.schema_custom = schema;
  return f;
}

// The row, written exactly when `when` says so (instead of when it differs from its default).
template <class Spec>
Field<Spec> written_when(Field<Spec> f, bool (*when)(const Spec&)) {
  f.write_when = when;
  return f;
}

template <class Spec>
using FieldTable = std::vector<Field<Spec>>;

// ---- generic operations over rows --------------------------------------------------------------------------------

// The field as a number: whole numbers, decimals, booleans (0/1), choices and words (their index).
template <class Spec>
double field_number(const Field<Spec>& f, const Spec& spec) {
  switch (f.type) {
    case FieldType::integer: return (double)f.template ref<int>(spec);
    case FieldType::count: return (double)f.template ref<uint32_t>(spec);
    case FieldType::seed: return (double)f.template ref<uint64_t>(spec);
    case FieldType::number: return f.template ref<double>(spec);
    case FieldType::boolean: return f.template ref<bool>(spec) ? 1 : 0;
    case FieldType::choice: return (double)f.template ref<uint8_t>(spec);
    case FieldType::word: return (double)f.words.find(f.template ref<std::string>(spec));
    case FieldType::text:
    case FieldType::custom: break;
  }
  return 0;
}

// Sets the field from a number as a `set` intervention does: clamped to the field's range (a choice to its words),
// whole numbers truncated toward zero, booleans true when not 0. Returns false for text and custom fields.
template <class Spec>
bool set_field_number(const Field<Spec>& f, Spec& spec, double value) {
  auto clamp = [&](double lo, double hi) { return value < lo ? lo : value > hi ? hi : value; };
  switch (f.type) {
    case FieldType::integer: f.template ref<int>(spec) = (int)clamp(f.min, f.max); return true;
    case FieldType::count: f.template ref<uint32_t>(spec) = (uint32_t)clamp(f.min, f.max); return true;
    case FieldType::number: f.template ref<double>(spec) = clamp(f.min, f.max); return true;
    case FieldType::boolean: f.template ref<bool>(spec) = value != 0; return true;
    case FieldType::choice: f.template ref<uint8_t>(spec) = (uint8_t)clamp(0, f.words.count - 1); return true;
    case FieldType::word: f.template ref<std::string>(spec) = f.words[(int)clamp(0, f.words.count - 1)]; return true;
    case FieldType::seed:
    case FieldType::text:
    case FieldType::custom: break;
  }
  return false;
}

// The field's value as JSON, as the canonical writer puts it.
template <class Spec>
nlohmann::json field_json(const Field<Spec>& f, const Spec& spec) {
  switch (f.type) {
    case FieldType::integer: return f.template ref<int>(spec);
    case FieldType::count: return f.template ref<uint32_t>(spec);
    case FieldType::seed: return f.template ref<uint64_t>(spec);
    case FieldType::number: return f.template ref<double>(spec);
    case FieldType::boolean: return f.template ref<bool>(spec);
    case FieldType::choice: return f.words[f.template ref<uint8_t>(spec)];
    case FieldType::word:
    case FieldType::text: return f.template ref<std::string>(spec);
    case FieldType::custom: break;
  }
  return nullptr;
}

// Reads one field from its object (the reader of the object holding it) with the engine's messages.
template <class Spec>
void read_field(const Field<Spec>& f, ObjectReader& r, const char* key, Spec& spec, Errors& errors) {
  switch (f.type) {
    case FieldType::integer: r.integer(key, f.template ref<int>(spec), (int)f.min, (int)f.max); break;
    case FieldType::count: {
      int value = (int)f.template ref<uint32_t>(spec);
      r.integer(key, value, (int)f.min, (int)f.max);
      f.template ref<uint32_t>(spec) = (uint32_t)value;
      break;
    }
    case FieldType::seed: r.unsigned64(key, f.template ref<uint64_t>(spec)); break;
    case FieldType::number: r.number(key, f.template ref<double>(spec), f.min, f.max); break;
    case FieldType::boolean: r.boolean(key, f.template ref<bool>(spec)); break;
    case FieldType::choice: {
      int index = f.template ref<uint8_t>(spec);
      r.choice_words(key, index, f.words.words, f.words.count);
      f.template ref<uint8_t>(spec) = (uint8_t)index;
      break;
    }
    case FieldType::word: {
      int index = f.words.find(f.template ref<std::string>(spec));
      if (r.choice_words(key, index, f.words.words, f.words.count)) f.template ref<std::string>(spec) = f.words[index];
      break;
    }
    case FieldType::text: r.string(key, f.template ref<std::string>(spec), f.max_length, f.required); break;
    case FieldType::custom: f.read_custom(r, key, spec, errors); break;
  }
  if (f.required && f.type != FieldType::text) r.require(key);
}

namespace detail {
inline std::string_view first_segment(std::string_view path) { return path.substr(0, path.find('/')); }
}  // namespace detail

// Reads every row under `prefix` (rows nested deeper open their object with its own reader, at the first row that
// needs it, so errors come out in table order and unknown fields are found in every nested object).
template <class Spec>
void read_fields(ObjectReader& r, const FieldTable<Spec>& table, Spec& spec, Errors& errors,
                 std::string_view prefix = "") {
  std::vector<std::string> opened;
  for (const Field<Spec>& f : table) {
    std::string_view path = f.path;
    if (path.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = path.substr(prefix.size());
    if (rest.find('/') == std::string_view::npos) {
      read_field(f, r, std::string(rest).c_str(), spec, errors);
      continue;
    }
    std::string group(detail::first_segment(rest));
    bool seen = false;
    for (const std::string& g : opened) seen |= g == group;
    if (seen) continue;
    opened.push_back(group);
    if (const nlohmann::json* object = r.object(group.c_str())) {
      ObjectReader nested(*object, r.child(group.c_str()), errors);
      read_fields(nested, table, spec, errors, std::string(prefix) + group + "/");
      nested.finish();
    }
  }
}

// Writes every row whose value differs from the default (or that is always written), nested objects created only
// when something goes in them. nlohmann's objects are sorted maps, so the key order is canonical.
template <class Spec>
void write_fields(nlohmann::json& out, const FieldTable<Spec>& table, const Spec& spec) {
  static const Spec defaults{};
  for (const Field<Spec>& f : table) {
    std::string_view path = f.path;
    nlohmann::json* object = &out;
    size_t slash;
    while ((slash = path.find('/')) != std::string_view::npos) {
      object = &(*object)[std::string(path.substr(0, slash))];
      path = path.substr(slash + 1);
    }
    std::string key(path);
    if (f.type == FieldType::custom) {
      if (f.write_custom) f.write_custom(*object, key.c_str(), spec);
    } else {
      bool write = f.write_when ? f.write_when(spec)
                                : f.write == Write::always || field_json(f, spec) != field_json(f, defaults);
      if (write) (*object)[key] = field_json(f, spec);
    }
  }
  // Nested objects that stayed empty (a "retries" with every field at its default) are not written.
  for (const Field<Spec>& f : table) {
    std::string_view path = f.path;
    size_t slash = path.find('/');
    if (slash == std::string_view::npos) continue;
    std::string group(path.substr(0, slash));
    auto it = out.find(group);
    if (it != out.end() && (it->is_null() || (it->is_object() && it->empty()))) out.erase(it);
  }
}

// A list of items each read through the item's table (and its rules, if any); errors name the item.
template <class Item>
void read_item_list(ObjectReader& r, const char* key, size_t max_items, const FieldTable<Item>& table,
                    std::vector<Item>& out, Errors& errors, void (*rules)(ObjectReader&, Item&) = nullptr) {
  const nlohmann::json* list = r.array(key, max_items);
  if (!list) return;
  for (size_t i = 0; i < list->size(); ++i) {
    out.emplace_back();
    ObjectReader item((*list)[i], r.child(key) + "/" + std::to_string(i), errors);
    if (!item.valid()) continue;
    read_fields(item, table, out.back(), errors);
    if (rules) rules(item, out.back());
    item.finish();
  }
}

// Writes a list of items through the item's table; an empty list is not written.
template <class Item>
void write_item_list(nlohmann::json& out, const char* key, const std::vector<Item>& items,
                     const FieldTable<Item>& table) {
  if (items.empty()) return;
  nlohmann::json list = nlohmann::json::array();
  for (const Item& item : items) {
    nlohmann::json object = nlohmann::json::object();
    write_fields(object, table, item);
    list.push_back(object);
  }
  out[key] = list;
}

// The row with this path ("retries/max"), or its older alias; null when there is none.
template <class Spec>
const Field<Spec>* find_field(const FieldTable<Spec>& table, std::string_view path) {
  for (const Field<Spec>& f : table)
    if (path == f.path || (f.alias && path == f.alias)) return &f;
  return nullptr;
}

// ---- JSON Schema of a table --------------------------------------------------------------------------------------

// The schema of one row (no description or default: object_schema adds them).
template <class Spec>
nlohmann::json field_schema(const Field<Spec>& f) {
  using nlohmann::json;
  switch (f.type) {
    case FieldType::integer:
    case FieldType::count: return {{"type", "integer"}, {"minimum", (int64_t)f.min}, {"maximum", (int64_t)f.max}};
    case FieldType::seed: return {{"type", "integer"}, {"minimum", 0}, {"maximum", UINT64_MAX}};
    case FieldType::number: return {{"type", "number"}, {"minimum", f.min}, {"maximum", f.max}};
    case FieldType::boolean: return {{"type", "boolean"}};
    case FieldType::choice:
    case FieldType::word: {
      json words = json::array();
      for (int i = 0; i < f.words.count; ++i) words.push_back(f.words[i]);
      return {{"type", "string"}, {"enum", words}};
    }
    case FieldType::text: {
      if (f.required && f.max_length == limits::name_length_max) return {{"$ref", "#/$defs/name"}};
      json out = {{"type", "string"}, {"maxLength", f.max_length}};
      if (f.required) out["minLength"] = 1;
      return out;
    }
    case FieldType::custom: return f.schema_custom ? f.schema_custom() : json::object();
  }
  return json::object();
}

// The object schema of every row under `prefix`: nested groups as inline objects, unknown fields refused,
// required rows listed, each row's default (from a default-constructed spec) and help as its description.
template <class Spec>
nlohmann::json object_schema(const FieldTable<Spec>& table, std::string_view prefix = "") {
  using nlohmann::json;
  static const Spec defaults{};
  json properties = json::object();
  json required = json::array();
  for (const Field<Spec>& f : table) {
    std::string_view path = f.path;
    if (path.substr(0, prefix.size()) != prefix) continue;
    std::string_view rest = path.substr(prefix.size());
    size_t slash = rest.find('/');
    if (slash != std::string_view::npos) {
      std::string group(rest.substr(0, slash));
      if (!properties.contains(group)) properties[group] = object_schema(table, std::string(prefix) + group + "/");
      continue;
    }
    json schema = field_schema(f);
    if (!f.required && f.type != FieldType::custom) {
      json value = field_json(f, defaults);
      if (!(value.is_string() && value.get_ref<const std::string&>().empty())) schema["default"] = value;
    }
    if (*f.help) schema["description"] = f.help;
    properties[std::string(rest)] = schema;
    if (f.required) required.push_back(std::string(rest));
  }
  json out = {{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
  if (!required.empty()) out["required"] = required;
  return out;
}

}  // namespace pg
