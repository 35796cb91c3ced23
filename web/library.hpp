// The built-in scenario library: every scenarios/*.json embedded into the build (web/embed_scenarios.cmake), in
// the order scenarios/index.json gives (files it does not list follow, by name). The file index.json itself is the
// catalogue, not a scenario. When nothing is embedded, the library holds the app's own small default scenario so
// the app always opens on something that runs.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace pgweb {

struct EmbeddedFile {
  const char* name;    // file name inside scenarios/, "flash-sale.json"
  const char* bytes;   // the file's text, 0-terminated
  size_t size;
};
extern const EmbeddedFile embedded_scenarios[];
extern const size_t embedded_scenario_count;

struct LibraryEntry {
  std::string file;          // "flash-sale.json" ("" for the app's default)
  std::string group;         // from index.json when it gives one ("Services", "Locks"...), else ""
  std::string name;          // the scenario's own name
  std::string description;   // the scenario's own description
  std::string json_text;
  bool valid = true;         // false: the file does not validate in this build (shown, not loadable)
  std::string error;         // the first validation error when not valid
  std::string error_path, error_message;   // the same in two parts, for the page to translate the message
};

// Builds the library once (parsing each file to read its name and description).
const std::vector<LibraryEntry>& scenario_library();

}  // namespace pgweb
