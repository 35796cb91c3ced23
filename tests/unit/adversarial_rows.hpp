// Hostile-but-valid scenarios (issue 15: "No valid input can exhaust memory, freeze the page or run for hours"):
// one row per class of input that once grew the heap without bound, ran for hours, or could, each with what must
// happen to it now. tests/unit/scenario/test_cost.cpp ([cost]) drives every row through the API the CLI uses (parse and
// validate, then Simulation with a work budget); bench/bench_adversarial.cpp runs every row natively with the
// default budget, one forked child per row, and checks each against 60 s and 1 GB of peak RSS (docs/limits.md).
//
// A row's outcome is one of:
//   refused   validation refuses it; one error names `path` and contains `figure` (the limit it exceeds);
//   finishes  it runs to its end without crossing a limit of the work budget;
//   stops     it stops at the work budget, at `limit`.
// `test_budget` is what the unit test (a checking build, PG_CHECKS=1) runs it with: the default, or lower limits
// for a row that would take more than a few seconds there. It never changes the outcome: a row that stops at
// `events` may be given fewer events, a row that stops at live_requests fewer live requests, and so on; the bench
// always uses the default budget.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run/budget.hpp"

namespace pg::adversarial {

enum class Outcome { refused, finishes, stops };

inline const char* outcome_name(Outcome o) {
  switch (o) {
    case Outcome::refused: return "refused";
    case Outcome::finishes: return "finishes";
    case Outcome::stops: return "stops";
  }
  return "?";
}

struct Row {
  std::string name;    // short and unique: bench_adversarial --row NAME
  std::string what;    // the class of input, one line
  std::string text;    // the scenario document
  Outcome outcome = Outcome::finishes;
  std::string path;    // refused: the JSON path of the error
  std::string figure;  // refused: a figure the message contains (the limit)
  BudgetLimit limit = BudgetLimit::none;  // stops
  WorkBudget test_budget{};
};

namespace build {

using json = nlohmann::json;

inline json constant_ms(double ms) { return {{"dist", "constant"}, {"mean_ms", ms}}; }

inline json service(const std::string& name, int instances, int workers, int queue_max, double service_ms,
                    double timeout_ms = 0) {
  json s = {{"name", name},           {"instances", instances},
            {"workers", workers},     {"queue_max", queue_max},
            {"service_time", constant_ms(service_ms)}};
  if (timeout_ms > 0) s["timeout_ms"] = timeout_ms;
  return s;
}

inline json call(const std::string& target) { return {{"call", target}}; }

// A document with one request type "r" running `steps`; the caller adds services, caches and so on.
inline json scenario(const std::string& name, double duration_s, double rate_per_s, json steps) {
  json s = {{"version", 1},
            {"name", name},
            {"duration_s", duration_s},
            {"workload", {{"arrivals", {{"rate_per_s", rate_per_s}}}}},
            {"requests", json::array({{{"name", "r"}, {"steps", std::move(steps)}}})}};
  return s;
}

inline void keys(json& s, uint32_t count, const char* popularity = "uniform") {
  s["workload"]["keys"] = {{"count", count}, {"popularity", popularity}};
}

inline std::vector<std::string> names(const std::string& prefix, int n) {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

inline WorkBudget budget_events(uint64_t events) {
  WorkBudget b;
  b.events = events;
  return b;
}

}  // namespace build

inline std::vector<Row> rows() {
  using namespace build;
  std::vector<Row> rows;
  auto add = [&](Row row) { rows.push_back(std::move(row)); };

  // ---- the links of the issue ---------------------------------------------------------------------------------

  {  // The 329-character link: 64 instances x queue_max 1,000,000, an hour per request, 200,000 arrivals/s.
    json s = scenario("issue: 64 x 1M waiting slots", 3600, 200000, json::array({call("s")}));
    s["services"] = json::array({service("s", 64, 1, 1000000, 3600000)});
    add({"issue-waiting-slots", "64 instances x queue_max 1,000,000 with an hour per request at 200k/s", s.dump(),
         Outcome::refused, "/services/0/queue_max", "2000000"});
  }
  {  // A queue with max_length 10M and no consumers: every message stays.
    json s = scenario("issue: a 10M queue, no consumers", 3600, 200000, json::array({{{"publish", "q"}}}));
    s["queues"] = json::array({{{"name", "q"}, {"max_length", 10000000}, {"consumers", {{"count", 0}}}}});
    add({"issue-queue-10M", "a queue of max_length 10,000,000 and no consumers", s.dump(), Outcome::refused,
         "/queues/0/max_length", "1000000"});
  }
  {  // 200,000 arrivals/s for an hour: 720 million requests, each a few events.
    json s = scenario("issue: 200k/s for an hour", 3600, 200000, json::array({call("s")}));
    s["services"] = json::array({service("s", 8, 64, 1000, 1, 100)});
    add({"issue-200k-per-s-hour", "200,000 arrivals/s for an hour (720 million requests)", s.dump(), Outcome::stops,
         "", "", BudgetLimit::events, budget_events(1'000'000)});
  }
  {  // parallel: 8 branches x 64 calls, about 1e8 events per simulated second.
    json branch = json::array();
    for (int i = 0; i < 64; ++i) branch.push_back(call("s"));
    json branches = json::array();
    for (int b = 0; b < 8; ++b) branches.push_back(branch);
    json s = scenario("issue: parallel 8 x 64", 3600, 100000, json::array({{{"parallel", branches}}}));
    s["services"] = json::array({service("s", 64, 1024, 1000, 0.1, 50)});
    // Each branch's call schedules its completion and its timeout: the timeouts pile up first.
    add({"issue-parallel-8x64", "parallel: 8 branches x 64 calls at 100k/s (about 1e8 events per second)", s.dump(),
         Outcome::stops, "", "", BudgetLimit::pending_events});
  }
  {  // A lock retried every 0.01 ms on one hot key: spinning clients, each retry an event.
    json s = scenario("issue: lock retried every 0.01 ms", 3600, 10000,
                      json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
    keys(s, 1);
    s["services"] = json::array({service("db", 1, 1, 1000, 10)});
    s["locks"] = json::array({{{"name", "l"}, {"kind", "redis"}, {"network_ms", 0},
                               {"acquire", {{"retry_ms", 0.01}, {"give_up_ms", 3600000}}}}});
    // Every attempt schedules its 50 ms request timeout: 5000 of them per waiter pile up as pending events.
    add({"issue-lock-retry-10us", "a redis lock retried every 0.01 ms on one key at 10k/s, give-up after an hour",
         s.dump(), Outcome::stops, "", "", BudgetLimit::pending_events});
  }
  {  // 256 consumers x prefetch 1000, every message poison, a 1 ms visibility timeout, 1000 receives.
    json s = scenario("issue: poison, prefetch 1000, 1 ms visibility", 3600, 10000, json::array({{{"publish", "q"}}}));
    s["services"] = json::array({service("p", 64, 1024, 1000, 1)});
    s["queues"] = json::array({{{"name", "q"},
                                {"kind", "sqs"},
                                {"visibility_timeout_ms", 1},
                                {"max_receives", 1000},
                                {"consumers", {{"count", 256},
                                               {"prefetch", 1000},
                                               {"poison_probability", 1},
                                               {"steps", json::array({call("p")})}}}}});
    add({"issue-poison-prefetch", "256 consumers x prefetch 1000, poison messages, 1 ms visibility timeout",
         s.dump(), Outcome::stops, "", "", BudgetLimit::events, budget_events(1'000'000)});
  }

  // ---- what a scenario holds at once ----------------------------------------------------------------------------

  {  // The waiting lines at their limit (2M slots), filled by requests that never time out.
    json s = scenario("waiting lines full", 20, 200000, json::array({call("a")}));
    s["services"] = json::array({service("a", 2, 1, 1000000, 3600000)});
    WorkBudget b;
    b.live_requests = 100'000;
    add({"waiting-lines-full", "2 x 1,000,000 waiting slots (the limit) filled at 200k/s", s.dump(), Outcome::stops,
         "", "", BudgetLimit::live_requests, b});
  }
  {  // Publishers blocked by a full queue with no consumers: each waiting publisher is a live request.
    json s = scenario("blocked publishers", 3600, 10000, json::array({{{"publish", "q"}}}));
    s["queues"] = json::array(
        {{{"name", "q"}, {"max_length", 1000}, {"on_full", "block"}, {"consumers", {{"count", 0}}}}});
    WorkBudget b;
    b.live_requests = 50'000;
    add({"blocked-publishers", "on_full block, no consumers, 10k/s for an hour: publishers pile up", s.dump(),
         Outcome::stops, "", "", BudgetLimit::live_requests, b});
  }
  {  // Messages held: a queue at the total limit, consumers that hold every delivery for an hour.
    json s = scenario("messages held", 3600, 200000, json::array({{{"publish", "q"}}}));
    s["services"] = json::array({service("slow", 64, 1024, 0, 3600000)});
    s["queues"] = json::array({{{"name", "q"},
                                {"max_length", 1000000},
                                {"visibility_timeout_ms", 3600000},
                                {"consumers", {{"count", 256}, {"prefetch", 1000},
                                               {"steps", json::array({call("slow")})}}}}});
    WorkBudget b;
    b.live_messages = 100'000;
    add({"messages-held", "1,000,000 messages on a queue plus 256 x 1000 prefetched deliveries held for an hour",
         s.dump(), Outcome::stops, "", "", BudgetLimit::live_messages, b});
  }
  {  // Long timeouts: every call schedules its timeout an hour ahead, and each stays pending.
    json s = scenario("hour-long timeouts", 3600, 10000, json::array({call("s")}));
    s["services"] = json::array({service("s", 4, 64, 1000, 1, 3600000)});
    WorkBudget b;
    b.pending_events = 200'000;
    add({"long-timeouts-pending", "calls with a one-hour timeout at 10k/s: timeouts pile up as pending events",
         s.dump(), Outcome::stops, "", "", BudgetLimit::pending_events, b});
  }
  {  // Cache keys: 16 caches x 64 nodes, each node able to hold the whole key space.
    json s = scenario("cached keys", 60, 100, json::array({{{"cache", "c0"}, {"on_miss", json::array()}}}));
    keys(s, 1000000);
    s["caches"] = json::array();
    for (int c = 0; c < 16; ++c)
      s["caches"].push_back({{"name", "c" + std::to_string(c)}, {"nodes", names("n", 64)},
                             {"capacity_keys", 1000000}});
    add({"cached-keys", "16 caches x 64 nodes x 1,000,000 keys per node", s.dump(), Outcome::refused,
         "/caches/0/capacity_keys", "2000000"});
  }
  {  // Key tables: 16 caches, each with the owner and lookup count of a million keys.
    json s = scenario("key tables", 60, 100, json::array({{{"cache", "c0"}, {"on_miss", json::array()}}}));
    keys(s, 1000000);
    s["caches"] = json::array();
    for (int c = 0; c < 16; ++c)
      s["caches"].push_back({{"name", "c" + std::to_string(c)}, {"nodes", names("n", 2)}, {"capacity_keys", 100}});
    add({"key-tables", "16 caches over 1,000,000 keys (an owner and a count per key per cache)", s.dump(),
         Outcome::refused, "/workload/keys/count", "4000000"});
  }
  {  // Ring points: 64 nodes x 1000 points x weight 32 with the fast hash.
    json s = scenario("ring points", 60, 100, json::array({{{"cache", "c"}, {"on_miss", json::array()}}}));
    s["caches"] = json::array({{{"name", "c"}, {"nodes", names("n", 64)}, {"weights", std::vector<int>(64, 32)},
                                {"placement", {{"vnodes", 1000}, {"hash", "fast"}}}}});
    add({"ring-points", "a ring of 64 nodes x 1000 points x weight 32 (2,048,000 points)", s.dump(), Outcome::refused,
         "/caches/0/placement", "1000000"});
  }
  {  // Lock messages in flight: a redlock of 15 instances 10 s away, 100k acquires/s.
    json s = scenario("lock messages in flight", 3600, 100000,
                      json::array({{{"lock", "l"}, {"inside", json::array()}}}));
    keys(s, 30000);
    s["locks"] = json::array({{{"name", "l"}, {"kind", "redlock"}, {"instances", 15}, {"network_ms", 10000},
                               {"request_timeout_ms", 60000}}});
    WorkBudget b;
    b.pending_events = 100'000;
    add({"lock-messages-in-flight", "a redlock of 15 instances 10 s away at 100k/s: messages pile up in flight",
         s.dump(), Outcome::stops, "", "", BudgetLimit::pending_events, b});
  }
  {  // Lock keys: a million keys on a redlock of 15 instances.
    json s = scenario("lock keys", 60, 100, json::array({{{"lock", "l"}, {"inside", json::array()}}}));
    keys(s, 1000000);
    s["locks"] = json::array({{{"name", "l"}, {"kind", "redlock"}, {"instances", 15}}});
    add({"lock-keys", "1,000,000 keys x a redlock of 15 instances", s.dump(), Outcome::refused,
         "/locks/0/instances", "500000"});
  }
  {  // Prefetch over its limit: three queues of 256 consumers x 1000.
    json s = scenario("prefetch", 60, 100, json::array({{{"publish", "q0"}}}));
    s["queues"] = json::array();
    for (int q = 0; q < 3; ++q)
      s["queues"].push_back({{"name", "q" + std::to_string(q)}, {"consumers", {{"count", 256}, {"prefetch", 1000}}}});
    add({"prefetch-total", "3 queues x 256 consumers x prefetch 1000", s.dump(), Outcome::refused,
         "/queues/0/consumers/prefetch", "524288"});
  }

  // ---- what a run computes --------------------------------------------------------------------------------------

  {  // Series: every kind of series an hour long, sampled every 10 ms.
    json s = scenario("series points", 3600, 10, json::array({call("s0")}));
    s["sample_interval_ms"] = 10;
    s["services"] = json::array();
    for (int i = 0; i < 64; ++i) s["services"].push_back(service("s" + std::to_string(i), 1, 1, 10, 1));
    s["caches"] = json::array();
    for (int c = 0; c < 16; ++c)
      s["caches"].push_back({{"name", "c" + std::to_string(c)}, {"nodes", names("c" + std::to_string(c) + "n", 64)}});
    add({"series-points", "64 services and 16 caches x 64 nodes sampled every 10 ms for an hour", s.dump(),
         Outcome::refused, "/sample_interval_ms", "1000000"});
  }
  {  // Series just under the limit: an hour at 10 ms, as many series as fit (136 x 7200 points).
    json s = scenario("series at the limit", 3600, 10, json::array({call("s0")}));
    s["sample_interval_ms"] = 10;
    s["services"] = json::array();
    for (int i = 0; i < 31; ++i) s["services"].push_back(service("s" + std::to_string(i), 64, 1, 10, 1));
    s["caches"] = json::array({{{"name", "c"}, {"nodes", names("n", 2)}}});
    add({"series-at-limit", "136 series of 7200 points, sampled every 10 ms for an hour (and reported)", s.dump(),
         Outcome::finishes});
  }
  {  // Steps: parallel steps nested so that one request runs far more than 4096 steps.
    json inner = json::array();
    for (int i = 0; i < 64; ++i) inner.push_back(call("s"));
    json steps = inner;
    for (int depth = 0; depth < 3; ++depth) {
      json branches = json::array();
      for (int b = 0; b < 8; ++b) branches.push_back(steps);
      steps = json::array({{{"parallel", branches}}});
    }
    json s = scenario("deep steps", 60, 10, steps);
    s["services"] = json::array({service("s", 1, 1, 10, 1)});
    add({"deep-steps", "parallel nested 3 deep, 8 branches each, 64 calls at the bottom (32768 steps)", s.dump(),
         Outcome::refused, "/requests/0/steps/0/parallel", "4096"});
  }
  {  // Steps at the limit: 8 branches x 8 branches x 64 calls = 4096 calls per request.
    json inner = json::array();
    for (int i = 0; i < 63; ++i) inner.push_back(call("s"));
    json mid = json::array();
    for (int b = 0; b < 8; ++b) mid.push_back(inner);
    json outer = json::array();
    for (int b = 0; b < 8; ++b) outer.push_back(json::array({{{"parallel", mid}}}));
    json s = scenario("steps at the limit", 3600, 1000, json::array({{{"parallel", outer}}}));
    s["services"] = json::array({service("s", 64, 1024, 1000, 0.1, 10)});
    add({"steps-at-limit", "4096 steps per request (64 branches x 63 calls) at 1000/s", s.dump(), Outcome::stops,
         "", "", BudgetLimit::events, budget_events(1'000'000)});
  }
  {  // Retries x timeouts: 64 calls per request, each timing out after 1 ms and retried 10 times.
    json steps = json::array();
    for (int i = 0; i < 64; ++i) steps.push_back(call("slow"));
    json s = scenario("retry amplification", 3600, 1000, steps);
    json slow = service("slow", 64, 1024, 1000000 / 64, 50, 1);
    slow["retries"] = {{"max", 10}, {"backoff_ms", 0.01}, {"backoff_max_ms", 0.01}};
    s["services"] = json::array({slow});
    add({"retry-timeout-amplification", "64 calls x 11 attempts, each timing out after 1 ms, at 1000/s", s.dump(),
         Outcome::stops, "", "", BudgetLimit::events, budget_events(1'000'000)});
  }
  {  // A call tree whose per-layer retries multiply: seven layers retrying 4 times are 5^6 attempts at the bottom.
    json services = json::array();
    for (int i = 0; i < 7; ++i) {
      json sv = service("t" + std::to_string(i), 1, 64, 100, 1, 10);
      sv["retries"] = {{"max", 4}};
      if (i < 6) sv["steps"] = json::array({call("t" + std::to_string(i + 1))});
      services.push_back(sv);
    }
    json s = scenario("call tree retry storm", 60, 100, json::array({call("t0")}));
    s["services"] = services;
    add({"call-tree-retries-refused", "seven layers of a call tree each retrying 4 times (19 531 steps a request)",
         s.dump(), Outcome::refused, "/requests/0/steps", "4096"});
  }
  {  // Just under the step bound: three layers retrying 10 times, every attempt hedged after 0.5 ms and timing out
     // after 1 ms, each call crossing a network: 507 steps a request, at 1000/s for an hour.
    json services = json::array();
    for (int i = 0; i < 3; ++i) {
      json sv = service("h" + std::to_string(i), 64, 1024, 1000, 5, 1);
      sv["retries"] = {{"max", 10}, {"backoff_ms", 0.01}, {"backoff_max_ms", 0.01}};
      sv["hedge"] = {{"after_ms", 0.5}};
      sv["network"] = {{"dist", "exponential"}, {"mean_ms", 0.2}};
      if (i < 2) sv["steps"] = json::array({call("h" + std::to_string(i + 1))});
      services.push_back(sv);
    }
    json s = scenario("call tree amplification", 3600, 1000, json::array({call("h0")}));
    s["services"] = services;
    add({"call-tree-amplification", "three layers x 11 attempts x a hedge each, timing out after 1 ms, at 1000/s",
         s.dump(), Outcome::stops, "", "", BudgetLimit::events, budget_events(1'000'000)});
  }
  {  // A log with 256 partitions and 256 consumers, crashed and restarted every 2 ms: a rebalance each time.
    json s = scenario("kafka rebalances", 60, 20000, json::array({{{"publish", "log"}}}));
    keys(s, 100000);
    s["queues"] = json::array({{{"name", "log"},
                                {"kind", "log"},
                                {"partitions", 256},
                                {"commit_interval_ms", 1},
                                {"rebalance_ms", 0},
                                {"consumers", {{"count", 256}, {"prefetch", 1000}}}}});
    s["faults"] = json::array();
    for (int i = 0; i < 1024; ++i)
      s["faults"].push_back({{"at_s", 0.002 * i}, {"kind", "crash"},
                             {"target", "log/consumer#" + std::to_string(i % 256)}, {"for_ms", 1}});
    add({"kafka-rebalances", "a log of 256 partitions and 256 consumers: 2048 rebalances, commits every 1 ms",
         s.dump(), Outcome::finishes});
  }
  {  // Redeliveries to one stuck consumer: every message it holds times out after 1 ms.
    json s = scenario("redeliveries", 3600, 1000, json::array({{{"publish", "q"}}}));
    s["services"] = json::array({service("slow", 1, 1, 0, 3600000)});
    s["queues"] = json::array({{{"name", "q"},
                                {"kind", "sqs"},
                                {"visibility_timeout_ms", 1},
                                {"max_receives", 1000},
                                {"consumers", {{"count", 1}, {"prefetch", 1000},
                                               {"steps", json::array({call("slow")})}}}}});
    add({"redeliveries-one-consumer", "one consumer stuck for an hour, prefetch 1000, 1 ms visibility timeout",
         s.dump(), Outcome::finishes});
  }

  // ---- work inside one event --------------------------------------------------------------------------------------

  {  // Key placements: rendezvous over 64 nodes of weight 100 (6400 scores per key) for 1M keys, in 16 caches,
     // rebuilt at each of 1024 crashes and recoveries of a node every cache has.
    json s = scenario("rendezvous rebuilds", 10, 1, json::array({{{"cache", "c0"}, {"on_miss", json::array()}}}));
    keys(s, 1000000);
    s["caches"] = json::array();
    for (int c = 0; c < 16; ++c)
      s["caches"].push_back({{"name", "c" + std::to_string(c)}, {"nodes", names("n", 64)},
                             {"weights", std::vector<int>(64, 100)}, {"capacity_keys", 1},
                             {"placement", {{"algorithm", "rendezvous"}}}});
    s["faults"] = json::array();
    for (int i = 0; i < 1024; ++i)
      s["faults"].push_back({{"at_s", 0.001 * i}, {"kind", "crash"}, {"target", "n0"}, {"for_ms", 0.5}});
    add({"placement-rendezvous", "rendezvous, 64 nodes x weight 100, 1M keys, 16 caches x 2049 rebuilds", s.dump(),
         Outcome::refused, "/caches/0/placement", "100000000"});
  }
  {  // Key placements on rings: 16 caches of 64 nodes x 1000 ketama points, 1M keys, 2049 rebuilds each.
    json s = scenario("ring rebuilds", 10, 1, json::array({{{"cache", "c0"}, {"on_miss", json::array()}}}));
    keys(s, 1000000);
    s["caches"] = json::array();
    for (int c = 0; c < 16; ++c)
      s["caches"].push_back({{"name", "c" + std::to_string(c)}, {"nodes", names("n", 64)}, {"capacity_keys", 1},
                             {"placement", {{"algorithm", "ring"}, {"vnodes", 1000}, {"hash", "ketama"}}}});
    s["faults"] = json::array();
    for (int i = 0; i < 1024; ++i)
      s["faults"].push_back({{"at_s", 0.001 * i}, {"kind", "crash"}, {"target", "n0"}, {"for_ms", 0.5}});
    add({"placement-ring", "rings of 64 nodes x 1000 points, 1M keys, 16 caches x 2049 rebuilds", s.dump(),
         Outcome::refused, "/caches/0/placement", "100000000"});
  }
  {  // Key placements within the limit: one ring cache of 1M keys rebuilt 100 times while serving lookups.
    json s = scenario("ring rebuilds within the limit", 60, 2000,
                      json::array({{{"cache", "c"}, {"on_miss", json::array({call("db")})}}}));
    keys(s, 1000000, "zipf");
    s["services"] = json::array({service("db", 4, 64, 1000, 2)});
    s["caches"] = json::array({{{"name", "c"}, {"nodes", names("n", 64)}, {"capacity_keys", 20000},
                                {"placement", {{"algorithm", "ring"}, {"vnodes", 1000}, {"hash", "ketama"}}}}});
    s["faults"] = json::array();
    for (int i = 0; i < 46; ++i)   // 1 + 2 x 46 builds x (1M keys + 64000 points): just under 100M placements
      s["faults"].push_back({{"at_s", 1.0 + i}, {"kind", "crash"}, {"target", "n" + std::to_string(i)},
                             {"for_ms", 500}});
    add({"placement-within-limit", "a ring of 64 x 1000 points over 1M keys, rebuilt 92 times under load",
         s.dump(), Outcome::finishes});
  }
  {  // Network partitions: 2048 partitions between groups of 64 names each, checked at every call.
    json s = scenario("partition groups", 3600, 20000, json::array({call("s")}));
    s["services"] = json::array({service("s", 4, 64, 1000, 1, 100)});
    json group = json::array();
    for (int i = 0; i < 64; ++i) group.push_back("clien" + std::to_string(i % 10));
    s["faults"] = json::array();
    s["interventions"] = json::array();
    for (int i = 0; i < 1500; ++i)   // as many as fit in a document of 1 MB
      s[i < 1024 ? "faults" : "interventions"].push_back(
          {{"at_s", 0}, {"kind", "partition"}, {"groups_a", group}, {"groups_b", {"x"}}});
    add({"partition-groups", "1500 network partitions of 64 + 1 names, checked at each of 20k calls/s", s.dump(),
         Outcome::refused, "/faults/0/groups_a", "256"});
  }
  {  // Partitions at the limit: 256 names in all, every one compared at each call.
    json s = scenario("partition groups at the limit", 3600, 20000, json::array({call("s")}));
    s["services"] = json::array({service("s", 4, 64, 1000, 1, 100)});
    json group = json::array();
    for (int i = 0; i < 63; ++i) group.push_back("clien" + std::to_string(i % 10));
    s["faults"] = json::array();
    for (int i = 0; i < 4; ++i)
      s["faults"].push_back({{"at_s", 0}, {"kind", "partition"}, {"groups_a", group}, {"groups_b", {"x"}}});
    add({"partition-groups-at-limit", "4 network partitions of 63 + 1 names, checked at each of 20k calls/s",
         s.dump(), Outcome::stops, "", "", BudgetLimit::events, budget_events(1'000'000)});
  }
  {  // A ZooKeeper queue on one key: 10k/s join it, one holder at a time, nobody gives up for an hour.
    json s = scenario("zookeeper herd", 3600, 10000,
                      json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
    keys(s, 1);
    s["services"] = json::array({service("db", 1, 1, 1000, 10)});
    s["locks"] = json::array({{{"name", "l"}, {"kind", "zookeeper"}, {"network_ms", 1},
                               {"acquire", {{"give_up_ms", 3600000}}}}});
    add({"zookeeper-queue", "10k/s join one key's ZooKeeper queue, served 100/s, give-up after an hour", s.dump(),
         Outcome::stops, "", "", BudgetLimit::zookeeper_nodes});
  }
  {  // A ZooKeeper queue whose waiters ping every 0.33 ms (a 1 ms session) with no network delay.
    json s = scenario("zookeeper pings", 3600, 10000,
                      json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
    keys(s, 1);
    s["services"] = json::array({service("db", 1, 1, 1000, 10)});
    s["locks"] = json::array({{{"name", "l"}, {"kind", "zookeeper"}, {"session_timeout_ms", 1}, {"network_ms", 0},
                               {"acquire", {{"give_up_ms", 3600000}}}}});
    add({"zookeeper-pings", "one key's ZooKeeper queue with a 1 ms session (pings every 0.33 ms) at 10k/s",
         s.dump(), Outcome::stops, "", "", BudgetLimit::zookeeper_nodes});
  }
  {  // A ZooKeeper queue kept just under the limit: 2000/s join, 100/s are served, the rest give up after 0.95 s,
     // and every waiter pings every 0.33 ms, each ping scanning the queue.
    json s = scenario("zookeeper queue under the limit", 3600, 2000,
                      json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
    keys(s, 1);
    s["services"] = json::array({service("db", 1, 1, 1000, 10)});
    s["locks"] = json::array({{{"name", "l"}, {"kind", "zookeeper"}, {"session_timeout_ms", 1}, {"network_ms", 0},
                               {"acquire", {{"give_up_ms", 950}}}}});
    add({"zookeeper-pings-under-limit", "a ZooKeeper queue of about 1900 waiters, each pinging every 0.33 ms",
         s.dump(), Outcome::stops, "", "", BudgetLimit::events, budget_events(1'000'000)});
  }
  {  // Overlapping holders: a 1 ms TTL under a minute-long hold, so each key gains a believer every millisecond
     // and every new one is compared with all the others.
    json s = scenario("overlapping holders", 3600, 1000,
                      json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
    keys(s, 10);
    s["services"] = json::array({service("db", 64, 1024, 0, 60000, 120000)});
    s["locks"] = json::array({{{"name", "l"}, {"kind", "redis"}, {"ttl_ms", 1}, {"network_ms", 0},
                               {"acquire", {{"retry_ms", 1}, {"give_up_ms", 60000}}}}});
    add({"lock-overlaps", "redis TTL 1 ms under a one-minute hold: thousands of believers per key", s.dump(),
         Outcome::stops, "", "", BudgetLimit::lock_overlaps});
  }
  return rows;
}

}  // namespace pg::adversarial
