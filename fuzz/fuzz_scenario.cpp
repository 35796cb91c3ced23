// libFuzzer harness: the scenario parser on arbitrary bytes must never crash, hang, throw or trip a sanitizer, and
// any document it accepts must round-trip through the canonical form: parse(write(s)) is valid and writes the
// same text again, in the compact form (what links carry) and the indented one (what files hold).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/scenario/scenario.hpp"

namespace {

[[noreturn]] void fail(const char* what, const std::string& written, const pg::ScenarioParse& parse) {
  std::fprintf(stderr, "fuzz_scenario: %s\n--- written ---\n%s\n--- errors ---\n", what, written.c_str());
  for (const pg::ValidationError& e : parse.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const pg::ScenarioParse first = pg::parse_scenario(text);
  if (!first.ok()) return 0;
  for (int indent : {-1, 2}) {
    const std::string written = pg::scenario_to_text(first.scenario, indent);
    // The canonical form may be longer than the input (defaults like "1" are written "1.0", indentation); past the
    // document limit it is refused by design, which is not a round-trip failure.
    if (written.size() > pg::limits::document_bytes_max) continue;
    const pg::ScenarioParse second = pg::parse_scenario(written);
    if (!second.ok()) fail("the canonical form of a valid scenario is refused", written, second);
    if (pg::scenario_to_text(second.scenario, indent) != written)
      fail("write(parse(write(s))) != write(s)", written, second);
  }
  return 0;
}
