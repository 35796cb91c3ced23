// Canonical serialisation of a scenario: keys in sorted order (nlohmann::json objects are sorted maps), fields
// equal to their defaults omitted, so links and files stay small and diffs readable. parse(write(s)) == s.
#include "engine/json_reader.hpp"
#include "engine/scenario.hpp"

namespace pg {
namespace {

const char* distribution_names[] = {"constant", "uniform", "exponential", "lognormal", "pareto", "empirical"};
const char* balancer_names[] = {"round_robin", "random", "least_connections", "power_of_two", "key_hash"};
const char* jitter_names[] = {"none", "full", "equal"};
const char* fault_names[] = {"crash", "pause", "slow", "partition", "clock_drift", "add_node", "remove_node", "set"};
const char* step_names[] = {"call", "cache", "lock", "publish", "parallel"};

template <typename T>
void put(json& out, const char* field, const T& value, const T& default_value) {
  if (!(value == default_value)) out[field] = value;
}

json write_distribution(const Distribution& d) {
  json out = {{"dist", distribution_names[(int)d.kind]}};
  switch (d.kind) {
    case DistributionKind::constant:
    case DistributionKind::exponential: out["mean_ms"] = d.mean_ms; break;
    case DistributionKind::lognormal: out["mean_ms"] = d.mean_ms; out["cv"] = d.cv; break;
    case DistributionKind::pareto: out["mean_ms"] = d.mean_ms; out["shape"] = d.shape; break;
    case DistributionKind::uniform: out["min_ms"] = d.min_ms; out["max_ms"] = d.max_ms; break;
    case DistributionKind::empirical:
      out["values_ms"] = d.values_ms;
      if (!d.weights.empty()) out["weights"] = d.weights;
      break;
  }
  return out;
}

bool same_distribution(const Distribution& a, const Distribution& b) {
  return write_distribution(a) == write_distribution(b);
}

json write_steps(const std::vector<StepSpec>& steps) {
  json out = json::array();
  for (const StepSpec& step : steps) {
    json s = json::object();
    if (step.kind == StepKind::parallel) {
      json branches = json::array();
      for (auto& branch : step.branches) branches.push_back(write_steps(branch));
      s["parallel"] = branches;
    } else {
      s[step_names[(int)step.kind]] = step.target;
    }
    if (step.kind == StepKind::cache && !step.on_miss.empty()) s["on_miss"] = write_steps(step.on_miss);
    if (step.kind == StepKind::lock && !step.inside.empty()) s["inside"] = write_steps(step.inside);
    out.push_back(s);
  }
  return out;
}

json write_fault(const FaultSpec& f) {
  FaultSpec d;
  json out = {{"at_s", f.at_s}, {"kind", fault_names[(int)f.kind]}};
  put(out, "target", f.target, d.target);
  put(out, "for_ms", f.for_ms, d.for_ms);
  put(out, "factor", f.factor, d.factor);
  put(out, "groups_a", f.groups_a, d.groups_a);
  put(out, "groups_b", f.groups_b, d.groups_b);
  put(out, "node", f.node, d.node);
  put(out, "path", f.path, d.path);
  if (f.kind == FaultKind::set) out["value"] = f.value;
  return out;
}

}  // namespace

json scenario_to_json(const Scenario& s) {
  Scenario d;
  json out = json::object();
  out["version"] = s.version;
  out["name"] = s.name;
  put(out, "description", s.description, d.description);
  out["seed"] = s.seed;
  out["duration_s"] = s.duration_s;
  put(out, "sample_interval_ms", s.sample_interval_ms, d.sample_interval_ms);

  const WorkloadSpec& w = s.workload;
  json arrivals = {{"rate_per_s", w.rate_per_s}};
  if (w.process != ArrivalProcess::poisson) arrivals["process"] = "constant";
  if (!w.schedule.empty()) {
    json schedule = json::array();
    for (auto& p : w.schedule) schedule.push_back({{"at_s", p.at_s}, {"rate_per_s", p.rate_per_s}});
    arrivals["schedule"] = schedule;
  }
  json keys = {{"count", w.key_count}, {"popularity", w.popularity == KeyPopularity::zipf ? "zipf" : "uniform"}};
  if (w.popularity == KeyPopularity::zipf) keys["zipf_exponent"] = w.zipf_exponent;
  json workload = {{"arrivals", arrivals}, {"keys", keys}};
  if (!w.mix.empty()) {
    json mix = json::array();
    for (auto& m : w.mix) mix.push_back({{"request", m.request}, {"weight", m.weight}});
    workload["mix"] = mix;
  }
  out["workload"] = workload;

  if (!s.requests.empty()) {
    json requests = json::array();
    for (auto& r : s.requests) requests.push_back({{"name", r.name}, {"steps", write_steps(r.steps)}});
    out["requests"] = requests;
  }
  if (!s.services.empty()) {
    json services = json::array();
    ServiceSpec ds;
    for (auto& v : s.services) {
      json o = {{"name", v.name}};
      put(o, "instances", v.instances, ds.instances);
      put(o, "workers", v.workers, ds.workers);
      put(o, "queue_max", v.queue_max, ds.queue_max);
      if (!same_distribution(v.service_time, ds.service_time)) o["service_time"] = write_distribution(v.service_time);
      if (v.balancer != ds.balancer) o["balancer"] = balancer_names[(int)v.balancer];
      put(o, "timeout_ms", v.timeout_ms, ds.timeout_ms);
      put(o, "health_check_ms", v.health_check_ms, ds.health_check_ms);
      json retries = json::object();
      put(retries, "max", v.retries.max, ds.retries.max);
      put(retries, "backoff_ms", v.retries.backoff_ms, ds.retries.backoff_ms);
      put(retries, "backoff_max_ms", v.retries.backoff_max_ms, ds.retries.backoff_max_ms);
      if (v.retries.jitter != ds.retries.jitter) retries["jitter"] = jitter_names[(int)v.retries.jitter];
      if (!retries.empty()) o["retries"] = retries;
      services.push_back(o);
    }
    out["services"] = services;
  }
  if (!s.caches.empty()) {
    json caches = json::array();
    CacheSpec dc;
    for (auto& c : s.caches) {
      json o = {{"name", c.name}, {"nodes", c.nodes}};
      if (!c.weights.empty()) o["weights"] = c.weights;
      put(o, "capacity_keys", c.capacity_keys, dc.capacity_keys);
      json p = json::object();
      put(p, "algorithm", c.placement.algorithm, dc.placement.algorithm);
      put(p, "vnodes", c.placement.vnodes, dc.placement.vnodes);
      put(p, "hash", c.placement.hash, dc.placement.hash);
      put(p, "table_size", c.placement.table_size, dc.placement.table_size);
      put(p, "load_factor", c.placement.load_factor, dc.placement.load_factor);
      if (!p.empty()) o["placement"] = p;
      if (!same_distribution(c.service_time, dc.service_time)) o["service_time"] = write_distribution(c.service_time);
      caches.push_back(o);
    }
    out["caches"] = caches;
  }
  if (!s.locks.empty()) {
    json locks = json::array();
    LockSpec dl;
    for (auto& l : s.locks) {
      json o = {{"name", l.name}};
      put(o, "kind", l.kind, dl.kind);
      put(o, "ttl_ms", l.ttl_ms, dl.ttl_ms);
      put(o, "fencing", l.fencing, dl.fencing);
      json a = json::object();
      put(a, "retry_ms", l.retry_ms, dl.retry_ms);
      put(a, "give_up_ms", l.give_up_ms, dl.give_up_ms);
      if (!a.empty()) o["acquire"] = a;
      put(o, "stock_per_key", l.stock_per_key, dl.stock_per_key);
      put(o, "network_ms", l.network_ms, dl.network_ms);
      put(o, "release", l.release, dl.release);
      put(o, "instances", l.instances, dl.instances);
      put(o, "drift_ms", l.drift_ms, dl.drift_ms);
      put(o, "session_timeout_ms", l.session_timeout_ms, dl.session_timeout_ms);
      put(o, "request_timeout_ms", l.request_timeout_ms, dl.request_timeout_ms);
      put(o, "persistence", l.persistence, dl.persistence);
      put(o, "restart_delay_ms", l.restart_delay_ms, dl.restart_delay_ms);
      locks.push_back(o);
    }
    out["locks"] = locks;
  }
  if (!s.queues.empty()) {
    json queues = json::array();
    QueueSpec dq;
    for (auto& q : s.queues) {
      json o = {{"name", q.name}};
      put(o, "kind", q.kind, dq.kind);
      put(o, "visibility_timeout_ms", q.visibility_timeout_ms, dq.visibility_timeout_ms);
      put(o, "max_receives", q.max_receives, dq.max_receives);
      put(o, "dead_letter", q.dead_letter, dq.dead_letter);
      put(o, "max_length", q.max_length, dq.max_length);
      put(o, "on_full", q.on_full, dq.on_full);
      put(o, "partitions", q.partitions, dq.partitions);
      put(o, "commit_interval_ms", q.commit_interval_ms, dq.commit_interval_ms);
      put(o, "rebalance_ms", q.rebalance_ms, dq.rebalance_ms);
      put(o, "retention_s", q.retention_s, dq.retention_s);
      json c = json::object();
      const ConsumerSpec& dc = dq.consumers;
      put(c, "count", q.consumers.count, dc.count);
      put(c, "prefetch", q.consumers.prefetch, dc.prefetch);
      put(c, "ack", q.consumers.ack, dc.ack);
      put(c, "idempotent", q.consumers.idempotent, dc.idempotent);
      put(c, "poison_probability", q.consumers.poison_probability, dc.poison_probability);
      put(c, "ack_delay_ms", q.consumers.ack_delay_ms, dc.ack_delay_ms);
      if (!q.consumers.steps.empty()) c["steps"] = write_steps(q.consumers.steps);
      if (!c.empty()) o["consumers"] = c;
      queues.push_back(o);
    }
    out["queues"] = queues;
  }
  auto write_faults = [&](const char* field, const std::vector<FaultSpec>& faults) {
    if (faults.empty()) return;
    json list = json::array();
    for (auto& f : faults) list.push_back(write_fault(f));
    out[field] = list;
  };
  write_faults("faults", s.faults);
  write_faults("interventions", s.interventions);
  if (!s.goals.empty()) {
    json goals = json::array();
    for (auto& g : s.goals) {
      json o = {{"metric", g.metric}, {"op", g.op}, {"value", g.value}};
      if (!g.label.empty()) o["label"] = g.label;
      goals.push_back(o);
    }
    out["goals"] = goals;
  }
  if (!s.view.empty()) out["view"] = s.view;
  if (!s.exercise.is_null()) out["exercise"] = s.exercise;
  return out;
}

std::string scenario_to_text(const Scenario& scenario, int indent) {
  return scenario_to_json(scenario).dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace pg
