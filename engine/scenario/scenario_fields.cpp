// The scenario's field tables (see scenario_fields.hpp and field.hpp), and the structured members that rows of
// type `custom` read, write and describe: step lists, distributions, node lists, the rate schedule, the mix.
#include "engine/scenario/scenario_fields.hpp"

namespace pg {

// ---- word lists ------------------------------------------------------------------------------------------------

namespace {
const char* const balancer_list[] = {"round_robin", "random", "least_connections", "power_of_two", "key_hash"};
const char* const jitter_list[] = {"none", "full", "equal"};
const char* const arrival_process_list[] = {"poisson", "constant"};
const char* const key_popularity_list[] = {"uniform", "zipf"};
const char* const distribution_list[] = {"constant", "uniform", "exponential", "lognormal", "pareto", "empirical"};
const char* const fault_kind_list[] = {"crash",    "pause",      "slow",        "partition",
                                       "clock_drift", "add_node", "remove_node", "set"};
const char* const step_kind_list[] = {"call", "cache", "lock", "publish", "parallel"};
const char* const placement_algorithm_list[] = {"modulo", "ring", "jump", "rendezvous", "maglev", "bounded"};
const char* const placement_hash_list[] = {"ketama", "fast"};
const char* const lock_kind_list[] = {"none", "redis", "redlock", "zookeeper", "atomic"};
const char* const lock_release_list[] = {"compare_and_delete", "del"};
const char* const lock_recipe_list[] = {"predecessor", "herd"};
const char* const queue_kind_list[] = {"sqs", "log", "amqp"};
const char* const queue_on_full_list[] = {"reject", "drop", "block"};
const char* const consumer_ack_list[] = {"after_processing", "before_processing"};
const char* const queue_partitioner_list[] = {"splitmix64", "murmur2"};
const char* const queue_rebalance_list[] = {"eager", "cooperative"};
const char* const consumer_preset_list[] = {"none", "celery"};
const char* const goal_op_list[] = {"<", "<=", "==", ">=", ">", "!="};
}  // namespace

const WordList balancer_words = words_of(balancer_list), jitter_words = words_of(jitter_list),
               arrival_process_words = words_of(arrival_process_list),
               key_popularity_words = words_of(key_popularity_list), distribution_words = words_of(distribution_list),
               fault_kind_words = words_of(fault_kind_list), step_kind_words = words_of(step_kind_list),
               placement_algorithm_words = words_of(placement_algorithm_list),
               placement_hash_words = words_of(placement_hash_list), lock_kind_words = words_of(lock_kind_list),
               lock_release_words = words_of(lock_release_list), lock_recipe_words = words_of(lock_recipe_list),
               queue_kind_words = words_of(queue_kind_list),
               queue_on_full_words = words_of(queue_on_full_list), consumer_ack_words = words_of(consumer_ack_list),
               goal_op_words = words_of(goal_op_list), queue_partitioner_words = words_of(queue_partitioner_list),
               queue_rebalance_words = words_of(queue_rebalance_list),
               consumer_preset_words = words_of(consumer_preset_list);

// ---- structured members ------------------------------------------------------------------------------------------

namespace {

// A list of numbers each in [min, max], appended to out; errors name the item.
void read_number_list(ObjectReader& r, const char* key, size_t max_items, double min, double max, const char* range,
                      std::vector<double>& out) {
  if (const json* values = r.array(key, max_items))
    for (size_t i = 0; i < values->size(); ++i) {
      const json& v = (*values)[i];
      if (!v.is_number() || v.get<double>() < min || v.get<double>() > max)
        r.error(r.child(key) + "/" + std::to_string(i),
                std::string("must be a number between ") + range + ", got " + describe_json_value(v));
      else out.push_back(v.get<double>());
    }
}

// A list of names (1 to 64 bytes), appended to out; `what` says what an item is in the message.
const json* read_name_list(ObjectReader& r, const char* key, size_t max_items, const char* what,
                           std::vector<std::string>& out) {
  const json* names = r.array(key, max_items);
  if (names)
    for (size_t i = 0; i < names->size(); ++i) {
      const json& n = (*names)[i];
      if (!n.is_string() || n.get_ref<const std::string&>().empty() ||
          n.get_ref<const std::string&>().size() > limits::name_length_max)
        r.error(r.child(key) + "/" + std::to_string(i), std::string("must be ") + what + ", got " +
                                                            describe_json_value(n));
      else out.push_back(n.get<std::string>());
    }
  return names;
}

json name_array_schema(size_t max_items) {
  return {{"type", "array"}, {"maxItems", max_items}, {"items", {{"$ref", "#/$defs/name"}}}};
}
json steps_schema() { return {{"$ref", "#/$defs/steps"}}; }
json distribution_schema() { return {{"$ref", "#/$defs/distribution"}}; }

template <class Spec, std::vector<StepSpec> Spec::*member>
void read_steps_member(ObjectReader& r, const char* key, Spec& spec, Errors& errors) {
  if (const json* steps = r.get(key)) read_steps(*steps, r.child(key), spec.*member, 1, errors);
}
template <class Spec, Distribution Spec::*member>
void read_distribution_member(ObjectReader& r, const char* key, Spec& spec, Errors& errors) {
  if (const json* value = r.get(key)) read_distribution(*value, r.child(key), spec.*member, errors);
}
template <class Spec, Distribution Spec::*member>
void write_distribution_member(json& out, const char* key, const Spec& spec) {
  static const Spec defaults{};
  json written = write_distribution(spec.*member);
  if (written != write_distribution(defaults.*member)) out[key] = written;
}

}  // namespace

// ---- translations (i18n) -----------------------------------------------------------------------------------------

namespace {

bool ascii_letters(std::string_view s, bool upper) {
  for (char c : s)
    if (upper ? (c < 'A' || c > 'Z') : (c < 'a' || c > 'z')) return false;
  return true;
}
bool ascii_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}
char to_lower(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }
char to_upper(char c) { return c >= 'a' && c <= 'z' ? char(c - 'a' + 'A') : c; }

// The tag in its usual spelling: "_" as "-", the language in lower case, a script capitalised, a region in upper
// case ("zh_cn" -> "zh-CN", "ZH-hans" -> "zh-Hans"). Only a suggestion for a message; tags are matched exactly.
std::string usual_language_tag(std::string_view tag) {
  std::string out;
  size_t part = 0, start = 0;
  for (size_t i = 0; i <= tag.size(); ++i) {
    if (i < tag.size() && tag[i] != '-' && tag[i] != '_') continue;
    std::string_view sub = tag.substr(start, i - start);
    if (part++ > 0) out += '-';
    for (size_t k = 0; k < sub.size(); ++k)
      out += part == 1 ? to_lower(sub[k]) : sub.size() == 4 && k > 0 ? to_lower(sub[k]) : to_upper(sub[k]);
    start = i + 1;
  }
  return out;
}

}  // namespace

bool is_language_tag(std::string_view tag) {
  size_t dash = tag.find('-');
  std::string_view language = tag.substr(0, dash);
  if (language.size() < 2 || language.size() > 3 || !ascii_letters(language, false)) return false;
  bool script_allowed = true;
  while (dash != std::string_view::npos) {
    tag = tag.substr(dash + 1);
    dash = tag.find('-');
    std::string_view sub = tag.substr(0, dash);
    if (script_allowed && sub.size() == 4 && ascii_letters(sub.substr(0, 1), true) &&
        ascii_letters(sub.substr(1), false)) {
      script_allowed = false;
      continue;
    }
    bool region = (sub.size() == 2 && ascii_letters(sub, true)) || (sub.size() == 3 && ascii_digits(sub));
    if (!region || dash != std::string_view::npos) return false;   // the region, if any, comes last
  }
  return true;
}

const FieldTable<GoalTranslation>& goal_translation_fields() {
  using G = GoalTranslation;
  static const FieldTable<G> table = {
      field<G>("label", PG_MEMBER(G, label),
               {.help = "The goal's label in this language; empty: the base label.", .max_length = 256}),
  };
  return table;
}

namespace {

void read_translated_hints(ObjectReader& r, const char* key, ScenarioTranslation& t, Errors&) {
  if (const json* hints = r.array(key, limits::hints_max))
    for (size_t i = 0; i < hints->size(); ++i) {
      const json& h = (*hints)[i];
      if (!h.is_string() || h.get_ref<const std::string&>().size() > limits::text_length_max)
        r.error(r.child(key) + "/" + std::to_string(i), "must be a string of at most " +
                                                            std::to_string(limits::text_length_max) +
                                                            " bytes, got " + describe_json_value(h));
      else t.hints.push_back(h.get<std::string>());
    }
}
void write_translated_hints(json& out, const char* key, const ScenarioTranslation& t) {
  if (!t.hints.empty()) out[key] = t.hints;
}
json translated_hints_schema() {
  return {{"type", "array"},
          {"maxItems", limits::hints_max},
          {"items", {{"type", "string"}, {"maxLength", limits::text_length_max}}}};
}

void read_translated_goals(ObjectReader& r, const char* key, ScenarioTranslation& t, Errors& errors) {
  read_item_list(r, key, limits::goals_max, goal_translation_fields(), t.goals, errors);
}
void write_translated_goals(json& out, const char* key, const ScenarioTranslation& t) {
  write_item_list(out, key, t.goals, goal_translation_fields());
}
json translated_goals_schema() {
  return {{"type", "array"},
          {"maxItems", limits::goals_max},
          {"items", object_schema(goal_translation_fields())}};
}

}  // namespace

const FieldTable<ScenarioTranslation>& translation_fields() {
  using T = ScenarioTranslation;
  static const FieldTable<T> table = {
      field<T>("name", PG_MEMBER(T, name),
               {.help = "The scenario's title in this language.", .max_length = limits::name_length_max * 2}),
      field<T>("description", PG_MEMBER(T, description),
               {.help = "The description in this language.", .max_length = limits::text_length_max}),
      field<T>("exercise/task", PG_MEMBER(T, task),
               {.help = "The exercise's task in this language.", .max_length = limits::text_length_max}),
      custom_field<T>("exercise/hints", read_translated_hints, write_translated_hints, translated_hints_schema,
                      {.help = "The hints in this language, in the order of /exercise/hints (no more of them); an "
                               "empty one shows the base hint."}),
      custom_field<T>("goals", read_translated_goals, write_translated_goals, translated_goals_schema,
                      {.help = "Goal labels in this language, in the order of /goals (no more of them)."}),
  };
  return table;
}

namespace {

void read_translations(ObjectReader& r, const char* key, Scenario& s, Errors& errors) {
  const json* languages = r.object(key);
  if (!languages) return;
  if (languages->size() > limits::languages_max) {
    r.error(r.child(key), "has " + std::to_string(languages->size()) + " languages; the limit is " +
                              std::to_string(limits::languages_max));
    return;
  }
  for (auto it = languages->begin(); it != languages->end(); ++it) {
    const std::string path = r.child(key) + "/" + json_pointer_escape(it.key());
    if (!is_language_tag(it.key())) {
      std::string message = "is not a language tag such as \"zh-CN\", \"zh-Hans\" or \"en\" (a language in lower "
                            "case, then optionally a script such as \"Hans\" and a region such as \"CN\")";
      std::string usual = usual_language_tag(it.key());
      if (is_language_tag(usual)) message += "; did you mean \"" + usual + "\"?";
      r.error(path, message);
      continue;
    }
    ObjectReader t(it.value(), path, errors);
    if (!t.valid()) continue;
    read_fields(t, translation_fields(), s.i18n[it.key()], errors);
    t.finish();
  }
}
void write_translations(json& out, const char* key, const Scenario& s) {
  if (s.i18n.empty()) return;   // absent: the canonical text (and so every link) of a scenario without it is unchanged
  json languages = json::object();
  for (const auto& [tag, translation] : s.i18n) {
    json texts = json::object();
    write_fields(texts, translation_fields(), translation);
    languages[tag] = texts;
  }
  out[key] = languages;
}
json translations_schema() {
  return {{"type", "object"},
          {"maxProperties", limits::languages_max},
          {"propertyNames", {{"pattern", "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$"}}},
          {"additionalProperties", {{"$ref", "#/$defs/translation"}}}};
}

}  // namespace

// ---- top level ---------------------------------------------------------------------------------------------------

const FieldTable<Scenario>& scenario_fields() {
  using S = Scenario;
  static const FieldTable<S> table = {
      field<S>("name", PG_MEMBER(S, name),
               {.help = "The scenario's title.", .write = Write::always, .max_length = limits::name_length_max * 2}),
      field<S>("description", PG_MEMBER(S, description),
               {.help = "Plain text shown in the scenario panel.", .max_length = limits::text_length_max}),
      field<S>("seed", PG_MEMBER(S, seed),
               {.help = "Owns all randomness: the same seed gives the same run.", .write = Write::always}),
      field<S>("duration_s", PG_MEMBER(S, duration_s),
               {.min = 0.001, .max = limits::duration_s_max, .unit = "s", .help = "Simulated seconds.",
                .write = Write::always, .label = "Duration"}),
      field<S>("sample_interval_ms", PG_MEMBER(S, sample_interval_ms),
               {.min = 10, .max = 600000, .unit = "ms", .help = "Time series sampling interval."}),
      custom_field<S>("i18n", read_translations, write_translations, translations_schema,
                      {.help = "The texts in other languages, by language tag (\"zh-CN\"): name, description, "
                               "exercise task and hints, goal labels. Absent or empty texts show the base text; "
                               "none of it changes the run."}),
  };
  return table;
}

// ---- workload ----------------------------------------------------------------------------------------------------

const FieldTable<RatePoint>& rate_point_fields() {
  using P = RatePoint;
  static const FieldTable<P> table = {
      field<P>("at_s", PG_MEMBER(P, at_s),
               {.min = 0, .max = limits::duration_s_max, .unit = "s", .help = "From this simulated second on ...",
                .write = Write::always, .required = true}),
      field<P>("rate_per_s", PG_MEMBER(P, rate_per_s),
               {.min = 0, .max = limits::rate_per_s_max, .unit = "per s", .help = "... the arrival rate is this.",
                .write = Write::always, .required = true}),
  };
  return table;
}

const FieldTable<MixEntry>& mix_fields() {
  using M = MixEntry;
  static const FieldTable<M> table = {
      field<M>("request", PG_MEMBER(M, request),
               {.help = "A request name from /requests.", .write = Write::always, .required = true,
                .max_length = limits::name_length_max}),
      field<M>("weight", PG_MEMBER(M, weight), {.min = 0, .max = 1e6, .write = Write::always}),
  };
  return table;
}

namespace {

void read_schedule(ObjectReader& r, const char* key, WorkloadSpec& w, Errors& errors) {
  read_item_list(r, key, limits::schedule_max, rate_point_fields(), w.schedule, errors);
  for (size_t i = 1; i < w.schedule.size(); ++i)
    if (w.schedule[i].at_s < w.schedule[i - 1].at_s)
      r.error(r.child(key) + "/" + std::to_string(i) + "/at_s", "must not be earlier than the previous point's at_s");
}
void write_schedule(json& out, const char* key, const WorkloadSpec& w) {
  write_item_list(out, key, w.schedule, rate_point_fields());
}
json schedule_schema() {
  return {{"type", "array"}, {"maxItems", limits::schedule_max}, {"items", {{"$ref", "#/$defs/rate_point"}}}};
}

void read_mix(ObjectReader& r, const char* key, WorkloadSpec& w, Errors& errors) {
  read_item_list(r, key, limits::mix_max, mix_fields(), w.mix, errors);
}
void write_mix(json& out, const char* key, const WorkloadSpec& w) { write_item_list(out, key, w.mix, mix_fields()); }
json mix_schema() {
  return {{"type", "array"}, {"maxItems", limits::mix_max}, {"items", object_schema(mix_fields())}};
}

}  // namespace

const FieldTable<WorkloadSpec>& workload_fields() {
  using W = WorkloadSpec;
  static const FieldTable<W> table = {
      field<W>("arrivals/process", PG_MEMBER(W, process),
               {.help = "Poisson arrivals (exponential gaps) or evenly spaced ones.", .words = arrival_process_words}),
      field<W>("arrivals/rate_per_s", PG_MEMBER(W, rate_per_s),
               {.min = 0, .max = limits::rate_per_s_max, .unit = "per s",
                .help = "Requests per second at the start (the schedule may change it later).", .settable = true,
                .write = Write::always, .alias = "rate_per_s", .label = "Rate"}),
      custom_field<W>("arrivals/schedule", read_schedule, write_schedule, schedule_schema,
                      {.help = "Rate changes, in order of at_s (each at_s not earlier than the previous one; checked "
                               "by the engine)."}),
      field<W>("keys/count", PG_MEMBER(W, key_count),
               {.min = 1, .max = limits::keys_max, .unit = "keys",
                .help = "How many distinct keys (products) requests use.", .write = Write::always}),
      field<W>("keys/popularity", PG_MEMBER(W, popularity),
               {.help = "Every key equally likely, or a few hot keys (Zipf).", .write = Write::always,
                .words = key_popularity_words}),
      // Written exactly when the popularity is zipf, whatever its value.
      written_when(field<W>("keys/zipf_exponent", PG_MEMBER(W, zipf_exponent),
                            {.min = 0, .max = 4,
                             .help = "zipf: P(rank k) is proportional to 1 / (k+1)^exponent; 0 is uniform."}),
                   +[](const W& w) { return w.popularity == KeyPopularity::zipf; }),
      custom_field<W>("mix", read_mix, write_mix, mix_schema,
                      {.help = "Relative weights of the request types; absent means every request type with equal "
                               "weight."}),
  };
  return table;
}

// ---- requests ----------------------------------------------------------------------------------------------------

namespace {
void write_request_steps(json& out, const char* key, const RequestSpec& r) { out[key] = write_steps(r.steps); }
// Absent when empty, so a service written before call trees existed keeps its canonical text.
void write_service_steps(json& out, const char* key, const ServiceSpec& v) {
  if (!v.steps.empty()) out[key] = write_steps(v.steps);
}
}  // namespace

const FieldTable<RequestSpec>& request_fields() {
  using R = RequestSpec;
  static const FieldTable<R> table = {
      field<R>("name", PG_MEMBER(R, name),
               {.write = Write::always, .required = true, .max_length = limits::name_length_max}),
      custom_field<R>("steps", read_steps_member<R, &R::steps>, write_request_steps, steps_schema,
                      {.help = "The steps a request of this type walks, in order.", .required = true}),
      field<R>("deadline_ms", PG_MEMBER(R, deadline_ms),
               {.min = 0, .max = limits::time_ms_max, .unit = "ms",
                .help = "Time from arrival after which the request has failed; carried down the call tree, so a "
                        "caller stops waiting and a server skips a call whose deadline has passed. 0 means none.",
                .label = "Deadline"}),
  };
  return table;
}

// ---- services ----------------------------------------------------------------------------------------------------

const FieldTable<ServiceSpec>& service_fields() {
  using V = ServiceSpec;
  static const FieldTable<V> table = {
      field<V>("name", PG_MEMBER(V, name),
               {.write = Write::always, .required = true, .max_length = limits::name_length_max}),
      field<V>("instances", PG_MEMBER(V, instances),
               {.min = 1, .max = limits::instances_max, .help = "Copies of the service behind its balancer."}),
      field<V>("workers", PG_MEMBER(V, workers),
               {.min = 1, .max = limits::workers_max,
                .help = "Requests one instance serves at the same time (threads).", .settable = true}),
      field<V>("queue_max", PG_MEMBER(V, queue_max),
               {.min = 0, .max = limits::queue_max_max,
                .help = "Waiting line per instance; a request arriving at a full line is rejected at once.",
                .settable = true, .label = "Line max"}),
      custom_field<V>("service_time", read_distribution_member<V, &V::service_time>,
                      write_distribution_member<V, &V::service_time>, distribution_schema,
                      {.help = "Default: exponential with mean_ms 10."}),
      field<V>("balancer", PG_MEMBER(V, balancer),
               {.help = "How a call picks an instance: round robin, random, least connections, the better of two "
                        "random choices, or a hash of the request's key.",
                .words = balancer_words}),
      field<V>("timeout_ms", PG_MEMBER(V, timeout_ms),
               {.min = 0, .max = limits::time_ms_max, .unit = "ms",
                .help = "Per call attempt; 0 means no timeout. The callee keeps working after its caller gave up.",
                .settable = true, .label = "Timeout"}),
      field<V>("health_check_ms", PG_MEMBER(V, health_check_ms),
               {.min = 0, .max = 600000, .unit = "ms",
                .help = "How long a crashed instance keeps receiving calls (refused at once) before the balancer's "
                        "health check notices it."}),
      field<V>("retries/max", PG_MEMBER(V, retries.max),
               {.min = 0, .max = 10, .help = "Retries after the first attempt, with exponential backoff and jitter.",
                .settable = true, .label = "Retries"}),
      field<V>("retries/backoff_ms", PG_MEMBER(V, retries.backoff_ms),
               {.min = 0, .max = 60000, .unit = "ms",
                .help = "Base backoff: attempt k waits backoff_ms * 2^(k-1), capped, then jittered.",
                .label = "Retry backoff"}),
      field<V>("retries/backoff_max_ms", PG_MEMBER(V, retries.backoff_max_ms),
               {.min = 0, .max = 600000, .unit = "ms", .help = "Cap of the backoff."}),
      field<V>("retries/jitter", PG_MEMBER(V, retries.jitter),
               {.help = "Randomises each backoff: none, full (0 to the backoff) or equal (half fixed, half random).",
                .words = jitter_words}),
      field<V>("retry_budget/ratio", PG_MEMBER(V, retry_budget.ratio),
               {.min = 0, .max = 10,
                .help = "Retry budget: each first attempt of a call to this service earns this many retries (0.1: "
                        "retries add at most 10% to the calls); a retry without budget is not made. 0 means no "
                        "budget.",
                .settable = true, .label = "Retry budget"}),
      field<V>("retry_budget/min_per_s", PG_MEMBER(V, retry_budget.min_per_s),
               {.min = 0, .max = 100000, .unit = "per s",
                .help = "Retry budget: retries allowed per second whatever the traffic (kept up to 10 s worth).",
                .label = "Retry reserve"}),
      field<V>("circuit_breaker/failure_rate", PG_MEMBER(V, circuit_breaker.failure_rate),
               {.min = 0, .max = 1,
                .help = "Circuit breaker, one per caller: opens when at least this share of the calls in its window "
                        "failed; while open, calls fail at once without being sent. 0 means no breaker.",
                .settable = true, .label = "Breaker failure rate"}),
      field<V>("circuit_breaker/window_s", PG_MEMBER(V, circuit_breaker.window_s),
               {.min = 0.01, .max = 3600, .unit = "s",
                .help = "Circuit breaker: the sliding window of call outcomes it judges by.",
                .label = "Breaker window"}),
      field<V>("circuit_breaker/min_calls", PG_MEMBER(V, circuit_breaker.min_calls),
               {.min = 1, .max = 100000, .help = "Circuit breaker: with fewer calls in the window it never opens.",
                .label = "Breaker minimum calls"}),
      field<V>("circuit_breaker/open_ms", PG_MEMBER(V, circuit_breaker.open_ms),
               {.min = 0, .max = limits::time_ms_max, .unit = "ms",
                .help = "Circuit breaker: how long it stays open before letting probe calls through (half-open).",
                .settable = true, .label = "Breaker open time"}),
      field<V>("circuit_breaker/half_open_calls", PG_MEMBER(V, circuit_breaker.half_open_calls),
               {.min = 1, .max = 1000,
                .help = "Circuit breaker: probe calls let through when half-open; it closes when fewer than the "
                        "failure rate of them fail, and opens again otherwise.",
                .label = "Breaker probes"}),
      field<V>("hedge/after_ms", PG_MEMBER(V, hedge_after_ms),
               {.min = 0, .max = limits::time_ms_max, .unit = "ms",
                .help = "Hedged requests: an attempt with no answer after this long gets a second one, usually on "
                        "another instance; the first answer wins and the other is wasted work. 0 means no hedging.",
                .settable = true, .label = "Hedge after"}),
      field<V>("rate_limit/per_s", PG_MEMBER(V, rate_limit_per_s),
               {.min = 0, .max = limits::rate_per_s_max, .unit = "per s",
                .help = "Rate limiter: calls the service accepts per second (a token bucket); a call over it is "
                        "refused at once (rate_limited). 0 means no limit.",
                .settable = true, .label = "Rate limit"}),
      field<V>("rate_limit/burst", PG_MEMBER(V, rate_limit_burst),
               {.min = 1, .max = 1e6, .help = "Rate limiter: calls it accepts at once after a quiet time (the "
                                              "bucket's size).",
                .label = "Rate limit burst"}),
      field<V>("shed/max_wait_ms", PG_MEMBER(V, shed_max_wait_ms),
               {.min = 0, .max = limits::time_ms_max, .unit = "ms",
                .help = "Load shedding: a call that waited in line longer than this is dropped when a worker would "
                        "take it, so workers serve calls whose callers still wait. 0 means none.",
                .settable = true, .label = "Shed after"}),
      field<V>("bulkhead/max_concurrent", PG_MEMBER(V, bulkhead_max_concurrent),
               {.min = 0, .max = 1'000'000,
                .help = "Bulkhead: at most this many calls from each caller in flight to this service; more fail at "
                        "once in the caller, so a slow service cannot hold all its callers' workers. 0 means none.",
                .settable = true, .label = "Bulkhead"}),
      custom_field<V>("steps", read_steps_member<V, &V::steps>, write_service_steps, steps_schema,
                      {.help = "Steps the worker that took a call runs after its service time, before it answers "
                               "(calls to other services, cache lookups, locks, publishes): requests form a tree. "
                               "A failed step fails the call."}),
      custom_field<V>("network", read_distribution_member<V, &V::network>, write_distribution_member<V, &V::network>,
                      distribution_schema,
                      {.help = "One-way network latency of each call to this service, drawn for the request and for "
                               "the answer. Default: constant 0 ms, no network; with a latency, a partition loses "
                               "the call and the caller waits for its timeout or deadline."}),
  };
  return table;
}

// ---- caches ------------------------------------------------------------------------------------------------------

namespace {
void read_nodes(ObjectReader& r, const char* key, CacheSpec& c, Errors&) {
  const json* nodes = read_name_list(r, key, limits::cache_nodes_max, "a node name", c.nodes);
  if (nodes && nodes->empty()) r.error(r.child(key), "must name at least one node");
}
void write_nodes(json& out, const char* key, const CacheSpec& c) { out[key] = c.nodes; }
json nodes_schema() {
  json s = name_array_schema(limits::cache_nodes_max);
  s["minItems"] = 1;
  return s;
}
void read_weights(ObjectReader& r, const char* key, CacheSpec& c, Errors&) {
  const json* weights = r.array(key, limits::cache_nodes_max);
  if (!weights) return;
  for (size_t i = 0; i < weights->size(); ++i) {
    const json& w = (*weights)[i];
    if (!w.is_number_integer() || w.get<int64_t>() < 1 || w.get<int64_t>() > 100)
      r.error(r.child(key) + "/" + std::to_string(i),
              "must be a whole number from 1 to 100, got " + describe_json_value(w));
    else c.weights.push_back((int)w.get<int64_t>());
  }
  if (c.weights.size() != c.nodes.size()) r.error(r.child(key), "must have one weight per node");
}
void write_weights(json& out, const char* key, const CacheSpec& c) {
  if (!c.weights.empty()) out[key] = c.weights;
}
json weights_schema() {
  return {{"type", "array"},
          {"maxItems", limits::cache_nodes_max},
          {"items", {{"type", "integer"}, {"minimum", 1}, {"maximum", 100}}}};
}
}  // namespace

const FieldTable<CacheSpec>& cache_fields() {
  using C = CacheSpec;
  static const FieldTable<C> table = {
      field<C>("name", PG_MEMBER(C, name),
               {.write = Write::always, .required = true, .max_length = limits::name_length_max}),
      custom_field<C>("nodes", read_nodes, write_nodes, nodes_schema,
                      {.help = "Cache node names.", .required = true}),
      custom_field<C>("weights", read_weights, write_weights, weights_schema,
                      {.help = "One weight per node (checked by the engine); absent means all 1."}),
      field<C>("capacity_keys", PG_MEMBER(C, capacity_keys),
               {.min = 1, .max = limits::keys_max, .unit = "keys",
                .help = "Keys per node; least recently used keys leave when full.", .settable = true,
                .label = "Keys per node"}),
      field<C>("placement/algorithm", PG_MEMBER(C, placement.algorithm),
               {.help = "How keys map to nodes: modulo (to show why not), a consistent-hash ring, jump, rendezvous, "
                        "Maglev, or a ring with bounded loads.",
                .words = placement_algorithm_words, .label = "Placement"}),
      field<C>("placement/vnodes", PG_MEMBER(C, placement.vnodes),
               {.min = 1, .max = 1000, .help = "ring, bounded: points per node (times its weight).",
                .label = "Points per node"}),
      field<C>("placement/hash", PG_MEMBER(C, placement.hash),
               {.help = "ketama: the MD5 point layout of libketama/libmemcached; fast: a 64-bit hash.",
                .words = placement_hash_words}),
      field<C>("placement/table_size", PG_MEMBER(C, placement.table_size),
               {.min = 7, .max = 1'000'003, .help = "maglev: lookup table size (a prime)."}),
      field<C>("placement/load_factor", PG_MEMBER(C, placement.load_factor),
               {.min = 1, .max = 10, .help = "bounded: no node takes more than load_factor times the mean load."}),
      custom_field<C>("service_time", read_distribution_member<C, &C::service_time>,
                      write_distribution_member<C, &C::service_time>, distribution_schema,
                      {.help = "Default: constant 0.3 ms."}),
  };
  return table;
}

// ---- locks -------------------------------------------------------------------------------------------------------

const FieldTable<LockSpec>& lock_fields() {
  using L = LockSpec;
  constexpr double t = limits::time_ms_max;
  static const FieldTable<L> table = {
      field<L>("name", PG_MEMBER(L, name),
               {.write = Write::always, .required = true, .max_length = limits::name_length_max}),
      field<L>("kind", PG_MEMBER(L, kind),
               {.help = "none: read, check, write without a lock; redis: SET NX PX on one instance; redlock: a "
                        "majority of instances; zookeeper: a fair queue of waiters; atomic: a conditional decrement.",
                .words = lock_kind_words}),
      field<L>("ttl_ms", PG_MEMBER(L, ttl_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "Lease time (redis SET NX PX, redlock); 0 is no expiry (SETNX without EXPIRE).",
                .settable = true,
                .label = "TTL"}),
      field<L>("fencing", PG_MEMBER(L, fencing),
               {.help = "The inventory store rejects writes carrying an older token than it has seen.",
                .settable = true, .label = "Fencing tokens"}),
      field<L>("acquire/retry_ms", PG_MEMBER(L, retry_ms),
               {.min = 0, .max = 60000, .unit = "ms",
                .help = "Wait between attempts (doubling, with jitter); 0 is a busy spin that asks again at once.",
                .settable = true,
                .alias = "retry_ms"}),
      field<L>("acquire/give_up_ms", PG_MEMBER(L, give_up_ms),
               {.min = 0, .max = t, .unit = "ms", .help = "Give up after this long.", .settable = true,
                .alias = "give_up_ms"}),
      field<L>("stock_per_key", PG_MEMBER(L, stock_per_key),
               {.min = 0, .max = 1'000'000, .help = "Items in stock per key at the start."}),
      field<L>("network_ms", PG_MEMBER(L, network_ms),
               {.min = 0, .max = 10000, .unit = "ms", .help = "One-way network delay to the lock service.",
                .settable = true}),
      field<L>("release", PG_MEMBER(L, release),
               {.help = "compare_and_delete releases only one's own lock; del is the unsafe plain DEL.",
                .words = lock_release_words}),
      field<L>("instances", PG_MEMBER(L, instances),
               {.min = 1, .max = 15, .help = "redlock: independent instances; a majority must agree."}),
      field<L>("drift_ms", PG_MEMBER(L, drift_ms),
               {.min = -1, .max = 60000, .unit = "ms",
                .help = "redlock: clock drift allowance subtracted from the validity time; -1 is what the reference "
                        "clients compute, ttl_ms × 0.01 + 2 ms."}),
      field<L>("session_timeout_ms", PG_MEMBER(L, session_timeout_ms),
               {.min = 1, .max = t, .unit = "ms", .help = "zookeeper: session timeout.", .settable = true}),
      field<L>("request_timeout_ms", PG_MEMBER(L, request_timeout_ms),
               {.min = 0.01, .max = 60000, .unit = "ms",
                .help = "redis, redlock: how long a client waits for one instance's answer.", .settable = true}),
      field<L>("persistence", PG_MEMBER(L, persistence),
               {.help = "redis, redlock: a restarted instance keeps its keys (AOF with fsync); false means it "
                        "restarts empty.",
                .settable = true}),
      field<L>("restart_delay_ms", PG_MEMBER(L, restart_delay_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "redis, redlock: a crashed instance stays down at least this long before it rejoins "
                        "(a delayed restart, longer than the TTL).",
                .settable = true}),
      field<L>("replicas/count", PG_MEMBER(L, replica_count),
               {.min = 0, .max = 8,
                .help = "redis: replicas of the instance, copied asynchronously; when the primary crashes, Sentinel "
                        "promotes one after failover_ms.",
                .label = "Replicas"}),
      field<L>("replicas/replication_ms", PG_MEMBER(L, replication_ms),
               {.min = 0, .max = 60000, .unit = "ms",
                .help = "redis: a write reaches the replicas this long after the primary applied it; a primary crash "
                        "loses what had not reached them.",
                .settable = true, .label = "Replication lag"}),
      field<L>("replicas/failover_ms", PG_MEMBER(L, failover_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "redis: from the primary's crash until Sentinel promotes the replica with the most data.",
                .settable = true, .label = "Failover time"}),
      field<L>("replicas/wait", PG_MEMBER(L, replica_wait),
               {.min = 0, .max = 8,
                .help = "redis: after SET NX the client sends WAIT for this many replicas; fewer in time and it "
                        "releases and tries again. 0 is no WAIT.",
                .settable = true, .label = "WAIT replicas"}),
      field<L>("replicas/wait_timeout_ms", PG_MEMBER(L, wait_timeout_ms),
               {.min = 1, .max = 60000, .unit = "ms",
                .help = "redis: WAIT's timeout; keep it below request_timeout_ms.", .settable = true}),
      field<L>("watchdog/renew_every_ms", PG_MEMBER(L, renew_every_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "redis, redlock: while it holds the lock the client renews the lease to ttl_ms this often "
                        "(Redisson's watchdog: 30 s lease, renewed every 10 s); 0 is no renewal. A paused client "
                        "renews nothing.",
                .settable = true, .label = "Renew every"}),
      field<L>("check_validity", PG_MEMBER(L, check_validity),
               {.help = "redis, redlock: before its write the client checks on its own clock that the validity time "
                        "(ttl_ms minus the time acquiring took and the drift allowance) is not over; if it is, it "
                        "writes nothing and gives up.",
                .settable = true, .label = "Check validity"}),
      field<L>("recipe", PG_MEMBER(L, recipe),
               {.help = "zookeeper: predecessor, each waiter watches the node just before its own (one wake-up per "
                        "release); herd, every waiter watches the lock holder's node (all wake up).",
                .words = lock_recipe_words}),
      field<L>("ensemble", PG_MEMBER(L, ensemble),
               {.min = 1, .max = 7,
                .help = "zookeeper: servers in the ensemble (inventory/0 ...); while fewer than a majority are up it "
                        "answers nothing and expires no session."}),
  };
  return table;
}

// ---- queues ------------------------------------------------------------------------------------------------------

namespace {
void read_consumer_steps(ObjectReader& r, const char* key, QueueSpec& q, Errors& errors) {
  if (const json* steps = r.get(key)) read_steps(*steps, r.child(key), q.consumers.steps, 1, errors);
}
void write_consumer_steps(json& out, const char* key, const QueueSpec& q) {
  if (!q.consumers.steps.empty()) out[key] = write_steps(q.consumers.steps);
}
}  // namespace

const FieldTable<QueueSpec>& queue_fields() {
  using Q = QueueSpec;
  constexpr double t = limits::time_ms_max;
  static const FieldTable<Q> table = {
      field<Q>("name", PG_MEMBER(Q, name),
               {.write = Write::always, .required = true, .max_length = limits::name_length_max}),
      field<Q>("kind", PG_MEMBER(Q, kind),
               {.help = "sqs: visibility timeout and dead letters; log: partitions, consumer groups and offsets; "
                        "amqp: prefetch, acks and requeue.",
                .words = queue_kind_words}),
      field<Q>("visibility_timeout_ms", PG_MEMBER(Q, visibility_timeout_ms),
               {.min = 1, .max = t, .unit = "ms",
                .help = "sqs: a received message not acked within this time is delivered again.", .settable = true,
                .label = "Visibility timeout"}),
      field<Q>("max_receives", PG_MEMBER(Q, max_receives),
               {.min = 1, .max = 1000, .help = "sqs: dead-letter after this many receives."}),
      field<Q>("dead_letter", PG_MEMBER(Q, dead_letter),
               {.help = "sqs: a message received max_receives times goes to a dead-letter queue."}),
      field<Q>("max_length", PG_MEMBER(Q, max_length),
               {.min = 1, .max = 10'000'000, .help = "Messages the queue holds at most."}),
      field<Q>("on_full", PG_MEMBER(Q, on_full),
               {.help = "A full queue rejects the publish, drops the message, or blocks the publisher.",
                .words = queue_on_full_words}),
      field<Q>("partitions", PG_MEMBER(Q, partitions),
               {.min = 1, .max = 256, .help = "log: partitions, chosen by the message's key."}),
      field<Q>("partitioner", PG_MEMBER(Q, partitioner),
               {.help = "log: splitmix64, or murmur2 as Kafka's producer.",
                .words = queue_partitioner_words}),
      field<Q>("commit_interval_ms", PG_MEMBER(Q, commit_interval_ms),
               {.min = 1, .max = t, .unit = "ms", .help = "log: offsets are committed this often."}),
      field<Q>("rebalance_ms", PG_MEMBER(Q, rebalance_ms),
               {.min = 0, .max = t, .unit = "ms", .help = "log: how long a rebalance stops consumption."}),
      field<Q>("rebalance", PG_MEMBER(Q, rebalance),
               {.help = "log: eager stops every partition; cooperative only the ones that move.",
                .words = queue_rebalance_words, .label = "Rebalance"}),
      field<Q>("session_timeout_ms", PG_MEMBER(Q, session_timeout_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "log: a consumer paused this long leaves the group (0: never).",
                .label = "Session timeout"}),
      field<Q>("max_poll_interval_ms", PG_MEMBER(Q, max_poll_interval_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "log: a consumer processing one record this long leaves the group (0: never).",
                .label = "Max poll interval"}),
      field<Q>("retention_s", PG_MEMBER(Q, retention_s),
               {.min = 1, .max = 1'209'600, .unit = "s", .help = "sqs: message retention."}),
      field<Q>("consumers/preset", PG_MEMBER(Q, consumers.preset),
               {.help = "celery: Celery's defaults for the fields left out (ack on receipt, prefetch 4, 1 h visibility).",
                .words = consumer_preset_words, .label = "Preset"}),
      field<Q>("consumers/count", PG_MEMBER(Q, consumers.count),
               {.min = 0, .max = 256, .help = "Consumers in the group.", .settable = true, .label = "Consumers"}),
      field<Q>("consumers/prefetch", PG_MEMBER(Q, consumers.prefetch),
               {.min = 1, .max = 1000, .help = "Messages a consumer holds unacknowledged at most.",
                .settable = true, .label = "Prefetch"}),
      field<Q>("consumers/ack", PG_MEMBER(Q, consumers.ack),
               {.help = "before_processing is at most once; after_processing at least once.",
                .words = consumer_ack_words, .label = "Ack"}),
      field<Q>("consumers/idempotent", PG_MEMBER(Q, consumers.idempotent),
               {.help = "A consumer recognises a message it already processed and does not apply it twice.",
                .label = "Idempotent consumers"}),
      field<Q>("consumers/poison_probability", PG_MEMBER(Q, consumers.poison_probability),
               {.min = 0, .max = 1, .help = "Probability that a message always fails processing."}),
      field<Q>("consumers/ack_delay_ms", PG_MEMBER(Q, consumers.ack_delay_ms),
               {.min = 0, .max = 60000, .unit = "ms",
                .help = "Time between a consumer's side effect (end of processing) and its ack reaching the broker; "
                        "a crash in between gives a duplicate (ack after processing)."}),
      custom_field<Q>("consumers/steps", read_consumer_steps, write_consumer_steps, steps_schema,
                      {.help = "What a consumer does with each message."}),
  };
  return table;
}

// ---- faults, interventions and goals -----------------------------------------------------------------------------

namespace {
// for_s is read into for_ms (the canonical form), never written.
void read_for_s(ObjectReader& r, const char* key, FaultSpec& f, Errors&) {
  double for_s = -1;
  r.number(key, for_s, 0, limits::duration_s_max);
  if (for_s < 0) return;
  if (r.has("for_ms")) r.error(r.child(key), "give either for_s or for_ms, not both");
  f.for_ms = for_s * 1000;
}
json for_s_schema() {
  return {{"type", "number"}, {"minimum", 0}, {"maximum", limits::duration_s_max}};
}
template <std::vector<std::string> FaultSpec::*member>
void read_group(ObjectReader& r, const char* key, FaultSpec& f, Errors&) {
  read_name_list(r, key, 64, "a name", f.*member);
}
template <std::vector<std::string> FaultSpec::*member>
void write_group(json& out, const char* key, const FaultSpec& f) {
  if (!(f.*member).empty()) out[key] = f.*member;
}
json group_schema() { return name_array_schema(64); }
}  // namespace

const FieldTable<FaultSpec>& fault_fields() {
  using F = FaultSpec;
  static const FieldTable<F> table = {
      field<F>("at_s", PG_MEMBER(F, at_s),
               {.min = 0, .max = limits::duration_s_max, .unit = "s", .help = "When, in simulated seconds.",
                .write = Write::always, .required = true}),
      field<F>("kind", PG_MEMBER(F, kind), {.write = Write::always, .required = true, .words = fault_kind_words}),
      field<F>("target", PG_MEMBER(F, target),
               {.help = "A service, an instance (order#1), a cache node, a lock instance (inventory/2), a consumer "
                        "(orders/consumer#0) or a cache. Required except for set and partition.",
                .max_length = limits::name_length_max}),
      custom_field<F>("for_s", read_for_s, nullptr, for_s_schema,
                      {.help = "Duration in seconds (written back as for_ms); give for_s or for_ms, not both."}),
      field<F>("for_ms", PG_MEMBER(F, for_ms),
               {.min = 0, .max = limits::time_ms_max, .unit = "ms",
                .help = "Duration in milliseconds; 0 means for good (a pause needs > 0)."}),
      field<F>("factor", PG_MEMBER(F, factor),
               {.min = 0.001, .max = 1000, .help = "slow: service time multiplier; clock_drift: clock rate."}),
      custom_field<F>("groups_a", read_group<&F::groups_a>, write_group<&F::groups_a>, group_schema,
                      {.help = "partition: one side."}),
      custom_field<F>("groups_b", read_group<&F::groups_b>, write_group<&F::groups_b>, group_schema,
                      {.help = "partition: the other side."}),
      field<F>("node", PG_MEMBER(F, node),
               {.help = "add_node/remove_node: the node (target is the cache).",
                .max_length = limits::name_length_max}),
      field<F>("path", PG_MEMBER(F, path),
               {.help = "set: the parameter's path, /kind/NAME/field, e.g. /services/order/workers or "
                        "/workload/arrivals/rate_per_s.",
                .max_length = 256}),
      written_when(field<F>("value", PG_MEMBER(F, value), {.min = -1e12, .max = 1e12, .help = "set: the new value."}),
                   +[](const F& f) { return f.kind == FaultKind::set; }),
  };
  return table;
}

namespace {
constexpr double goal_points_max = 1e6;
// points must be above 0 (a goal worth nothing would vanish from a score), which a plain row's inclusive range
// cannot say; the default 1 is never written, so exercises from before points keep their canonical form.
void read_points(ObjectReader& r, const char* key, GoalSpec& g, Errors&) {
  const json* value = r.get(key);
  if (!value) return;
  if (!value->is_number() || !(value->get<double>() > 0) || value->get<double>() > goal_points_max) {
    r.error(r.child(key), "must be a number above 0 and at most 1e6, got " + describe_json_value(*value));
    return;
  }
  g.points = value->get<double>();
}
void write_points(json& out, const char* key, const GoalSpec& g) {
  if (g.points != 1) out[key] = g.points;
}
json points_schema() {
  return {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", goal_points_max}, {"default", 1}};
}
}  // namespace

const FieldTable<GoalSpec>& goal_fields() {
  using G = GoalSpec;
  static const FieldTable<G> table = {
      field<G>("label", PG_MEMBER(G, label), {.help = "What the goal means, for people.", .max_length = 256}),
      field<G>("metric", PG_MEMBER(G, metric),
               {.help = "A report JSON path with dots: requests.checkout.latency_ms.p99.", .write = Write::always,
                .required = true, .max_length = 256}),
      field<G>("op", PG_MEMBER(G, op), {.write = Write::always, .words = goal_op_words}),
      field<G>("value", PG_MEMBER(G, value),
               {.min = -1e15, .max = 1e15, .write = Write::always, .required = true}),
      custom_field<G>("points", read_points, write_points, points_schema,
                      {.help = "What passing the goal is worth in an autograder's score (above 0; default 1)."}),
  };
  return table;
}

// ---- distributions -----------------------------------------------------------------------------------------------

namespace {
void read_values_ms(ObjectReader& r, const char* key, Distribution& d, Errors&) {
  read_number_list(r, key, 1024, 0, limits::time_ms_max, "0 and 3600000", d.values_ms);
}
void read_dist_weights(ObjectReader& r, const char* key, Distribution& d, Errors&) {
  read_number_list(r, key, 1024, 0, 1e9, "0 and 1e9", d.weights);
}
json values_ms_schema() {
  return {{"type", "array"},
          {"maxItems", 1024},
          {"items", {{"type", "number"}, {"minimum", 0}, {"maximum", limits::time_ms_max}}}};
}
json dist_weights_schema() {
  return {{"type", "array"}, {"maxItems", 1024}, {"items", {{"type", "number"}, {"minimum", 0}, {"maximum", 1e9}}}};
}
}  // namespace

const FieldTable<Distribution>& distribution_fields() {
  using D = Distribution;
  constexpr double t = limits::time_ms_max;
  // The writer of a distribution is its own (write_distribution: only the fields of its family).
  static const FieldTable<D> table = {
      field<D>("dist", PG_MEMBER(D, kind),
               {.help = "The distribution family. Fields that do not belong to it are accepted and ignored (dropped "
                        "when written back).",
                .required = true, .words = distribution_words}),
      field<D>("mean_ms", PG_MEMBER(D, mean_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "Mean in milliseconds (constant, exponential, lognormal, pareto; must be > 0 for lognormal "
                        "and pareto)."}),
      field<D>("cv", PG_MEMBER(D, cv),
               {.min = 0, .max = 10, .help = "lognormal: coefficient of variation (standard deviation / mean)."}),
      field<D>("min_ms", PG_MEMBER(D, min_ms),
               {.min = 0, .max = t, .unit = "ms", .help = "uniform: lower bound in milliseconds."}),
      field<D>("max_ms", PG_MEMBER(D, max_ms),
               {.min = 0, .max = t, .unit = "ms",
                .help = "uniform: upper bound in milliseconds; must be at least min_ms (checked by the engine)."}),
      field<D>("shape", PG_MEMBER(D, shape),
               {.min = 1.01, .max = 100,
                .help = "pareto: shape alpha (> 1 so the mean exists; <= 2 means infinite variance)."}),
      custom_field<D>("values_ms", read_values_ms, nullptr, values_ms_schema,
                      {.help = "empirical: the values in milliseconds."}),
      custom_field<D>("weights", read_dist_weights, nullptr, dist_weights_schema,
                      {.help = "empirical: one weight per value, not all zero (checked by the engine); absent means "
                               "equal weights."}),
  };
  return table;
}

void read_distribution(const json& value, const std::string& path, Distribution& out, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  Distribution d;
  read_fields(r, distribution_fields(), d, errors);
  // prepare() needs a positive mean for these two (the scale of the distribution); 0 would be a programmer error.
  if ((d.kind == DistributionKind::lognormal || d.kind == DistributionKind::pareto) && d.mean_ms <= 0)
    r.error(r.child("mean_ms"), "must be greater than 0 for a lognormal or pareto distribution");
  if (d.kind == DistributionKind::uniform && d.max_ms < d.min_ms) r.error(r.child("max_ms"), "must be at least min_ms");
  if (d.kind == DistributionKind::empirical) {
    if (d.values_ms.empty()) r.error(r.child("values_ms"), "is required for an empirical distribution");
    if (!d.weights.empty() && d.weights.size() != d.values_ms.size())
      r.error(r.child("weights"), "must have as many items as values_ms");
    double total = 0;
    for (double w : d.weights) total += w;
    if (!d.weights.empty() && total <= 0) r.error(r.child("weights"), "must not all be zero");
  }
  r.finish();
  out = d;
}

json write_distribution(const Distribution& d) {
  json out = {{"dist", distribution_words[(int)d.kind]}};
  switch (d.kind) {
    case DistributionKind::constant:
    case DistributionKind::exponential: out["mean_ms"] = d.mean_ms; break;
    case DistributionKind::lognormal: out["mean_ms"] = d.mean_ms; out["cv"] = d.cv; break;
    case DistributionKind::pareto: out["mean_ms"] = d.mean_ms; out["shape"] = d.shape; break;
    case DistributionKind::uniform: out["min_ms"] = d.min_ms; out["max_ms"] = d.max_ms; break;
    case DistributionKind::empirical:
      out["values_ms"] = d.values_ms;
      if (!d.weights.empty()) out["weights"] = d.weights;
      break;
  }
  return out;
}

// ---- steps -------------------------------------------------------------------------------------------------------

namespace {
void read_step(const json& value, const std::string& path, StepSpec& step, int depth, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  int found = 0;
  for (int k = 0; k < step_kind_words.count; ++k) {
    if (!r.has(step_kind_words[k])) continue;
    ++found;
    step.kind = (StepKind)k;
  }
  if (found != 1) r.error(path, "must have exactly one of \"call\", \"cache\", \"lock\", \"publish\", \"parallel\"");
  if (depth > limits::step_depth_max) {
    r.error(path, "steps are nested deeper than " + std::to_string(limits::step_depth_max) + " levels");
    return;
  }
  if (step.kind == StepKind::parallel) {
    if (const json* branches = r.array("parallel", 8)) {
      for (size_t i = 0; i < branches->size(); ++i) {
        step.branches.emplace_back();
        read_steps((*branches)[i], r.child("parallel") + "/" + std::to_string(i), step.branches.back(), depth + 1,
                   errors);
      }
      if (branches->empty()) r.error(r.child("parallel"), "must hold at least one list of steps");
    }
  } else {
    r.string(step_kind_words[(int)step.kind], step.target, limits::name_length_max, true);
  }
  if (const json* on_miss = r.get("on_miss")) {
    if (step.kind != StepKind::cache) r.error(r.child("on_miss"), "belongs to a \"cache\" step only");
    else read_steps(*on_miss, r.child("on_miss"), step.on_miss, depth + 1, errors);
  }
  if (const json* inside = r.get("inside")) {
    if (step.kind != StepKind::lock) r.error(r.child("inside"), "belongs to a \"lock\" step only");
    else read_steps(*inside, r.child("inside"), step.inside, depth + 1, errors);
  }
  r.finish();
}
}  // namespace

void read_steps(const json& value, const std::string& path, std::vector<StepSpec>& out, int depth, Errors& errors) {
  if (!value.is_array()) {
    errors.push_back({path, "must be an array of steps, got " + describe_json_value(value)});
    return;
  }
  if (value.size() > limits::steps_max) {
    errors.push_back({path, "must have at most " + std::to_string(limits::steps_max) + " steps"});
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    out.emplace_back();
    read_step(value[i], path + "/" + std::to_string(i), out.back(), depth, errors);
  }
}

json write_steps(const std::vector<StepSpec>& steps) {
  json out = json::array();
  for (const StepSpec& step : steps) {
    json s = json::object();
    if (step.kind == StepKind::parallel) {
      json branches = json::array();
      for (auto& branch : step.branches) branches.push_back(write_steps(branch));
      s["parallel"] = branches;
    } else {
      s[step_kind_words[(int)step.kind]] = step.target;
    }
    if (step.kind == StepKind::cache && !step.on_miss.empty()) s["on_miss"] = write_steps(step.on_miss);
    if (step.kind == StepKind::lock && !step.inside.empty()) s["inside"] = write_steps(step.inside);
    out.push_back(s);
  }
  return out;
}

}  // namespace pg
