// Classroom exercises. A scenario with `goals` is an exercise; its optional `exercise` object holds the task text,
// the parameter paths a student may change (`allowed`) and hints revealed one at a time. Goals compare one metric
// of the report (a dotted path such as "requests.checkout.latency_ms.p99") with a value.
// Paths name array items by their "name" where they have one: "/services/order/workers".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/scenario.hpp"

namespace pg {

struct GoalResult {
  std::string label;
  std::string metric;
  std::string op;
  double target = 0;
  double points = 1;      // the goal's worth in an autograder's score
  double value = 0;       // the metric's value (0 when missing); over seeds, on the first seed where it failed
  bool found = false;     // the metric exists in the report
  bool passed = false;    // over seeds: held on every one of them
  uint32_t held_on = 0;   // over seeds: on how many it held (goals_over_seeds); 0 for a single report
};

struct ExerciseInfo {
  std::string task;
  std::vector<std::string> allowed;
  std::vector<std::string> hints;
  int seeds = 1;          // a goal passes only when it holds on each of the seeds s, s+1, ..., s+seeds-1
};

// Reads the scenario's exercise object (already validated by the parser).
ExerciseInfo exercise_info(const Scenario& scenario);
// Looks a dotted metric path up in a report; false when it is not there or not a number.
bool report_metric(const nlohmann::json& report, const std::string& metric, double& value);
bool compare(double value, const std::string& op, double target);
// The goal's label, or "metric op value" when it has none (what check prints and autograders name it by).
std::string goal_label(const GoalSpec& goal);
std::vector<GoalResult> evaluate_goals(const Scenario& scenario, const nlohmann::json& report);
// One verdict from the goals of several runs of the same scenario under different seeds (`per_seed` in seed order,
// each from evaluate_goals): a goal passes only when it passed on every seed; its value is the one of the first
// seed where it failed (else the first seed's), and held_on counts the seeds where it held.
std::vector<GoalResult> goals_over_seeds(const std::vector<std::vector<GoalResult>>& per_seed);
// The parameter paths where two scenarios differ (canonical forms compared, arrays of named items matched by name).
std::vector<std::string> changed_paths(const Scenario& before, const Scenario& after);
// True when one of the allowed prefixes covers the path ("/services/order" covers "/services/order/workers").
bool path_allowed(const std::vector<std::string>& allowed, const std::string& path);
// The changed paths that no allowed prefix covers. Goals and the exercise itself are never the student's to change;
// translations (/i18n) are not compared at all.
std::vector<std::string> forbidden_changes(const Scenario& exercise, const Scenario& submission);
// Checks the exercise object's shape; appends errors under /exercise.
void validate_exercise(const nlohmann::json& exercise, std::vector<ValidationError>& errors);

}  // namespace pg
