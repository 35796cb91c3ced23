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
  std::string file, group;
};

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
    }
    // Accept "scenarios/x.json" as well as "x.json".
    if (size_t slash = out.file.rfind('/'); slash != std::string::npos) out.file = out.file.substr(slash + 1);
    if (!out.file.empty()) items.push_back(out);
  }
  return items;
}

LibraryEntry make_entry(std::string file, std::string group, std::string text) {
  LibraryEntry entry;
  entry.file = std::move(file);
  entry.group = std::move(group);
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
  }
  return entry;
}

std::vector<LibraryEntry> build_library() {
  std::vector<LibraryEntry> library;
  std::vector<IndexItem> order;
  std::vector<const EmbeddedFile*> files;
  for (size_t i = 0; i < embedded_scenario_count; ++i) {
    const EmbeddedFile& file = embedded_scenarios[i];
    if (file.name == index_file) order = read_index(std::string_view(file.bytes, file.size));
    else files.push_back(&file);
  }
  std::vector<bool> used(files.size(), false);
  for (const IndexItem& item : order) {
    for (size_t i = 0; i < files.size(); ++i) {
      if (used[i] || item.file != files[i]->name) continue;
      used[i] = true;
      library.push_back(make_entry(files[i]->name, item.group, std::string(files[i]->bytes, files[i]->size)));
    }
  }
  for (size_t i = 0; i < files.size(); ++i)   // already sorted by name at build time
    if (!used[i]) library.push_back(make_entry(files[i]->name, "", std::string(files[i]->bytes, files[i]->size)));
  if (library.empty()) library.push_back(make_entry("", "", default_scenario_json));
  return library;
}

}  // namespace

const std::vector<LibraryEntry>& scenario_library() {
  static const std::vector<LibraryEntry> library = build_library();
  return library;
}

}  // namespace pgweb
