// Exercise authoring without ImGui (the panel is web/panels/exercise_author.cpp; docs/editor.md, "Authoring
// exercises"). What a teacher builds an exercise from: the report's metric paths with their current values (what a
// goal's `metric` may name), the goal operators, and the edits of an exercise - goals, task, hints, the parameters a
// student may change, seeds. Each edit takes the scenario and returns the edited one; the page applies it through
// Session::apply_scenario, which validates it (a refused edit keeps the scenario) and records it for undo.
//
// A scenario becomes an exercise with its first goal (the page treats a scenario with goals as an exercise); the
// `exercise` object holds only what is set (no empty task, lists or seeds 1), and is absent when nothing is.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/scenario.hpp"

namespace pgweb::authoring {

// One number of a run's report, named as a goal's `metric` names it ("requests.checkout.latency_ms.p99").
struct Metric {
  std::string path;
  double value = 0;
};

// Every number of the report (true/false as 1/0, as goals read them), in the report's order, at most `max_count`.
// Arrays and keys with a dot in them are left out: a goal's dotted path cannot name them.
std::vector<Metric> report_metrics(const nlohmann::json& report, size_t max_count = 4000);

// The search box: every blank-separated word of `query` is in `path`, ignoring ASCII case ("" matches everything).
bool metric_matches(const std::string& path, const std::string& query);

// The goal operators, in the order the panel offers them.
inline constexpr const char* goal_ops[] = {"<=", "<", "==", "!=", ">=", ">"};
inline constexpr size_t goal_op_count = sizeof goal_ops / sizeof goal_ops[0];

pg::GoalSpec make_goal(const std::string& metric, const std::string& op, double target, const std::string& label);

// ---- edits: each returns the edited scenario --------------------------------------------------------------------
pg::Scenario add_goal(const pg::Scenario& scenario, const pg::GoalSpec& goal);
// Removes goal `index` and its translations (each language's n-th goal label); out of range: unchanged.
pg::Scenario remove_goal(const pg::Scenario& scenario, size_t index);
pg::Scenario set_task(const pg::Scenario& scenario, const std::string& task);
// Sets hint `index`; index == the number of hints appends one.
pg::Scenario set_hint(const pg::Scenario& scenario, size_t index, const std::string& hint);
// Removes hint `index` and its translations.
pg::Scenario remove_hint(const pg::Scenario& scenario, size_t index);
// Marks or unmarks a parameter path a student may change. A path an allowed prefix covers ("/services/order" covers
// "/services/order/workers") is unmarked by replacing the prefix with the other fields it covered.
pg::Scenario toggle_allowed(const pg::Scenario& scenario, const std::string& path);
// The seeds a goal must hold on (1 to 10; 1 is a single run and is not written).
pg::Scenario set_seeds(const pg::Scenario& scenario, int seeds);

}  // namespace pgweb::authoring
