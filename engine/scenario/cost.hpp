// What a scenario costs: static bounds checked at validation (check_cost) and an estimate of the work of a run
// (estimate_cost), shown before running by `playground-cli validate --cost` and by the page.
//
// The per-field limits of scenario.hpp bound each number alone; these bound their products — what a scenario can
// hold at once and what its caches and partitions cost to compute — so that, together with the run-time work
// budget (engine/run/budget.hpp), the worst valid scenario fits in 1 GB natively and in the page's wasm32 heap (2 GB at
// most). Bytes per unit were measured natively (x86-64, glibc) with `bench_adversarial --unit-costs`, as the growth
// of peak RSS over about a million units (fewer where the limits allow fewer):
//   a request waiting at a service (its flow, job and line entry)            172 B
//   a parallel branch waiting at a service                                   251 B
//   a request waiting for a lock (flow, lock client, its retry event)        304 B
//   a request waiting in a ZooKeeper queue (and its node and session events) 468 B
//   a queue message on a broker (slot, id index, ready line)                 161 B
//   a delivery held by a consumer, with its message                          224 B
//   a scheduled event (a timer)                                               34 B
//   a lock message in flight (its event and message slot)                    160 B
//   a lock key used (the store's and the checker's state)                    148 B; a lease about 100 B more
//   a key cached on a node (LRU slot and hash table)                          34 B
//   a ring point                                                              16 B (a Maglev table entry 4 B)
//   a time-series point                                                        9 B, about 47 B more in a report
// The limits below times these costs, with the work budget's, add up to about 970 MB at the very worst;
// docs/limits.md lists them. wasm32 costs are the same or smaller (4-byte pointers in the maps and deques).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pg {

namespace limits {
constexpr double waiting_slots_max = 2'000'000;       // sum over services of instances x queue_max
constexpr double busy_workers_max = 262'144;          // sum over services of instances x workers
constexpr double queue_capacity_max = 1'000'000;      // sum over queues of max_length
constexpr double prefetch_total_max = 524'288;        // sum over queues of consumers x prefetch
constexpr double cached_keys_max = 2'000'000;         // sum over caches of (keys a node can hold) x nodes
constexpr double key_tables_max = 4'000'000;          // caches x the workload's keys (owner and count per key)
constexpr double placement_points_max = 1'000'000;    // sum over caches of ring points (a Maglev entry is 1/4)
constexpr double key_placements_max = 100'000'000;    // sum over caches of keys x builds (start, membership changes)
constexpr double lock_keys_max = 500'000;             // sum over locks of keys x (1 + lock instances)
constexpr double request_steps_max = 4096;            // steps one request (or message) runs, every branch counted
constexpr double series_points_max = 1'000'000;       // time-series points kept, all series together
constexpr double partition_names_max = 256;           // members of all network partitions' groups together
// Requests that could be in the system at once: the arrivals of the whole run, or the peak rate times the
// longest a request can stay (when timeouts and give-ups bound it). Each is at least one event, so a scenario
// above the per-run event budget could never finish.
constexpr double implied_live_max = 64'000'000;
}  // namespace limits

// Appends an error per static bound the scenario exceeds, naming the path that contributes most, the figure and
// the limit. Call on a scenario that is otherwise valid (names resolve, distributions prepared).
void check_cost(const Scenario& scenario, std::vector<ValidationError>& errors);

struct CostEstimate {
  double arrivals = 0;         // requests the workload sends over the run
  double events = 0;           // events the whole run processes (estimate; within a factor of ~3 on the library)
  double peak_live = 0;        // requests in the system at once at the busiest time (estimate)
  double implied_live = 0;     // the static upper bound check_cost compares with limits::implied_live_max
  double messages = 0;         // queue messages published over the run (estimate)
  double seconds = 0;          // wall seconds natively at the measured speed (events / events_per_second)
  double events_per_second = 1e6;
  bool over_event_budget = false;   // events > the default work budget: the run will stop early
  // Lines for people, e.g. "about 53000000 events, about 53 s natively"; warnings separately.
  std::vector<std::string> summary;
  std::vector<std::string> warnings;
};

// Deterministic (portable arithmetic only): the page and the CLI print the same numbers. Cheap: no simulation.
CostEstimate estimate_cost(const Scenario& scenario);

}  // namespace pg
