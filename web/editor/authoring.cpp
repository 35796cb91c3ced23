// Exercise authoring without ImGui: see authoring.hpp.
#include "web/editor/authoring.hpp"

#include <algorithm>

#include "engine/classroom/exercise.hpp"
#include "engine/scenario/parameter_path.hpp"

namespace pgweb::authoring {

namespace {

void collect(const nlohmann::json& node, const std::string& prefix, std::vector<Metric>& out, size_t max_count) {
  if (out.size() >= max_count) return;
  if (node.is_number() || node.is_boolean()) {
    out.push_back(Metric{prefix, node.is_boolean() ? (node.get<bool>() ? 1.0 : 0.0) : node.get<double>()});
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key().find('.') != std::string::npos) continue;
    collect(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out, max_count);
  }
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c; }

bool contains_word(const std::string& text, const std::string& word) {
  return std::search(text.begin(), text.end(), word.begin(), word.end(),
                     [](char a, char b) { return lower(a) == lower(b); }) != text.end();
}

// The exercise object, created when absent.
nlohmann::json& exercise_of(pg::Scenario& s) {
  if (!s.exercise.is_object()) s.exercise = nlohmann::json::object();
  return s.exercise;
}

// Only what is set stays: no empty task or list, no seeds 1; no object when nothing is left.
void tidy(pg::Scenario& s) {
  if (!s.exercise.is_object()) return;
  nlohmann::json& e = s.exercise;
  for (const char* key : {"task", "allowed", "hints"}) {
    const auto it = e.find(key);
    if (it != e.end() && (it->is_string() ? it->get_ref<const std::string&>().empty() : it->empty())) e.erase(it);
  }
  if (e.contains("seeds") && e["seeds"] == 1) e.erase("seeds");
  if (e.empty()) s.exercise = nlohmann::json();
}

nlohmann::json& list_of(pg::Scenario& s, const char* key) {
  nlohmann::json& e = exercise_of(s);
  if (!e.contains(key) || !e[key].is_array()) e[key] = nlohmann::json::array();
  return e[key];
}

}  // namespace

std::vector<Metric> report_metrics(const nlohmann::json& report, size_t max_count) {
  std::vector<Metric> out;
  collect(report, "", out, max_count);
  return out;
}

bool metric_matches(const std::string& path, const std::string& query) {
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find(' ', start);
    if (end == std::string::npos) end = query.size();
    if (end > start && !contains_word(path, query.substr(start, end - start))) return false;
    start = end + 1;
  }
  return true;
}

pg::GoalSpec make_goal(const std::string& metric, const std::string& op, double target, const std::string& label) {
  pg::GoalSpec goal;
  goal.metric = metric;
  goal.op = op;
  goal.value = target;
  goal.label = label;
  return goal;
}

pg::Scenario add_goal(const pg::Scenario& scenario, const pg::GoalSpec& goal) {
  pg::Scenario s = scenario;
  s.goals.push_back(goal);
  return s;
}

pg::Scenario remove_goal(const pg::Scenario& scenario, size_t index) {
  pg::Scenario s = scenario;
  if (index >= s.goals.size()) return s;
  s.goals.erase(s.goals.begin() + (std::ptrdiff_t)index);
  for (auto& [lang, t] : s.i18n)
    if (index < t.goals.size()) t.goals.erase(t.goals.begin() + (std::ptrdiff_t)index);
  return s;
}

pg::Scenario set_task(const pg::Scenario& scenario, const std::string& task) {
  pg::Scenario s = scenario;
  exercise_of(s)["task"] = task;
  tidy(s);
  return s;
}

pg::Scenario set_hint(const pg::Scenario& scenario, size_t index, const std::string& hint) {
  pg::Scenario s = scenario;
  nlohmann::json& hints = list_of(s, "hints");
  if (index < hints.size()) hints[index] = hint;
  else if (index == hints.size()) hints.push_back(hint);
  tidy(s);
  return s;
}

pg::Scenario remove_hint(const pg::Scenario& scenario, size_t index) {
  pg::Scenario s = scenario;
  nlohmann::json& hints = list_of(s, "hints");
  if (index < hints.size()) {
    hints.erase(index);
    for (auto& [lang, t] : s.i18n)
      if (index < t.hints.size()) t.hints.erase(t.hints.begin() + (std::ptrdiff_t)index);
  }
  tidy(s);
  return s;
}

pg::Scenario toggle_allowed(const pg::Scenario& scenario, const std::string& path) {
  pg::Scenario s = scenario;
  nlohmann::json& allowed = list_of(s, "allowed");
  std::vector<std::string> paths;
  for (const nlohmann::json& p : allowed)
    if (p.is_string()) paths.push_back(p.get<std::string>());
  const auto exact = std::find(paths.begin(), paths.end(), path);
  if (exact != paths.end()) {
    paths.erase(exact);
  } else if (pg::path_allowed(paths, path)) {
    // A prefix covers it: the prefix gives way to every other field it covered.
    std::vector<std::string> kept;
    std::vector<std::string> prefixes;
    for (const std::string& p : paths) (pg::path_allowed({p}, path) ? prefixes : kept).push_back(p);
    for (const pg::FieldAddress& f : pg::field_addresses(s))
      if (f.path != path && pg::path_allowed(prefixes, f.path) && !pg::path_allowed(kept, f.path))
        kept.push_back(f.path);
    paths = std::move(kept);
  } else {
    paths.push_back(path);
  }
  allowed = nlohmann::json::array();
  for (const std::string& p : paths) allowed.push_back(p);
  tidy(s);
  return s;
}

pg::Scenario set_seeds(const pg::Scenario& scenario, int seeds) {
  pg::Scenario s = scenario;
  exercise_of(s)["seeds"] = seeds;
  tidy(s);
  return s;
}

}  // namespace pgweb::authoring
