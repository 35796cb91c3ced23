// Services: balancing, waiting lines, workers, timeouts, retries, crashes and pauses. See services.hpp.
#include "engine/services.hpp"

#include <algorithm>

#include "engine/assert.hpp"
#include "engine/world.hpp"

namespace pg {

namespace {
double area_until(const TimeWeighted& tw, time_ns now) {
  return tw.area + tw.value * (double)(now - tw.last_change_ns);
}
}  // namespace

void Services::init(World& world, const Scenario& scenario) {
  specs = scenario.services;
  uint32_t points = world.time_axis.capacity;
  time_ns interval = world.time_axis.interval_ns;
  for (uint32_t s = 0; s < specs.size(); ++s) {
    first_instance_.push_back((uint32_t)instances_.size());
    for (int i = 0; i < specs[s].instances; ++i) {
      Instance instance;
      instance.service = s;
      instance.index = (uint32_t)i;
      instances_.push_back(std::move(instance));
    }
    rngs_.push_back(world.stream("service/" + specs[s].name));
    retry_rngs_.push_back(world.stream("service/" + specs[s].name + "/retry"));
  }
  stats_.resize(specs.size());
  series_.resize(specs.size());
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
  ++jobs_[id].epoch;   // a completion event still queued for it is stale
  jobs_.free(id);
}

// ---- balancing ----------------------------------------------------------------------------------------------------

uint32_t Services::pick_instance(World& world, uint32_t service_id, uint32_t key) {
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
    if (!instance.crashed || world.now() - instance.crashed_at_ns < detect_ns) live[live_count++] = first + i;
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

void Services::call(World& world, uint32_t flow_id, uint32_t service_id) {
  PG_ASSERT(service_id < specs.size(), "call: service id out of range");
  PG_ASSERT(world.flow_exists(flow_id), "call: the calling flow has ended");
  ServiceStats& stats = stats_[service_id];
  ++stats.arrivals;
  Flow& f = world.flow(flow_id);
  const std::string& caller = f.last_service == no_id ? std::string("client") : specs[f.last_service].name;
  if (world.partitioned(caller, specs[service_id].name)) {
    ++stats.unreachable;
    ++stats.interval_failed;
    return fail_attempt(world, flow_id, service_id, FailReason::unreachable);
  }
  uint32_t instance_id = pick_instance(world, service_id, f.key);
  if (instance_id == no_id) {   // every instance is down: connection refused
    ++stats.crashed;
    ++stats.interval_failed;
    return fail_attempt(world, flow_id, service_id, FailReason::crashed);
  }
  Instance& instance = instances_[instance_id];
  if (instance.crashed) {   // not yet detected by the balancer: connection refused
    ++stats.crashed;
    ++stats.interval_failed;
    return fail_attempt(world, flow_id, service_id, FailReason::crashed);
  }
  const ServiceSpec& spec = specs[service_id];
  time_ns now = world.now();
  bool can_start = instance.busy < spec.workers && !instance.paused(now);
  if (!can_start && (int)instance.line.size() >= spec.queue_max) {
    ++stats.rejected;
    ++stats.interval_failed;
    return fail_attempt(world, flow_id, service_id, FailReason::rejected);
  }
  uint32_t job_id = jobs_.allocate().index;
  Job& job = jobs_[job_id];
  job.flow = flow_id;
  job.flow_generation = f.generation;
  job.service = service_id;
  job.instance = instance_id;
  job.arrive_ns = now;
  job.caller_waiting = true;
  f.job = job_id;
  ++stats.in_flight;
  if (spec.timeout_ms > 0) world.kernel.schedule_after(ms_to_ns(spec.timeout_ms), ev::job_timeout, job_id, job.generation);
  if (can_start) {
    start_job(world, job_id);
  } else {
    instance.line.push_back(job_id);
    instance.line_tw.set(now, (double)instance.line.size());
  }
}

void Services::start_job(World& world, uint32_t job_id) {
  Job& job = jobs_[job_id];
  Instance& instance = instances_[job.instance];
  time_ns now = world.now();
  ++instance.busy;
  instance.busy_tw.set(now, instance.busy);
  instance.running.push_back(job_id);
  job.running = true;
  if (job.caller_waiting) stats_[job.service].wait.record(now - job.arrive_ns);
  time_ns service_ns = specs[job.service].service_time.sample(rngs_[job.service]);
  if (instance.slow_factor != 1.0) service_ns = (time_ns)((double)service_ns * instance.slow_factor + 0.5);
  job.done_ns = now + service_ns;
  world.kernel.schedule(job.done_ns, ev::job_done, job_id, job.epoch);
}

void Services::release_worker(World& world, uint32_t instance_id) {
  Instance& instance = instances_[instance_id];
  time_ns now = world.now();
  --instance.busy;
  instance.busy_tw.set(now, instance.busy);
  const ServiceSpec& spec = specs[instance.service];
  while (!instance.paused(now) && !instance.crashed && instance.busy < spec.workers && !instance.line.empty()) {
    uint32_t next = instance.line.front();
    instance.line.pop_front();
    instance.line_tw.set(now, (double)instance.line.size());
    start_job(world, next);
  }
}

void Services::finish_job(World& world, uint32_t job_id) {
  Job& job = jobs_[job_id];
  uint32_t instance_id = job.instance;
  Instance& instance = instances_[instance_id];
  auto it = std::find(instance.running.begin(), instance.running.end(), job_id);
  PG_ASSERT(it != instance.running.end(), "a finishing job is in its instance's running list");
  *it = instance.running.back();
  instance.running.pop_back();
  ++instance.served;
  bool caller_waiting = job.caller_waiting;
  uint32_t flow_id = job.flow, flow_generation = job.flow_generation, service_id = job.service;
  time_ns latency = world.now() - job.arrive_ns;
  free_job(job_id);
  release_worker(world, instance_id);
  if (!caller_waiting || !world.flow_live(flow_id, flow_generation)) return;
  ServiceStats& stats = stats_[service_id];
  ++stats.completed;
  ++stats.interval_completed;
  --stats.in_flight;
  stats.latency.record(latency);
  Flow& f = world.flow(flow_id);
  f.job = no_id;
  f.home_service = service_id;
  f.home_instance = instance_id;
  f.last_service = service_id;
  world.flow_continue(flow_id, false);
}

void Services::fail_attempt(World& world, uint32_t flow_id, uint32_t service_id, FailReason reason) {
  Flow& f = world.flow(flow_id);
  f.job = no_id;
  const RetryPolicy& retry = specs[service_id].retries;
  if ((int)f.attempt < retry.max) {
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
    world.flow_resume_at(flow_id, world.now() + ms_to_ns(backoff_ms));
    return;
  }
  world.flow_fail(flow_id, reason);
}

void Services::handle(World& world, const Event& event) {
  switch (event.kind) {
    case ev::job_done: {
      // Its epoch, not its generation: a pause invalidates a completion while the job stays.
      if (!jobs_.occupied(event.a) || jobs_[event.a].epoch != (uint32_t)event.b) return;
      finish_job(world, event.a);
      return;
    }
    case ev::job_timeout: {
      if (!jobs_.live(event.a, (uint32_t)event.b)) return;
      Job& job = jobs_[event.a];
      if (!job.caller_waiting) return;
      // The caller gives up; the server does not know and still does the work (it stays in line or in service).
      job.caller_waiting = false;
      ServiceStats& stats = stats_[job.service];
      ++stats.timed_out;
      ++stats.interval_failed;
      --stats.in_flight;
      if (world.flow_live(job.flow, job.flow_generation))
        fail_attempt(world, job.flow, job.service, FailReason::timed_out);
      return;
    }
    case ev::instance_resume:
      PG_ASSERT(event.a < instances_.size(), "instance_resume: instance out of range");
      resume_instance(world, event.a);
      return;
    default: PG_ASSERT(false, "unknown service event");
  }
}

// ---- faults -------------------------------------------------------------------------------------------------------

void Services::crash(World& world, uint32_t instance_id, bool crashed) {
  PG_ASSERT(instance_id < instances_.size(), "crash: instance out of range");
  Instance& instance = instances_[instance_id];
  std::string name = specs[instance.service].name + "#" + std::to_string(instance.index);
  time_ns now = world.now();
  if (!crashed) {
    if (!instance.crashed) return;
    instance.crashed = false;
    instance.paused_until_ns = 0;
    world.log(name + " restarted");
    return;
  }
  if (instance.crashed) return;
  instance.crashed = true;
  instance.crashed_at_ns = now;
  ++instance.generation;
  world.log(name + " crashed");
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
    bool waiting = job.caller_waiting && world.flow_live(job.flow, job.flow_generation);
    uint32_t flow_id = job.flow, service_id = job.service;
    if (job.caller_waiting) {
      ++stats.crashed;
      ++stats.interval_failed;
      --stats.in_flight;
    }
    free_job(job_id);
    if (waiting) fail_attempt(world, flow_id, service_id, FailReason::crashed);
  }
}

void Services::pause(World& world, uint32_t instance_id, time_ns until_ns) {
  PG_ASSERT(instance_id < instances_.size(), "pause: instance out of range");
  Instance& instance = instances_[instance_id];
  if (instance.crashed) return;
  time_ns now = world.now();
  std::string name = specs[instance.service].name + "#" + std::to_string(instance.index);
  // A pause that starts as the previous one ends finds that pause's resume not yet run: resume first, so the work
  // is frozen from its real completion times (the stale ones would put it in the past).
  if (!instance.paused(now) && instance.paused_until_ns != 0) resume_instance(world, instance_id);
  if (!instance.paused(now)) {
    // Freeze the work in progress: each running job keeps what it had left.
    for (uint32_t job_id : instance.running) {
      Job& job = jobs_[job_id];
      job.remaining_ns = job.done_ns - now;
      ++job.epoch;   // its completion event is now stale
    }
    world.log(name + " paused for " + std::to_string((until_ns - now) / ns_per_ms) + " ms");
  }
  if (until_ns > instance.paused_until_ns) {
    instance.paused_until_ns = until_ns;
    world.kernel.schedule(until_ns, ev::instance_resume, instance_id);
  }
}

void Services::resume_instance(World& world, uint32_t instance_id) {
  Instance& instance = instances_[instance_id];
  time_ns now = world.now();
  if (instance.crashed || instance.paused_until_ns > now || instance.paused_until_ns == 0) return;
  instance.paused_until_ns = 0;
  world.log(specs[instance.service].name + "#" + std::to_string(instance.index) + " resumed after its pause");
  for (uint32_t job_id : instance.running) {
    Job& job = jobs_[job_id];
    job.done_ns = now + job.remaining_ns;
    world.kernel.schedule(job.done_ns, ev::job_done, job_id, job.epoch);
  }
  const ServiceSpec& spec = specs[instance.service];
  while (instance.busy < spec.workers && !instance.line.empty()) {
    uint32_t next = instance.line.front();
    instance.line.pop_front();
    instance.line_tw.set(now, (double)instance.line.size());
    start_job(world, next);
  }
}

void Services::slow(World& world, uint32_t instance_id, double factor) {
  PG_ASSERT(instance_id < instances_.size(), "slow: instance out of range");
  Instance& instance = instances_[instance_id];
  instance.slow_factor = factor;
  world.log(specs[instance.service].name + "#" + std::to_string(instance.index) +
            (factor == 1.0 ? " back to normal speed" : " slowed down x" + std::to_string(factor).substr(0, 4)));
}

// ---- metrics ------------------------------------------------------------------------------------------------------

void Services::check_invariants(const World&) const {
  jobs_.check_consistent();
  std::vector<int64_t> waiting(specs.size(), 0);
  for (const Job& job : jobs_.slots())
    if (job.live && job.caller_waiting) ++waiting[job.service];
  for (uint32_t s = 0; s < specs.size(); ++s) {
    const ServiceStats& st = stats_[s];
    PG_ASSERT(st.in_flight >= 0, "a service has a negative in_flight");
    PG_ASSERT(st.arrivals ==
                  st.completed + st.rejected + st.timed_out + st.crashed + st.unreachable + (uint64_t)st.in_flight,
              "service conservation: arrivals = completed + rejected + timed_out + crashed + unreachable + in_flight");
    PG_ASSERT(st.in_flight == waiting[s], "a service's in_flight differs from its jobs whose caller waits");
  }
  for (const Instance& instance : instances_)
    PG_ASSERT(instance.busy == (int)instance.running.size(),
              "an instance's busy workers differ from its running jobs");
}

void Services::sample(World& world, time_ns interval_ns) {
  time_ns now = world.now();
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
    stats_[s].interval_completed = stats_[s].interval_failed = 0;
  }
}

}  // namespace pg
