// Scenario version 1: parsing and validation of untrusted JSON (see scenario.hpp). Never throws to the caller.
#include "engine/scenario/scenario.hpp"

#include <algorithm>
#include <set>

#include "engine/models/caches/cache_placement.hpp"
#include "engine/scenario/cost.hpp"
#include "engine/classroom/exercise.hpp"
#include "engine/scenario/json_reader.hpp"
#include "engine/scenario/json_text.hpp"
#include "engine/scenario/parameter_path.hpp"
#include "engine/models/caches/placement.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {
namespace {

// JSON nesting depth, measured without recursion so a hostile document cannot overflow the stack.
int json_depth(const json& root) {
  int deepest = 0;
  std::vector<std::pair<const json*, int>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    if (depth > limits::json_depth_max) return depth;
    if (node->is_structured())
      for (const json& item : *node) stack.push_back({&item, depth + 1});
  }
  return deepest;
}

// The placement must be buildable (unique node names, ketama vnodes a multiple of 4, maglev table a prime at least
// the node count, ring points within limits): asked of the placement module itself.
void cache_rules(ObjectReader& r, CacheSpec& c) {
  if (c.nodes.empty() || (!c.weights.empty() && c.weights.size() != c.nodes.size())) return;
  PlacementError error = Placement::validate(cache_placement_params(c.placement), cache_placement_nodes(c));
  if (error != PlacementError::none)
    r.error(error == PlacementError::duplicate_node_name ? r.child("nodes") : r.child("placement"),
            std::string(placement_error_message(error)));
}

// consumers.preset "celery": the fields the preset names and the document leaves out take Celery's defaults
// (docs/real-systems.md): task_acks_late false (the message is acked when the task starts), worker_prefetch_multiplier
// 4 (per worker process; a consumer here is one process), and the Redis broker's visibility_timeout of one hour.
// The canonical writer writes the expanded values, so a written document reads back the same.
void queue_rules(ObjectReader& r, QueueSpec& q) {
  if (q.consumers.preset != ConsumerPreset::celery) return;
  const json* consumers = r.get("consumers");
  auto given = [&](const char* key) { return consumers && consumers->is_object() && consumers->contains(key); };
  if (q.kind == QueueKind::log) {
    r.error(r.child("consumers") + "/preset", "celery needs a queue of kind sqs (Redis broker) or amqp (RabbitMQ)");
    return;
  }
  if (!given("ack")) q.consumers.ack = ConsumerAck::before_processing;
  if (!given("prefetch")) q.consumers.prefetch = 4;
  if (!r.has("visibility_timeout_ms")) q.visibility_timeout_ms = 3'600'000;
}

void fault_rules(ObjectReader& r, FaultSpec& f) {
  // Names the parsed kind, not value["kind"]: that may be a number (already reported) and must not throw.
  if (f.kind != FaultKind::set && f.kind != FaultKind::partition && f.target.empty() && r.valid())
    r.error(r.child("target"), "is required for a \"" + std::string(fault_kind_words[(int)f.kind]) + "\" fault");
  if (f.kind == FaultKind::pause && f.for_ms <= 0) r.error(r.child("for_ms"), "a pause needs a duration > 0");
  if (f.kind == FaultKind::set && f.path.empty()) r.error(r.child("path"), "is required for \"set\"");
  if ((f.kind == FaultKind::add_node || f.kind == FaultKind::remove_node) && f.node.empty())
    r.error(r.child("node"), "is required for add_node/remove_node");
}

template <class Items>
bool has_item(const Items& items, const std::string& name) {
  for (const auto& item : items)
    if (item.name == name) return true;
  return false;
}

// Names are unique per kind.
void check_unique_names(const Scenario& s, Errors& errors) {
  auto unique = [&](const char* list, auto& items) {
    std::set<std::string> seen;
    for (size_t i = 0; i < items.size(); ++i)
      if (!items[i].name.empty() && !seen.insert(items[i].name).second)
        errors.push_back({std::string("/") + list + "/" + std::to_string(i) + "/name",
                          "duplicate name \"" + items[i].name + "\""});
  };
  unique("services", s.services);
  unique("requests", s.requests);
  unique("caches", s.caches);
  unique("locks", s.locks);
  unique("queues", s.queues);
}

// Steps name things that exist, at every nesting level.
void check_step_targets(const Scenario& s, const std::vector<StepSpec>& steps, const std::string& path,
                        Errors& errors) {
  static const char* const lists[] = {"services", "caches", "locks", "queues", ""};
  for (size_t i = 0; i < steps.size(); ++i) {
    const StepSpec& step = steps[i];
    const std::string p = path + "/" + std::to_string(i);
    bool ok = true;
    switch (step.kind) {
      case StepKind::call: ok = has_item(s.services, step.target); break;
      case StepKind::cache: ok = has_item(s.caches, step.target); break;
      case StepKind::lock: ok = has_item(s.locks, step.target); break;
      case StepKind::publish: ok = has_item(s.queues, step.target); break;
      case StepKind::parallel: break;
    }
    if (!ok && !step.target.empty())
      errors.push_back({p + "/" + step_kind_words[(int)step.kind],
                        "names \"" + step.target + "\", which is not in /" + lists[(int)step.kind]});
    check_step_targets(s, step.on_miss, p + "/on_miss", errors);
    check_step_targets(s, step.inside, p + "/inside", errors);
    for (size_t b = 0; b < step.branches.size(); ++b)
      check_step_targets(s, step.branches[b], p + "/parallel/" + std::to_string(b), errors);
  }
}

// Fault targets, `set` paths and an exercise's allowed paths name something that exists (a typo would otherwise
// only show in the run's log, or leave a student without the editor the teacher meant).
void check_parameter_names(const Scenario& s, Errors& errors) {
  auto check_faults = [&](const char* list, const std::vector<FaultSpec>& faults) {
    for (size_t i = 0; i < faults.size(); ++i) {
      const std::string p = std::string("/") + list + "/" + std::to_string(i);
      std::string problem = check_fault_target(s, faults[i]);
      if (!problem.empty()) errors.push_back({p + "/target", problem});
      if (faults[i].kind != FaultKind::set) continue;
      PathResolution set = resolve_set_path(s, faults[i].path);
      if (!set.ok()) errors.push_back({p + "/path", set.error});
    }
  };
  check_faults("faults", s.faults);
  check_faults("interventions", s.interventions);
  std::vector<std::string> allowed = exercise_info(s).allowed;
  for (size_t i = 0; i < allowed.size(); ++i) {
    std::string problem = check_allowed_path(s, allowed[i]);
    if (!problem.empty()) errors.push_back({"/exercise/allowed/" + std::to_string(i), problem});
  }
}

// The calls a list of steps makes, at every nesting level, with the path of each call's "call" member.
void collect_calls(const Scenario& s, const std::vector<StepSpec>& steps, const std::string& path,
                   std::vector<std::pair<size_t, std::string>>& out) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const StepSpec& step = steps[i];
    const std::string p = path + "/" + std::to_string(i);
    if (step.kind == StepKind::call)
      for (size_t k = 0; k < s.services.size(); ++k)
        if (s.services[k].name == step.target) out.push_back({k, p + "/call"});
    collect_calls(s, step.on_miss, p + "/on_miss", out);
    collect_calls(s, step.inside, p + "/inside", out);
    for (size_t b = 0; b < step.branches.size(); ++b)
      collect_calls(s, step.branches[b], p + "/parallel/" + std::to_string(b), out);
  }
}

// Services' own steps form a call tree, never a cycle: a service that calls itself, directly or through others,
// would make every request an endless recursion. Depth-first over the call graph in service order; the message names
// the call that closes the cycle and the cycle itself.
void check_call_cycles(const Scenario& s, Errors& errors) {
  const size_t n = s.services.size();
  std::vector<std::vector<std::pair<size_t, std::string>>> calls(n);
  for (size_t i = 0; i < n; ++i)
    collect_calls(s, s.services[i].steps, "/services/" + std::to_string(i) + "/steps", calls[i]);
  enum : uint8_t { unvisited, on_path, done };
  std::vector<uint8_t> state(n, unvisited);
  std::vector<size_t> path;
  bool reported = false;
  auto visit = [&](auto& self, size_t v) -> void {
    state[v] = on_path;
    path.push_back(v);
    for (const auto& [target, where] : calls[v]) {
      if (reported) break;
      if (state[target] == on_path) {
        std::string cycle;
        for (size_t k = (size_t)(std::find(path.begin(), path.end(), target) - path.begin()); k < path.size(); ++k)
          cycle += s.services[path[k]].name + " -> ";
        errors.push_back({where, "calls \"" + s.services[target].name + "\", which makes a cycle (" + cycle +
                                     s.services[target].name + "); a service may not call itself, directly or "
                                     "through other services"});
        reported = true;
      } else if (state[target] == unvisited) {
        self(self, target);
      }
    }
    path.pop_back();
    state[v] = done;
  };
  for (size_t i = 0; i < n && !reported; ++i)
    if (state[i] == unvisited) visit(visit, i);
}

void check_references(const Scenario& s, Errors& errors) {
  check_unique_names(s, errors);
  for (size_t i = 0; i < s.services.size(); ++i)
    check_step_targets(s, s.services[i].steps, "/services/" + std::to_string(i) + "/steps", errors);
  if (errors.empty()) check_call_cycles(s, errors);
  for (size_t i = 0; i < s.requests.size(); ++i)
    check_step_targets(s, s.requests[i].steps, "/requests/" + std::to_string(i) + "/steps", errors);
  for (size_t i = 0; i < s.queues.size(); ++i)
    check_step_targets(s, s.queues[i].consumers.steps, "/queues/" + std::to_string(i) + "/consumers/steps", errors);
  for (size_t i = 0; i < s.workload.mix.size(); ++i)
    if (!s.workload.mix[i].request.empty() && !has_item(s.requests, s.workload.mix[i].request))
      errors.push_back({"/workload/mix/" + std::to_string(i) + "/request",
                        "names \"" + s.workload.mix[i].request + "\", which is not in /requests"});
  if (s.workload.rate_per_s > 0 && s.requests.empty() && !s.services.empty())
    errors.push_back({"/requests", "the workload sends requests, but no request type is defined"});
  check_parameter_names(s, errors);
}

// A translation translates texts the scenario has: no more goal labels than goals, no more hints than hints, and
// no name of a description or task that is not there (the page would have nothing to fall back to).
void check_translations(const Scenario& s, Errors& errors) {
  ExerciseInfo exercise = exercise_info(s);
  for (const auto& [tag, t] : s.i18n) {
    const std::string p = "/i18n/" + json_pointer_escape(tag);
    auto too_many = [&](const std::string& at, size_t count, size_t base, const char* what, const char* list) {
      if (count > base)
        errors.push_back({at, "has " + std::to_string(count) + " " + what + " but " + list + " has " +
                                  std::to_string(base) + "; a translation cannot have more than the scenario"});
    };
    too_many(p + "/goals", t.goals.size(), s.goals.size(), "goal labels", "/goals");
    too_many(p + "/exercise/hints", t.hints.size(), exercise.hints.size(), "hints", "/exercise/hints");
    if (!t.description.empty() && s.description.empty())
      errors.push_back({p + "/description", "translates a description, but the scenario has none"});
    if (!t.task.empty() && exercise.task.empty())
      errors.push_back({p + "/exercise/task", "translates a task, but /exercise has none"});
  }
}

// The document's version: required, a whole number, not newer than this program reads. False when refused.
bool check_version(ObjectReader& r, Errors& errors) {
  const json* version = r.get("version");
  if (!version) {
    errors.push_back({"/version", "is required (this program reads version 1)"});
    return false;
  }
  if (!version->is_number_integer()) {
    errors.push_back({"/version", "must be a whole number, got " + describe_json_value(*version)});
    return false;
  }
  int64_t v = version->get<int64_t>();
  if (v > scenario_version) {
    errors.push_back({"/version", "this scenario was made by a newer version of the playground (version " +
                                      std::to_string(v) + "; this one reads up to " +
                                      std::to_string(scenario_version) + ")"});
    return false;
  }
  if (v < 1) {
    errors.push_back({"/version", "must be 1, got " + std::to_string(v)});
    return false;
  }
  return true;
}

}  // namespace

ScenarioParse parse_scenario_json(const json& document) {
  ScenarioParse result;
  Errors& errors = result.errors;
  Scenario& s = result.scenario;
  try {
    if (json_depth(document) > limits::json_depth_max) {
      errors.push_back({"", "the document is nested deeper than " + std::to_string(limits::json_depth_max) +
                                " levels"});
      return result;
    }
    ObjectReader r(document, "", errors);
    if (!r.valid()) return result;
    if (!check_version(r, errors)) return result;
    read_fields(r, scenario_fields(), s, errors);
    if (const json* workload = r.get("workload")) {
      ObjectReader w(*workload, "/workload", errors);
      read_fields(w, workload_fields(), s.workload, errors);
      w.finish();
    }
    read_item_list(r, "requests", limits::requests_max, request_fields(), s.requests, errors);
    read_item_list(r, "services", limits::services_max, service_fields(), s.services, errors);
    read_item_list(r, "caches", limits::caches_max, cache_fields(), s.caches, errors, cache_rules);
    read_item_list(r, "locks", limits::locks_max, lock_fields(), s.locks, errors);
    read_item_list(r, "queues", limits::queues_max, queue_fields(), s.queues, errors, queue_rules);
    read_item_list(r, "faults", limits::faults_max, fault_fields(), s.faults, errors, fault_rules);
    read_item_list(r, "interventions", limits::faults_max, fault_fields(), s.interventions, errors, fault_rules);
    read_item_list(r, "goals", limits::goals_max, goal_fields(), s.goals, errors);
    if (const json* view = r.get("view")) {
      if (!view->is_object()) errors.push_back({"/view", "must be an object, got " + describe_json_value(*view)});
      else if (view->dump().size() > 65536) errors.push_back({"/view", "must be at most 64 KB"});
      else s.view = *view;
    }
    if (const json* exercise = r.get("exercise")) {
      if (!exercise->is_object())
        errors.push_back({"/exercise", "must be an object, got " + describe_json_value(*exercise)});
      else {
        validate_exercise(*exercise, errors);
        s.exercise = *exercise;
      }
    }
    r.finish();
    check_translations(s, errors);
    if (errors.empty()) check_references(s, errors);
    if (errors.empty()) {
      s.workload.rate_per_s = s.workload.rate_per_s;
      for (ServiceSpec& service : s.services) {
        service.service_time.prepare();
        service.network.prepare();
      }
      for (CacheSpec& cache : s.caches) cache.service_time.prepare();
      check_cost(s, errors);   // what the scenario can hold at once (engine/scenario/cost.hpp)
    }
  } catch (const std::exception& e) {
    // The reader checks types before every get<>(); this is the last line of defence, not the normal path.
    errors.push_back({"", std::string("could not read the document: ") + e.what()});
  }
  return result;
}

ScenarioParse parse_scenario(std::string_view text) {
  ScenarioParse result;
  if (text.size() > limits::document_bytes_max) {
    result.errors.push_back({"", "the document is " + std::to_string(text.size()) + " bytes; the limit is " +
                                     std::to_string(limits::document_bytes_max)});
    return result;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    result.errors.push_back({"", "the document is empty"});
    return result;
  }
  // Depth is limited before parsing too: nlohmann's parser recurses, so a hostile "[[[[..." must not reach it.
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  if (deepest > limits::json_depth_max) {
    result.errors.push_back({"", "the document is nested deeper than " + std::to_string(limits::json_depth_max) +
                                     " levels"});
    return result;
  }
  // Syntax errors with line, column and reason, and duplicate keys with their paths (engine/scenario/json_text.hpp).
  result.errors = check_json_text(text);
  if (!result.errors.empty()) return result;
  json document = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    result.errors.push_back({"", "not valid JSON"});
    return result;
  }
  return parse_scenario_json(document);
}

}  // namespace pg
