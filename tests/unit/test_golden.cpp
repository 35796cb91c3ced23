// Golden trace hashes, natively: every scenario under scenarios/ and tests/scenarios/ must give the hash recorded
// in tests/golden/trace_hashes.json (the file tests/node/golden.test.mjs also reads, for both CLIs), and the file
// must list exactly those scenarios. A changed hash fails until it is updated deliberately with
// scripts/update-golden-hashes.sh (docs/determinism.md). `./test --native-only` runs this.
#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "test_support.hpp"

using namespace pg;

namespace {

std::vector<std::string> scenario_files() {
  std::vector<std::string> files;
  for (const char* folder : {"tests/scenarios", "scenarios"}) {
    std::filesystem::path dir = std::filesystem::path(PLAYGROUND_SOURCE_DIR) / folder;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".json" && entry.path().filename() != "index.json")
        files.push_back(std::string(folder) + "/" + entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

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
  CHECK(listed == scenario_files());
}

TEST_CASE("every scenario gives its golden trace hash", "[golden]") {
  nlohmann::json golden = golden_hashes();
  std::vector<std::string> files = scenario_files();
  REQUIRE(!files.empty());
  for (const std::string& file : files) {
    INFO(file);
    REQUIRE(golden.contains(file));
    Simulation sim(test::load(file));
    sim.run_to_end();
    CHECK(sim.trace_hash_hex() == golden[file].get<std::string>());
  }
}
