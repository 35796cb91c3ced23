// The built-in scenario library (see library.hpp).
#include "web/library.hpp"

#include <algorithm>
#include <string_view>

#include <nlohmann/json.hpp>

#include "engine/scenario/scenario.hpp"
#include "web/default_scenario.hpp"

namespace pgweb {

namespace {

constexpr std::string_view index_file = "index.json";

struct IndexItem {
  std::string file, group, title, summary;
  std::map<std::string, LibraryTexts> i18n;
};

std::string string_at(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// An entry's "i18n": {"zh-CN": {"title": ..., "summary": ...}}; anything not of that shape is skipped.
std::map<std::string, LibraryTexts> read_index_translations(const nlohmann::json& item) {
  std::map<std::string, LibraryTexts> out;
  auto i18n = item.find("i18n");
  if (i18n == item.end() || !i18n->is_object()) return out;
  for (auto it = i18n->begin(); it != i18n->end(); ++it)
    if (it->is_object()) out[it.key()] = {string_at(*it, "title"), string_at(*it, "summary")};
  return out;
}

// index.json may be a list of file names, a list of objects with "file" (and optionally "group"/"section"/
// "mechanism"), or an object holding such a list under "scenarios". Anything else orders nothing.
std::vector<IndexItem> read_index(std::string_view text) {
  std::vector<IndexItem> items;
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) return items;
  if (doc.is_object() && doc.contains("scenarios")) doc = doc["scenarios"];
  if (!doc.is_array()) return items;
  for (const nlohmann::json& item : doc) {
    IndexItem out;
    if (item.is_string()) {
      out.file = item.get<std::string>();
    } else if (item.is_object()) {
      for (const char* key : {"file", "path", "name"})
        if (item.contains(key) && item[key].is_string()) {
          out.file = item[key].get<std::string>();
          break;
        }
      for (const char* key : {"group", "section", "mechanism", "topic"})
        if (item.contains(key) && item[key].is_string()) {
          out.group = item[key].get<std::string>();
          break;
        }
      out.title = string_at(item, "title");
      out.summary = string_at(item, "summary");
      out.i18n = read_index_translations(item);
    }
    // Accept "scenarios/x.json" as well as "x.json".
    if (size_t slash = out.file.rfind('/'); slash != std::string::npos) out.file = out.file.substr(slash + 1);
    if (!out.file.empty()) items.push_back(out);
  }
  return items;
}

LibraryEntry make_entry(std::string file, const IndexItem& index, std::string text) {
  LibraryEntry entry;
  entry.file = std::move(file);
  entry.group = index.group;
  entry.title = index.title;
  entry.summary = index.summary;
  entry.i18n = index.i18n;
  entry.json_text = std::move(text);
  pg::ScenarioParse parsed = pg::parse_scenario(entry.json_text);
  entry.valid = parsed.ok();
  if (!parsed.ok()) {
    entry.error = parsed.errors.front().to_string();
    entry.error_path = parsed.errors.front().path.empty() ? "/" : parsed.errors.front().path;
    entry.error_message = parsed.errors.front().message;
    entry.name = entry.file;
  } else {
    entry.name = parsed.scenario.name;
    entry.description = parsed.scenario.description;
    for (const auto& [tag, translation] : parsed.scenario.i18n)
      if (!translation.name.empty()) entry.localized_names[tag] = translation.name;
  }
  return entry;
}

}  // namespace

std::vector<LibraryEntry> build_library(const EmbeddedFile* embedded, size_t count) {
  std::vector<LibraryEntry> library;
  std::vector<IndexItem> order;
  std::vector<const EmbeddedFile*> files;
  for (size_t i = 0; i < count; ++i) {
    const EmbeddedFile& file = embedded[i];
    if (file.name == index_file) order = read_index(std::string_view(file.bytes, file.size));
    else files.push_back(&file);
  }
  std::vector<bool> used(files.size(), false);
  for (const IndexItem& item : order) {
    for (size_t i = 0; i < files.size(); ++i) {
      if (used[i] || item.file != files[i]->name) continue;
      used[i] = true;
      library.push_back(make_entry(files[i]->name, item, std::string(files[i]->bytes, files[i]->size)));
    }
  }
  for (size_t i = 0; i < files.size(); ++i)   // already sorted by name at build time
    if (!used[i]) library.push_back(make_entry(files[i]->name, {}, std::string(files[i]->bytes, files[i]->size)));
  if (library.empty()) library.push_back(make_entry("", {}, default_scenario_json));
  return library;
}

const std::vector<LibraryEntry>& scenario_library() {
  static const std::vector<LibraryEntry> library = build_library(embedded_scenarios, embedded_scenario_count);
  return library;
}

LibraryTexts library_texts(const LibraryEntry& entry, std::string_view lang) {
  static const LibraryTexts none;
  auto index = entry.i18n.find(std::string(lang));
  const LibraryTexts& translated = index == entry.i18n.end() ? none : index->second;
  auto name = entry.localized_names.find(std::string(lang));
  LibraryTexts out;
  out.title = !translated.title.empty()                ? translated.title
              : name != entry.localized_names.end() ? name->second
              : !entry.title.empty()                   ? entry.title
                                                       : entry.name;
  out.summary = !translated.summary.empty() ? translated.summary : entry.summary;
  return out;
}

}  // namespace pgweb
