// The built-in scenarios and the short links' table, embedded into playground-cli at build time by the page's own
// generator (web/embed_scenarios.cmake), so `link encode` and `link decode` read and write short links anywhere.
#pragma once
#include <cstddef>

#include "engine/codec/link_bases.hpp"

namespace pg::cli {

using EmbeddedFile = pg::EmbeddedFile;
extern const EmbeddedFile embedded_scenarios[];
extern const size_t embedded_scenario_count;
extern const EmbeddedFile embedded_link_files[];
extern const size_t embedded_link_file_count;

// The short-link bases of the embedded built-ins, built once.
const LinkBases& builtin_link_bases();

}  // namespace pg::cli
