// Golden trace hashes, natively: every scenario under scenarios/ and tests/scenarios/ must give the hash recorded
// in tests/golden/trace_hashes.json (the file tests/node/golden.test.mjs also reads, for both CLIs), and the file
// must list exactly those scenarios. A changed hash fails until it is updated deliberately with
// scripts/update-golden-hashes.sh (docs/determinism.md). `./test --native-only` runs this.
#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/unit/test_support.hpp"

using namespace pg;

namespace {


nlohmann::json golden_hashes() {
  std::string text = test::read_text("tests/golden/trace_hashes.json");
  REQUIRE(!text.empty());
  return nlohmann::json::parse(text);
}

}  // namespace

TEST_CASE("every scenario has a golden hash and every golden hash a scenario", "[golden]") {
  nlohmann::json golden = golden_hashes();
  std::vector<std::string> listed;
  for (const auto& item : golden.items()) listed.push_back(item.key());
  std::sort(listed.begin(), listed.end());
  CHECK(listed == test::repository_scenarios());
}

TEST_CASE("every scenario gives its golden trace hash", "[golden]") {
  nlohmann::json golden = golden_hashes();
  std::vector<std::string> files = test::repository_scenarios();
  REQUIRE(!files.empty());
  for (const std::string& file : files) {
    INFO(file);
    REQUIRE(golden.contains(file));
    Simulation sim(test::load(file));
    sim.run_to_end();
    CHECK(sim.trace_hash_hex() == golden[file].get<std::string>());
  }
}
