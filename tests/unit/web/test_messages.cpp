// The engine's English as the page shows it in Chinese (web/translate.hpp, web/i18n/messages.inc): every field's
// help and label, the validation messages of bad documents, and how the matcher places the parts it captured.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "engine/run/budget.hpp"
#include "engine/classroom/course.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/scenario/scenario_fields.hpp"
#include "tests/unit/test_support.hpp"
#include "web/translate.hpp"

using namespace pgweb;

namespace {

// What the page shows for a validation error (web/session.cpp: the message alone when it has no path).
std::string shown(const pg::ValidationError& error) { return error.path.empty() ? error.message : error.to_string(); }

template <class Spec>
void check_table(const char* table, const pg::FieldTable<Spec>& rows, std::set<std::string>& missing) {
  for (const pg::Field<Spec>& row : rows) {
    const std::string where = std::string(table) + " " + row.path + ": ";
    if (*row.help && !has_translation(row.help)) missing.insert(where + "help \"" + row.help + "\"");
    if (!has_translation(field_name(row))) missing.insert(where + "label \"" + field_name(row) + "\"");
    if (*row.unit && !has_translation(row.unit)) missing.insert(where + "unit \"" + row.unit + "\"");
  }
}

// Documents each breaking one rule, with the rest valid enough that the rule is reached.
const char* const bad_documents[] = {
    "[1, 2]",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"",
    "{\"services\": []}",
    "{\"version\": 2}",
    "{\"version\": \"1\"}",
    "{\"version\": 1, \"duration_s\": \"long\"}",
    "{\"version\": 1, \"duration_s\": -5}",
    "{\"version\": 1, \"seed\": -1}",
    "{\"version\": 1, \"name\": 7}",
    "{\"version\": 1, \"services\": [{\"name\": \"\"}]}",
    "{\"version\": 1, \"durration_s\": 10}",
    "{\"version\": 1, \"zzzzzzzz\": 10}",
    "{\"version\": 1, \"services\": {}}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"workers\": 1.5}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"balancer\": \"fastest\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}, {\"name\": \"a\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"service_time\": {\"dist\": \"lognormal\", \"mean_ms\": 0}}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"service_time\": {\"dist\": \"uniform\", \"min_ms\": 5, "
    "\"max_ms\": 1}}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"service_time\": {\"dist\": \"empirical\"}}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"service_time\": {\"dist\": \"empirical\", \"values_ms\": [1, 2], "
    "\"weights\": [0, 0]}}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"service_time\": {\"dist\": \"empirical\", \"values_ms\": [1, 2], "
    "\"weights\": [1]}}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"b\"}]}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"requests\": [{\"name\": \"r\", \"steps\": [{}]}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"a\", "
    "\"on_miss\": []}]}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"requests\": [{\"name\": \"r\", \"steps\": [{\"parallel\": []}]}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"requests\": [{\"name\": \"r\", \"steps\": 3}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"a\"}]}], "
    "\"workload\": {\"mix\": [{\"request\": \"s\", \"weight\": 1}]}}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": []}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\", \"x\"]}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\", 3]}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\", \"y\"], \"weights\": [1]}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\", \"y\"], \"weights\": [1, 500]}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\"], \"placement\": {\"algorithm\": \"ring\", "
    "\"hash\": \"ketama\", \"vnodes\": 3}}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\"], \"placement\": {\"algorithm\": \"maglev\", "
    "\"table_size\": 100}}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"crash\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"pause\", \"target\": \"a\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"crash\", \"target\": \"b\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"order\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"crash\", "
    "\"target\": \"ordr\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"set\"}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"set\", \"path\": \"workers\", "
    "\"value\": 2}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"set\", "
    "\"path\": \"/servics/a/workers\", \"value\": 2}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"set\", "
    "\"path\": \"/services/b/workers\", \"value\": 2}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"set\", "
    "\"path\": \"/services/a/wrkers\", \"value\": 2}]}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\"}], \"faults\": [{\"at_s\": 1, \"kind\": \"pause\", \"target\": \"a\", "
    "\"for_s\": 1, \"for_ms\": 1000}]}",
    "{\"version\": 1, \"caches\": [{\"name\": \"c\", \"nodes\": [\"x\"]}], \"faults\": [{\"at_s\": 1, "
    "\"kind\": \"add_node\", \"target\": \"c\"}]}",
    "{\"version\": 1, \"workload\": {\"arrivals\": {\"schedule\": [{\"at_s\": 5, \"rate_per_s\": 1}, {\"at_s\": 2, "
    "\"rate_per_s\": 1}]}}}",
    "{\"version\": 1, \"services\": [{\"name\": \"a\", \"retries\": {\"jitter\": true}}]}",
    // cost bounds (engine/scenario/cost.cpp): one service, then two, over the waiting slots; raised by a set
    "{\"version\": 1, \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"a\"}]}], "
    "\"services\": [{\"name\": \"a\", \"instances\": 64, \"queue_max\": 1000000}]}",
    "{\"version\": 1, \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"a\"}]}], "
    "\"services\": [{\"name\": \"a\", \"instances\": 64, \"queue_max\": 1000000}, {\"name\": \"b\", "
    "\"instances\": 2, \"queue_max\": 10}]}",
    "{\"version\": 1, \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"a\"}]}], "
    "\"services\": [{\"name\": \"a\", \"instances\": 64, \"queue_max\": 10}], \"interventions\": "
    "[{\"at_s\": 1, \"kind\": \"set\", \"path\": \"/services/a/queue_max\", \"value\": 1000000}]}",
    "{\"version\": 1, \"requests\": [{\"name\": \"r\", \"steps\": [{\"call\": \"a\"}]}], "
    "\"services\": [{\"name\": \"a\", \"instances\": 64, \"workers\": 1024}, {\"name\": \"b\", "
    "\"instances\": 64, \"workers\": 1024}, {\"name\": \"c\", \"instances\": 64, \"workers\": 1024}, {\"name\": \"d\", "
    "\"instances\": 64, \"workers\": 1024}, {\"name\": \"e\", \"instances\": 64, \"workers\": 1024}]}",
    "{\"version\": 1, \"queues\": [{\"name\": \"q\", \"max_length\": 1000000}, {\"name\": \"r\", \"max_length\": 1000}]}",
};

}  // namespace

TEST_CASE("every field of every field table has a translated help, label and unit", "[i18n]") {
  std::set<std::string> missing;
  check_table("scenario", pg::scenario_fields(), missing);
  check_table("workload", pg::workload_fields(), missing);
  check_table("rate_point", pg::rate_point_fields(), missing);
  check_table("mix", pg::mix_fields(), missing);
  check_table("request", pg::request_fields(), missing);
  check_table("service", pg::service_fields(), missing);
  check_table("cache", pg::cache_fields(), missing);
  check_table("lock", pg::lock_fields(), missing);
  check_table("queue", pg::queue_fields(), missing);
  check_table("fault", pg::fault_fields(), missing);
  check_table("goal", pg::goal_fields(), missing);
  check_table("distribution", pg::distribution_fields(), missing);
  for (const std::string& line : missing) UNSCOPED_INFO(line);
  CHECK(missing.empty());
}

TEST_CASE("every validation message of the bad documents has a Chinese pattern", "[i18n]") {
  for (const char* document : bad_documents) {   // each hand-made document is refused
    INFO(document);
    CHECK_FALSE(pg::parse_scenario(document).errors.empty());
  }
  std::vector<std::string> texts(std::begin(bad_documents), std::end(bad_documents));
  const std::filesystem::path corpus = std::filesystem::path(PLAYGROUND_SOURCE_DIR) / "fuzz/corpus/scenario";
  for (const auto& entry : std::filesystem::directory_iterator(corpus))
    texts.push_back(pg::test::read_text(std::filesystem::relative(entry.path(), PLAYGROUND_SOURCE_DIR).string()));
  for (const std::string& file : pg::test::repository_scenarios())
    if (file.rfind("tests/scenarios/", 0) == 0) texts.push_back(pg::test::read_text(file));
  std::set<std::string> untranslated;
  for (const std::string& text : texts) {
    for (const pg::ValidationError& error : pg::parse_scenario(text).errors) {
      if (!has_translation(shown(error))) untranslated.insert(shown(error));
    }
  }
  for (const std::string& line : untranslated) UNSCOPED_INFO(line);
  CHECK(untranslated.empty());
}

TEST_CASE("every way a run can cross its budget has a Chinese pattern", "[i18n]") {
  for (pg::BudgetLimit limit : {pg::BudgetLimit::events, pg::BudgetLimit::live_requests, pg::BudgetLimit::live_messages,
                                pg::BudgetLimit::pending_events, pg::BudgetLimit::zookeeper_nodes,
                                pg::BudgetLimit::lock_overlaps}) {
    pg::BudgetState state;
    state.crossed = limit;
    state.count = 1000001;
    state.maximum = 1000000;
    state.at_ns = 2'500'000'000;
    const std::string message = state.message();
    INFO(message);
    REQUIRE(!message.empty());
    CHECK(has_translation(message));
    CHECK(translate(message, Lang::zh_CN).rfind("运行在 2.5 秒时停止：", 0) == 0);
    CHECK(translate(message, Lang::zh_CN).find("the limit") == std::string::npos);   // the tail is translated too
  }
}

TEST_CASE("the matcher backtracks over where a part ends and reorders parts", "[i18n]") {
  // The first try of each hole ends too early (at the first ": ", at the first quote); only the full match counts.
  CHECK(translate("/x: y/name: duplicate name \"a\" \"b\"", Lang::zh_CN) == "/x: y/name：名称“a\" \"b”重复");
  // {5} and {4} put the name before the noun in the Chinese.
  CHECK(translate("/faults/0/path: \"/services/b/workers\" names no service: there is no service named \"b\"",
                  Lang::zh_CN) ==
        "/faults/0/path：“/services/b/workers”不对应任何 service：没有名为“b”的 service");
  // A quoted sentence is translated too: the client name and the limited-log suffix.
  CHECK(translate("two holders of inventory/key-3: flow 4 on order#1 and flow 9 on order#0 (further events of this "
                  "kind are counted, not logged)",
                  Lang::zh_CN) ==
        "inventory/key-3 同时有两个持有者：请求流 4（位于 order#1） 和 请求流 9（位于 order#0）"
        "（此类后续事件只计数，不再记录）");
  CHECK(translate("c: add_node d refused: table_size must be prime", Lang::zh_CN) ==
        "c：add_node d 被拒绝：table_size 必须是质数");
  // A name is never translated even when it is a word a pattern knows.
  CHECK(translate("set /services/Name/workers = 4", Lang::zh_CN) == "设置 /services/Name/workers = 4");
  CHECK(translate("Workers", Lang::zh_CN) == "工作线程");
  CHECK(translate("Workers", Lang::en) == "Workers");
}

TEST_CASE("every validation message of bad course files has a Chinese pattern", "[i18n]") {
  const char* const bad_courses[] = {
      R"({"name": "x", "exercises": [{"file": "a.json"}]})",
      R"({"course": 2, "name": "x", "exercises": [{"file": "a.json"}]})",
      R"({"course": 1, "exercises": [{"file": "a.json"}]})",
      R"({"course": 1, "name": "x", "exercises": []})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "/etc/a.json"}]})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "a.txt"}]})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "a\\b.json"}]})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "a.json"}, {"file": "b/a.json"}]})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "a.json", "titel": "y"}]})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "a.json", "scenario": 3}]})",
      R"({"course": 1, "name": "x", "exercises": [{"file": "a.json", "scenario": {"version": 1, "servces": []}}]})",
  };
  std::set<std::string> untranslated;
  for (const char* document : bad_courses) {
    const pg::CourseParse parsed = pg::parse_course(document);
    INFO(document);
    CHECK_FALSE(parsed.errors.empty());
    for (const pg::ValidationError& error : parsed.errors)
      if (!has_translation(shown(error))) untranslated.insert(shown(error));
  }
  for (const std::string& line : untranslated) UNSCOPED_INFO(line);
  CHECK(untranslated.empty());
}
