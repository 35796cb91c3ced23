// The interface between the world and its mechanism models (services, caches, locks, queues).
//
// A model sees the run only through ModelContext: the kernel (clock, scheduling), the flow API (continue, fail,
// resume later, start a consumer's flow), random streams, the event log, partitions, the fault schedule and a
// read-only view of the services' instances. It never includes engine/run/world.hpp and never reads another model's
// state, so a model can be added, changed or tested against a fake context without touching the others.
//
// Every model implements Mechanism: the entry points the world calls for all models alike, always in the fixed
// order services, caches, locks, queues (the order is part of the trace hash: do not reorder). The entry points a
// flow op calls (Services::call, Caches::lookup, Locks::acquire, Queues::publish ...) stay typed methods of each
// model; World::run_flow calls them. docs/architecture.md has the checklist for adding a mechanism.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernel/event_queue.hpp"
#include "engine/run/flow.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/kernel/random.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/kernel/slot_pool.hpp"

namespace pg {

struct ParameterRef;   // engine/scenario/parameter_path.hpp

struct LogEntry {
  time_ns time;
  std::string text;
};

// What another model may know of a service instance (the services model owns the rest).
struct InstanceView {
  uint32_t service = 0;          // service index
  uint32_t index = 0;            // 0-based instance number within its service ("order#1" has index 1)
  uint64_t generation = 0;       // bumped on every crash
  bool crashed = false;
  time_ns paused_until_ns = 0;   // > now while paused
  // The process's own clock (a clock_drift fault on the service or instance): local time at real time t is
  // clock_base_local_ns + (t - clock_base_real_ns) * clock_rate. Only lock clients read it, to time their leases.
  double clock_rate = 1;
  time_ns clock_base_real_ns = 0, clock_base_local_ns = 0;
  bool paused(time_ns now) const { return paused_until_ns > now; }
  time_ns local_ns(time_ns real_ns) const {
    return clock_base_local_ns + (time_ns)((double)(real_ns - clock_base_real_ns) * clock_rate);
  }
};

class ModelContext {
 public:
  ModelContext& operator=(const ModelContext&) = delete;

  // ---- the clock and the event queue ----
  Kernel kernel;
  time_ns now() const { return kernel.now_ns; }
  // Simulated seconds of each sample; models' series are indexed like it.
  Series time_axis;

  // ---- random streams: one per name, derived from the scenario's seed ----
  Rng stream(std::string_view name) const { return Rng::for_stream(seed_, name); }

  // ---- flows ----
  Flow& flow(uint32_t id) { return flows_[id]; }
  const Flow& flow(uint32_t id) const { return flows_[id]; }
  // The stale check for a flow handle (id, generation) that an event or another model kept.
  bool flow_live(uint32_t id, uint32_t generation) const { return flows_.live(id, generation); }
  // True while slot `id` holds a flow: the precondition of every model entry point that takes a flow id.
  bool flow_exists(uint32_t id) const { return flows_.occupied(id); }
  // Moves the flow past the op it was waiting on: to op.alt when take_alt, else to op.next; then runs it.
  virtual void flow_continue(uint32_t flow_id, bool take_alt) = 0;
  // Ends the flow (or its parallel branch) as failed.
  virtual void flow_fail(uint32_t flow_id, FailReason reason) = 0;
  // Re-runs a flow's current op later (a backoff, or the end of its process's pause).
  virtual void flow_resume_at(uint32_t flow_id, time_ns at_ns) = 0;
  // Starts a consumer's processing flow for a message; returns the flow id (no_id when the queue has no steps:
  // then the consumer is done at once and the queues model's consumer_flow_done is called before this returns).
  virtual uint32_t start_consumer_flow(uint32_t queue_id, uint64_t token, uint32_t key) = 0;
  // Runs a service's own steps for one call (a call tree): a flow owned by the job (id, generation) that the
  // worker on `instance_id` holds, with the caller's key and deadline. When the flow ends, the world calls
  // Services::steps_done for that job (a job freed meanwhile, by a crash, ignores it).
  virtual void start_service_flow(uint32_t service_id, uint32_t job_id, uint32_t job_generation, uint32_t instance_id,
                                  uint32_t key, time_ns deadline_ns) = 0;

  // ---- the network and the fault schedule ----
  // True while a partition separates the two named things (service, cache node, lock instance, "client").
  virtual bool partitioned(const std::string& a, const std::string& b) const = 0;
  // The scenario's faults, then its interventions (as World::apply_fault indexes them).
  const std::vector<FaultSpec>& fault_schedule() const { return fault_schedule_; }

  // ---- the services' instances, read-only ----
  virtual InstanceView instance(uint32_t instance_id) const = 0;
  virtual const std::string& service_name(uint32_t service_id) const = 0;
  // The name partitions know a caller by: its service's, or "client" (no_id: the workload). A reference, so the hot
  // paths that ask on every call copy no string.
  const std::string& caller_name(uint32_t service_id) const;

  // ---- the event log: the most recent notable events, oldest first (bounded) ----
  void log(std::string text);
  std::vector<LogEntry> log_entries;
  uint64_t log_total = 0;

 protected:
  explicit ModelContext(uint64_t seed) : seed_(seed) {}
  // Only a whole World is copied (a snapshot for seeking, Simulation::clone): every member is a value.
  ModelContext(const ModelContext&) = default;
  ~ModelContext() = default;

  uint64_t seed_;
  SlotPool<Flow> flows_;
  std::vector<FaultSpec> fault_schedule_;
};

// The entry points every model implements. The world calls each for all models in the fixed order above.
class Mechanism {
 public:
  virtual ~Mechanism() = default;
  // The report's key for this model ("services", "caches", "locks", "queues"), also its series' key.
  virtual const char* name() const = 0;
  // Builds the model's state from the scenario; may schedule its first events.
  virtual void init(ModelContext& ctx, const Scenario& scenario) = 0;
  // Handles an event whose kind lies in the model's range (engine/kernel/event_kinds.hpp).
  virtual void handle(ModelContext& ctx, const Event& event) = 0;
  // Applies a fault's begin or end if its target belongs to this model; false when it does not.
  virtual bool apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) = 0;
  // A `set` intervention on one of this model's fields (the path was resolved at validation).
  virtual void apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) = 0;
  // The time-series tick, after ctx.time_axis got its point.
  virtual void sample(ModelContext& ctx, time_ns interval_ns) = 0;
  // The model's part of the report (report[name()]) and of its series (report["series"][name()]).
  virtual nlohmann::json report(const ModelContext& ctx) const = 0;
  virtual nlohmann::json series_report() const = 0;
  // Asserts the model's invariants (PG_ASSERT); O(state). World::check_invariants calls it.
  virtual void check_invariants(const ModelContext& ctx) const = 0;
};

}  // namespace pg
