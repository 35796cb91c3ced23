// Canonical serialisation of a scenario: keys in sorted order (nlohmann::json objects are sorted maps), fields
// equal to their defaults omitted, so links and files stay small and diffs readable. parse(write(s)) == s.
// Every field is written by its row in engine/scenario/scenario_fields.cpp.
#include "engine/scenario/scenario.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {
json scenario_to_json(const Scenario& s) {
  json out = json::object();
  out["version"] = s.version;
  write_fields(out, scenario_fields(), s);
  json workload = json::object();
  write_fields(workload, workload_fields(), s.workload);
  out["workload"] = workload;
  write_item_list(out, "requests", s.requests, request_fields());
  write_item_list(out, "services", s.services, service_fields());
  write_item_list(out, "caches", s.caches, cache_fields());
  write_item_list(out, "locks", s.locks, lock_fields());
  write_item_list(out, "queues", s.queues, queue_fields());
  write_item_list(out, "faults", s.faults, fault_fields());
  write_item_list(out, "interventions", s.interventions, fault_fields());
  write_item_list(out, "goals", s.goals, goal_fields());
  if (!s.view.empty()) out["view"] = s.view;
  if (!s.exercise.is_null()) out["exercise"] = s.exercise;
  return out;
}

std::string scenario_to_text(const Scenario& scenario, int indent) {
  return scenario_to_json(scenario).dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace pg
