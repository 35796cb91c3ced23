// Translations (/i18n): read with path-naming messages, written back canonically (and not at all when absent),
// never part of the run, and looked up per text with a fallback to the base text.
#include <catch2/catch.hpp>

#include <string>

#include "engine/classroom/exercise.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/localized_texts.hpp"
#include "engine/scenario/scenario_fields.hpp"
#include "tests/unit/test_support.hpp"

namespace {

using nlohmann::json;

// A small exercise with two goals and two hints, and the given i18n object (none when null).
json exercise_document(const json& i18n) {
  json doc = {{"version", 1},
              {"name", "Base name"},
              {"description", "Base description"},
              {"duration_s", 1},
              {"workload", {{"arrivals", {{"rate_per_s", 10}}}}},
              {"requests", {{{"name", "r"}, {"steps", {{{"call", "api"}}}}}}},
              {"services", {{{"name", "api"}}}},
              {"goals",
               {{{"label", "Fast"}, {"metric", "requests.r.latency_ms.p99"}, {"op", "<", }, {"value", 100}},
                {{"metric", "requests.r.completed"}, {"op", ">"}, {"value", 0}}}},
              {"exercise", {{"task", "Base task"}, {"hints", {"Hint one", "Hint two"}}}}};
  if (!i18n.is_null()) doc["i18n"] = i18n;
  return doc;
}

pg::ScenarioParse parse(const json& doc) { return pg::parse_scenario(doc.dump()); }

// The one error's "path: message", or all of them joined when there are several.
std::string errors_of(const pg::ScenarioParse& p) {
  std::string out;
  for (const pg::ValidationError& e : p.errors) out += (out.empty() ? "" : " | ") + e.to_string();
  return out;
}

}  // namespace

TEST_CASE("i18n: a translation is read and written back unchanged", "[i18n]") {
  json zh = {{"name", "基础名称"},
             {"description", "描述"},
             {"exercise", {{"task", "任务"}, {"hints", {"提示一", ""}}}},
             {"goals", {{{"label", "快"}}}}};
  pg::ScenarioParse p = parse(exercise_document({{"zh-CN", zh}, {"en", json::object()}}));
  INFO(errors_of(p));
  REQUIRE(p.ok());
  REQUIRE(p.scenario.i18n.size() == 2);
  const pg::ScenarioTranslation& t = p.scenario.i18n.at("zh-CN");
  CHECK(t.name == "基础名称");
  CHECK(t.task == "任务");
  CHECK(t.hints == std::vector<std::string>{"提示一", ""});
  REQUIRE(t.goals.size() == 1);
  CHECK(t.goals[0].label == "快");
  json written = pg::scenario_to_json(p.scenario);
  CHECK(written["i18n"]["zh-CN"] == zh);
  CHECK(written["i18n"]["en"] == json::object());
  pg::ScenarioParse again = pg::parse_scenario(pg::scenario_to_text(p.scenario));
  REQUIRE(again.ok());
  CHECK(pg::scenario_to_text(again.scenario) == pg::scenario_to_text(p.scenario));
}

TEST_CASE("i18n: absent means not written, so canonical forms of scenarios without it stay as they were",
          "[i18n]") {
  pg::ScenarioParse p = parse(exercise_document(nullptr));
  REQUIRE(p.ok());
  CHECK(p.scenario.i18n.empty());
  CHECK_FALSE(pg::scenario_to_json(p.scenario).contains("i18n"));
}

TEST_CASE("i18n: language tags of a simple BCP 47 shape", "[i18n]") {
  for (const char* tag : {"en", "zh-CN", "zh-Hans", "zh-Hans-CN", "es-419", "yue", "pt-BR"}) {
    INFO(tag);
    CHECK(pg::is_language_tag(tag));
  }
  for (const char* tag : {"", "z", "zh_CN", "zh-cn", "ZH", "zh-", "-CN", "zh-CN-Hans", "zh-CN-x", "english",
                          "zh-Hans-Hant", "zh-C1", "en-US-US"}) {
    INFO(tag);
    CHECK_FALSE(pg::is_language_tag(tag));
  }
}

TEST_CASE("i18n: problems are reported with their JSON paths", "[i18n]") {
  struct Case {
    json i18n;
    std::string expected;
  };
  const std::string long_name(129, 'x');
  const Case cases[] = {
      {{{"zh_cn", {{"name", "x"}}}},
       "/i18n/zh_cn: is not a language tag such as \"zh-CN\", \"zh-Hans\" or \"en\" (a language in lower case, then "
       "optionally a script such as \"Hans\" and a region such as \"CN\"); did you mean \"zh-CN\"?"},
      {{{"zh-CN", {{"nmae", "x"}}}}, "/i18n/zh-CN/nmae: unknown field; did you mean \"name\"?"},
      {{{"zh-CN", {{"exercise", {{"taks", "x"}}}}}}, "/i18n/zh-CN/exercise/taks: unknown field; did you mean \"task\"?"},
      {{{"zh-CN", {{"goals", {{{"lable", "x"}}}}}}},
       "/i18n/zh-CN/goals/0/lable: unknown field; did you mean \"label\"?"},
      {{{"zh-CN", {{"goals", {{{"label", "a"}}, {{"label", "b"}}, {{"label", "c"}}}}}}},
       "/i18n/zh-CN/goals: has 3 goal labels but /goals has 2; a translation cannot have more than the scenario"},
      {{{"zh-CN", {{"exercise", {{"hints", {"a", "b", "c"}}}}}}},
       "/i18n/zh-CN/exercise/hints: has 3 hints but /exercise/hints has 2; a translation cannot have more than the "
       "scenario"},
      {{{"zh-CN", {{"exercise", {{"hints", {"a", 3}}}}}}},
       "/i18n/zh-CN/exercise/hints/1: must be a string of at most 4096 bytes, got 3"},
      {{{"zh-CN", {{"name", long_name}}}}, "/i18n/zh-CN/name: must be at most 128 bytes long, got 129"},
      {{{"zh-CN", "名称"}}, "/i18n/zh-CN: must be an object, got \"名称\""},
      {json::array(), "/i18n: must be an object, got an array"},
  };
  for (const Case& c : cases) {
    INFO(c.i18n.dump());
    pg::ScenarioParse p = parse(exercise_document(c.i18n));
    CHECK(errors_of(p) == c.expected);
  }
}

TEST_CASE("i18n: a translation of a text the scenario lacks is refused", "[i18n]") {
  json doc = exercise_document({{"zh-CN", {{"description", "描述"}, {"exercise", {{"task", "任务"}}}}}});
  doc.erase("description");
  doc["exercise"].erase("task");
  CHECK(errors_of(parse(doc)) ==
        "/i18n/zh-CN/description: translates a description, but the scenario has none | "
        "/i18n/zh-CN/exercise/task: translates a task, but /exercise has none");
  json many = json::object();
  for (int i = 0; i <= (int)pg::limits::languages_max; ++i) {
    std::string tag = "xa-CN";   // xa-CN, xb-CN, ...: 17 well-formed tags
    tag[1] = char('a' + i);
    many[tag] = json::object();
  }
  CHECK(errors_of(parse(exercise_document(many))) == "/i18n: has 17 languages; the limit is 16");
}

TEST_CASE("i18n: localized_texts falls back to the base text one text at a time", "[i18n]") {
  json zh = {{"name", "名称"}, {"exercise", {{"hints", {"", "提示二"}}}}, {"goals", {{{"label", "快"}}}}};
  pg::ScenarioParse p = parse(exercise_document({{"zh-CN", zh}}));
  REQUIRE(p.ok());
  pg::ScenarioTexts texts = pg::localized_texts(p.scenario, "zh-CN");
  CHECK(texts.name == "名称");
  CHECK(texts.description == "Base description");
  CHECK(texts.task == "Base task");
  CHECK(texts.hints == std::vector<std::string>{"Hint one", "提示二"});
  CHECK(texts.goal_labels == std::vector<std::string>{"快", "requests.r.completed > 0.0"});
  for (const char* lang : {"en", "", "zh", "zh-TW"}) {
    INFO(lang);
    pg::ScenarioTexts base = pg::localized_texts(p.scenario, lang);
    CHECK(base.name == "Base name");
    CHECK(base.hints == std::vector<std::string>{"Hint one", "Hint two"});
    CHECK(base.goal_labels == std::vector<std::string>{"Fast", "requests.r.completed > 0.0"});
  }
}

TEST_CASE("i18n: translations do not change a built-in scenario's run", "[i18n]") {
  for (const char* file : {"scenarios/exercise-locks-oversell.json", "scenarios/queues-poison-dlq.json"}) {
    INFO(file);
    json with = json::parse(pg::test::read_text(file));
    REQUIRE(with.contains("i18n"));
    REQUIRE(with["i18n"].contains("zh-CN"));
    json without = with;
    without.erase("i18n");
    pg::Simulation a(pg::test::parse_or_fail(with.dump()));
    pg::Simulation b(pg::test::parse_or_fail(without.dump()));
    a.run_to_end();
    b.run_to_end();
    CHECK(a.trace_hash_hex() == b.trace_hash_hex());
    CHECK(a.report(true) == b.report(true));
  }
}

TEST_CASE("i18n: a submission without the exercise's translations changes nothing locked", "[i18n]") {
  pg::ScenarioParse exercise = parse(exercise_document({{"zh-CN", {{"name", "名称"}}}}));
  pg::ScenarioParse submission = parse(exercise_document(nullptr));
  REQUIRE(exercise.ok());
  REQUIRE(submission.ok());
  CHECK(pg::forbidden_changes(exercise.scenario, submission.scenario).empty());
  submission.scenario.name = "Renamed";
  CHECK(pg::forbidden_changes(exercise.scenario, submission.scenario) == std::vector<std::string>{"/name"});
}
