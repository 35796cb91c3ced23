// Exercise authoring (web/editor/authoring.hpp), natively: the metric list is exactly what goals can name, with the
// values the goals read; each edit gives a scenario that validates and reads back the same; what is authored is
// checked as playground-cli check checks it (the allowed parameter may change, another may not).
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/classroom/exercise.hpp"
#include "engine/run/simulation.hpp"
#include "tests/unit/test_support.hpp"
#include "web/editor/authoring.hpp"

using namespace pg;
namespace authoring = pgweb::authoring;

namespace {

Scenario shop() {
  Scenario s = pg::test::load("scenarios/shop-spike.json");
  s.duration_s = 8;   // short: the tests need a report, not the whole spike
  return s;
}

std::string canonical(const Scenario& s) { return scenario_to_json(s).dump(); }

// The edited scenario as the page applies it: through the canonical JSON and the parser (Session::apply_scenario).
Scenario applied(const Scenario& s) {
  ScenarioParse parsed = parse_scenario_json(scenario_to_json(s));
  INFO((parsed.errors.empty() ? std::string() : parsed.errors[0].to_string()));
  REQUIRE(parsed.ok());
  return parsed.scenario;
}

nlohmann::json run_report(const Scenario& s) {
  Simulation sim(s);
  sim.run_to_end();
  return sim.report();
}

}  // namespace

TEST_CASE("the metric list names every number of the report as a goal reads it", "[editor]") {
  const nlohmann::json report = run_report(shop());
  const std::vector<authoring::Metric> metrics = authoring::report_metrics(report);
  REQUIRE(metrics.size() > 20);
  bool p99 = false;
  for (const authoring::Metric& m : metrics) {
    double value = -12345;
    INFO(m.path);
    REQUIRE(report_metric(report, m.path, value));   // a goal's `metric` finds it ...
    REQUIRE(value == m.value);                        // ... with the value the list shows
    p99 |= m.path == "requests.checkout.latency_ms.p99";
  }
  REQUIRE(p99);
  // Capped, in the report's order.
  const std::vector<authoring::Metric> few = authoring::report_metrics(report, 5);
  REQUIRE(few.size() == 5);
  for (size_t i = 0; i < few.size(); ++i) REQUIRE(few[i].path == metrics[i].path);
  // Booleans are 1/0 as goals read them; arrays and dotted keys are left out.
  nlohmann::json small = nlohmann::json::parse(R"({"a": {"b": true, "c": [1, 2], "d.e": 3, "f": 2.5}, "g": "x"})");
  const std::vector<authoring::Metric> listed = authoring::report_metrics(small);
  REQUIRE(listed.size() == 2);
  REQUIRE(listed[0].path == "a.b");
  REQUIRE(listed[0].value == 1);
  REQUIRE(listed[1].path == "a.f");
  REQUIRE(listed[1].value == 2.5);
}

TEST_CASE("the metric search matches every word, ignoring case", "[editor]") {
  REQUIRE(authoring::metric_matches("requests.checkout.latency_ms.p99", ""));
  REQUIRE(authoring::metric_matches("requests.checkout.latency_ms.p99", "Checkout P99"));
  REQUIRE(authoring::metric_matches("requests.checkout.latency_ms.p99", "  p99   checkout "));
  REQUIRE_FALSE(authoring::metric_matches("requests.checkout.latency_ms.p99", "checkout p50"));
  REQUIRE_FALSE(authoring::metric_matches("services.order.failed", "checkout"));
}

TEST_CASE("a plain scenario becomes an exercise that validates and is checked as the CLI checks it", "[editor]") {
  const Scenario plain = shop();
  REQUIRE(plain.goals.empty());
  REQUIRE(plain.exercise.is_null());

  Scenario s = applied(authoring::add_goal(
      plain, authoring::make_goal("requests.checkout.latency_ms.p99", "<=", 250, "Checkout p99 within 250 ms")));
  s = applied(authoring::add_goal(s, authoring::make_goal("requests.checkout.failed", "==", 0, "")));
  const std::string task = "Keep checkout fast through the spike.\nChange only the order service's instances.";
  s = applied(authoring::set_task(s, task));
  s = applied(authoring::set_hint(s, 0, "Look at the order service's waiting line."));
  s = applied(authoring::toggle_allowed(s, "/services/order/instances"));
  s = applied(authoring::set_seeds(s, 2));

  REQUIRE(s.goals.size() == 2);
  REQUIRE(s.goals[0].metric == "requests.checkout.latency_ms.p99");
  REQUIRE(s.goals[0].op == "<=");
  REQUIRE(s.goals[0].value == 250);
  REQUIRE(s.goals[1].label.empty());
  const ExerciseInfo info = exercise_info(s);
  REQUIRE(info.task == task);
  REQUIRE(info.hints == std::vector<std::string>{"Look at the order service's waiting line."});
  REQUIRE(info.allowed == std::vector<std::string>{"/services/order/instances"});
  REQUIRE(info.seeds == 2);
  // The file as saved reads back to the same scenario.
  REQUIRE(canonical(pg::test::parse_or_fail(scenario_to_text(s))) == canonical(s));

  // A submission changing the allowed parameter is checkable; one changing another parameter is not.
  Scenario answer = s;
  for (ServiceSpec& service : answer.services)
    if (service.name == "order") service.instances = 4;
  REQUIRE(forbidden_changes(s, answer).empty());
  Scenario cheat = answer;
  for (ServiceSpec& service : cheat.services)
    if (service.name == "order") service.workers = 64;
  REQUIRE(forbidden_changes(s, cheat) == std::vector<std::string>{"/services/order/workers"});

  // The goals are judged on the report exactly as evaluate_goals (check) judges them.
  const nlohmann::json report = run_report(answer);
  const std::vector<GoalResult> results = evaluate_goals(s, report);
  REQUIRE(results.size() == 2);
  double p99 = 0;
  REQUIRE(report_metric(report, "requests.checkout.latency_ms.p99", p99));
  REQUIRE(results[0].found);
  REQUIRE(results[0].value == p99);
  REQUIRE(results[0].passed == (p99 <= 250));
  REQUIRE(results[1].label.rfind("requests.checkout.failed == 0", 0) == 0);   // no label: named by the goal itself
}

TEST_CASE("each authoring edit undone by its opposite gives back the exact scenario", "[editor]") {
  const Scenario plain = shop();
  const std::string before = canonical(plain);
  // Toggling a parameter twice; adding and removing a goal; setting and clearing the task; a hint; seeds.
  REQUIRE(canonical(applied(authoring::toggle_allowed(authoring::toggle_allowed(plain, "/services/order/workers"),
                                                      "/services/order/workers"))) == before);
  const pg::GoalSpec goal = authoring::make_goal("requests.browse.completed", ">", 1, "");
  REQUIRE(canonical(applied(authoring::remove_goal(authoring::add_goal(plain, goal), 0))) == before);
  REQUIRE(canonical(applied(authoring::set_task(authoring::set_task(plain, "A task"), ""))) == before);
  REQUIRE(canonical(applied(authoring::remove_hint(authoring::set_hint(plain, 0, "A hint"), 0))) == before);
  REQUIRE(canonical(applied(authoring::set_seeds(authoring::set_seeds(plain, 3), 1))) == before);
  REQUIRE(plain.exercise.is_null());
  // An out-of-range index changes nothing.
  REQUIRE(canonical(authoring::remove_goal(plain, 3)) == before);
  REQUIRE(canonical(authoring::set_hint(plain, 2, "far")) == before);
}

TEST_CASE("unmarking a field an allowed prefix covers keeps the prefix's other fields", "[editor]") {
  Scenario s = shop();
  s.exercise = nlohmann::json::object();
  s.exercise["allowed"] = nlohmann::json::array();
  s.exercise["allowed"].push_back("/services/order");
  s.exercise["allowed"].push_back("/workload/arrivals/rate_per_s");
  const Scenario edited = applied(authoring::toggle_allowed(s, "/services/order/workers"));
  const ExerciseInfo info = exercise_info(edited);
  REQUIRE_FALSE(path_allowed(info.allowed, "/services/order/workers"));
  REQUIRE(path_allowed(info.allowed, "/services/order/instances"));
  REQUIRE(path_allowed(info.allowed, "/services/order/timeout_ms"));
  REQUIRE(path_allowed(info.allowed, "/workload/arrivals/rate_per_s"));
  REQUIRE_FALSE(path_allowed(info.allowed, "/services/cart/workers"));
  // Marking it again allows it again.
  REQUIRE(path_allowed(exercise_info(authoring::toggle_allowed(edited, "/services/order/workers")).allowed,
                       "/services/order/workers"));
}

TEST_CASE("removing a goal or a hint removes its translations", "[editor]") {
  Scenario s = shop();
  s = authoring::add_goal(s, authoring::make_goal("requests.browse.completed", ">", 1, "Browsing works"));
  s = authoring::add_goal(s, authoring::make_goal("requests.cart.completed", ">", 1, "Carts work"));
  s = authoring::set_hint(authoring::set_hint(s, 0, "First"), 1, "Second");
  ScenarioTranslation& zh = s.i18n["zh-CN"];
  zh.goals = {GoalTranslation{"浏览正常"}, GoalTranslation{"购物车正常"}};
  zh.hints = {"第一", "第二"};
  s = applied(s);
  s = applied(authoring::remove_goal(s, 0));
  s = applied(authoring::remove_hint(s, 0));
  REQUIRE(s.goals.size() == 1);
  REQUIRE(s.goals[0].label == "Carts work");
  REQUIRE(s.i18n["zh-CN"].goals.size() == 1);
  REQUIRE(s.i18n["zh-CN"].goals[0].label == "购物车正常");
  REQUIRE(exercise_info(s).hints == std::vector<std::string>{"Second"});
  REQUIRE(s.i18n["zh-CN"].hints == std::vector<std::string>{"第二"});
}
