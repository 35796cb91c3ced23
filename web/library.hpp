// The built-in scenario library: every scenarios/*.json embedded into the build (web/embed_scenarios.cmake), in
// the order scenarios/index.json gives (files it does not list follow, by name). The file index.json itself is the
// catalogue, not a scenario. When nothing is embedded, the library holds the app's own small default scenario so
// the app always opens on something that runs.
#pragma once
#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/codec/link_bases.hpp"

namespace pgweb {

using EmbeddedFile = pg::EmbeddedFile;  // file name inside scenarios/ ("flash-sale.json"), bytes, size
extern const EmbeddedFile embedded_scenarios[];
extern const size_t embedded_scenario_count;
// scenarios/links/*.json: the short links' id table and the archived contents of built-ins (web/share.cpp).
extern const EmbeddedFile embedded_link_files[];
extern const size_t embedded_link_file_count;

// An index entry's title and summary in one language.
struct LibraryTexts {
  std::string title;
  std::string summary;
};

struct LibraryEntry {
  std::string file;          // "flash-sale.json" ("" for the app's default)
  std::string group;         // from index.json when it gives one ("Services", "Locks"...), else ""
  std::string title;         // index.json's title, else ""
  std::string summary;       // index.json's summary, else ""
  std::map<std::string, LibraryTexts> i18n;            // index.json's translations, by language tag ("zh-CN")
  std::map<std::string, std::string> localized_names;  // the scenario's own translated names, by language tag
  std::string name;          // the scenario's own name
  std::string description;   // the scenario's own description
  std::string json_text;
  bool valid = true;         // false: the file does not validate in this build (shown, not loadable)
  std::string error;         // the first validation error when not valid
  std::string error_path, error_message;   // the same in two parts, for the page to translate the message
};

// Builds the library once (parsing each file to read its name and description).
const std::vector<LibraryEntry>& scenario_library();
// The library made of these files (index.json among them orders it): what scenario_library() builds from the
// embedded ones.
std::vector<LibraryEntry> build_library(const EmbeddedFile* files, size_t count);

// The entry's title and summary in a language ("zh-CN", "en"), each falling back on its own: the index's
// translation, then (title only) the scenario's translated name, then the index's English text, then (title
// only) the scenario's name.
LibraryTexts library_texts(const LibraryEntry& entry, std::string_view lang);

}  // namespace pgweb
