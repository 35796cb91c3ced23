// The world: one run's models and the kernel that drives them. It owns the workload (arrivals, request mix, keys),
// the flows walking compiled step programs, the fault schedule and the event log, and dispatches each event to
// the model that owns its kind (engine/kernel/event_kinds.hpp). It is the ModelContext the models see
// (engine/run/model.hpp); models never include this header. Views read it through const accessors only.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run/budget.hpp"
#include "engine/models/caches/caches.hpp"
#include "engine/kernel/distribution.hpp"
#include "engine/kernel/event_kinds.hpp"
#include "engine/kernel/event_queue.hpp"
#include "engine/run/flow.hpp"
#include "engine/kernel/histogram.hpp"
#include "engine/models/locks/locks.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/models/queues/queues.hpp"
#include "engine/kernel/random.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/models/services/services.hpp"
#include "engine/kernel/slot_pool.hpp"

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

class World final : public ModelContext {
 public:
  explicit World(const Scenario& scenario);
  // A copy continues exactly as the original would: every member is a value (vectors, ids, random-stream states),
  // nothing points into another (tests/unit/run/test_snapshot.cpp runs copies of every built-in to the end).
  World(const World&);   // engine/run/world_copy.cpp: built for size in the page (a few copies per run, never per event)
  World& operator=(const World&) = delete;

  // ---- run control (used by Simulation) ----
  uint64_t advance(uint64_t max_events, time_ns until_ns);
  time_ns end_ns() const { return end_ns_; }
  bool finished() const { return kernel.now_ns >= end_ns_ || budget.stopped(); }
  nlohmann::json report(bool with_series) const;
  // Asserts (PG_ASSERT) end-to-end conservation per request type (arrivals = completed + failed + in_flight, the
  // failures by reason add up, the requests in flight are the live workload flows), the flow pool's bookkeeping
  // and every model's check_invariants. A checking build (PG_CHECKS=1) runs it at every sample; tests may call it
  // between any two events. O(flows + jobs + messages).
  void check_invariants() const;

  // ---- the ModelContext the models call (engine/run/model.hpp) ----
  void flow_continue(uint32_t flow_id, bool take_alt) override;
  void flow_fail(uint32_t flow_id, FailReason reason) override;
  void flow_resume_at(uint32_t flow_id, time_ns at_ns) override;
  uint32_t start_consumer_flow(uint32_t queue_id, uint64_t token, uint32_t key) override;
  void start_service_flow(uint32_t service_id, uint32_t job_id, uint32_t job_generation, uint32_t instance_id,
                          uint32_t key, time_ns deadline_ns) override;
  bool partitioned(const std::string& a, const std::string& b) const override;
  InstanceView instance(uint32_t instance_id) const override { return services.view(instance_id); }
  const std::string& service_name(uint32_t service_id) const override { return services.specs[service_id].name; }

  // ---- state ----
  const Scenario scenario;
  Program program;
  std::vector<uint32_t> request_entry;    // per request type: entry op
  std::vector<uint32_t> consumer_entry;   // per queue: entry op of the consumer steps (no_id: none)
  std::vector<uint32_t> service_entry;    // per service: entry op of its own steps (no_id: none)
  Services services;
  Caches caches;
  Locks locks;
  Queues queues;
  std::vector<RequestStats> request_stats;
  double rate_per_s = 0;                  // the workload's current arrival rate
  BudgetState budget;                     // the work budget; a run that crossed a limit is finished

  // Every flow slot, live or free (Flow::live), indexed by flow id.
  const std::vector<Flow>& flows() const { return flows_.slots(); }
  uint64_t flows_live() const { return flows_.live_count(); }
  // The models in the order the world calls them (init, faults, sampling, report): part of the trace hash.
  std::array<const Mechanism*, 4> mechanisms() const { return {&services, &caches, &locks, &queues}; }

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
  std::array<Mechanism*, 4> models() { return {&services, &caches, &locks, &queues}; }

  time_ns end_ns_ = 0;
  time_ns sample_interval_ns_ = 0;
  Rng arrival_rng_, mix_rng_, key_rng_;
  ZipfSampler zipf_;
  std::vector<double> mix_cumulative_;
  uint64_t arrival_generation_ = 0;
  size_t next_schedule_point_ = 0;
  std::vector<uint32_t> active_partitions_;
};

}  // namespace pg
