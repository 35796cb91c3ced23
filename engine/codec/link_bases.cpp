// Short-link bases from the embedded files: see link_bases.hpp. The table (scenarios/links/bases.json) is a list of
// {"id": 7, "file": "shop-spike.json", "hashes": ["oldest", ..., "current"]}: the last hash is the current
// content's, every earlier one names an archived content, links/<id>-<hash>.json, kept as the canonical text it was.
#include "engine/codec/link_bases.hpp"

#include <set>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pg {
namespace {

using json = nlohmann::json;

const EmbeddedFile* find_file(const EmbeddedFile* files, size_t count, std::string_view name) {
  for (size_t i = 0; i < count; ++i)
    if (files[i].name && name == files[i].name) return &files[i];
  return nullptr;
}

std::string_view text_of(const EmbeddedFile& file) { return std::string_view(file.bytes, file.size); }

// The canonical compact text of a built-in scenario file, or "" when it does not parse.
std::string canonical_scenario(const EmbeddedFile& file) {
  ScenarioParse parse = parse_scenario(text_of(file));
  return parse.ok() ? scenario_to_text(parse.scenario, -1) : std::string();
}

// An archived content: the file's text without the line end an editor may add.
std::string archived_text(const EmbeddedFile& file) {
  std::string_view text = text_of(file);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return std::string(text);
}

struct TableRow {
  int id = 0;
  std::string file;
  std::vector<std::string> hashes;
};

// One row of the table, or a problem; `where` is "links/bases.json, entry 3".
bool read_row(const json& entry, const std::string& where, TableRow& row, std::vector<std::string>& problems) {
  if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_number_integer() || !entry.contains("file") ||
      !entry["file"].is_string() || !entry.contains("hashes") || !entry["hashes"].is_array() ||
      entry["hashes"].empty()) {
    problems.push_back(where + ": expected {\"id\": <number>, \"file\": \"<name>.json\", \"hashes\": [...]}");
    return false;
  }
  row.id = entry["id"].get<int>();
  row.file = entry["file"].get<std::string>();
  for (const json& hash : entry["hashes"]) {
    if (!hash.is_string() || hash.get_ref<const std::string&>().size() != 6) {
      problems.push_back(where + " (" + row.file + "): every hash is a string of 6 characters");
      return false;
    }
    row.hashes.push_back(hash.get<std::string>());
  }
  if (row.id < 1 || row.id > 999999) problems.push_back(where + " (" + row.file + "): ids run from 1 to 999999");
  return row.id >= 1 && row.id <= 999999;
}

// The row's current content and its archived ones, added to bases; problems name what is missing or changed.
void add_row(const TableRow& row, const EmbeddedFile* scenarios, size_t scenario_count, const EmbeddedFile* links,
             size_t link_count, LinkBasesBuild& out) {
  const std::string name = "built-in scenario " + std::to_string(row.id) + " (" + row.file + ")";
  for (size_t i = 0; i + 1 < row.hashes.size(); ++i) {
    const std::string archive = link_archive_file(row.id, row.hashes[i]);
    const EmbeddedFile* file = find_file(links, link_count, archive);
    if (!file) {
      out.problems.push_back(name + ": its past content " + row.hashes[i] + " is not archived in links/" + archive);
      continue;
    }
    std::string text = archived_text(*file);
    if (link_base_hash(text) != row.hashes[i])
      out.problems.push_back("links/" + archive + " has hash " + link_base_hash(text) + ", not " + row.hashes[i]);
    else out.bases.bases.push_back({row.id, row.file, row.hashes[i], std::move(text), false});
  }
  const EmbeddedFile* file = find_file(scenarios, scenario_count, row.file);
  std::string canonical = file ? canonical_scenario(*file) : std::string();
  if (canonical.empty()) {
    out.problems.push_back(name + ": the file is missing or invalid");
    return;
  }
  const std::string hash = link_base_hash(canonical);
  if (hash != row.hashes.back())
    out.problems.push_back(name + " changed: its content's hash is " + hash + ", the table's last is " +
                           row.hashes.back() + ". Keep the old content: save the canonical text of the previous "
                           "version as scenarios/links/" + link_archive_file(row.id, row.hashes.back()) +
                           " and append \"" + hash + "\" to its hashes (docs/links-and-schema.md, \"Short links\")");
  out.bases.bases.push_back({row.id, row.file, hash, std::move(canonical), true});
}

}  // namespace

std::string link_archive_file(int id, const std::string& hash) { return std::to_string(id) + "-" + hash + ".json"; }

LinkBasesBuild build_link_bases(const EmbeddedFile* scenarios, size_t scenario_count, const EmbeddedFile* link_files,
                                size_t link_file_count) {
  LinkBasesBuild out;
  const EmbeddedFile* table_file = find_file(link_files, link_file_count, link_bases_table);
  if (!table_file) {
    out.problems.push_back(std::string("links/") + link_bases_table + " is missing: no short links");
    return out;
  }
  const json table = json::parse(text_of(*table_file), nullptr, false);
  if (table.is_discarded() || !table.is_array()) {
    out.problems.push_back(std::string("links/") + link_bases_table + " is not a JSON list");
    return out;
  }
  std::set<int> ids;
  std::set<std::string> files;
  for (size_t i = 0; i < table.size(); ++i) {
    const std::string where = std::string("links/") + link_bases_table + ", entry " + std::to_string(i + 1);
    TableRow row;
    if (!read_row(table[i], where, row, out.problems)) continue;
    if (!ids.insert(row.id).second || !files.insert(row.file).second) {
      out.problems.push_back(where + ": id " + std::to_string(row.id) + " or file " + row.file + " is listed twice");
      continue;
    }
    add_row(row, scenarios, scenario_count, link_files, link_file_count, out);
  }
  for (size_t i = 0; i < scenario_count; ++i)
    if (scenarios[i].name && std::string_view(scenarios[i].name) != "index.json" && !files.count(scenarios[i].name))
      out.problems.push_back(std::string(scenarios[i].name) + " has no id in links/" + link_bases_table);
  return out;
}

}  // namespace pg
