// The scenario's JSON Schema: see schema.hpp. Parameters come from their rows; this file adds only the structure
// the rows do not hold (the lists of items, the step variants, the rules between a fault's fields).
#include "engine/scenario/schema.hpp"

#include "engine/scenario/scenario_fields.hpp"

namespace pg {
namespace {

json list_of(const char* def, size_t max_items, const char* description = nullptr) {
  json out = {{"type", "array"}, {"maxItems", max_items}, {"items", {{"$ref", std::string("#/$defs/") + def}}}};
  if (description) out["description"] = description;
  return out;
}

json described(json schema, const char* description) {
  schema["description"] = description;
  return schema;
}

// One variant of a step: exactly the key that names its kind, plus its nested lists.
json step_variant(const char* key, json target, const char* description, const char* nested = nullptr,
                  const char* nested_description = nullptr) {
  json properties = {{key, described(std::move(target), description)}};
  if (nested) properties[nested] = {{"$ref", "#/$defs/steps"}, {"description", nested_description}};
  return {{"type", "object"}, {"properties", properties}, {"required", {key}}, {"additionalProperties", false}};
}

json step_schema() {
  json name = {{"$ref", "#/$defs/name"}};
  json branches = {{"type", "array"}, {"minItems", 1}, {"maxItems", 8}, {"items", {{"$ref", "#/$defs/steps"}}}};
  return {{"description", "One step of a request: exactly one of call, cache, lock, publish, parallel."},
          {"oneOf",
           {step_variant("call", name,
                         "Queue the request at an instance of this service and hold a worker for a sampled service "
                         "time."),
            step_variant("cache", name, "Look the request's key up in this cache.", "on_miss",
                         "Run on a miss, then store the key."),
            step_variant("lock", name,
                         "Acquire this lock for the request's key, run inside, decrement the key's stock, release.",
                         "inside", "Run while holding the lock."),
            step_variant("publish", name, "Put a message on this queue and move on."),
            step_variant("parallel", branches, "Lists of steps run at the same time; the step ends when all have.")}}};
}

// The rules between a fault's fields that the reader checks after reading them (fault_rules in scenario.cpp).
json fault_schema() {
  json out = object_schema(fault_fields());
  out["description"] = "A fault or an intervention (one shape).";
  auto kind_is = [](json kinds) {
    return json{{"properties", {{"kind", kinds.is_array() ? json{{"enum", kinds}} : json{{"const", kinds}}}}},
                {"required", {"kind"}}};
  };
  out["allOf"] = {
      {{"not", {{"required", {"for_s", "for_ms"}}}}},
      {{"if", kind_is({"crash", "pause", "slow", "clock_drift", "add_node", "remove_node"})},
       {"then", {{"required", {"target"}}, {"properties", {{"target", {{"minLength", 1}}}}}}}},
      {{"if", kind_is("pause")},
       {"then",
        {{"anyOf",
          {{{"required", {"for_ms"}}, {"properties", {{"for_ms", {{"exclusiveMinimum", 0}}}}}},
           {{"required", {"for_s"}}, {"properties", {{"for_s", {{"exclusiveMinimum", 0}}}}}}}}}}},
      {{"if", kind_is("set")}, {"then", {{"required", {"path"}}, {"properties", {{"path", {{"minLength", 1}}}}}}}},
      {{"if", kind_is({"add_node", "remove_node"})},
       {"then", {{"required", {"node"}}, {"properties", {{"node", {{"minLength", 1}}}}}}}},
  };
  return out;
}

// The rules between a distribution's fields that read_distribution checks (and the schema can say).
json distribution_schema() {
  json out = described(object_schema(distribution_fields()),
                       "A duration distribution; samples are rounded to whole nanoseconds.");
  out["allOf"] = {
      {{"if", {{"properties", {{"dist", {{"enum", {"lognormal", "pareto"}}}}}}, {"required", {"dist"}}}},
       {"then", {{"properties", {{"mean_ms", {{"exclusiveMinimum", 0}}}}}}}},
      {{"if", {{"properties", {{"dist", {{"const", "empirical"}}}}}, {"required", {"dist"}}}},
       {"then", {{"required", {"values_ms"}}, {"properties", {{"values_ms", {{"minItems", 1}}}}}}}},
  };
  return out;
}

}  // namespace

json scenario_schema() {
  json top = object_schema(scenario_fields());
  json& p = top["properties"];
  p["version"] = {{"type", "integer"},
                  {"const", scenario_version},
                  {"description", "Required. A newer version is refused with a message saying so."}};
  p["workload"] = {{"$ref", "#/$defs/workload"}};
  p["requests"] = list_of("request", limits::requests_max);
  p["services"] = list_of("service", limits::services_max);
  p["caches"] = list_of("cache", limits::caches_max);
  p["locks"] = list_of("lock", limits::locks_max);
  p["queues"] = list_of("queue", limits::queues_max);
  p["faults"] = list_of("fault", limits::faults_max, "Scheduled faults.");
  p["interventions"] =
      list_of("fault", limits::faults_max, "What a person did during a run in the app (same shape as faults).");
  p["goals"] = list_of("goal", limits::goals_max, "Each compares one metric of the final report with a value.");
  p["view"] = {{"type", "object"},
               {"description", "The app's view state (at most 64 KB of JSON, checked by the engine)."}};
  p["exercise"] = {{"type", "object"},
                   {"description", "A classroom exercise (task, allowed paths, hints); allowed paths must name "
                                   "parameters of the scenario (checked by the engine)."}};
  top["required"] = {"version"};

  json defs = json::object();
  defs["name"] = {{"type", "string"},
                  {"minLength", 1},
                  {"maxLength", limits::name_length_max},
                  {"description", "A name, 1 to 64 bytes of UTF-8 (the engine counts bytes; this schema counts "
                                  "characters, the same for ASCII)."}};
  defs["distribution"] = distribution_schema();
  defs["steps"] = {{"type", "array"},
                   {"maxItems", limits::steps_max},
                   {"items", {{"$ref", "#/$defs/step"}}},
                   {"description", "A list of steps, walked in order. Nesting (on_miss, inside, parallel) is limited "
                                   "to 8 levels (checked by the engine)."}};
  defs["step"] = step_schema();
  defs["rate_point"] = object_schema(rate_point_fields());
  defs["workload"] =
      described(object_schema(workload_fields()), "What arrives: how often, with which keys, of which request types.");
  defs["request"] = described(object_schema(request_fields()), "A request type and the steps it walks.");
  defs["service"] = described(object_schema(service_fields()), "A service: instances behind a balancer.");
  defs["cache"] = described(object_schema(cache_fields()), "A cache cluster: nodes on a placement.");
  defs["lock"] = described(object_schema(lock_fields()), "A lock guarding per-key stock.");
  defs["queue"] = described(object_schema(queue_fields()), "A message queue and its consumer group.");
  defs["fault"] = fault_schema();
  defs["goal"] = described(object_schema(goal_fields()), "A goal: one metric of the final report against a value.");
  defs["translation"] = described(object_schema(translation_fields()),
                                  "A scenario's texts in one language. No more goal labels than /goals and no more "
                                  "hints than /exercise/hints, and no description or task the scenario lacks "
                                  "(checked by the engine).");

  json out = {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
              {"$id", "https://playground.invalid/schema/scenario.schema.json"},
              {"title", "Playground scenario, version 1"},
              {"$comment", "Generated by `playground-cli schema` from the field tables in "
                           "engine/scenario/scenario_fields.cpp; do not edit by hand (a test checks that this file equals "
                           "the command's output)."}};
  out["description"] =
      "A scenario of the e-commerce architecture playground. Unknown fields are errors everywhere. Rules this "
      "schema does not express and the engine checks: the document is at most 1 MiB and nested at most 64 levels; "
      "names are unique per kind; steps, mix entries and consumers name things that exist; fault targets, set paths "
      "and an exercise's allowed paths name things that exist; steps nest at most 8 levels; schedule points are in "
      "order; uniform max_ms >= min_ms; empirical weights match values_ms and are not all zero; cache weights match "
      "nodes; a workload with a rate needs a request type when there are services; view is at most 64 KB; a "
      "translation in i18n has no more goal labels or hints than the scenario has goals and hints.";
  for (auto it = top.begin(); it != top.end(); ++it) out[it.key()] = it.value();
  out["$defs"] = defs;
  return out;
}

}  // namespace pg
