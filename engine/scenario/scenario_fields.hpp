// The field tables of the scenario document: one row per parameter of each spec struct (engine/scenario/field.hpp says what
// a row holds and what is derived from it). The rows are in reading order; the writer's output order is canonical
// whatever the row order, because JSON objects are sorted maps.
#pragma once
#include "engine/scenario/field.hpp"
#include "engine/scenario/scenario.hpp"

namespace pg {

// Word lists, one per enumeration of the document (the writer, the schema, the page and the models use these).
extern const WordList balancer_words, jitter_words, arrival_process_words, key_popularity_words, distribution_words,
    fault_kind_words, step_kind_words, placement_algorithm_words, placement_hash_words, lock_kind_words,
    lock_release_words, lock_recipe_words, queue_kind_words, queue_on_full_words, consumer_ack_words, goal_op_words,
    queue_partitioner_words, queue_rebalance_words, consumer_preset_words;

const FieldTable<Scenario>& scenario_fields();       // top-level scalars: name, description, seed, duration ...
const FieldTable<WorkloadSpec>& workload_fields();
const FieldTable<RatePoint>& rate_point_fields();
const FieldTable<MixEntry>& mix_fields();
const FieldTable<RequestSpec>& request_fields();
const FieldTable<ServiceSpec>& service_fields();
const FieldTable<CacheSpec>& cache_fields();
const FieldTable<LockSpec>& lock_fields();
const FieldTable<QueueSpec>& queue_fields();
const FieldTable<FaultSpec>& fault_fields();
const FieldTable<GoalSpec>& goal_fields();
const FieldTable<Distribution>& distribution_fields();
const FieldTable<ScenarioTranslation>& translation_fields();   // one language of /i18n
const FieldTable<GoalTranslation>& goal_translation_fields();

// A language tag of the simple BCP 47 shape /i18n accepts: "en", "zh-CN", "zh-Hans", "zh-Hans-CN", "es-419".
bool is_language_tag(std::string_view tag);

// Step lists (requests, on_miss, inside, parallel branches, consumers) and distributions: read with their rules.
void read_steps(const json& value, const std::string& path, std::vector<StepSpec>& out, int depth, Errors& errors);
void read_distribution(const json& value, const std::string& path, Distribution& out, Errors& errors);
json write_steps(const std::vector<StepSpec>& steps);
json write_distribution(const Distribution& d);

}  // namespace pg
