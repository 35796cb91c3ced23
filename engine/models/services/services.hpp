// Services: instances with a fixed number of workers and a bounded waiting line (FIFO), a sampled service time, a
// balancer that picks an instance per call, per-attempt timeouts and retries with backoff and jitter.
// Invariants: per service, arrivals = completed + rejected + timed_out + crashed + unreachable + failed +
// deadline_exceeded + cancelled + rate_limited + in_flight; a job occupies a worker until its service time (and its service's own steps) end
// even if its caller gave up (real servers keep working); no worker takes a call whose deadline has passed.
// Call trees: a service with steps runs them after its service time in a flow the job owns, still holding the
// worker, and answers when they end (World::start_service_flow, Services::steps_done).
#pragma once
#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/kernel/distribution.hpp"
#include "engine/kernel/event_queue.hpp"
#include "engine/run/model.hpp"
#include "engine/run/flow.hpp"
#include "engine/kernel/histogram.hpp"
#include "engine/kernel/metrics.hpp"
#include "engine/kernel/random.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/kernel/slot_pool.hpp"

namespace pg {


struct Instance {
  uint32_t service = 0;
  uint32_t index = 0;
  bool crashed = false;
  time_ns paused_until_ns = 0;          // > now while paused
  time_ns crashed_at_ns = 0;
  double slow_factor = 1;
  double clock_rate = 1;                // clock_drift: local seconds per real second (InstanceView::local_ns)
  time_ns clock_base_real_ns = 0, clock_base_local_ns = 0;
  int busy = 0;                         // workers in use (jobs whose caller waits, or abandoned ones)
  std::deque<uint32_t> line;            // waiting jobs, FIFO
  std::vector<uint32_t> running;        // job ids in service
  uint64_t generation = 0;              // bumped on crash: stale restart events are ignored
  TimeWeighted busy_tw, line_tw;
  uint64_t served = 0;
  bool paused(time_ns now) const { return paused_until_ns > now; }
  int connections() const { return busy + (int)line.size(); }
};

// Where a call is. Without a network (ServiceSpec::network) a job only ever is at_instance, as before networks and
// call trees existed; each other phase belongs to one of those features.
enum class JobPhase : uint8_t {
  at_instance,   // waiting in the instance's line or in its service time
  to_instance,   // the request crossing the network (call_arrive ends it)
  lost,          // dropped by a partition: only the caller's timeout or deadline ends it
  steps,         // service time over; the worker runs the service's own steps (a flow owned by this job)
  to_caller,     // the answer crossing the network back (call_reply ends it)
};

struct Job {
  uint32_t flow = no_id;
  uint32_t flow_generation = 0;
  uint32_t service = 0;
  uint32_t instance = 0;               // global instance index
  // The completion event carries the epoch; it moves on when that event is invalidated (a pause, a crash, the
  // job's end) and at the next job in the slot, so it belongs to the slot and counts on across occupants.
  uint32_t epoch = 0;
  time_ns arrive_ns = 0;
  time_ns done_ns = 0;
  time_ns remaining_ns = 0;            // while its instance is paused
  bool caller_waiting = false;         // false after a timeout: the result is thrown away
  bool running = false;                // holds a worker (its service time, then its steps)
  JobPhase phase = JobPhase::at_instance;
  FailReason answer = FailReason::none;   // to_caller: what the answer says (none: done)
  bool answer_from_steps = false;         // to_caller: a failure of the service's own steps, not of the service
  uint32_t bulkhead_slot = no_id;      // the caller's bulkhead count this call holds while its caller waits
  uint32_t twin = no_id;               // hedging: the other attempt of the same call (and its generation)
  uint32_t twin_generation = 0;
  uint32_t key = 0;                    // the caller's key and deadline, for the service's own steps
  time_ns deadline_ns = 0;
  uint32_t generation = 0;             // the job pool's (engine/kernel/slot_pool.hpp); the timeout event carries it
  bool live = false;
  static void carry_over(const Job& previous, Job& next) { next.epoch = previous.epoch + 1; }
};

struct ServiceStats {
  uint64_t arrivals = 0, completed = 0, rejected = 0, timed_out = 0, crashed = 0, unreachable = 0, retries = 0;
  // Call trees and deadlines: calls whose own steps failed; calls whose caller stopped waiting at its deadline;
  // calls a worker skipped because their deadline had passed before it took them (not in the conservation: the
  // caller has usually stopped waiting already, and counts there).
  uint64_t failed = 0, deadline_exceeded = 0, expired = 0;
  uint64_t breaker_open = 0;   // calls its breakers refused (never sent, so not arrivals)
  // Hedging: second attempts sent; attempts nobody waited for any more because their twin answered first (in the
  // conservation); failures of an attempt whose twin still ran (counted by their reason too, not retried).
  uint64_t hedged = 0, cancelled = 0;
  // Admission control: calls the rate limiter refused (arrivals, in the conservation); calls dropped for waiting
  // longer than shed/max_wait_ms (those whose caller still waited count as rejected too); calls a caller's bulkhead
  // refused (never sent, not arrivals).
  uint64_t rate_limited = 0, shed = 0, bulkhead_full = 0;
  int64_t in_flight = 0;
  Histogram latency, wait;
  // Per sampling interval, for the time series.
  uint64_t interval_completed = 0, interval_failed = 0;
};

// The retry budget's token bucket of one service (ServiceSpec::retry_budget). The cap, 10 s worth of what fills it
// (Finagle keeps deposits for a 10 s TTL), keeps a quiet hour from saving up a storm.
struct RetryBudgetState {
  double tokens = 0;
  time_ns refilled_ns = 0;
  std::array<uint64_t, 10> calls_by_second{};   // first attempts in each of the last 10 seconds (ring by second)
  int64_t second = 0;                            // the second calls_by_second[second % 10] counts
  uint64_t refused = 0;                          // retries not made for want of budget
};

// One circuit breaker: the calls from one caller (the client, or a service) to one service with a breaker
// (ServiceSpec::circuit_breaker). The epoch moves on at every change of state, so the outcome of a call let through
// in an earlier state is not counted in the new one.
enum class BreakerPhase : uint8_t { closed, open, half_open };
struct BreakerState {
  BreakerPhase phase = BreakerPhase::closed;
  uint32_t epoch = 0;
  std::array<uint32_t, 10> calls{}, failures{};   // closed: outcomes per tenth of the window (ring)
  int64_t bucket = 0;                              // the tenth calls[bucket % 10] counts
  time_ns open_until_ns = 0;
  uint32_t probes_sent = 0, probes_done = 0, probes_failed = 0;
  time_ns half_open_since_ns = 0;
  uint64_t opened = 0, refused = 0, seen = 0;      // times it opened, calls it refused, calls it judged
  time_ns not_closed_since_ns = 0, not_closed_total_ns = 0;   // time open or half-open
};

struct ServiceSeries {
  Series utilization, line_length, throughput, failures;
  Series breaker_state;   // with a breaker: its worst state over callers (0 closed, 1 half-open, 2 open)
  double busy_area_before = 0, line_area_before = 0;   // areas at the previous sample
};

class Services final : public Mechanism {
 public:
  const char* name() const override { return "services"; }
  void init(ModelContext& ctx, const Scenario& scenario) override;
  void handle(ModelContext& ctx, const Event& event) override;
  // Crash, pause and slow aimed at a service ("order": every instance) or one instance ("order#1"); false for
  // any other fault or target.
  bool apply_fault(ModelContext& ctx, const FaultSpec& fault, bool begin) override;
  // A `set` of a service field (/services/<name>/<field>), resolved by engine/scenario/parameter_path.hpp.
  void apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& fault) override;
  void sample(ModelContext& ctx, time_ns interval_ns) override;
  nlohmann::json report(const ModelContext& ctx) const override;
  nlohmann::json series_report() const override;
  // Asserts the invariants above (conservation per service; busy workers = running jobs; in_flight = the jobs
  // whose caller waits) and the job pool's bookkeeping. O(jobs + instances); World::check_invariants calls it.
  void check_invariants(const ModelContext& ctx) const override;
  // Starts a call attempt for the flow at its current op. Completion comes back through ctx.flow_continue
  // or the retry logic.
  void call(ModelContext& ctx, uint32_t flow_id, uint32_t service_id);
  // The end of a service's own steps for the job (id, generation): the call is answered, done or failed.
  void steps_done(ModelContext& ctx, uint32_t job_id, uint32_t job_generation, FailReason reason);
  void crash(ModelContext& ctx, uint32_t instance, bool crashed);
  void pause(ModelContext& ctx, uint32_t instance, time_ns until_ns);
  void slow(ModelContext& ctx, uint32_t instance, double factor);
  void drift_clock(ModelContext& ctx, uint32_t instance, double rate);
  // What other models may know of an instance (ModelContext::instance).
  InstanceView view(uint32_t instance) const;
  // For the views (const).
  const std::vector<Instance>& instances() const { return instances_; }
  const std::vector<uint32_t>& first_instance() const { return first_instance_; }
  const std::vector<ServiceStats>& stats() const { return stats_; }
  const std::vector<ServiceSeries>& series() const { return series_; }
  const std::vector<RetryBudgetState>& retry_budgets() const { return budgets_; }
  // The breaker of the calls from `caller` (no_id: the client) to `service`; null without one.
  const BreakerState* breaker_of(uint32_t caller, uint32_t service) const;
  // Job slots, live and free (Job::live): a flow's current call is jobs()[flow.job] (waiting in a line or running).
  const std::vector<Job>& jobs() const { return jobs_.slots(); }
  uint32_t find(const std::string& name) const;
  // Instance named "service#i" (0-based) or, for a bare service name, no_id.
  uint32_t find_instance(const std::string& name) const;
  std::vector<ServiceSpec> specs;      // copied from the scenario; `set` interventions may change them

  // The balancer's choice of a live instance for a call with this key (no_id: all down). Public for the tests and
  // the inspector; it advances the round-robin counter and the service's random stream.
  uint32_t pick_instance(ModelContext& ctx, uint32_t service_id, uint32_t key);

 private:
  void start_job(ModelContext& ctx, uint32_t job_id);
  uint32_t open_job(ModelContext& ctx, uint32_t flow_id, uint32_t service_id, uint32_t instance_id);
  void start_or_queue(ModelContext& ctx, uint32_t job_id, Instance& instance, bool can_start);
  void finish_job(ModelContext& ctx, uint32_t job_id);
  void send(ModelContext& ctx, uint32_t flow_id, uint32_t service_id);
  void arrive(ModelContext& ctx, uint32_t job_id);
  void end_service(ModelContext& ctx, uint32_t job_id, FailReason reason, bool from_steps);
  void deliver(ModelContext& ctx, uint32_t job_id);
  void answer(ModelContext& ctx, uint32_t job_id, FailReason reason, bool from_steps);
  void settle(ModelContext& ctx, bool caller_waiting, uint32_t flow_id, uint32_t flow_generation, uint32_t service_id,
              uint32_t instance_id, time_ns latency, FailReason reason, bool from_steps, uint32_t twin,
              uint32_t twin_generation);
  void stop_waiting(ModelContext& ctx, uint32_t job_id, FailReason reason);
  void start_waiting(ModelContext& ctx, uint32_t job_id);
  bool expired(ModelContext& ctx, uint32_t job_id) const;
  bool twin_waits(ModelContext& ctx, uint32_t job_id) const;
  bool rate_limit_take(ModelContext& ctx, uint32_t service_id);
  uint32_t bulkhead_slot(const Flow& caller, uint32_t service_id) const;
  void release_bulkhead(Job& job);
  void drop_waiting(ModelContext& ctx, uint32_t job_id, FailReason reason);
  void cancel_twin(ModelContext& ctx, uint32_t job_id);
  void send_hedge(ModelContext& ctx, uint32_t job_id);
  void budget_deposit(ModelContext& ctx, uint32_t service_id);
  bool budget_withdraw(ModelContext& ctx, uint32_t service_id);
  void budget_refill(ModelContext& ctx, uint32_t service_id);
  BreakerState* breaker(const Flow& caller, uint32_t service_id);
  bool breaker_admit(ModelContext& ctx, uint32_t flow_id, uint32_t service_id);
  void breaker_record(ModelContext& ctx, const Flow& caller, uint32_t service_id, bool ok);
  void breaker_move(ModelContext& ctx, BreakerState& b, uint32_t caller, uint32_t service_id, BreakerPhase phase);
  void fail_attempt(ModelContext& ctx, uint32_t flow_id, uint32_t service_id, FailReason reason);
  void release_worker(ModelContext& ctx, uint32_t instance);
  void resume_instance(ModelContext& ctx, uint32_t instance);
  void free_job(uint32_t job_id);

  std::vector<Instance> instances_;
  std::vector<uint32_t> first_instance_;   // per service: index of its instance 0
  std::vector<ServiceStats> stats_;
  std::vector<ServiceSeries> series_;
  std::vector<Rng> rngs_;                  // per service: balancing, service times
  std::vector<Rng> retry_rngs_;            // per service: backoff jitter
  std::vector<Rng> network_rngs_;          // per service: network latency of its calls
  std::vector<bool> extended_report_;      // per service: report the call-tree and deadline counters
  std::vector<RetryBudgetState> budgets_;  // per service
  // Per (caller, service) with caller 0 the client and s + 1 service s: breakers_[caller * services + service].
  // Empty when no service has a breaker.
  std::vector<BreakerState> breakers_;
  std::vector<double> limiter_tokens_;       // per service: the rate limiter's bucket, and when it was refilled
  std::vector<time_ns> limiter_refilled_ns_;
  std::vector<uint32_t> bulkheads_;          // like breakers_: calls in flight per (caller, service); empty: none
  std::vector<uint64_t> round_robin_;
  SlotPool<Job> jobs_;
};

}  // namespace pg
