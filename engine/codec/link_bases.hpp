// The bases short links name: every built-in scenario by its stable id, in its current content and in every past
// content kept in the archive (docs/links-and-schema.md, "Short links"). The table that gives ids and the archived
// contents live in scenarios/links/; the page and both CLIs embed them with the scenarios (web/embed_scenarios.cmake)
// and build their bases here, so all three read a short link the same way.
// Invariants: building never throws; whatever does not fit (a missing file, an id used twice, a content whose hash
// the table does not record) is left out and named in `problems`, which the unit tests require to be empty.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "engine/codec/link.hpp"

namespace pg {

// One embedded file: its name ("shop-spike.json", or "links/bases.json" for the link files) and its bytes.
struct EmbeddedFile {
  const char* name;    // file name inside scenarios/ ("flash-sale.json") or scenarios/links/ ("bases.json")
  const char* bytes;   // the file's text, 0-terminated
  size_t size;
};

// The id table's file inside scenarios/links/, and an archived content's file name there ("3-AbCdEf.json").
constexpr const char* link_bases_table = "bases.json";
std::string link_archive_file(int id, const std::string& hash);

struct LinkBasesBuild {
  LinkBases bases;
  std::vector<std::string> problems;  // sentences naming the file and what is wrong with it
};

// scenarios: the built-in scenario files; link_files: the files of scenarios/links/ (the table and the archive).
LinkBasesBuild build_link_bases(const EmbeddedFile* scenarios, size_t scenario_count, const EmbeddedFile* link_files,
                                size_t link_file_count);

}  // namespace pg
