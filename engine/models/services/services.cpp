// Services: balancing, waiting lines, workers, timeouts, retries, crashes and pauses. See services.hpp.
#include "engine/models/services/services.hpp"
#include "engine/kernel/cold_code.hpp"

#include <algorithm>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/event_kinds.hpp"
#include "engine/scenario/parameter_path.hpp"
#include "engine/run/report.hpp"
#include "engine/scenario/scenario_fields.hpp"

namespace pg {

namespace {
double area_until(const TimeWeighted& tw, time_ns now) {
  return tw.area + tw.value * (double)(now - tw.last_change_ns);
}
}  // namespace

PG_COLD_CODE void Services::init(ModelContext& ctx, const Scenario& scenario) {
  specs = scenario.services;
  uint32_t points = ctx.time_axis.capacity;
  time_ns interval = ctx.time_axis.interval_ns;
  for (uint32_t s = 0; s < specs.size(); ++s) {
    first_instance_.push_back((uint32_t)instances_.size());
    for (int i = 0; i < specs[s].instances; ++i) {
      Instance instance;
      instance.service = s;
      instance.index = (uint32_t)i;
      instances_.push_back(std::move(instance));
    }
    rngs_.push_back(ctx.stream("service/" + specs[s].name));
    retry_rngs_.push_back(ctx.stream("service/" + specs[s].name + "/retry"));
    network_rngs_.push_back(ctx.stream("service/" + specs[s].name + "/network"));
    specs[s].network.prepare();
  }
  // The counters of call trees, networks and deadlines appear in the report only when the scenario uses one of
  // them, so the report of every older scenario keeps its exact bytes.
  // A `set` may switch a breaker, a bulkhead or any of these on during the run: their state is kept from the start.
  bool set_breaker = false, set_bulkhead = false, set_resilience = false;
  for (const auto* list : {&scenario.faults, &scenario.interventions})
    for (const FaultSpec& f : *list) {
      if (f.kind != FaultKind::set || f.path.rfind("/services/", 0) != 0) continue;
      set_breaker = set_breaker || f.path.find("/circuit_breaker/") != std::string::npos;
      set_bulkhead = set_bulkhead || f.path.find("/bulkhead/") != std::string::npos;
      for (const char* group : {"/circuit_breaker/", "/bulkhead/", "/retry_budget/", "/hedge/", "/rate_limit/", "/shed/"})
        set_resilience = set_resilience || f.path.find(group) != std::string::npos;
    }
  bool extended = set_resilience;
  for (const ServiceSpec& spec : specs)
    extended = extended || !spec.steps.empty() || spec.has_network() || spec.retry_budget.ratio > 0 ||
               spec.circuit_breaker.failure_rate > 0 || spec.hedge_after_ms > 0 || spec.rate_limit_per_s > 0 ||
               spec.shed_max_wait_ms > 0 || spec.bulkhead_max_concurrent > 0;
  for (const RequestSpec& request : scenario.requests) extended = extended || request.deadline_ms > 0;
  extended_report_.assign(specs.size(), extended);
  stats_.resize(specs.size());
  series_.resize(specs.size());
  budgets_.resize(specs.size());
  bool any_breaker = false;
  for (const ServiceSpec& spec : specs) any_breaker = any_breaker || spec.circuit_breaker.failure_rate > 0;
  if (any_breaker || set_breaker) breakers_.resize((specs.size() + 1) * specs.size());
  bool any_bulkhead = false;
  for (const ServiceSpec& spec : specs) {
    any_bulkhead = any_bulkhead || spec.bulkhead_max_concurrent > 0;
    limiter_tokens_.push_back(spec.rate_limit_burst);   // a limiter starts full, as a token bucket does
  }
  limiter_refilled_ns_.assign(specs.size(), 0);
  if (any_bulkhead || set_bulkhead) bulkheads_.assign((specs.size() + 1) * specs.size(), 0);
  for (uint32_t s = 0; s < specs.size(); ++s)
    if (specs[s].circuit_breaker.failure_rate > 0 || set_breaker) series_[s].breaker_state = Series(interval, points);
  for (ServiceSeries& series : series_) {
    series.utilization = Series(interval, points);
    series.line_length = Series(interval, points);
    series.throughput = Series(interval, points);
    series.failures = Series(interval, points);
  }
  round_robin_.assign(specs.size(), 0);
}

uint32_t Services::find(const std::string& name) const {
  for (uint32_t i = 0; i < specs.size(); ++i)
    if (specs[i].name == name) return i;
  return no_id;
}

uint32_t Services::find_instance(const std::string& name) const {
  size_t hash = name.find('#');
  if (hash == std::string::npos) return no_id;
  uint32_t service = find(name.substr(0, hash));
  if (service == no_id) return no_id;
  std::string digits = name.substr(hash + 1);
  if (digits.empty() || digits.size() > 4 || digits.find_first_not_of("0123456789") != std::string::npos) return no_id;
  int index = std::stoi(digits);
  if (index >= specs[service].instances) return no_id;
  return first_instance_[service] + (uint32_t)index;
}

void Services::free_job(uint32_t id) {
  release_bulkhead(jobs_[id]);
  ++jobs_[id].epoch;   // a completion event still queued for it is stale
  jobs_.free(id);
}

// ---- balancing ----------------------------------------------------------------------------------------------------

uint32_t Services::pick_instance(ModelContext& ctx, uint32_t service_id, uint32_t key) {
  PG_ASSERT(service_id < specs.size(), "pick_instance: service id out of range");
  const ServiceSpec& spec = specs[service_id];
  uint32_t first = first_instance_[service_id];
  uint32_t n = (uint32_t)spec.instances;
  // The balancer sees a crashed instance as up until its health check notices (calls to it are refused at
  // once); a paused instance looks healthy throughout (that is the point of a pause).
  uint32_t live[limits::instances_max];
  uint32_t live_count = 0;
  time_ns detect_ns = ms_to_ns(spec.health_check_ms);
  for (uint32_t i = 0; i < n; ++i) {
    const Instance& instance = instances_[first + i];
    if (!instance.crashed || ctx.now() - instance.crashed_at_ns < detect_ns) live[live_count++] = first + i;
  }
  if (live_count == 0) return no_id;
  Rng& rng = rngs_[service_id];
  switch (spec.balancer) {
    case Balancer::round_robin: return live[round_robin_[service_id]++ % live_count];
    case Balancer::random: return live[rng.below(live_count)];
    case Balancer::least_connections: {
      // Ties go to the first one found after a rotating start, so equal instances share the load.
      uint32_t start = (uint32_t)(round_robin_[service_id]++ % live_count);
      uint32_t best = live[start];
      for (uint32_t k = 1; k < live_count; ++k) {
        uint32_t candidate = live[(start + k) % live_count];
        if (instances_[candidate].connections() < instances_[best].connections()) best = candidate;
      }
      return best;
    }
    case Balancer::power_of_two: {
      if (live_count == 1) return live[0];
      uint32_t a = (uint32_t)rng.below(live_count);
      uint32_t b = (uint32_t)rng.below(live_count - 1);
      if (b >= a) ++b;
      return instances_[live[b]].connections() < instances_[live[a]].connections() ? live[b] : live[a];
    }
    case Balancer::key_hash: {
      // Rendezvous hashing over the live instances: a key stays on its instance while membership is stable, and
      // only the keys of a departed instance move.
      uint32_t best = live[0];
      uint64_t best_score = 0;
      for (uint32_t k = 0; k < live_count; ++k) {
        uint64_t score = mix64(((uint64_t)key << 20) ^ (uint64_t)(live[k] - first) ^ 0x5bd1e995ull * (service_id + 1));
        if (k == 0 || score > best_score) {
          best_score = score;
          best = live[k];
        }
      }
      return best;
    }
  }
  return live[0];
}

// ---- calls --------------------------------------------------------------------------------------------------------

void Services::call(ModelContext& ctx, uint32_t flow_id, uint32_t service_id) {
  PG_ASSERT(service_id < specs.size(), "call: service id out of range");
  PG_ASSERT(ctx.flow_exists(flow_id), "call: the calling flow has ended");
  ServiceStats& stats = stats_[service_id];
  // No time left: the call is not sent at all (gRPC fails such a call with DEADLINE_EXCEEDED without trying).
  if (ctx.flow(flow_id).deadline_ns != 0 && ctx.now() >= ctx.flow(flow_id).deadline_ns) {
    ctx.flow(flow_id).job = no_id;
    return ctx.flow_fail(flow_id, FailReason::deadline_exceeded);
  }
  // The bulkhead first: a call it refuses must not take one of a half-open breaker's probe permits.
  uint32_t bulkhead = bulkheads_.empty() ? no_id : bulkhead_slot(ctx.flow(flow_id), service_id);
  if (bulkhead != no_id && bulkheads_[bulkhead] >= (uint32_t)specs[service_id].bulkhead_max_concurrent) {
    ++stats.bulkhead_full;
    return fail_attempt(ctx, flow_id, service_id, FailReason::bulkhead_full);
  }
  if (!breakers_.empty() && !breaker_admit(ctx, flow_id, service_id)) {
    ++stats.breaker_open;
    return fail_attempt(ctx, flow_id, service_id, FailReason::breaker_open);
  }
  if (specs[service_id].retry_budget.ratio > 0 && ctx.flow(flow_id).attempt == 0) budget_deposit(ctx, service_id);
  if (specs[service_id].has_network()) return send(ctx, flow_id, service_id);
  ++stats.arrivals;
  Flow& f = ctx.flow(flow_id);
  const std::string& caller = ctx.caller_name(f.last_service);
  if (ctx.partitioned(caller, specs[service_id].name)) {
    ++stats.unreachable;
    ++stats.interval_failed;
    return fail_attempt(ctx, flow_id, service_id, FailReason::unreachable);
  }
  if (specs[service_id].rate_limit_per_s > 0 && !rate_limit_take(ctx, service_id)) {
    ++stats.rate_limited;
    ++stats.interval_failed;
    return fail_attempt(ctx, flow_id, service_id, FailReason::rate_limited);
  }
  uint32_t instance_id = pick_instance(ctx, service_id, f.key);
  if (instance_id == no_id) {   // every instance is down: connection refused
    ++stats.crashed;
    ++stats.interval_failed;
    return fail_attempt(ctx, flow_id, service_id, FailReason::crashed);
  }
  Instance& instance = instances_[instance_id];
  if (instance.crashed) {   // not yet detected by the balancer: connection refused
    ++stats.crashed;
    ++stats.interval_failed;
    return fail_attempt(ctx, flow_id, service_id, FailReason::crashed);
  }
  const ServiceSpec& spec = specs[service_id];
  time_ns now = ctx.now();
  bool can_start = instance.busy < spec.workers && !instance.paused(now);
  if (!can_start && (int)instance.line.size() >= spec.queue_max) {
    ++stats.rejected;
    ++stats.interval_failed;
    return fail_attempt(ctx, flow_id, service_id, FailReason::rejected);
  }
  uint32_t job_id = open_job(ctx, flow_id, service_id, instance_id);
  Job& job = jobs_[job_id];
  if (bulkhead != no_id) ++bulkheads_[job.bulkhead_slot = bulkhead];
  f.job = job_id;
  ++stats.in_flight;
  start_waiting(ctx, job_id);
  if (spec.hedge_after_ms > 0)
    ctx.kernel.schedule_after(ms_to_ns(spec.hedge_after_ms), ev::hedge_due, job_id, job.generation);
  start_or_queue(ctx, job_id, instance, can_start);
}

// A new attempt of the flow's call at an instance: the job, waiting for its caller (not started, not queued yet).
uint32_t Services::open_job(ModelContext& ctx, uint32_t flow_id, uint32_t service_id, uint32_t instance_id) {
  const Flow& f = ctx.flow(flow_id);
  uint32_t job_id = jobs_.allocate().index;
  Job& job = jobs_[job_id];
  job.flow = flow_id;
  job.flow_generation = f.generation;
  job.service = service_id;
  job.instance = instance_id;
  job.arrive_ns = ctx.now();
  job.caller_waiting = true;
  job.key = f.key;
  job.deadline_ns = f.deadline_ns;
  return job_id;
}

// The job starts on a free worker, or waits at the end of the instance's line.
void Services::start_or_queue(ModelContext& ctx, uint32_t job_id, Instance& instance, bool can_start) {
  if (can_start) {
    start_job(ctx, job_id);
  } else {
    instance.line.push_back(job_id);
    instance.line_tw.set(ctx.now(), (double)instance.line.size());
  }
}

// ---- the retry budget ---------------------------------------------------------------------------------------------

// Time's share of the bucket since the last refill, and the window of first attempts moved on to this second.
void Services::budget_refill(ModelContext& ctx, uint32_t service_id) {
  RetryBudgetState& b = budgets_[service_id];
  const RetryBudgetSpec& spec = specs[service_id].retry_budget;
  time_ns now = ctx.now();
  int64_t second = now / ns_per_s;
  for (int64_t k = b.second + 1; k <= second && k <= b.second + 10; ++k) b.calls_by_second[(size_t)(k % 10)] = 0;
  b.second = std::max(b.second, second);
  b.tokens += spec.min_per_s * (double)(now - b.refilled_ns) / 1e9;
  b.refilled_ns = now;
  uint64_t calls = 0;
  for (uint64_t c : b.calls_by_second) calls += c;
  b.tokens = std::min(b.tokens, spec.ratio * (double)calls + 10 * spec.min_per_s);
}

void Services::budget_deposit(ModelContext& ctx, uint32_t service_id) {
  RetryBudgetState& b = budgets_[service_id];
  budget_refill(ctx, service_id);
  ++b.calls_by_second[(size_t)(b.second % 10)];
  b.tokens += specs[service_id].retry_budget.ratio;
}

bool Services::budget_withdraw(ModelContext& ctx, uint32_t service_id) {
  RetryBudgetState& b = budgets_[service_id];
  budget_refill(ctx, service_id);
  if (b.tokens < 1) {
    ++b.refused;
    return false;
  }
  b.tokens -= 1;
  return true;
}

// ---- circuit breakers ---------------------------------------------------------------------------------------------

BreakerState* Services::breaker(const Flow& caller, uint32_t service_id) {
  if (breakers_.empty() || specs[service_id].circuit_breaker.failure_rate <= 0) return nullptr;
  uint32_t from = caller.last_service == no_id ? 0 : caller.last_service + 1;
  return &breakers_[(size_t)from * specs.size() + service_id];
}

const BreakerState* Services::breaker_of(uint32_t caller, uint32_t service) const {
  if (breakers_.empty() || specs[service].circuit_breaker.failure_rate <= 0) return nullptr;
  uint32_t from = caller == no_id ? 0 : caller + 1;
  return &breakers_[(size_t)from * specs.size() + service];
}

void Services::breaker_move(ModelContext& ctx, BreakerState& b, uint32_t caller, uint32_t service_id,
                            BreakerPhase phase) {
  time_ns now = ctx.now();
  if (b.phase == BreakerPhase::closed && phase != BreakerPhase::closed) b.not_closed_since_ns = now;
  if (b.phase != BreakerPhase::closed && phase == BreakerPhase::closed)
    b.not_closed_total_ns += now - b.not_closed_since_ns;
  b.phase = phase;
  ++b.epoch;
  b.probes_sent = b.probes_done = b.probes_failed = 0;
  if (phase == BreakerPhase::half_open) b.half_open_since_ns = now;
  const std::string edge = (caller == 0 ? std::string("client") : specs[caller - 1].name) + " -> " + specs[service_id].name;
  if (phase == BreakerPhase::open) {
    b.open_until_ns = now + ms_to_ns(specs[service_id].circuit_breaker.open_ms);
    ++b.opened;
    ctx.log("circuit breaker " + edge + " opened");
  } else if (phase == BreakerPhase::closed) {
    b.calls.fill(0);
    b.failures.fill(0);
    ctx.log("circuit breaker " + edge + " closed");
  }
}

// Closed lets every call through; open refuses them until open_ms has passed, then it is half-open and lets
// half_open_calls probes through (resilience4j moves to half-open on the first call after the wait, as here).
bool Services::breaker_admit(ModelContext& ctx, uint32_t flow_id, uint32_t service_id) {
  Flow& f = ctx.flow(flow_id);
  BreakerState* b = breaker(f, service_id);
  if (!b) return true;
  uint32_t caller = f.last_service == no_id ? 0 : f.last_service + 1;
  if (b->phase == BreakerPhase::open && ctx.now() >= b->open_until_ns)
    breaker_move(ctx, *b, caller, service_id, BreakerPhase::half_open);
  f.breaker_epoch = b->epoch;
  if (b->phase == BreakerPhase::closed) return true;
  const CircuitBreakerSpec& spec = specs[service_id].circuit_breaker;
  if (b->phase == BreakerPhase::half_open && b->probes_sent < (uint32_t)spec.half_open_calls) {
    ++b->probes_sent;
    return true;
  }
  // Probes that never answered (their caller vanished with a crash) would keep it half-open for ever: after another
  // open_ms undecided it opens again (resilience4j's maxWaitDurationInHalfOpenState does the same).
  if (b->phase == BreakerPhase::half_open && ctx.now() - b->half_open_since_ns >= ms_to_ns(spec.open_ms))
    breaker_move(ctx, *b, caller, service_id, BreakerPhase::open);
  ++b->refused;
  return false;
}

// The outcome of a call the breaker let through (a failure: refused, crashed, unreachable, timed out, past its
// deadline, or its own steps failed). Only outcomes of calls let through in the breaker's current state count.
void Services::breaker_record(ModelContext& ctx, const Flow& f, uint32_t service_id, bool ok) {
  BreakerState* b = breaker(f, service_id);
  if (!b || f.breaker_epoch != b->epoch) return;
  const CircuitBreakerSpec& spec = specs[service_id].circuit_breaker;
  uint32_t caller = f.last_service == no_id ? 0 : f.last_service + 1;
  ++b->seen;
  if (b->phase == BreakerPhase::closed) {
    time_ns bucket_ns = std::max<time_ns>(1, s_to_ns(spec.window_s) / 10);
    int64_t bucket = ctx.now() / bucket_ns;
    for (int64_t k = b->bucket + 1; k <= bucket && k <= b->bucket + 10; ++k) {
      b->calls[(size_t)(k % 10)] = 0;
      b->failures[(size_t)(k % 10)] = 0;
    }
    b->bucket = std::max(b->bucket, bucket);
    ++b->calls[(size_t)(b->bucket % 10)];
    if (ok) return;
    ++b->failures[(size_t)(b->bucket % 10)];
    uint64_t calls = 0, failures = 0;
    for (size_t k = 0; k < 10; ++k) {
      calls += b->calls[k];
      failures += b->failures[k];
    }
    if (calls >= (uint64_t)spec.min_calls && (double)failures >= spec.failure_rate * (double)calls)
      breaker_move(ctx, *b, caller, service_id, BreakerPhase::open);
  } else if (b->phase == BreakerPhase::half_open) {
    ++b->probes_done;
    if (!ok) ++b->probes_failed;
    if (b->probes_done < (uint32_t)spec.half_open_calls) return;
    bool fail = (double)b->probes_failed >= spec.failure_rate * (double)spec.half_open_calls;
    breaker_move(ctx, *b, caller, service_id, fail ? BreakerPhase::open : BreakerPhase::closed);
  }
}

// ---- admission control: rate limiter, bulkheads -----------------------------------------------------------------

bool Services::rate_limit_take(ModelContext& ctx, uint32_t service_id) {
  const ServiceSpec& spec = specs[service_id];
  time_ns now = ctx.now();
  double& tokens = limiter_tokens_[service_id];
  tokens = std::min(spec.rate_limit_burst,
                    tokens + spec.rate_limit_per_s * (double)(now - limiter_refilled_ns_[service_id]) / 1e9);
  limiter_refilled_ns_[service_id] = now;
  if (tokens < 1) return false;
  tokens -= 1;
  return true;
}

// The count of calls in flight from this caller (the client, or the service whose process makes the call) to the
// service, when the service has a bulkhead; no_id otherwise.
uint32_t Services::bulkhead_slot(const Flow& caller, uint32_t service_id) const {
  if (bulkheads_.empty() || specs[service_id].bulkhead_max_concurrent <= 0) return no_id;
  uint32_t from = caller.last_service == no_id ? 0 : caller.last_service + 1;
  return from * (uint32_t)specs.size() + service_id;
}

// The caller stopped waiting for the call (an answer, a timeout, a deadline, the twin won): its permit goes back.
void Services::release_bulkhead(Job& job) {
  if (job.bulkhead_slot == no_id) return;
  PG_ASSERT(bulkheads_[job.bulkhead_slot] > 0, "a bulkhead's count goes below zero");
  --bulkheads_[job.bulkhead_slot];
  job.bulkhead_slot = no_id;
}

// ---- hedged requests ----------------------------------------------------------------------------------------------

bool Services::twin_waits(ModelContext&, uint32_t job_id) const {
  const Job& job = jobs_[job_id];
  return job.twin != no_id && jobs_.live(job.twin, job.twin_generation) && jobs_[job.twin].caller_waiting;
}

// The other attempt answered first: nobody waits for this one any more. The server still does what it started
// (the hedge's price is this wasted work); a lost call or an answer on its way just ends.
void Services::cancel_twin(ModelContext&, uint32_t job_id) {
  Job& job = jobs_[job_id];
  release_bulkhead(job);
  job.caller_waiting = false;
  ServiceStats& stats = stats_[job.service];
  ++stats.cancelled;
  --stats.in_flight;
  if (job.phase == JobPhase::lost || job.phase == JobPhase::to_caller) free_job(job_id);
}

// The second attempt of a call whose first has not answered in hedge/after_ms, picked by the balancer like any call
// (so usually another instance). One that fails at once fails alone: the first attempt still runs.
void Services::send_hedge(ModelContext& ctx, uint32_t first_id) {
  uint32_t service_id = jobs_[first_id].service, flow_id = jobs_[first_id].flow;
  const ServiceSpec& spec = specs[service_id];
  ServiceStats& stats = stats_[service_id];
  ++stats.arrivals;
  ++stats.hedged;
  Flow& f = ctx.flow(flow_id);
  const std::string& caller = ctx.caller_name(f.last_service);
  bool cut = ctx.partitioned(caller, spec.name);
  bool network = spec.has_network();
  if (cut && (!network || (spec.timeout_ms <= 0 && f.deadline_ns == 0))) {
    ++stats.unreachable;
    ++stats.interval_failed;
    return;
  }
  uint32_t instance_id = cut ? first_instance_[service_id] : pick_instance(ctx, service_id, f.key);
  if (instance_id == no_id || (!network && instances_[instance_id].crashed)) {
    ++stats.crashed;
    ++stats.interval_failed;
    return;
  }
  time_ns now = ctx.now();
  Instance& instance = instances_[instance_id];
  bool can_start = instance.busy < spec.workers && !instance.paused(now);
  if (!network && !can_start && (int)instance.line.size() >= spec.queue_max) {
    ++stats.rejected;
    ++stats.interval_failed;
    return;
  }
  uint32_t job_id = open_job(ctx, flow_id, service_id, instance_id);
  Job& first = jobs_[first_id];
  Job& job = jobs_[job_id];
  job.twin = first_id;
  job.twin_generation = first.generation;
  first.twin = job_id;
  first.twin_generation = job.generation;
  ++stats.in_flight;
  start_waiting(ctx, job_id);
  if (network) {
    job.phase = cut ? JobPhase::lost : JobPhase::to_instance;
    if (!cut)
      ctx.kernel.schedule_after(spec.network.sample(network_rngs_[service_id]), ev::call_arrive, job_id, job.generation);
  } else {
    start_or_queue(ctx, job_id, instance, can_start);
  }
}

// The caller's timers for an attempt: its timeout, and its deadline when that comes first.
void Services::start_waiting(ModelContext& ctx, uint32_t job_id) {
  Job& job = jobs_[job_id];
  const ServiceSpec& spec = specs[job.service];
  time_ns timeout_at = spec.timeout_ms > 0 ? ctx.now() + ms_to_ns(spec.timeout_ms) : 0;
  if (timeout_at != 0) ctx.kernel.schedule(timeout_at, ev::job_timeout, job_id, job.generation);
  if (job.deadline_ns != 0 && (timeout_at == 0 || job.deadline_ns < timeout_at))
    ctx.kernel.schedule(job.deadline_ns, ev::job_deadline, job_id, job.generation);
}

// A call to a service behind a network: the balancer picks an instance here (client-side balancing), the request
// reaches it a network latency later (arrive). A partition loses the request; the caller learns it only when its
// timeout or deadline ends the wait (with neither, nothing would: it is refused at once, as without a network).
void Services::send(ModelContext& ctx, uint32_t flow_id, uint32_t service_id) {
  ServiceStats& stats = stats_[service_id];
  ++stats.arrivals;
  const ServiceSpec& spec = specs[service_id];
  Flow& f = ctx.flow(flow_id);
  const std::string& caller = ctx.caller_name(f.last_service);
  bool cut = ctx.partitioned(caller, spec.name);
  if (cut && spec.timeout_ms <= 0 && f.deadline_ns == 0) {
    ++stats.unreachable;
    ++stats.interval_failed;
    return fail_attempt(ctx, flow_id, service_id, FailReason::unreachable);
  }
  uint32_t instance_id = first_instance_[service_id];
  if (!cut) {
    instance_id = pick_instance(ctx, service_id, f.key);
    if (instance_id == no_id) {   // every instance is known to be down: connection refused
      ++stats.crashed;
      ++stats.interval_failed;
      return fail_attempt(ctx, flow_id, service_id, FailReason::crashed);
    }
  }
  uint32_t job_id = jobs_.allocate().index;
  Job& job = jobs_[job_id];
  job.flow = flow_id;
  job.flow_generation = f.generation;
  job.service = service_id;
  job.instance = instance_id;
  job.arrive_ns = ctx.now();
  job.caller_waiting = true;
  job.key = f.key;
  job.deadline_ns = f.deadline_ns;
  job.phase = cut ? JobPhase::lost : JobPhase::to_instance;
  if (!bulkheads_.empty()) {
    uint32_t bulkhead = bulkhead_slot(f, service_id);
    if (bulkhead != no_id) ++bulkheads_[job.bulkhead_slot = bulkhead];
  }
  f.job = job_id;
  ++stats.in_flight;
  start_waiting(ctx, job_id);
  if (spec.hedge_after_ms > 0)
    ctx.kernel.schedule_after(ms_to_ns(spec.hedge_after_ms), ev::hedge_due, job_id, job.generation);
  if (!cut)
    ctx.kernel.schedule_after(spec.network.sample(network_rngs_[service_id]), ev::call_arrive, job_id, job.generation);
}

// The request reached its instance: refused by a crashed one, skipped when its deadline has passed, rejected by
// a full line, or served. The server does all this whether or not the caller still waits.
void Services::arrive(ModelContext& ctx, uint32_t job_id) {
  Job& job = jobs_[job_id];
  const ServiceSpec& spec = specs[job.service];
  Instance& instance = instances_[job.instance];
  time_ns now = ctx.now();
  job.phase = JobPhase::at_instance;
  job.arrive_ns = now;
  if (spec.rate_limit_per_s > 0 && !rate_limit_take(ctx, job.service))
    return answer(ctx, job_id, FailReason::rate_limited, false);
  if (instance.crashed) return answer(ctx, job_id, FailReason::crashed, false);
  if (expired(ctx, job_id)) {
    ++stats_[job.service].expired;
    return answer(ctx, job_id, FailReason::deadline_exceeded, false);
  }
  bool can_start = instance.busy < spec.workers && !instance.paused(now);
  if (!can_start && (int)instance.line.size() >= spec.queue_max) return answer(ctx, job_id, FailReason::rejected, false);
  if (can_start) {
    start_job(ctx, job_id);
  } else {
    instance.line.push_back(job_id);
    instance.line_tw.set(now, (double)instance.line.size());
  }
}

// The server's answer (done, or why not) to a call whose job holds no worker any more: across the network when
// there is one and someone waits, otherwise at once.
void Services::answer(ModelContext& ctx, uint32_t job_id, FailReason reason, bool from_steps) {
  Job& job = jobs_[job_id];
  job.answer = reason;
  job.answer_from_steps = from_steps;
  if (specs[job.service].has_network() && job.caller_waiting && ctx.flow_live(job.flow, job.flow_generation)) {
    job.phase = JobPhase::to_caller;
    ctx.kernel.schedule_after(specs[job.service].network.sample(network_rngs_[job.service]), ev::call_reply, job_id,
                              job.generation);
    return;
  }
  deliver(ctx, job_id);
}

// The answer reaches the caller (or nobody, when it stopped waiting): the job ends.
void Services::deliver(ModelContext& ctx, uint32_t job_id) {
  Job& job = jobs_[job_id];
  bool caller_waiting = job.caller_waiting;
  uint32_t flow_id = job.flow, flow_generation = job.flow_generation, service_id = job.service;
  uint32_t instance_id = job.instance;
  time_ns latency = job.done_ns - job.arrive_ns;
  FailReason reason = job.answer;
  bool from_steps = job.answer_from_steps;
  uint32_t twin = job.twin, twin_generation = job.twin_generation;
  free_job(job_id);
  settle(ctx, caller_waiting, flow_id, flow_generation, service_id, instance_id, latency, reason, from_steps, twin,
         twin_generation);
}

// The caller hears the answer: it continues after a success, or counts the failure and retries (fail_attempt).
void Services::settle(ModelContext& ctx, bool caller_waiting, uint32_t flow_id, uint32_t flow_generation,
                      uint32_t service_id, uint32_t instance_id, time_ns latency, FailReason reason, bool from_steps,
                      uint32_t twin, uint32_t twin_generation) {
  if (!caller_waiting || !ctx.flow_live(flow_id, flow_generation)) return;
  ServiceStats& stats = stats_[service_id];
  --stats.in_flight;
  bool twin_waiting = twin != no_id && jobs_.live(twin, twin_generation) && jobs_[twin].caller_waiting;
  if (reason == FailReason::none) {
    if (twin_waiting) cancel_twin(ctx, twin);
    ++stats.completed;
    ++stats.interval_completed;
    stats.latency.record(latency);
    Flow& f = ctx.flow(flow_id);
    f.job = no_id;
    if (!breakers_.empty()) breaker_record(ctx, f, service_id, true);
    // A request's next steps run where the call went (the model's rule from the start); a service's own steps stay
    // in the process of the worker that runs them.
    if (f.owner != FlowOwner::service) {
      f.home_service = service_id;
      f.home_instance = instance_id;
      f.last_service = service_id;
    }
    return ctx.flow_continue(flow_id, false);
  }
  ++stats.interval_failed;
  if (from_steps) ++stats.failed;
  else if (reason == FailReason::rejected) ++stats.rejected;
  else if (reason == FailReason::crashed) ++stats.crashed;
  else if (reason == FailReason::rate_limited) ++stats.rate_limited;
  else ++stats.deadline_exceeded;
  if (!twin_waiting) fail_attempt(ctx, flow_id, service_id, reason);   // else the hedge's twin may still answer
}

bool Services::expired(ModelContext& ctx, uint32_t job_id) const {
  time_ns deadline = jobs_[job_id].deadline_ns;
  return deadline != 0 && ctx.now() >= deadline;
}

// A worker would take a call whose deadline has passed (the Google SRE book's advice: skip it, nobody waits), or
// one that waited longer than shed/max_wait_ms (shedding by queue time): it drops it, so overload does not fill the
// workers with work nobody waits for. An expired call's caller has usually stopped waiting already; a shed call's
// caller hears a rejection (and may retry).
void Services::drop_waiting(ModelContext& ctx, uint32_t job_id, FailReason reason) {
  Job& job = jobs_[job_id];
  ServiceStats& stats = stats_[job.service];
  if (reason == FailReason::shed) ++stats.shed;
  else ++stats.expired;
  bool waiting = job.caller_waiting, absorbed = twin_waits(ctx, job_id);
  uint32_t flow_id = job.flow, flow_generation = job.flow_generation, service_id = job.service;
  free_job(job_id);
  if (!waiting) return;
  if (reason == FailReason::shed) ++stats.rejected;
  else ++stats.deadline_exceeded;
  ++stats.interval_failed;
  --stats.in_flight;
  if (!absorbed && ctx.flow_live(flow_id, flow_generation)) fail_attempt(ctx, flow_id, service_id, reason);
}

// The caller stops waiting (its timeout or its deadline); the server does not know and goes on with the work. A lost
// call or an answer on its way has no work left: it ends with the wait.
void Services::stop_waiting(ModelContext& ctx, uint32_t job_id, FailReason reason) {
  Job& job = jobs_[job_id];
  release_bulkhead(job);
  job.caller_waiting = false;
  ServiceStats& stats = stats_[job.service];
  if (reason == FailReason::timed_out) ++stats.timed_out;
  else ++stats.deadline_exceeded;
  ++stats.interval_failed;
  --stats.in_flight;
  uint32_t flow_id = job.flow, flow_generation = job.flow_generation, service_id = job.service;
  bool absorbed = twin_waits(ctx, job_id);
  if (job.phase == JobPhase::lost || job.phase == JobPhase::to_caller) free_job(job_id);
  if (!absorbed && ctx.flow_live(flow_id, flow_generation)) fail_attempt(ctx, flow_id, service_id, reason);
}

void Services::start_job(ModelContext& ctx, uint32_t job_id) {
  Job& job = jobs_[job_id];
  Instance& instance = instances_[job.instance];
  time_ns now = ctx.now();
  ++instance.busy;
  instance.busy_tw.set(now, instance.busy);
  instance.running.push_back(job_id);
  job.running = true;
  PG_CHECK(job.deadline_ns == 0 || now < job.deadline_ns, "a worker took a call whose deadline had passed");
  if (job.caller_waiting) stats_[job.service].wait.record(now - job.arrive_ns);
  time_ns service_ns = specs[job.service].service_time.sample(rngs_[job.service]);
  if (instance.slow_factor != 1.0) service_ns = (time_ns)((double)service_ns * instance.slow_factor + 0.5);
  job.done_ns = now + service_ns;
  ctx.kernel.schedule(job.done_ns, ev::job_done, job_id, job.epoch);
}

void Services::release_worker(ModelContext& ctx, uint32_t instance_id) {
  Instance& instance = instances_[instance_id];
  time_ns now = ctx.now();
  --instance.busy;
  instance.busy_tw.set(now, instance.busy);
  const ServiceSpec& spec = specs[instance.service];
  while (!instance.paused(now) && !instance.crashed && instance.busy < spec.workers && !instance.line.empty()) {
    uint32_t next = instance.line.front();
    instance.line.pop_front();
    instance.line_tw.set(now, (double)instance.line.size());
    if (expired(ctx, next)) drop_waiting(ctx, next, FailReason::deadline_exceeded);
    else if (spec.shed_max_wait_ms > 0 && now - jobs_[next].arrive_ns > ms_to_ns(spec.shed_max_wait_ms))
      drop_waiting(ctx, next, FailReason::shed);
    else start_job(ctx, next);
  }
}

// The service time is over: a service with steps of its own runs them now, still holding the worker; otherwise
// the call is done.
void Services::finish_job(ModelContext& ctx, uint32_t job_id) {
  Job& job = jobs_[job_id];
  if (!specs[job.service].steps.empty()) {
    job.phase = JobPhase::steps;
    return ctx.start_service_flow(job.service, job_id, job.generation, job.instance, job.key, job.deadline_ns);
  }
  end_service(ctx, job_id, FailReason::none, false);
}

void Services::steps_done(ModelContext& ctx, uint32_t job_id, uint32_t job_generation, FailReason reason) {
  if (!jobs_.live(job_id, job_generation)) return;   // its instance crashed meanwhile: nobody answers
  PG_ASSERT(jobs_[job_id].phase == JobPhase::steps, "steps_done: the job is not running its service's steps");
  end_service(ctx, job_id, reason, reason != FailReason::none);
}

// The worker is done with a call (its service time, and its steps): it takes the next call from the line, and the
// call is answered.
void Services::end_service(ModelContext& ctx, uint32_t job_id, FailReason reason, bool from_steps) {
  Job& job = jobs_[job_id];
  uint32_t instance_id = job.instance;
  Instance& instance = instances_[instance_id];
  auto it = std::find(instance.running.begin(), instance.running.end(), job_id);
  PG_ASSERT(it != instance.running.end(), "a finishing job is in its instance's running list");
  *it = instance.running.back();
  instance.running.pop_back();
  ++instance.served;
  job.running = false;
  job.done_ns = ctx.now();
  if (specs[job.service].has_network()) {
    release_worker(ctx, instance_id);
    return answer(ctx, job_id, reason, from_steps);
  }
  // Without a network, in the order the model always had: the job ends, the next call starts, then the caller hears.
  bool caller_waiting = job.caller_waiting;
  uint32_t flow_id = job.flow, flow_generation = job.flow_generation, service_id = job.service;
  time_ns latency = ctx.now() - job.arrive_ns;
  uint32_t twin = job.twin, twin_generation = job.twin_generation;
  free_job(job_id);
  release_worker(ctx, instance_id);
  settle(ctx, caller_waiting, flow_id, flow_generation, service_id, instance_id, latency, reason, from_steps, twin,
         twin_generation);
}

void Services::fail_attempt(ModelContext& ctx, uint32_t flow_id, uint32_t service_id, FailReason reason) {
  Flow& f = ctx.flow(flow_id);
  f.job = no_id;
  // Refusals in the caller itself (its breaker, its bulkhead) say nothing about the service.
  bool local = reason == FailReason::breaker_open || reason == FailReason::bulkhead_full;
  if (!breakers_.empty() && !local) breaker_record(ctx, f, service_id, false);
  const RetryPolicy& retry = specs[service_id].retries;
  // Past the deadline nothing is retried (gRPC and Finagle alike); an open breaker is not tried again either.
  bool retryable = reason != FailReason::deadline_exceeded && !local;
  if (retryable && (int)f.attempt < retry.max && specs[service_id].retry_budget.ratio > 0 &&
      !budget_withdraw(ctx, service_id))
    retryable = false;
  if (retryable && (int)f.attempt < retry.max) {
    ++f.attempt;
    ++stats_[service_id].retries;
    // Exponential backoff, capped, then jittered (AWS Architecture Blog, "Exponential Backoff and Jitter").
    double backoff_ms = retry.backoff_ms;
    for (uint32_t k = 1; k < f.attempt && backoff_ms < retry.backoff_max_ms; ++k) backoff_ms *= 2;
    backoff_ms = std::min(backoff_ms, retry.backoff_max_ms);
    Rng& rng = retry_rngs_[service_id];
    switch (retry.jitter) {
      case Jitter::none: break;
      case Jitter::full: backoff_ms = rng.next_double() * backoff_ms; break;
      case Jitter::equal: backoff_ms = backoff_ms / 2 + rng.next_double() * backoff_ms / 2; break;
    }
    ctx.flow_resume_at(flow_id, ctx.now() + ms_to_ns(backoff_ms));
    return;
  }
  ctx.flow_fail(flow_id, reason);
}

void Services::handle(ModelContext& ctx, const Event& event) {
  switch (event.kind) {
    case ev::job_done: {
      // Its epoch, not its generation: a pause invalidates a completion while the job stays.
      if (!jobs_.occupied(event.a) || jobs_[event.a].epoch != (uint32_t)event.b) return;
      finish_job(ctx, event.a);
      return;
    }
    case ev::job_timeout:
    case ev::job_deadline: {
      if (!jobs_.live(event.a, (uint32_t)event.b)) return;
      if (!jobs_[event.a].caller_waiting) return;
      // The caller gives up; the server does not know and still does the work (it stays in line or in service).
      stop_waiting(ctx, event.a, event.kind == ev::job_timeout ? FailReason::timed_out : FailReason::deadline_exceeded);
      return;
    }
    case ev::call_arrive:
      if (jobs_.live(event.a, (uint32_t)event.b)) arrive(ctx, event.a);
      return;
    case ev::call_reply:
      if (jobs_.live(event.a, (uint32_t)event.b)) deliver(ctx, event.a);
      return;
    case ev::hedge_due: {
      if (!jobs_.live(event.a, (uint32_t)event.b)) return;
      const Job& job = jobs_[event.a];
      bool expired_call = job.deadline_ns != 0 && ctx.now() >= job.deadline_ns;
      if (job.caller_waiting && job.twin == no_id && !expired_call && ctx.flow_live(job.flow, job.flow_generation))
        send_hedge(ctx, event.a);
      return;
    }
    case ev::instance_resume:
      PG_ASSERT(event.a < instances_.size(), "instance_resume: instance out of range");
      resume_instance(ctx, event.a);
      return;
    default: PG_ASSERT(false, "unknown service event");
  }
}

// ---- faults -------------------------------------------------------------------------------------------------------

void Services::crash(ModelContext& ctx, uint32_t instance_id, bool crashed) {
  PG_ASSERT(instance_id < instances_.size(), "crash: instance out of range");
  Instance& instance = instances_[instance_id];
  std::string name = specs[instance.service].name + "#" + std::to_string(instance.index);
  time_ns now = ctx.now();
  if (!crashed) {
    if (!instance.crashed) return;
    instance.crashed = false;
    instance.paused_until_ns = 0;
    ctx.log(name + " restarted");
    return;
  }
  if (instance.crashed) return;
  instance.crashed = true;
  instance.crashed_at_ns = now;
  ++instance.generation;
  ctx.log(name + " crashed");
  std::vector<uint32_t> lost(instance.running.begin(), instance.running.end());
  lost.insert(lost.end(), instance.line.begin(), instance.line.end());
  instance.running.clear();
  instance.line.clear();
  instance.busy = 0;
  instance.busy_tw.set(now, 0);
  instance.line_tw.set(now, 0);
  ServiceStats& stats = stats_[instance.service];
  for (uint32_t job_id : lost) {
    Job& job = jobs_[job_id];
    bool waiting = job.caller_waiting && ctx.flow_live(job.flow, job.flow_generation) && !twin_waits(ctx, job_id);
    uint32_t flow_id = job.flow, service_id = job.service;
    if (job.caller_waiting) {
      ++stats.crashed;
      ++stats.interval_failed;
      --stats.in_flight;
    }
    free_job(job_id);
    if (waiting) fail_attempt(ctx, flow_id, service_id, FailReason::crashed);
  }
}

void Services::pause(ModelContext& ctx, uint32_t instance_id, time_ns until_ns) {
  PG_ASSERT(instance_id < instances_.size(), "pause: instance out of range");
  Instance& instance = instances_[instance_id];
  if (instance.crashed) return;
  time_ns now = ctx.now();
  std::string name = specs[instance.service].name + "#" + std::to_string(instance.index);
  // A pause that starts as the previous one ends finds that pause's resume not yet run: resume first, so the work
  // is frozen from its real completion times (the stale ones would put it in the past).
  if (!instance.paused(now) && instance.paused_until_ns != 0) resume_instance(ctx, instance_id);
  if (!instance.paused(now)) {
    // Freeze the work in progress: each running job keeps what it had left.
    for (uint32_t job_id : instance.running) {
      Job& job = jobs_[job_id];
      if (job.phase == JobPhase::steps) continue;   // its steps' flow waits for the pause itself (World::run_flow)
      job.remaining_ns = job.done_ns - now;
      ++job.epoch;   // its completion event is now stale
    }
    ctx.log(name + " paused for " + std::to_string((until_ns - now) / ns_per_ms) + " ms");
  }
  if (until_ns > instance.paused_until_ns) {
    instance.paused_until_ns = until_ns;
    ctx.kernel.schedule(until_ns, ev::instance_resume, instance_id);
  }
}

void Services::resume_instance(ModelContext& ctx, uint32_t instance_id) {
  Instance& instance = instances_[instance_id];
  time_ns now = ctx.now();
  if (instance.crashed || instance.paused_until_ns > now || instance.paused_until_ns == 0) return;
  instance.paused_until_ns = 0;
  ctx.log(specs[instance.service].name + "#" + std::to_string(instance.index) + " resumed after its pause");
  for (uint32_t job_id : instance.running) {
    Job& job = jobs_[job_id];
    if (job.phase == JobPhase::steps) continue;
    job.done_ns = now + job.remaining_ns;
    ctx.kernel.schedule(job.done_ns, ev::job_done, job_id, job.epoch);
  }
  const ServiceSpec& spec = specs[instance.service];
  while (instance.busy < spec.workers && !instance.line.empty()) {
    uint32_t next = instance.line.front();
    instance.line.pop_front();
    instance.line_tw.set(now, (double)instance.line.size());
    if (expired(ctx, next)) drop_waiting(ctx, next, FailReason::deadline_exceeded);
    else if (spec.shed_max_wait_ms > 0 && now - jobs_[next].arrive_ns > ms_to_ns(spec.shed_max_wait_ms))
      drop_waiting(ctx, next, FailReason::shed);
    else start_job(ctx, next);
  }
}

void Services::slow(ModelContext& ctx, uint32_t instance_id, double factor) {
  PG_ASSERT(instance_id < instances_.size(), "slow: instance out of range");
  Instance& instance = instances_[instance_id];
  instance.slow_factor = factor;
  ctx.log(specs[instance.service].name + "#" + std::to_string(instance.index) +
            (factor == 1.0 ? " back to normal speed" : " slowed down x" + std::to_string(factor).substr(0, 4)));
}

// A clock_drift fault: the process's clock runs at `rate` from now on (1: right again). Nothing in the services
// model reads it; lock clients in this process time their leases by it (Locks, redlock's validity).
void Services::drift_clock(ModelContext& ctx, uint32_t instance_id, double rate) {
  PG_ASSERT(instance_id < instances_.size(), "drift_clock: instance out of range");
  Instance& instance = instances_[instance_id];
  InstanceView view = this->view(instance_id);
  instance.clock_base_local_ns = view.local_ns(ctx.now());
  instance.clock_base_real_ns = ctx.now();
  instance.clock_rate = rate;
  const std::string name = specs[instance.service].name + "#" + std::to_string(instance.index);
  ctx.log(name + (rate != 1.0 ? "'s clock runs at x" + std::to_string(rate).substr(0, 5)
                              : "'s clock runs at the right rate again"));
}

// ---- metrics ------------------------------------------------------------------------------------------------------

void Services::check_invariants(const ModelContext&) const {
  jobs_.check_consistent();
  std::vector<int64_t> waiting(specs.size(), 0);
  for (const Job& job : jobs_.slots())
    if (job.live && job.caller_waiting) ++waiting[job.service];
  for (uint32_t s = 0; s < specs.size(); ++s) {
    const ServiceStats& st = stats_[s];
    PG_ASSERT(st.in_flight >= 0, "a service has a negative in_flight");
    PG_ASSERT(st.arrivals == st.completed + st.rejected + st.timed_out + st.crashed + st.unreachable + st.failed +
                                 st.deadline_exceeded + st.cancelled + st.rate_limited + (uint64_t)st.in_flight,
              "service conservation: arrivals = completed + rejected + timed_out + crashed + unreachable + failed + "
              "deadline_exceeded + cancelled + rate_limited + in_flight");
    PG_ASSERT(st.in_flight == waiting[s], "a service's in_flight differs from its jobs whose caller waits");
  }
  std::vector<uint32_t> permits(bulkheads_.size(), 0);
  for (const Job& job : jobs_.slots())
    if (job.live && job.bulkhead_slot != no_id) ++permits[job.bulkhead_slot];
  PG_ASSERT(permits == bulkheads_, "a bulkhead's count differs from the calls in flight that hold its permits");
  for (const Instance& instance : instances_)
    PG_ASSERT(instance.busy == (int)instance.running.size(),
              "an instance's busy workers differ from its running jobs");
}

void Services::sample(ModelContext& ctx, time_ns interval_ns) {
  time_ns now = ctx.now();
  double seconds = ns_to_s(interval_ns);
  for (uint32_t s = 0; s < specs.size(); ++s) {
    ServiceSeries& series = series_[s];
    double busy_area = 0, line_area = 0;
    for (int i = 0; i < specs[s].instances; ++i) {
      const Instance& instance = instances_[first_instance_[s] + (uint32_t)i];
      busy_area += area_until(instance.busy_tw, now);
      line_area += area_until(instance.line_tw, now);
    }
    double capacity = (double)specs[s].workers * specs[s].instances * (double)interval_ns;
    series.utilization.push((busy_area - series.busy_area_before) / capacity);
    series.line_length.push((line_area - series.line_area_before) / (double)interval_ns);
    series.busy_area_before = busy_area;
    series.line_area_before = line_area;
    series.throughput.push((double)stats_[s].interval_completed / seconds);
    series.failures.push((double)stats_[s].interval_failed / seconds);
    if (series.breaker_state.capacity > 0) {
      double worst = 0;
      for (size_t caller = 0; caller <= specs.size(); ++caller) {
        const BreakerState& b = breakers_[caller * specs.size() + s];
        bool waiting_probe = b.phase == BreakerPhase::open && now >= b.open_until_ns;   // half-open at the next call
        double state = b.phase == BreakerPhase::open && !waiting_probe ? 2 : b.phase == BreakerPhase::closed ? 0 : 1;
        worst = std::max(worst, state);
      }
      series.breaker_state.push(worst);
    }
    stats_[s].interval_completed = stats_[s].interval_failed = 0;
  }
}

// ---- faults, set, report --------------------------------------------------------------------------------------

PG_COLD_CODE bool Services::apply_fault(ModelContext& ctx, const FaultSpec& f, bool begin) {
  if (f.kind != FaultKind::crash && f.kind != FaultKind::pause && f.kind != FaultKind::slow &&
      f.kind != FaultKind::clock_drift)
    return false;
  // "service" (every instance) or "service#i".
  uint32_t first = find_instance(f.target), count = 1;
  if (first == no_id) {
    uint32_t service = find(f.target);
    if (service == no_id) return false;
    first = first_instance_[service];
    count = (uint32_t)specs[service].instances;
  }
  for (uint32_t i = first; i < first + count; ++i) {
    if (f.kind == FaultKind::crash) crash(ctx, i, begin);
    else if (f.kind == FaultKind::pause) pause(ctx, i, ctx.now() + ms_to_ns(f.for_ms));
    else if (f.kind == FaultKind::slow) slow(ctx, i, begin ? f.factor : 1.0);
    else drift_clock(ctx, i, begin ? f.factor : 1.0);
  }
  return true;
}

void Services::apply_set(ModelContext& ctx, const ParameterRef& ref, const FaultSpec& f) {
  PG_ASSERT(ref.kind == ItemKind::service && ref.item < specs.size(), "Services::apply_set: not a service field");
  set_field_number(service_fields()[ref.field], specs[ref.item], f.value);
  ctx.log("set " + f.path + " = " + std::to_string(f.value));
}

InstanceView Services::view(uint32_t instance) const {
  PG_ASSERT(instance < instances_.size(), "Services::view: instance out of range");
  const Instance& i = instances_[instance];
  return {i.service, i.index, i.generation, i.crashed, i.paused_until_ns, i.clock_rate, i.clock_base_real_ns,
          i.clock_base_local_ns};
}

PG_COLD_CODE nlohmann::json Services::report(const ModelContext& ctx) const {
  nlohmann::json out = nlohmann::json::object();
  const time_ns now = ctx.now();
  const double elapsed_s = std::max(ns_to_s(now), 1e-9);
  for (size_t s = 0; s < specs.size(); ++s) {
    const ServiceSpec& spec = specs[s];
    const ServiceStats& st = stats_[s];
    double busy = 0, line = 0;
    nlohmann::json served = nlohmann::json::array();
    for (int i = 0; i < spec.instances; ++i) {
      const Instance& instance = instances_[first_instance_[s] + (uint32_t)i];
      busy += instance.busy_tw.mean(0, now);
      line += instance.line_tw.mean(0, now);
      served.push_back(instance.served);
    }
    ReportObject o;
    o.put("arrivals", st.arrivals).put("completed", st.completed).put("rejected", st.rejected);
    o.put("timed_out", st.timed_out).put("crashed", st.crashed).put("unreachable", st.unreachable);
    o.put("retries", st.retries).put("in_flight", st.in_flight);
    o.round("utilization", busy / (spec.workers * spec.instances)).round("queue_length_mean", line);
    o.round("throughput_per_s", (double)st.completed / elapsed_s).put("served_per_instance", std::move(served));
    o.put("wait_ms", histogram_ms_json(st.wait)).put("latency_ms", histogram_ms_json(st.latency));
    if (extended_report_[s]) {
      o.put("failed", st.failed).put("deadline_exceeded", st.deadline_exceeded).put("expired", st.expired);
      if (spec.retry_budget.ratio > 0) o.put("retries_over_budget", budgets_[s].refused);
      if (spec.rate_limit_per_s > 0) o.put("rate_limited", st.rate_limited);
      if (spec.shed_max_wait_ms > 0) o.put("shed", st.shed);
      if (spec.bulkhead_max_concurrent > 0) o.put("bulkhead_full", st.bulkhead_full);
      if (spec.hedge_after_ms > 0) o.put("hedged", st.hedged).put("cancelled", st.cancelled);
      if (spec.circuit_breaker.failure_rate > 0 && !breakers_.empty()) {
        o.put("breaker_open", st.breaker_open);
        nlohmann::json breakers = nlohmann::json::object();
        static const char* const phase_names[] = {"closed", "open", "half_open"};
        for (size_t caller = 0; caller <= specs.size(); ++caller) {
          const BreakerState& b = breakers_[caller * specs.size() + s];
          if (b.seen == 0 && b.refused == 0) continue;   // no call went this way
          time_ns not_closed = b.not_closed_total_ns + (b.phase != BreakerPhase::closed ? now - b.not_closed_since_ns : 0);
          ReportObject breaker;
          breaker.put("state", phase_names[(int)b.phase]).put("opened", b.opened).put("refused", b.refused);
          breaker.round("open_s", ns_to_s(not_closed));
          breakers[caller == 0 ? std::string("client") : specs[caller - 1].name] = breaker.take();
        }
        o.put("breakers", std::move(breakers));
      }
    }
    out[spec.name] = o.take();
  }
  return out;
}

PG_COLD_CODE nlohmann::json Services::series_report() const {
  nlohmann::json out = nlohmann::json::object();
  for (size_t s = 0; s < specs.size(); ++s) {
    const ServiceSeries& v = series_[s];
    ReportObject o;
    o.put("utilization", series_json(v.utilization)).put("queue_length", series_json(v.line_length));
    o.put("throughput_per_s", series_json(v.throughput)).put("failures_per_s", series_json(v.failures));
    if (v.breaker_state.capacity > 0) o.put("breaker_state", series_json(v.breaker_state));
    out[specs[s].name] = o.take();
  }
  return out;
}

}  // namespace pg
