// Classroom exercises: goals, allowed changes. See exercise.hpp.
#include "engine/classroom/exercise.hpp"

#include <algorithm>

#include "engine/scenario/json_reader.hpp"

namespace pg {

ExerciseInfo exercise_info(const Scenario& scenario) {
  ExerciseInfo info;
  const json& e = scenario.exercise;
  if (!e.is_object()) return info;
  if (e.contains("task") && e["task"].is_string()) info.task = e["task"].get<std::string>();
  if (e.contains("allowed") && e["allowed"].is_array())
    for (const json& p : e["allowed"])
      if (p.is_string()) info.allowed.push_back(p.get<std::string>());
  if (e.contains("hints") && e["hints"].is_array())
    for (const json& h : e["hints"])
      if (h.is_string()) info.hints.push_back(h.get<std::string>());
  if (e.contains("seeds") && e["seeds"].is_number()) info.seeds = static_cast<int>(e["seeds"].get<double>());
  return info;
}

void validate_exercise(const json& exercise, std::vector<ValidationError>& errors) {
  ObjectReader r(exercise, "/exercise", errors);
  if (!r.valid()) return;
  std::string task;
  r.string("task", task, limits::text_length_max);
  auto strings = [&](const char* field, size_t max_items, size_t max_length, bool pointer) {
    if (const json* list = r.array(field, max_items)) {
      for (size_t i = 0; i < list->size(); ++i) {
        const json& v = (*list)[i];
        std::string path = r.child(field) + "/" + std::to_string(i);
        if (!v.is_string() || v.get_ref<const std::string&>().size() > max_length)
          r.error(path, "must be a string of at most " + std::to_string(max_length) + " bytes, got " +
                            describe_json_value(v));
        else if (pointer && (v.get_ref<const std::string&>().empty() || v.get_ref<const std::string&>()[0] != '/'))
          r.error(path, "must be a path starting with \"/\", such as \"/services/order/workers\", got " +
                            describe_json_value(v));
      }
    }
  };
  strings("allowed", 64, 256, true);
  strings("hints", limits::hints_max, limits::text_length_max, false);
  int seeds = 1;
  r.integer("seeds", seeds, 1, limits::exercise_seeds_max);
  r.finish();
}

bool report_metric(const json& report, const std::string& metric, double& value) {
  const json* node = &report;
  size_t start = 0;
  while (start <= metric.size()) {
    size_t dot = metric.find('.', start);
    std::string part = metric.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object()) return false;
    auto it = node->find(part);
    if (it == node->end()) return false;
    node = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (node->is_number()) {
    value = node->get<double>();
    return true;
  }
  if (node->is_boolean()) {
    value = node->get<bool>() ? 1 : 0;
    return true;
  }
  return false;
}

bool compare(double value, const std::string& op, double target) {
  if (op == "<") return value < target;
  if (op == "<=") return value <= target;
  if (op == "==") return value == target;
  if (op == ">=") return value >= target;
  if (op == ">") return value > target;
  if (op == "!=") return value != target;
  return false;
}

std::string goal_label(const GoalSpec& goal) {
  return goal.label.empty() ? goal.metric + " " + goal.op + " " + json(goal.value).dump() : goal.label;
}

std::vector<GoalResult> evaluate_goals(const Scenario& scenario, const json& report) {
  std::vector<GoalResult> results;
  for (const GoalSpec& goal : scenario.goals) {
    GoalResult r;
    r.label = goal_label(goal);
    r.metric = goal.metric;
    r.op = goal.op;
    r.target = goal.value;
    r.points = goal.points;
    r.found = report_metric(report, goal.metric, r.value);
    r.passed = r.found && compare(r.value, goal.op, goal.value);
    results.push_back(r);
  }
  return results;
}

std::vector<GoalResult> goals_over_seeds(const std::vector<std::vector<GoalResult>>& per_seed) {
  if (per_seed.empty()) return {};
  std::vector<GoalResult> out = per_seed[0];
  for (GoalResult& g : out) g.held_on = 0;
  for (const std::vector<GoalResult>& goals : per_seed) {
    for (size_t i = 0; i < out.size() && i < goals.size(); ++i) {
      if (goals[i].passed) {
        ++out[i].held_on;
      } else if (out[i].passed) {   // the first seed where it failed gives the value shown
        out[i].passed = false;
        out[i].found = goals[i].found;
        out[i].value = goals[i].value;
      }
    }
  }
  return out;
}

namespace {

bool named_items(const json& array) {
  if (array.empty()) return false;
  for (const json& item : array)
    if (!item.is_object() || !item.contains("name") || !item["name"].is_string()) return false;
  return true;
}

void diff(const json& a, const json& b, const std::string& path, std::vector<std::string>& out) {
  if (a.is_object() && b.is_object()) {
    std::vector<std::string> keys;
    for (auto it = a.begin(); it != a.end(); ++it) keys.push_back(it.key());
    for (auto it = b.begin(); it != b.end(); ++it)
      if (!a.contains(it.key())) keys.push_back(it.key());
    std::sort(keys.begin(), keys.end());
    for (const std::string& key : keys) {
      std::string child = path + "/" + json_pointer_escape(key);
      if (!a.contains(key) || !b.contains(key)) out.push_back(child);
      else diff(a[key], b[key], child, out);
    }
    return;
  }
  if (a.is_array() && b.is_array()) {
    if (named_items(a) && named_items(b)) {
      std::vector<std::string> names;
      for (const json& item : a) names.push_back(item["name"].get<std::string>());
      for (const json& item : b)
        if (std::find(names.begin(), names.end(), item["name"].get<std::string>()) == names.end())
          names.push_back(item["name"].get<std::string>());
      std::sort(names.begin(), names.end());
      for (const std::string& name : names) {
        const json* in_a = nullptr;
        const json* in_b = nullptr;
        for (const json& item : a)
          if (item["name"] == name) in_a = &item;
        for (const json& item : b)
          if (item["name"] == name) in_b = &item;
        std::string child = path + "/" + json_pointer_escape(name);
        if (!in_a || !in_b) out.push_back(child);
        else diff(*in_a, *in_b, child, out);
      }
      return;
    }
    if (a.size() == b.size()) {
      for (size_t i = 0; i < a.size(); ++i) diff(a[i], b[i], path + "/" + std::to_string(i), out);
      return;
    }
    out.push_back(path);
    return;
  }
  if (a != b) out.push_back(path);
}

bool covered(const std::string& path, const std::string& prefix) {
  if (path.rfind(prefix, 0) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/' || prefix.back() == '/';
}

}  // namespace

bool path_allowed(const std::vector<std::string>& allowed, const std::string& path) {
  for (const std::string& prefix : allowed)
    if (!prefix.empty() && covered(path, prefix)) return true;
  return false;
}

std::vector<std::string> changed_paths(const Scenario& before, const Scenario& after) {
  std::vector<std::string> out;
  diff(scenario_to_json(before), scenario_to_json(after), "", out);
  return out;
}

std::vector<std::string> forbidden_changes(const Scenario& exercise, const Scenario& submission) {
  ExerciseInfo info = exercise_info(exercise);
  std::vector<std::string> forbidden;
  for (const std::string& path : changed_paths(exercise, submission)) {
    // Translations are texts for people and never change the run: a submission saved without them (or from a page
    // in another language) is the same answer.
    if (covered(path, "/i18n")) continue;
    bool ok = false;
    if (!covered(path, "/goals") && !covered(path, "/exercise"))
      for (const std::string& prefix : info.allowed) ok |= covered(path, prefix);
    if (!ok) forbidden.push_back(path);
  }
  return forbidden;
}

}  // namespace pg
