// The world: workload, flows, faults, sampling and dispatch. See world.hpp.
#include "engine/run/world.hpp"
#include "engine/kernel/cold_code.hpp"

#include "engine/scenario/scenario_fields.hpp"

#include <algorithm>

#include "engine/kernel/assert.hpp"
#include "engine/kernel/portable_math.hpp"

namespace pg {

const char* fail_reason_name(FailReason reason) {
  switch (reason) {
    case FailReason::none: return "none";
    case FailReason::rejected: return "rejected";
    case FailReason::timed_out: return "timed_out";
    case FailReason::crashed: return "crashed";
    case FailReason::unreachable: return "unreachable";
    case FailReason::lock_gave_up: return "lock_gave_up";
    case FailReason::queue_full: return "queue_full";
    case FailReason::deadline_exceeded: return "deadline_exceeded";
    case FailReason::breaker_open: return "breaker_open";
    case FailReason::rate_limited: return "rate_limited";
    case FailReason::shed: return "shed";
    case FailReason::bulkhead_full: return "bulkhead_full";
    case FailReason::count: break;
  }
  return "?";
}

namespace {
uint32_t find_named(const auto& items, const std::string& name) {
  for (uint32_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return i;
  return no_id;
}
constexpr uint32_t series_points_max = 7200;
}  // namespace

// ---- compilation of steps into ops ----------------------------------------------------------------------------

// Appends the ops for `steps`, the last one continuing at `after`. Returns the entry op.
PG_COLD_CODE uint32_t World::compile(const std::vector<StepSpec>& steps, uint32_t after) {
  // Compiled back to front so each op knows where it continues.
  uint32_t next = after;
  for (size_t i = steps.size(); i-- > 0;) {
    const StepSpec& step = steps[i];
    Op op;
    switch (step.kind) {
      case StepKind::call:
        op.kind = OpKind::call;
        op.target = find_named(scenario.services, step.target);
        op.next = next;
        break;
      case StepKind::publish:
        op.kind = OpKind::publish;
        op.target = find_named(scenario.queues, step.target);
        op.next = next;
        break;
      case StepKind::cache: {
        uint32_t cache = find_named(scenario.caches, step.target);
        Op fill{OpKind::cache_fill, cache, next, 0, 0, 0};
        program.ops.push_back(fill);
        uint32_t fill_id = (uint32_t)program.ops.size() - 1;
        uint32_t miss_entry = compile(step.on_miss, fill_id);
        op.kind = OpKind::cache_lookup;
        op.target = cache;
        op.next = miss_entry;
        op.alt = next;
        break;
      }
      case StepKind::lock: {
        uint32_t lock = find_named(scenario.locks, step.target);
        Op release{OpKind::lock_release, lock, next, 0, 0, 0};
        program.ops.push_back(release);
        uint32_t release_id = (uint32_t)program.ops.size() - 1;
        op.kind = OpKind::lock_acquire;
        op.target = lock;
        op.next = compile(step.inside, release_id);
        break;
      }
      case StepKind::parallel: {
        std::vector<uint32_t> entries;
        for (const auto& branch : step.branches) {
          program.ops.push_back(Op{OpKind::join, 0, 0, 0, 0, 0});
          uint32_t join_id = (uint32_t)program.ops.size() - 1;
          entries.push_back(compile(branch, join_id));
        }
        op.kind = OpKind::fork;
        op.first_branch = (uint32_t)program.branch_entries.size();
        op.branch_count = (uint32_t)entries.size();
        program.branch_entries.insert(program.branch_entries.end(), entries.begin(), entries.end());
        op.next = next;
        break;
      }
    }
    PG_ASSERT(op.target != no_id || step.kind == StepKind::parallel, "a step names a target the scenario lacks");
    program.ops.push_back(op);
    next = (uint32_t)program.ops.size() - 1;
  }
  return next;
}

// ---- construction -----------------------------------------------------------------------------------------------

PG_COLD_CODE World::World(const Scenario& s) : ModelContext(s.seed), scenario(s) {
  end_ns_ = scenario.duration_ns();
  sample_interval_ns_ = ms_to_ns(scenario.sample_interval_ms);
  program.ops.push_back(Op{OpKind::end, 0, 0, 0, 0, 0});  // op 0 ends every flow
  for (const RequestSpec& request : scenario.requests) request_entry.push_back(compile(request.steps, 0));
  for (const QueueSpec& queue : scenario.queues)
    consumer_entry.push_back(queue.consumers.steps.empty() ? no_id : compile(queue.consumers.steps, 0));
  // Compiled after the requests and consumers, so their ops keep the numbers they had before call trees existed.
  for (const ServiceSpec& service : scenario.services)
    service_entry.push_back(service.steps.empty() ? no_id : compile(service.steps, 0));

  uint32_t points = (uint32_t)std::min<int64_t>(series_points_max, end_ns_ / sample_interval_ns_ + 2);
  time_axis = Series(sample_interval_ns_, points);
  request_stats.resize(scenario.requests.size());
  for (RequestStats& r : request_stats) {
    r.throughput = Series(sample_interval_ns_, points);
    r.failures = Series(sample_interval_ns_, points);
    r.p50_ms = Series(sample_interval_ns_, points);
    r.p99_ms = Series(sample_interval_ns_, points);
  }

  arrival_rng_ = stream("workload/arrivals");
  mix_rng_ = stream("workload/mix");
  key_rng_ = stream("workload/keys");
  const WorkloadSpec& w = scenario.workload;
  zipf_ = ZipfSampler(w.key_count, w.popularity == KeyPopularity::zipf ? w.zipf_exponent : 0.0);
  double total = 0;
  if (w.mix.empty()) {
    for (size_t i = 0; i < scenario.requests.size(); ++i) mix_cumulative_.push_back(total += 1);
  } else {
    // The mix names request types; unnamed types get weight 0.
    for (const RequestSpec& request : scenario.requests) {
      double weight = 0;
      for (const MixEntry& m : w.mix)
        if (m.request == request.name) weight += m.weight;
      mix_cumulative_.push_back(total += weight);
    }
  }
  rate_per_s = w.rate_per_s;

  for (Mechanism* model : models()) model->init(*this, scenario);

  fault_schedule_ = scenario.faults;
  fault_schedule_.insert(fault_schedule_.end(), scenario.interventions.begin(), scenario.interventions.end());
  for (uint32_t i = 0; i < fault_schedule_.size(); ++i)
    kernel.schedule(s_to_ns(fault_schedule_[i].at_s), ev::fault_begin, i);
  for (uint32_t i = 0; i < w.schedule.size(); ++i) kernel.schedule(s_to_ns(w.schedule[i].at_s), ev::rate_change, i);
  if (!scenario.requests.empty() && total > 0) schedule_next_arrival();
  kernel.schedule(sample_interval_ns_, ev::sample, 0);
}

// ---- run control ------------------------------------------------------------------------------------------------

uint64_t World::advance(uint64_t max_events, time_ns until_ns) {
  until_ns = std::min(until_ns, end_ns_);
  uint64_t done = 0;
  Event event;
  if (budget.stopped()) return 0;
  const WorkBudget& limits = budget.limits;
  while (done < max_events && kernel.pop_next(until_ns, event)) {
    dispatch(event);
    ++done;
    // budget_after_event's own first tests, here so the common event makes no call: it can only stop the run when
    // one of them holds (the sums over queues and locks it adds are taken every 16th event).
    if (kernel.processed >= limits.events || flows_.live_count() > limits.live_requests ||
        kernel.queue.size() > limits.pending_events || (kernel.processed & 15) == 0) {
      if (budget_after_event(*this)) return done;   // the clock stays at the event that crossed the limit
    }
  }
  // Nothing earlier is left: the clock reaches until_ns, so time flows in the UI even when the model is idle.
  if (done < max_events && kernel.now_ns < until_ns) kernel.now_ns = until_ns;
  return done;
}

void World::dispatch(const Event& event) {
  uint32_t kind = event.kind;
  if (kind >= ev::service_first && kind <= ev::service_last) return services.handle(*this, event);
  if (kind >= ev::caches_first && kind <= ev::caches_last) return caches.handle(*this, event);
  if (kind >= ev::locks_first && kind <= ev::locks_last) return locks.handle(*this, event);
  if (kind >= ev::queues_first && kind <= ev::queues_last) return queues.handle(*this, event);
  switch (kind) {
    case ev::arrival: on_arrival(event); break;
    case ev::sample: on_sample(); break;
    case ev::fault_begin:
    case ev::fault_end:
      PG_ASSERT(event.a < fault_schedule_.size(), "fault event: fault index out of range");
      apply_fault(event.a, kind == ev::fault_begin);
      break;
    case ev::flow_resume:
      if (flow_live(event.a, (uint32_t)event.b)) run_flow(event.a);
      break;
    case ev::rate_change:
      PG_ASSERT(event.a < scenario.workload.schedule.size(), "rate_change: schedule point out of range");
      rate_per_s = scenario.workload.schedule[event.a].rate_per_s;
      schedule_next_arrival();   // memoryless: redrawing the next arrival at a rate change is exact
      break;
    default: PG_ASSERT(false, "event kind without a handler");
  }
}

// ---- workload ---------------------------------------------------------------------------------------------------

void World::schedule_next_arrival() {
  ++arrival_generation_;
  if (rate_per_s <= 0 || mix_cumulative_.empty() || mix_cumulative_.back() <= 0) return;
  time_ns gap;
  if (scenario.workload.process == ArrivalProcess::constant) {
    gap = (time_ns)(1e9 / rate_per_s + 0.5);
  } else {
    gap = (time_ns)(-pm_log(arrival_rng_.next_double_open0()) * 1e9 / rate_per_s + 0.5);
  }
  kernel.schedule_after(std::max<time_ns>(gap, 1), ev::arrival, 0, arrival_generation_);
}

void World::on_arrival(const Event& event) {
  if (event.b != arrival_generation_) return;   // superseded by a rate change
  // One request type needs no draw: the mix's stream serves nothing else, so skipping it changes no other number.
  uint32_t type = 0;
  if (mix_cumulative_.size() > 1) {
    double pick = mix_rng_.next_double() * mix_cumulative_.back();
    type = (uint32_t)(std::upper_bound(mix_cumulative_.begin(), mix_cumulative_.end(), pick) - mix_cumulative_.begin());
    if (type >= mix_cumulative_.size()) type = (uint32_t)mix_cumulative_.size() - 1;
  }
  uint32_t key = zipf_.sample(key_rng_);
  uint32_t id = flows_.allocate().index;
  Flow& f = flows_[id];
  f.owner = FlowOwner::workload;
  f.request = type;
  f.pc = request_entry[type];
  f.key = key;
  f.start_ns = kernel.now_ns;
  if (scenario.requests[type].deadline_ms > 0) f.deadline_ns = kernel.now_ns + ms_to_ns(scenario.requests[type].deadline_ms);
  RequestStats& stats = request_stats[type];
  ++stats.arrivals;
  ++stats.in_flight;
  schedule_next_arrival();
  run_flow(id);
}

// ---- flows ------------------------------------------------------------------------------------------------------

void World::flow_resume_at(uint32_t flow_id, time_ns at_ns) {
  PG_ASSERT(flows_.occupied(flow_id), "flow_resume_at: the flow has ended");
  kernel.schedule(std::max(at_ns, kernel.now_ns), ev::flow_resume, flow_id, flows_[flow_id].generation);
}

uint32_t World::start_consumer_flow(uint32_t queue_id, uint64_t token, uint32_t key) {
  PG_ASSERT(queue_id < consumer_entry.size(), "start_consumer_flow: queue id out of range");
  if (consumer_entry[queue_id] == no_id) {
    queues.consumer_flow_done(*this, queue_id, token, true);
    return no_id;
  }
  uint32_t id = flows_.allocate().index;
  Flow& f = flows_[id];
  f.owner = FlowOwner::consumer;
  f.owner_id = queue_id;
  f.owner_token = token;
  f.request = queue_id;
  f.pc = consumer_entry[queue_id];
  f.key = key;
  f.start_ns = kernel.now_ns;
  run_flow(id);
  return id;
}

void World::start_service_flow(uint32_t service_id, uint32_t job_id, uint32_t job_generation, uint32_t instance_id,
                               uint32_t key, time_ns deadline_ns) {
  PG_ASSERT(service_id < service_entry.size() && service_entry[service_id] != no_id,
            "start_service_flow: the service has no steps");
  uint32_t id = flows_.allocate().index;
  Flow& f = flows_[id];
  f.owner = FlowOwner::service;
  f.owner_id = job_id;
  f.owner_token = job_generation;
  f.request = service_id;
  f.pc = service_entry[service_id];
  f.key = key;
  f.start_ns = kernel.now_ns;
  f.deadline_ns = deadline_ns;
  // The steps run in the process of the instance that took the call: its pauses stop them, its crash ends them,
  // and their calls leave from this service (partitions).
  f.home_service = service_id;
  f.home_instance = instance_id;
  f.last_service = service_id;
  run_flow(id);
}

void World::flow_continue(uint32_t flow_id, bool take_alt) {
  PG_ASSERT(flows_.occupied(flow_id), "flow_continue: the flow has ended");
  Flow& f = flows_[flow_id];
  const Op& op = program.ops[f.pc];
  f.pc = take_alt ? op.alt : op.next;
  f.attempt = 0;
  run_flow(flow_id);
}

void World::run_flow(uint32_t id) {
  Flow& f = flows_[id];
  // Steps after a call run in the called service's process: while it is paused, the flow waits; if it crashed,
  // the flow is lost with it.
  if (f.home_instance != no_id) {
    const Instance& home = services.instances()[f.home_instance];
    if (home.crashed) return flow_fail(id, FailReason::crashed);
    if (home.paused(kernel.now_ns)) return flow_resume_at(id, home.paused_until_ns);
  }
  const Op& op = program.ops[f.pc];
  switch (op.kind) {
    case OpKind::call: services.call(*this, id, op.target); break;
    case OpKind::cache_lookup: caches.lookup(*this, id, op.target); break;
    case OpKind::cache_fill: caches.fill(*this, id, op.target); break;
    case OpKind::lock_acquire: locks.acquire(*this, id, op.target); break;
    case OpKind::lock_release: locks.release(*this, id, op.target); break;
    case OpKind::publish: queues.publish(*this, id, op.target); break;
    case OpKind::fork: {
      f.pending_branches = op.branch_count;
      f.branch_failed = false;
      for (uint32_t b = 0; b < op.branch_count; ++b) {
        uint32_t child = flows_.allocate().index;
        Flow& parent = flows_[id];   // allocate may have moved the slots
        Flow& c = flows_[child];
        c.owner = parent.owner;
        c.request = parent.request;
        c.key = parent.key;
        c.start_ns = kernel.now_ns;
        c.parent = id;
        c.home_service = parent.home_service;
        c.home_instance = parent.home_instance;
        c.last_service = parent.last_service;
        c.deadline_ns = parent.deadline_ns;
        c.pc = program.branch_entries[op.first_branch + b];
        run_flow(child);
      }
      break;
    }
    case OpKind::join: end_flow(id, true, FailReason::none); break;
    case OpKind::end: end_flow(id, true, FailReason::none); break;
  }
}

void World::flow_fail(uint32_t flow_id, FailReason reason) {
  PG_ASSERT(flows_.occupied(flow_id), "flow_fail: the flow has ended");
  PG_ASSERT(reason != FailReason::none && reason != FailReason::count, "flow_fail needs a reason");
  end_flow(flow_id, false, reason);
}

void World::end_flow(uint32_t id, bool ok, FailReason reason) {
  // A flow that ends while it holds or waits for a lock lets the lock model release it (a finally block).
  if (flows_[id].lock_slot != no_id) locks.flow_ended(*this, id);
  Flow& f = flows_[id];
  if (f.parent != no_id) {
    uint32_t parent = f.parent;
    Flow& p = flows_[parent];
    if (!ok && !p.branch_failed) {
      p.branch_failed = true;
      p.branch_fail_reason = reason;
    }
    flows_.free(id);
    Flow& pp = flows_[parent];
    if (--pp.pending_branches == 0) {
      if (pp.branch_failed) end_flow(parent, false, pp.branch_fail_reason);
      else flow_continue(parent, false);
    }
    return;
  }
  if (f.owner == FlowOwner::workload) {
    RequestStats& stats = request_stats[f.request];
    --stats.in_flight;
    if (ok) {
      ++stats.completed;
      ++stats.interval_completed;
      time_ns latency = kernel.now_ns - f.start_ns;
      stats.latency.record(latency);
      stats.interval_latency.record(latency);
    } else {
      ++stats.failed;
      ++stats.interval_failed;
      ++stats.failed_by[(size_t)reason];
    }
    flows_.free(id);
  } else if (f.owner == FlowOwner::service) {
    uint32_t job = f.owner_id, job_generation = (uint32_t)f.owner_token;
    flows_.free(id);
    services.steps_done(*this, job, job_generation, ok ? FailReason::none : reason);
  } else {
    uint32_t queue = f.owner_id;
    uint64_t token = f.owner_token;
    flows_.free(id);
    queues.consumer_flow_done(*this, queue, token, ok);
  }
}

// ---- faults and interventions -------------------------------------------------------------------------------------

bool World::partitioned(const std::string& a, const std::string& b) const {
  for (uint32_t index : active_partitions_) {
    const FaultSpec& f = fault_schedule_[index];
    auto in = [](const std::vector<std::string>& group, const std::string& name) {
      return std::find(group.begin(), group.end(), name) != group.end();
    };
    if ((in(f.groups_a, a) && in(f.groups_b, b)) || (in(f.groups_a, b) && in(f.groups_b, a))) return true;
  }
  return false;
}

void World::apply_set(const FaultSpec& f) {
  // Validation resolved the path already; a path that names nothing can only come from outside the validator.
  PathResolution set = resolve_set_path(scenario, f.path);
  if (!set.ok()) {
    log("set: unknown parameter " + f.path);
    return;
  }
  const ParameterRef& ref = set.ref;
  switch (ref.kind) {
    case ItemKind::workload:
      rate_per_s = clamp_to_field(*ref.info, f.value);
      schedule_next_arrival();
      log("arrival rate set to " + std::to_string((int64_t)rate_per_s) + "/s");
      return;
    case ItemKind::service: services.apply_set(*this, ref, f); return;
    case ItemKind::cache: caches.apply_set(*this, ref, f); return;
    case ItemKind::lock: locks.apply_set(*this, ref, f); return;
    case ItemKind::queue: queues.apply_set(*this, ref, f); return;
    case ItemKind::scenario: break;
  }
  log("set: unknown parameter " + f.path);
}

PG_COLD_CODE void World::apply_fault(uint32_t index, bool begin) {
  const FaultSpec& f = fault_schedule_[index];
  bool has_end = f.for_ms > 0;
  if (begin && has_end && f.kind != FaultKind::set && f.kind != FaultKind::pause)
    kernel.schedule_after(ms_to_ns(f.for_ms), ev::fault_end, index);
  switch (f.kind) {
    case FaultKind::set:
      if (begin) apply_set(f);
      return;
    case FaultKind::partition:
      if (begin) {
        active_partitions_.push_back(index);
        log("network partition begins");
      } else {
        active_partitions_.erase(std::find(active_partitions_.begin(), active_partitions_.end(), index));
        log("network partition heals");
      }
      return;
    default: break;
  }
  // The first model that owns the target applies it (services, caches, locks, queues).
  for (Mechanism* model : models())
    if (model->apply_fault(*this, f, begin)) return;
  if (begin) log("fault target \"" + f.target + "\" not found; ignored");
}

// ---- sampling -----------------------------------------------------------------------------------------------------

void World::check_invariants() const {
  flows_.check_consistent();
  int64_t workload_flows = 0;
  for (const Flow& f : flows_.slots())
    if (f.live && f.owner == FlowOwner::workload && f.parent == no_id) ++workload_flows;
  int64_t in_flight = 0;
  for (const RequestStats& r : request_stats) {
    PG_ASSERT(r.in_flight >= 0, "a request type has a negative in_flight");
    PG_ASSERT(r.arrivals == r.completed + r.failed + (uint64_t)r.in_flight,
              "end-to-end conservation: arrivals = completed + failed + in_flight");
    uint64_t by_reason = 0;
    for (uint64_t n : r.failed_by) by_reason += n;
    PG_ASSERT(by_reason == r.failed, "a request type's failures by reason do not add up to its failures");
    in_flight += r.in_flight;
  }
  PG_ASSERT(in_flight == workload_flows, "the requests in flight differ from the live workload flows");
  for (const Mechanism* model : mechanisms()) model->check_invariants(*this);
}

void World::on_sample() {
  if constexpr (checking_build) check_invariants();
  time_axis.push(ns_to_s(kernel.now_ns));
  for (RequestStats& r : request_stats) {
    double seconds = ns_to_s(sample_interval_ns_);
    r.throughput.push((double)r.interval_completed / seconds);
    r.failures.push((double)r.interval_failed / seconds);
    r.p50_ms.push(ns_to_ms(r.interval_latency.percentile(0.5)));
    r.p99_ms.push(ns_to_ms(r.interval_latency.percentile(0.99)));
    r.interval_latency.clear();
    r.interval_completed = r.interval_failed = 0;
  }
  for (Mechanism* model : models()) model->sample(*this, sample_interval_ns_);
  if (kernel.now_ns + sample_interval_ns_ <= end_ns_) kernel.schedule_after(sample_interval_ns_, ev::sample, 0);
}

}  // namespace pg
