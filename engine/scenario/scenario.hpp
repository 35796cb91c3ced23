// Scenario document, version 1 (docs/fields.md lists its fields): plain structs parsed from untrusted JSON with errors that name
// the JSON path, the rule and the value; serialised back canonically (stable field order, defaults omitted).
// Every number has a range and every list a maximum length (the limits below), so no document can exhaust memory.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernel/distribution.hpp"
#include "engine/models/caches/placement.hpp"
#include "engine/models/queues/partitioner.hpp"
#include "engine/kernel/sim_time.hpp"

namespace pg {

constexpr int scenario_version = 1;

// Input limits (also listed in the JSON Schema).
namespace limits {
constexpr size_t document_bytes_max = 1 << 20;
constexpr int json_depth_max = 64;
constexpr double duration_s_max = 3600;
constexpr size_t services_max = 64;
constexpr int instances_max = 64;
constexpr int workers_max = 1024;
constexpr int queue_max_max = 1'000'000;
constexpr size_t requests_max = 32;
constexpr size_t steps_max = 64;          // per step list
constexpr int step_depth_max = 8;         // nesting of on_miss/inside/parallel
constexpr size_t mix_max = 32;
constexpr size_t schedule_max = 256;
constexpr double rate_per_s_max = 200'000;
constexpr uint32_t keys_max = 1'000'000;
constexpr size_t caches_max = 16;
constexpr size_t cache_nodes_max = 64;
constexpr size_t locks_max = 16;
constexpr size_t queues_max = 16;
constexpr size_t faults_max = 1024;       // faults and interventions, each
constexpr size_t goals_max = 64;
constexpr size_t name_length_max = 64;
constexpr size_t text_length_max = 4096;
constexpr size_t languages_max = 16;      // translations in /i18n
constexpr size_t hints_max = 16;          // /exercise/hints
constexpr int exercise_seeds_max = 10;     // /exercise/seeds: each seed is a whole run of the checked scenario
constexpr double time_ms_max = 3'600'000;
}  // namespace limits

struct ValidationError {
  std::string path;     // JSON pointer, "/services/0/workers"
  std::string message;  // the rule and the offending value
  std::string to_string() const { return (path.empty() ? std::string("/") : path) + ": " + message; }
};

enum class Balancer : uint8_t { round_robin, random, least_connections, power_of_two, key_hash };
enum class Jitter : uint8_t { none, full, equal };

struct RetryPolicy {
  int max = 0;                 // retries after the first attempt
  double backoff_ms = 10;      // base; attempt k waits backoff_ms * 2^(k-1), capped, then jittered
  double backoff_max_ms = 1000;
  Jitter jitter = Jitter::full;
};

enum class StepKind : uint8_t { call, cache, lock, publish, parallel };

struct StepSpec {
  StepKind kind = StepKind::call;
  std::string target;                          // service, cache, lock or queue name
  std::vector<StepSpec> on_miss;               // cache
  std::vector<StepSpec> inside;                // lock
  std::vector<std::vector<StepSpec>> branches; // parallel
};

// A retry budget on the calls to a service (Finagle's RetryBudget, gRPC's retry throttling): a token bucket that
// each first attempt fills by `ratio` and time by `min_per_s`; a retry takes a token, and without one the call fails
// instead. So retries stay within ratio x calls + min_per_s x seconds, however many layers retry.
struct RetryBudgetSpec {
  double ratio = 0;            // retries per first attempt; 0: no budget, every retry the policy allows is made
  double min_per_s = 10;       // retries allowed per second whatever the traffic (Finagle's minRetriesPerSec)
};

// A circuit breaker on the calls to a service, one per caller (the client, or each calling service), with the
// states of Hystrix and resilience4j: closed (calls pass, outcomes counted over a sliding window), open (calls fail
// at once without being sent) and half-open (a few probe calls decide between closing and opening again).
struct CircuitBreakerSpec {
  double failure_rate = 0;     // opens when at least this share of the window's calls failed; 0: no breaker
  double window_s = 10;        // the sliding window of outcomes (ten buckets of a tenth each)
  int min_calls = 20;          // fewer calls in the window never open it
  double open_ms = 5000;       // how long it stays open before it lets probes through
  int half_open_calls = 5;     // probes; their failure rate decides
};

struct ServiceSpec {
  std::string name;
  int instances = 1;
  int workers = 1;                   // per instance
  int queue_max = 1000;              // waiting line per instance; a full line rejects
  Distribution service_time = Distribution::exponential_ms(10);
  Balancer balancer = Balancer::round_robin;
  double timeout_ms = 0;             // per call attempt, 0 = none
  double health_check_ms = 1000;     // a crashed instance still gets calls (refused at once) until detected
  RetryPolicy retries;
  // The service's own steps, run by the worker that took a call after its service time (a thread-per-request
  // server calling its dependencies); empty: the call ends with the service time, as before call trees existed.
  std::vector<StepSpec> steps;
  // One-way network latency of every call to this service, drawn for the request and again for the answer.
  // Constant 0 (the default) is no network: the call reaches the instance in the same instant, as before.
  Distribution network = Distribution::constant_ms(0);
  bool has_network() const { return !(network.kind == DistributionKind::constant && network.mean_ms == 0); }
  RetryBudgetSpec retry_budget;
  CircuitBreakerSpec circuit_breaker;
  // Hedged requests (The Tail at Scale; gRPC's hedging policy): when an attempt has not answered after this long,
  // a second one is sent; the first answer wins and the other is no longer waited for. 0: no hedging.
  double hedge_after_ms = 0;
  // Admission control (the Google SRE book, "Handling Overload"): a token bucket of calls the service accepts
  // (per_s 0: none), dropping calls that waited in line longer than shed_max_wait_ms when a worker would take them
  // (0: none), and a bulkhead: at most bulkhead_max_concurrent calls in flight from each caller (0: none).
  double rate_limit_per_s = 0;
  double rate_limit_burst = 100;
  double shed_max_wait_ms = 0;
  int bulkhead_max_concurrent = 0;
};

struct RequestSpec {
  std::string name;
  std::vector<StepSpec> steps;
  // From the request's arrival; carried down the call tree as an absolute time (the remaining budget). 0: none.
  double deadline_ms = 0;
};

struct RatePoint { double at_s = 0; double rate_per_s = 0; };
struct MixEntry { std::string request; double weight = 1; };

enum class ArrivalProcess : uint8_t { poisson, constant };
enum class KeyPopularity : uint8_t { uniform, zipf };

struct WorkloadSpec {
  ArrivalProcess process = ArrivalProcess::poisson;
  double rate_per_s = 100;
  std::vector<RatePoint> schedule;     // sorted by at_s; each point sets the rate from then on
  uint32_t key_count = 1000;
  KeyPopularity popularity = KeyPopularity::zipf;
  double zipf_exponent = 1.0;
  std::vector<MixEntry> mix;           // empty: every request type with equal weight
};

// ---- caches (the ring issue extends this) ----
struct PlacementSpec {
  PlacementAlgorithm algorithm = PlacementAlgorithm::ring;   // engine/models/caches/placement.hpp
  int vnodes = 160;
  PlacementHash hash = PlacementHash::ketama;
  int table_size = 65537;           // maglev, prime
  double load_factor = 1.25;        // bounded
};
struct CacheSpec {
  std::string name;
  std::vector<std::string> nodes;
  std::vector<int> weights;          // empty: all 1
  int capacity_keys = 1000;          // per node, LRU
  PlacementSpec placement;
  Distribution service_time = Distribution::constant_ms(0.3);
};

// ---- locks (the locks issue extends this) ----
// Each enum's names, in the order of its values, are the word lists of engine/scenario/scenario_fields.cpp.
enum class LockKind : uint8_t { none, redis, redlock, zookeeper, atomic };
enum class LockRelease : uint8_t { compare_and_delete, del };   // del: the unsafe plain DEL
enum class LockRecipe : uint8_t { predecessor, herd };          // zookeeper: whom a waiter watches
struct LockSpec {
  std::string name;
  LockKind kind = LockKind::redis;
  double ttl_ms = 2000;
  bool fencing = false;
  double retry_ms = 10;
  double give_up_ms = 1000;
  int stock_per_key = 100;
  double network_ms = 1;
  LockRelease release = LockRelease::compare_and_delete;
  int instances = 5;                 // redlock
  double drift_ms = -1;              // redlock clock drift allowance; -1: ttl_ms * 0.01 + 2 ms (the reference clients)
  double session_timeout_ms = 4000;  // zookeeper
  double request_timeout_ms = 50;    // redis/redlock: a client stops waiting for one instance's answer after this
  bool persistence = false;          // redis/redlock: an instance keeps its keys across a crash (AOF, fsync always)
  double restart_delay_ms = 0;       // redis/redlock: a restarted instance stays silent this long (antirez's fix)
  // redis: replicas of the instance, asynchronous replication, Sentinel's failover and WAIT
  int replica_count = 0;             // 0: a single instance, as before
  double replication_ms = 1;         // a write reaches the replicas this long after the primary applied it
  double failover_ms = 5000;         // from the primary's crash to a replica's promotion
  int replica_wait = 0;              // WAIT numreplicas after each SET NX: 0 is no WAIT
  double wait_timeout_ms = 20;       // WAIT's timeout
  // redis, redlock: a Redisson-style watchdog renews the lease (PEXPIRE to ttl_ms) this often while held; 0 is none
  double renew_every_ms = 0;
  // redis, redlock: before its write the client checks on its own clock that the lock is still valid
  bool check_validity = false;
  LockRecipe recipe = LockRecipe::predecessor;   // zookeeper
  int ensemble = 3;                  // zookeeper: servers; without a majority up the service stops
};

// ---- queues (the queues issue extends this) ----
enum class ConsumerAck : uint8_t { after_processing, before_processing };
enum class QueueKind : uint8_t { sqs, log, amqp };
enum class QueueOnFull : uint8_t { reject, drop, block };
enum class QueueRebalance : uint8_t { eager, cooperative };   // log: Kafka's eager or KIP-429 incremental protocol
enum class ConsumerPreset : uint8_t { none, celery };
struct ConsumerSpec {
  // celery: the fields it names and the document leaves out take Celery's defaults (engine/scenario/scenario.cpp,
  // queue_rules); nothing else reads it.
  ConsumerPreset preset = ConsumerPreset::none;
  int count = 1;
  int prefetch = 1;
  ConsumerAck ack = ConsumerAck::after_processing;
  bool idempotent = false;
  double poison_probability = 0;
  double ack_delay_ms = 0;               // side effect -> ack at the broker; a crash inside loses the ack
  std::vector<StepSpec> steps;
};
struct QueueSpec {
  std::string name;
  QueueKind kind = QueueKind::sqs;
  double visibility_timeout_ms = 30000;
  int max_receives = 5;
  bool dead_letter = true;
  int max_length = 100000;
  QueueOnFull on_full = QueueOnFull::reject;
  int partitions = 4;                    // log
  QueuePartitioner partitioner = QueuePartitioner::splitmix64;   // log: engine/models/queues/partitioner.hpp
  double commit_interval_ms = 1000;      // log
  double rebalance_ms = 3000;            // log
  QueueRebalance rebalance = QueueRebalance::eager;   // log
  double session_timeout_ms = 0;         // log: a consumer silent this long leaves the group (0: never)
  double max_poll_interval_ms = 0;       // log: a consumer this long between polls leaves the group (0: never)
  double retention_s = 345600;           // sqs
  ConsumerSpec consumers;
};

// ---- faults and interventions: one shape ----
enum class FaultKind : uint8_t { crash, pause, slow, partition, clock_drift, add_node, remove_node, set };
struct FaultSpec {
  double at_s = 0;
  FaultKind kind = FaultKind::crash;
  std::string target;                    // service, "service#i", cache node, lock instance, consumer, cache
  double for_ms = 0;                     // 0 = for good (crash, slow, partition) ; pause requires > 0
  double factor = 1;                     // slow: service time multiplier; clock_drift: rate
  std::vector<std::string> groups_a, groups_b;  // partition
  std::string node;                      // add_node/remove_node: node name (target is the cache)
  std::string path;                      // set: parameter path, e.g. "/workload/rate_per_s"
  double value = 0;                      // set
};

struct GoalSpec {
  std::string label;
  std::string metric;                    // report JSON path with dots: requests.checkout.latency_ms.p99
  std::string op = "<=";                 // <, <=, ==, >=, >, !=
  double value = 0;
  double points = 1;                     // what passing it is worth to an autograder; > 0, not written when 1
};

// The scenario's texts in another language: one entry of the document's `i18n` object. Lists match the base lists
// by position; an empty text (or a missing item) means "use the base text". None of it reaches the simulation.
struct GoalTranslation {
  std::string label;
};
struct ScenarioTranslation {
  std::string name;
  std::string description;
  std::string task;                      // exercise/task
  std::vector<std::string> hints;        // exercise/hints, the n-th translates /exercise/hints/n
  std::vector<GoalTranslation> goals;    // the n-th translates /goals/n
};

struct Scenario {
  int version = scenario_version;
  std::string name = "Untitled";
  std::string description;
  uint64_t seed = 1;
  double duration_s = 60;
  double sample_interval_ms = 1000;      // time series interval
  WorkloadSpec workload;
  std::vector<RequestSpec> requests;
  std::vector<ServiceSpec> services;
  std::vector<CacheSpec> caches;
  std::vector<LockSpec> locks;
  std::vector<QueueSpec> queues;
  std::vector<FaultSpec> faults;
  std::vector<FaultSpec> interventions;
  std::vector<GoalSpec> goals;
  nlohmann::json view = nlohmann::json::object();
  nlohmann::json exercise = nlohmann::json();   // classroom exercise (task, allowed, hints); null when absent
  std::map<std::string, ScenarioTranslation> i18n;   // by language tag ("zh-CN"); sorted, so written canonically

  time_ns duration_ns() const { return s_to_ns(duration_s); }
};

struct ScenarioParse {
  Scenario scenario;
  std::vector<ValidationError> errors;   // empty when valid
  bool ok() const { return errors.empty(); }
};

// Parses and validates untrusted text. Never throws and never aborts; every problem found is listed.
ScenarioParse parse_scenario(std::string_view text);
ScenarioParse parse_scenario_json(const nlohmann::json& document);
// Canonical form: stable field order, defaults omitted. parse(write(s)) == s.
nlohmann::json scenario_to_json(const Scenario& scenario);
std::string scenario_to_text(const Scenario& scenario, int indent = 2);

}  // namespace pg
