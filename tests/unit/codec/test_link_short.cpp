// Short links (engine/codec/link_patch.hpp, link_bases.hpp): the id table matches the built-ins (and fails when one
// changes without its old content archived), every built-in with a change and an intervention fits in 120
// characters and decodes to the same document and trace hash, archived contents keep old links working, and every
// bad short link says what is wrong.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "engine/codec/link.hpp"
#include "engine/codec/link_bases.hpp"
#include "engine/codec/link_patch.hpp"
#include "engine/run/simulation.hpp"
#include "tests/unit/test_support.hpp"
#include "web/translate.hpp"

namespace {

using nlohmann::json;

// The files of one folder as EmbeddedFile rows; `texts` and `names` keep the bytes alive.
struct Folder {
  std::vector<std::string> names, texts;
  std::vector<pg::EmbeddedFile> files;
  void add(std::string name, std::string text) {
    names.push_back(std::move(name));
    texts.push_back(std::move(text));
  }
  const pg::EmbeddedFile* rows() {
    files.clear();
    for (size_t i = 0; i < names.size(); ++i) files.push_back({names[i].c_str(), texts[i].c_str(), texts[i].size()});
    return files.data();
  }
};

Folder read_folder(const std::string& relative) {
  Folder folder;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(PLAYGROUND_SOURCE_DIR) + "/" + relative))
    if (entry.path().extension() == ".json") names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  for (const std::string& name : names) folder.add(name, pg::test::read_text(relative + "/" + name));
  return folder;
}

pg::LinkBasesBuild repository_bases() {
  static Folder scenarios = read_folder("scenarios"), links = read_folder("scenarios/links");
  const pg::EmbeddedFile* s = scenarios.rows();
  const pg::EmbeddedFile* l = links.rows();
  return pg::build_link_bases(s, scenarios.names.size(), l, links.names.size());
}

std::string trace_hash(const pg::Scenario& scenario) {
  pg::Simulation simulation(scenario);
  simulation.run_to_end();
  return simulation.trace_hash_hex();
}

// The built-in with one parameter changed (the seed) and one intervention added, as a person edits it.
pg::Scenario edited(const std::string& file) {
  json document = json::parse(pg::test::read_text("scenarios/" + file));
  document["seed"] = document.value("seed", 1) + 1;
  if (!document.contains("interventions")) document["interventions"] = json::array();
  document["interventions"].push_back(
      {{"at_s", 5}, {"kind", "set"}, {"path", "/workload/arrivals/rate_per_s"}, {"value", 900}});
  return pg::test::parse_or_fail(document.dump());
}

std::string short_error(std::string_view link, const pg::LinkBases& bases) {
  pg::LinkDecode d = pg::decode_link(link, &bases);
  return d.errors.empty() ? std::string() : d.errors.front().message;
}

std::string repeat(const std::string& part, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += part;
  return out;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("the short links' id table names every built-in and records its current content", "[link][short]") {
  pg::LinkBasesBuild build = repository_bases();
  for (const std::string& problem : build.problems) UNSCOPED_INFO(problem);
  CHECK(build.problems.empty());
  size_t current = 0;
  for (const pg::LinkBase& base : build.bases.bases) current += base.current ? 1 : 0;
  CHECK(current == read_folder("scenarios").names.size() - 1);  // every scenarios/*.json but index.json
}

TEST_CASE("every built-in with a changed parameter and an intervention has a short link", "[link][short]") {
  const pg::LinkBases bases = repository_bases().bases;
  for (const pg::LinkBase& base : bases.bases) {
    if (!base.current) continue;
    INFO(base.file);
    const pg::Scenario scenario = edited(base.file);
    const pg::LinkEncode link = pg::encode_shortest_link(scenario, bases);
    REQUIRE(link.ok());
    CHECK(link.fragment.rfind("#s=b1." + std::to_string(base.id) + "." + base.hash + ".", 0) == 0);
    CHECK(link.fragment.size() < 120);
    const pg::LinkDecode decoded = pg::decode_link("https://example.org/play/" + link.fragment, &bases);
    REQUIRE(decoded.ok());
    CHECK(pg::scenario_to_text(decoded.scenario, -1) == pg::scenario_to_text(scenario, -1));
    CHECK(trace_hash(decoded.scenario) == trace_hash(scenario));
    // The self-contained form of the same scenario reads the same.
    CHECK(pg::scenario_to_text(pg::decode_link(pg::encode_link(scenario).fragment).scenario, -1) ==
          pg::scenario_to_text(scenario, -1));
  }
}

TEST_CASE("an unchanged built-in's link is its id and hash; a scenario from elsewhere stays self-contained",
          "[link][short]") {
  const pg::LinkBases bases = repository_bases().bases;
  const pg::LinkBase& first = bases.bases.front();
  const pg::Scenario scenario = pg::test::load("scenarios/" + first.file);
  CHECK(pg::encode_shortest_link(scenario, bases).fragment ==
        "#s=b1." + std::to_string(first.id) + "." + first.hash);
  const pg::Scenario mm1 = pg::test::load("tests/scenarios/mm1.json");
  CHECK(pg::encode_shortest_link(mm1, bases).fragment == pg::encode_link(mm1).fragment);
  CHECK(pg::encode_shortest_link(mm1, pg::LinkBases{}).fragment == pg::encode_link(mm1).fragment);
}

TEST_CASE("a changed built-in keeps its old links through the archive", "[link][short]") {
  const std::string old_text = R"({"name":"Old","version":1})", new_text = R"({"name":"New","version":1})";
  const std::string old_hash = pg::link_base_hash(pg::scenario_to_text(pg::test::parse_or_fail(old_text), -1));
  const std::string new_hash = pg::link_base_hash(pg::scenario_to_text(pg::test::parse_or_fail(new_text), -1));
  Folder scenarios, links;
  scenarios.add("a.json", new_text);
  links.add("bases.json", R"([{"id": 7, "file": "a.json", "hashes": [")" + old_hash + "\", \"" + new_hash + "\"]}]");
  const pg::EmbeddedFile* s = scenarios.rows();
  SECTION("without the archived content the table is refused") {
    pg::LinkBasesBuild build = pg::build_link_bases(s, 1, links.rows(), 1);
    REQUIRE(build.problems.size() == 1);
    CHECK(contains(build.problems[0], "is not archived in links/7-" + old_hash + ".json"));
  }
  SECTION("with it, links to both contents decode to what they were made from") {
    links.add("7-" + old_hash + ".json", pg::scenario_to_text(pg::test::parse_or_fail(old_text), -1) + "\n");
    pg::LinkBasesBuild build = pg::build_link_bases(s, 1, links.rows(), 2);
    CHECK(build.problems.empty());
    CHECK(pg::decode_link("#s=b1.7." + old_hash + ".name=Older", &build.bases).scenario.name == "Older");
    CHECK(pg::decode_link("#s=b1.7." + new_hash, &build.bases).scenario.name == "New");
    // New links always start from the current content.
    pg::Scenario edited_scenario = pg::test::parse_or_fail(new_text);
    edited_scenario.seed = 9;
    CHECK(pg::encode_shortest_link(edited_scenario, build.bases).fragment == "#s=b1.7." + new_hash + ".seed=9");
  }
  SECTION("a built-in whose content changed without a new hash is named") {
    links.names[0] = "bases.json";
    links.texts[0] = R"([{"id": 7, "file": "a.json", "hashes": [")" + old_hash + "\"]}]";
    pg::LinkBasesBuild build = pg::build_link_bases(s, 1, links.rows(), 1);
    REQUIRE(build.problems.size() == 1);
    CHECK(contains(build.problems[0], "built-in scenario 7 (a.json) changed"));
    CHECK(contains(build.problems[0], "scenarios/links/7-" + old_hash + ".json"));
  }
}

TEST_CASE("the id table refuses duplicates, bad rows and unlisted built-ins", "[link][short]") {
  Folder scenarios, links;
  scenarios.add("a.json", R"({"version":1})");
  scenarios.add("b.json", R"({"version":1})");
  scenarios.add("index.json", "[]");
  links.add("bases.json", R"([{"id": 1, "file": "a.json", "hashes": ["AAAAAA"]}, {"id": 1, "file": "a.json",
    "hashes": ["AAAAAA"]}, {"id": "2"}, {"id": 0, "file": "c.json", "hashes": ["AAAAAA"]}])");
  const pg::EmbeddedFile* s = scenarios.rows();
  pg::LinkBasesBuild build = pg::build_link_bases(s, 3, links.rows(), 1);
  std::string all;
  for (const std::string& problem : build.problems) all += problem + "\n";
  INFO(all);
  CHECK(contains(all, "built-in scenario 1 (a.json) changed"));
  CHECK(contains(all, "entry 2: id 1 or file a.json is listed twice"));
  CHECK(contains(all, "entry 3: expected {\"id\""));
  CHECK(contains(all, "entry 4 (c.json): ids run from 1 to 999999"));
  CHECK(contains(all, "b.json has no id in links/bases.json"));
  CHECK(!contains(all, "index.json"));
  CHECK(pg::build_link_bases(s, 3, nullptr, 0).problems.at(0) == "links/bases.json is missing: no short links");
}

TEST_CASE("every bad short link says what is wrong", "[link][short]") {
  const pg::LinkBases bases = repository_bases().bases;
  const pg::LinkBase& base = bases.bases.at(1);
  const std::string start = "#s=b1." + std::to_string(base.id) + "." + base.hash;
  const std::string name = "built-in scenario " + std::to_string(base.id);
  CHECK(contains(short_error("#s=b2.1.AAAAAA", bases), "newer version of the playground (short link format 2"));
  CHECK(contains(short_error("#s=b0.1.AAAAAA", bases), "unknown short link format 0"));
  CHECK(contains(short_error("#s=b1.x", bases), "expected the built-in scenario's number"));
  CHECK(contains(short_error("#s=b1.2.AB", bases), "expected the 6-character version of built-in scenario 2"));
  CHECK(contains(short_error("#s=b1.9999.AAAAAA", bases), "names built-in scenario 9999, which this version"));
  CHECK(contains(short_error("#s=b1." + std::to_string(base.id) + ".AAAAAA", bases),
                 "names a version (AAAAAA) of " + name + " that this version of the playground does not keep"));
  CHECK(contains(short_error(start, pg::LinkBases{}), "names " + name + ", which"));
  CHECK(contains(pg::decode_link(start).errors.at(0).message, "has no built-in scenarios"));
  // Malformed changes: the position and what was expected.
  CHECK(contains(short_error(start + ".seed", bases), "is damaged: at character 5 of the changes: expected =, + or !"));
  CHECK(contains(short_error(start + ".seed=", bases), "expected a value, found the end"));
  CHECK(contains(short_error(start + ".seed=1~", bases), "expected a member name or index"));
  CHECK(contains(short_error(start + ".name='abc", bases), "expected ' to end the quoted string"));
  CHECK(contains(short_error(start + ".name='a*G1'", bases), "two hexadecimal digits after *"));
  CHECK(contains(short_error(start + ".a=!x", bases), "t, f, n or ( after !"));
  CHECK(contains(short_error(start + ".a=!(1,2", bases), ", or ) in a list"));
  CHECK(contains(short_error(start + ".a=(b:1", bases), ", or ) in an object"));
  CHECK(contains(short_error(start + ".a=" + repeat("!(", 100), bases), "less nesting"));
  CHECK(contains(short_error(start + ".a=1" + std::string(70000, '0'), bases), "too long"));
  // Changes that do not fit the built-in: the change's number and its JSON pointer.
  CHECK(contains(short_error(start + ".seed=2~nothing.here=1", bases),
                 "do not fit " + name + " (" + base.file + "): change 2 does not apply: /nothing does not exist"));
  CHECK(contains(short_error(start + ".services.99.workers=1", bases), "/services/99 does not exist"));
  CHECK(contains(short_error(start + ".services.0!~services.80!", bases), "/services/80 is past the end"));
  CHECK(contains(short_error(start + ".services.x=1", bases), "/services/x: a list item needs a number"));
  CHECK(contains(short_error(start + ".seed+1", bases), "+ inserts into a list, and / is an object"));
  CHECK(contains(short_error(start + ".zzz!", bases), "/zzz does not exist"));
  // Changes that apply but make an invalid scenario: the validator's message with its path.
  pg::LinkDecode invalid = pg::decode_link(start + ".seed=-1", &bases);
  REQUIRE(!invalid.ok());
  CHECK(invalid.errors.at(0).path == "/seed");
}

TEST_CASE("short links read the same when a browser percent-encodes them", "[link][short]") {
  const pg::LinkBases bases = repository_bases().bases;
  const pg::LinkBase& base = bases.bases.at(1);
  const std::string start = "#s=b1." + std::to_string(base.id) + "." + base.hash;
  pg::LinkDecode plain = pg::decode_link(start + ".name='Two words!''", &bases);
  REQUIRE(plain.ok());
  CHECK(plain.scenario.name == "Two words'");
  pg::LinkDecode encoded = pg::decode_link(start + ".name=%27Two%20words!%27%27", &bases);
  REQUIRE(encoded.ok());
  CHECK(encoded.scenario.name == "Two words'");
}

TEST_CASE("patch diff and apply give back the target for awkward documents", "[link][short]") {
  const json base = json::parse(R"({"a":[1,2,3,4],"b":{"c":"x y","d":null},"e":"k.","f":1.5,"g":[]})");
  const std::vector<json> targets = {
      json::parse(R"({"a":[1,3,4],"b":{"c":"x y"},"e":"k.","f":1.5,"g":[]})"),
      json::parse(R"({"a":[0,1,2,3,4,5],"b":{"c":"~!'*(),:","d":true},"e":"-1","f":-2e-7,"g":[[],{}]})"),
      json::parse(R"({"a":[],"b":[],"e":"","f":"1","g":[null,false],"new key":{"':x":"\u00e9\u4e2d"}})"),
      json::parse(R"({})"),
  };
  for (const json& target : targets) {
    const std::string patch = pg::json_patch_diff(base, target);
    INFO(patch);
    CHECK(patch.find_first_of(" \"#%&<>") == std::string::npos);
    const pg::PatchApply applied = pg::json_patch_apply(base, patch);
    REQUIRE(applied.ok());
    CHECK(applied.document == target);
  }
  CHECK(pg::json_patch_diff(base, base).empty());
}

TEST_CASE("every way a share link can fail has a Chinese pattern", "[i18n][link][short]") {
  const char* const bad_links[] = {
      "#s=", "#s=x.abc", "#s=9.abc", "#s=0.abc", "#s=1.", "#s=1.ab$d", "#s=1.a", "#s=1.AAAA", "#s=1.qwertyuiopQ",
      "#s=b9.1.abcdef", "#s=b0.1.abcdef", "#s=b1.x", "#s=b1.2.ab", "#s=b1.9999.abcdef", "#s=b1.2.zzzzzz",
      "#s=b1.2.%CURRENT%.seed=", "#s=b1.2.%CURRENT%.nosuch.deep.path=3"};
  const pg::LinkBases bases = repository_bases().bases;
  std::string current;   // the hash of built-in 2's content today, so the last links reach their changes
  for (const pg::LinkBase& base : bases.bases)
    if (base.id == 2 && base.current) current = base.hash;
  REQUIRE(!current.empty());
  std::set<std::string> untranslated;
  for (std::string link : bad_links) {
    if (size_t at = link.find("%CURRENT%"); at != std::string::npos) link.replace(at, 9, current);
    const pg::LinkDecode decoded = pg::decode_link(link, &bases);
    INFO(link);
    CHECK_FALSE(decoded.errors.empty());
    for (const pg::ValidationError& error : decoded.errors)
      if (!pgweb::has_translation(error.message)) untranslated.insert(error.message);
  }
  for (const std::string& line : untranslated) UNSCOPED_INFO(line);
  CHECK(untranslated.empty());
}
