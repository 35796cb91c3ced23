// The world: one run's models and the kernel that drives them. It owns the workload (arrivals, request mix, keys),
// the flows walking compiled step programs, the fault schedule and the event log, and dispatches each event to
// the model that owns its kind (engine/event_kinds.hpp). Views read it through const accessors only.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/budget.hpp"
#include "engine/caches.hpp"
#include "engine/distribution.hpp"
#include "engine/event_kinds.hpp"
#include "engine/event_queue.hpp"
#include "engine/flow.hpp"
#include "engine/histogram.hpp"
#include "engine/locks.hpp"
#include "engine/metrics.hpp"
#include "engine/queues.hpp"
#include "engine/random.hpp"
#include "engine/scenario.hpp"
#include "engine/services.hpp"
#include "engine/slot_pool.hpp"

namespace pg {

struct RequestStats {
  uint64_t arrivals = 0, completed = 0, failed = 0;
  std::array<uint64_t, (size_t)FailReason::count> failed_by{};
  int64_t in_flight = 0;
  Histogram latency;
  Histogram interval_latency;   // reset every sample
  uint64_t interval_completed = 0, interval_failed = 0;
  Series throughput, failures, p50_ms, p99_ms;
};

struct LogEntry {
  time_ns time;
  std::string text;
};

class World {
 public:
  explicit World(const Scenario& scenario);

  // ---- run control (used by Simulation) ----
  uint64_t advance(uint64_t max_events, time_ns until_ns);
  time_ns now() const { return kernel.now_ns; }
  time_ns end_ns() const { return end_ns_; }
  bool finished() const { return kernel.now_ns >= end_ns_ || budget.stopped(); }
  nlohmann::json report(bool with_series) const;
  // Asserts (PG_ASSERT) end-to-end conservation per request type (arrivals = completed + failed + in_flight, the
  // failures by reason add up, the requests in flight are the live workload flows), the flow pool's bookkeeping
  // and every model's check_invariants. A checking build (PG_CHECKS=1) runs it at every sample; tests may call it
  // between any two events. O(flows + jobs + messages).
  void check_invariants() const;

  // ---- what models call ----
  Rng stream(std::string_view name) const { return Rng::for_stream(scenario.seed, name); }
  // Moves the flow past the op it was waiting on: to op.alt when take_alt, else to op.next; then runs it.
  void flow_continue(uint32_t flow_id, bool take_alt);
  // Ends the flow (or its parallel branch) as failed.
  void flow_fail(uint32_t flow_id, FailReason reason);
  // Starts a consumer's processing flow for a message; returns the flow id (no_id when the queue has no steps:
  // then the consumer is done at once and queues.consumer_flow_done is called before this returns).
  uint32_t start_consumer_flow(uint32_t queue_id, uint64_t token, uint32_t key);
  // True while a partition separates the two named things (service, cache node, lock instance, "client").
  bool partitioned(const std::string& a, const std::string& b) const;
  void log(std::string text);
  Flow& flow(uint32_t id) { return flows_[id]; }
  const Flow& flow(uint32_t id) const { return flows_[id]; }
  // The stale check for a flow handle (id, generation) that an event or another model kept.
  bool flow_live(uint32_t id, uint32_t generation) const { return flows_.live(id, generation); }
  // True while slot `id` holds a flow: the precondition of every model entry point that takes a flow id.
  bool flow_exists(uint32_t id) const { return flows_.occupied(id); }
  // Re-runs a flow's current op later (a backoff, or the end of its process's pause).
  void flow_resume_at(uint32_t flow_id, time_ns at_ns);

  // ---- state ----
  const Scenario scenario;
  Kernel kernel;
  Program program;
  std::vector<uint32_t> request_entry;    // per request type: entry op
  std::vector<uint32_t> consumer_entry;   // per queue: entry op of the consumer steps (no_id: none)
  Services services;
  Caches caches;
  Locks locks;
  Queues queues;
  std::vector<RequestStats> request_stats;
  double rate_per_s = 0;                  // the workload's current arrival rate
  std::vector<LogEntry> log_entries;      // the most recent notable events, oldest first (bounded)
  uint64_t log_total = 0;
  Series time_axis;                       // simulated seconds of each sample
  BudgetState budget;                     // the work budget; a run that crossed a limit is finished

  // Every flow slot, live or free (Flow::live), indexed by flow id.
  const std::vector<Flow>& flows() const { return flows_.slots(); }
  uint64_t flows_live() const { return flows_.live_count(); }
  const std::vector<FaultSpec>& fault_schedule() const { return fault_schedule_; }

 private:
  uint32_t compile(const std::vector<StepSpec>& steps, uint32_t end_kind_next);
  void run_flow(uint32_t id);
  void end_flow(uint32_t id, bool ok, FailReason reason);
  void dispatch(const Event& event);
  void schedule_next_arrival();
  void on_arrival(const Event& event);
  void on_sample();
  void apply_fault(uint32_t index, bool begin);
  void apply_set(const FaultSpec& fault);

  time_ns end_ns_ = 0;
  time_ns sample_interval_ns_ = 0;
  SlotPool<Flow> flows_;
  Rng arrival_rng_, mix_rng_, key_rng_;
  ZipfSampler zipf_;
  std::vector<double> mix_cumulative_;
  uint64_t arrival_generation_ = 0;
  size_t next_schedule_point_ = 0;
  std::vector<FaultSpec> fault_schedule_;   // faults, then interventions
  struct ActivePartition { uint32_t fault; };
  std::vector<uint32_t> active_partitions_;
};

}  // namespace pg
