// Scenario version 1: parsing and validation of untrusted JSON (see scenario.hpp). Never throws to the caller.
#include "engine/scenario.hpp"

#include <algorithm>
#include <functional>
#include <set>

#include "engine/cache_placement.hpp"
#include "engine/cost.hpp"
#include "engine/exercise.hpp"
#include "engine/json_reader.hpp"
#include "engine/json_text.hpp"
#include "engine/placement.hpp"

namespace pg {
namespace {

using Errors = std::vector<ValidationError>;

// JSON nesting depth, measured without recursion so a hostile document cannot overflow the stack.
int json_depth(const json& root) {
  int deepest = 0;
  std::vector<std::pair<const json*, int>> stack{{&root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    if (depth > limits::json_depth_max) return depth;
    if (node->is_structured())
      for (const json& item : *node) stack.push_back({&item, depth + 1});
  }
  return deepest;
}

void read_distribution(const json& value, const std::string& path, Distribution& out, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  Distribution d;
  r.choice("dist", d.kind, {"constant", "uniform", "exponential", "lognormal", "pareto", "empirical"});
  r.require("dist");
  r.number("mean_ms", d.mean_ms, 0, limits::time_ms_max);
  r.number("cv", d.cv, 0, 10);
  r.number("min_ms", d.min_ms, 0, limits::time_ms_max);
  r.number("max_ms", d.max_ms, 0, limits::time_ms_max);
  r.number("shape", d.shape, 1.01, 100);
  if (const json* values = r.array("values_ms", 1024)) {
    for (size_t i = 0; i < values->size(); ++i) {
      const json& v = (*values)[i];
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > limits::time_ms_max)
        r.error(r.child("values_ms") + "/" + std::to_string(i),
                "must be a number between 0 and 3600000, got " + describe_json_value(v));
      else d.values_ms.push_back(v.get<double>());
    }
  }
  if (const json* weights = r.array("weights", 1024)) {
    for (size_t i = 0; i < weights->size(); ++i) {
      const json& v = (*weights)[i];
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 1e9)
        r.error(r.child("weights") + "/" + std::to_string(i),
                "must be a number between 0 and 1e9, got " + describe_json_value(v));
      else d.weights.push_back(v.get<double>());
    }
  }
  // prepare() needs a positive mean for these two (the scale of the distribution); 0 would be a programmer error.
  if ((d.kind == DistributionKind::lognormal || d.kind == DistributionKind::pareto) && d.mean_ms <= 0)
    r.error(r.child("mean_ms"), "must be greater than 0 for a lognormal or pareto distribution");
  if (d.kind == DistributionKind::uniform && d.max_ms < d.min_ms)
    r.error(r.child("max_ms"), "must be at least min_ms");
  if (d.kind == DistributionKind::empirical) {
    if (d.values_ms.empty()) r.error(r.child("values_ms"), "is required for an empirical distribution");
    if (!d.weights.empty() && d.weights.size() != d.values_ms.size())
      r.error(r.child("weights"), "must have as many items as values_ms");
    double total = 0;
    for (double w : d.weights) total += w;
    if (!d.weights.empty() && total <= 0) r.error(r.child("weights"), "must not all be zero");
  }
  r.finish();
  out = d;
}

void read_retries(const json& value, const std::string& path, RetryPolicy& out, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.integer("max", out.max, 0, 10);
  r.number("backoff_ms", out.backoff_ms, 0, 60000);
  r.number("backoff_max_ms", out.backoff_max_ms, 0, 600000);
  r.choice("jitter", out.jitter, {"none", "full", "equal"});
  r.finish();
}

void read_steps(const json& value, const std::string& path, std::vector<StepSpec>& out, int depth, Errors& errors);

void read_step(const json& value, const std::string& path, StepSpec& step, int depth, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  static const char* kinds[] = {"call", "cache", "lock", "publish", "parallel"};
  int found = 0;
  for (int k = 0; k < 5; ++k) {
    if (!r.has(kinds[k])) continue;
    ++found;
    step.kind = (StepKind)k;
  }
  if (found != 1) {
    r.error(path, "must have exactly one of \"call\", \"cache\", \"lock\", \"publish\", \"parallel\"");
  }
  if (depth > limits::step_depth_max) {
    r.error(path, "steps are nested deeper than " + std::to_string(limits::step_depth_max) + " levels");
    return;
  }
  if (step.kind == StepKind::parallel) {
    if (const json* branches = r.array("parallel", 8)) {
      for (size_t i = 0; i < branches->size(); ++i) {
        step.branches.emplace_back();
        read_steps((*branches)[i], r.child("parallel") + "/" + std::to_string(i), step.branches.back(), depth + 1,
                   errors);
      }
      if (branches->empty()) r.error(r.child("parallel"), "must hold at least one list of steps");
    }
  } else {
    r.string(kinds[(int)step.kind], step.target, limits::name_length_max, true);
  }
  if (const json* on_miss = r.get("on_miss")) {
    if (step.kind != StepKind::cache) r.error(r.child("on_miss"), "belongs to a \"cache\" step only");
    else read_steps(*on_miss, r.child("on_miss"), step.on_miss, depth + 1, errors);
  }
  if (const json* inside = r.get("inside")) {
    if (step.kind != StepKind::lock) r.error(r.child("inside"), "belongs to a \"lock\" step only");
    else read_steps(*inside, r.child("inside"), step.inside, depth + 1, errors);
  }
  r.finish();
}

void read_steps(const json& value, const std::string& path, std::vector<StepSpec>& out, int depth, Errors& errors) {
  if (!value.is_array()) {
    errors.push_back({path, "must be an array of steps, got " + describe_json_value(value)});
    return;
  }
  if (value.size() > limits::steps_max) {
    errors.push_back({path, "must have at most " + std::to_string(limits::steps_max) + " steps"});
    return;
  }
  for (size_t i = 0; i < value.size(); ++i) {
    out.emplace_back();
    read_step(value[i], path + "/" + std::to_string(i), out.back(), depth, errors);
  }
}

void read_workload(const json& value, const std::string& path, WorkloadSpec& w, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  // Both the nested form of SCENARIO.md ("arrivals": {...}, "keys": {...}) and the flat shorthand are accepted;
  // the canonical form written back is the nested one.
  if (const json* arrivals = r.object("arrivals")) {
    ObjectReader a(*arrivals, r.child("arrivals"), errors);
    a.choice("process", w.process, {"poisson", "constant"});
    a.number("rate_per_s", w.rate_per_s, 0, limits::rate_per_s_max);
    if (const json* schedule = a.array("schedule", limits::schedule_max)) {
      for (size_t i = 0; i < schedule->size(); ++i) {
        ObjectReader p((*schedule)[i], a.child("schedule") + "/" + std::to_string(i), errors);
        RatePoint point;
        p.number("at_s", point.at_s, 0, limits::duration_s_max);
        p.number("rate_per_s", point.rate_per_s, 0, limits::rate_per_s_max);
        p.require("at_s");
        p.require("rate_per_s");
        p.finish();
        if (!w.schedule.empty() && point.at_s < w.schedule.back().at_s)
          p.error(p.child("at_s"), "must not be earlier than the previous point's at_s");
        w.schedule.push_back(point);
      }
    }
    a.finish();
  }
  if (const json* keys = r.object("keys")) {
    ObjectReader k(*keys, r.child("keys"), errors);
    int count = (int)w.key_count;
    k.integer("count", count, 1, (int)limits::keys_max);
    w.key_count = (uint32_t)count;
    k.choice("popularity", w.popularity, {"uniform", "zipf"});
    k.number("zipf_exponent", w.zipf_exponent, 0, 4);
    k.finish();
  }
  if (const json* mix = r.array("mix", limits::mix_max)) {
    for (size_t i = 0; i < mix->size(); ++i) {
      ObjectReader m((*mix)[i], r.child("mix") + "/" + std::to_string(i), errors);
      MixEntry entry;
      m.string("request", entry.request, limits::name_length_max, true);
      m.number("weight", entry.weight, 0, 1e6);
      m.finish();
      w.mix.push_back(entry);
    }
  }
  r.finish();
}

void read_service(const json& value, const std::string& path, ServiceSpec& s, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.string("name", s.name, limits::name_length_max, true);
  r.integer("instances", s.instances, 1, limits::instances_max);
  r.integer("workers", s.workers, 1, limits::workers_max);
  r.integer("queue_max", s.queue_max, 0, limits::queue_max_max);
  if (const json* st = r.get("service_time")) read_distribution(*st, r.child("service_time"), s.service_time, errors);
  r.choice("balancer", s.balancer, {"round_robin", "random", "least_connections", "power_of_two", "key_hash"});
  r.number("timeout_ms", s.timeout_ms, 0, limits::time_ms_max);
  r.number("health_check_ms", s.health_check_ms, 0, 600000);
  if (const json* retries = r.get("retries")) read_retries(*retries, r.child("retries"), s.retries, errors);
  r.finish();
}

void read_cache(const json& value, const std::string& path, CacheSpec& c, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.string("name", c.name, limits::name_length_max, true);
  if (const json* nodes = r.array("nodes", limits::cache_nodes_max)) {
    for (size_t i = 0; i < nodes->size(); ++i) {
      const json& n = (*nodes)[i];
      if (!n.is_string() || n.get_ref<const std::string&>().empty() ||
          n.get_ref<const std::string&>().size() > limits::name_length_max)
        r.error(r.child("nodes") + "/" + std::to_string(i), "must be a node name, got " + describe_json_value(n));
      else c.nodes.push_back(n.get<std::string>());
    }
    if (nodes->empty()) r.error(r.child("nodes"), "must name at least one node");
  }
  r.require("nodes");
  if (const json* weights = r.array("weights", limits::cache_nodes_max)) {
    for (size_t i = 0; i < weights->size(); ++i) {
      const json& wv = (*weights)[i];
      if (!wv.is_number_integer() || wv.get<int64_t>() < 1 || wv.get<int64_t>() > 100)
        r.error(r.child("weights") + "/" + std::to_string(i), "must be a whole number from 1 to 100, got " +
                                                                  describe_json_value(wv));
      else c.weights.push_back((int)wv.get<int64_t>());
    }
    if (c.weights.size() != c.nodes.size()) r.error(r.child("weights"), "must have one weight per node");
  }
  r.integer("capacity_keys", c.capacity_keys, 1, (int)limits::keys_max);
  if (const json* placement = r.object("placement")) {
    ObjectReader p(*placement, r.child("placement"), errors);
    p.choice_string("algorithm", c.placement.algorithm, {"modulo", "ring", "jump", "rendezvous", "maglev", "bounded"});
    p.integer("vnodes", c.placement.vnodes, 1, 1000);
    p.choice_string("hash", c.placement.hash, {"ketama", "fast"});
    p.integer("table_size", c.placement.table_size, 7, 1'000'003);
    p.number("load_factor", c.placement.load_factor, 1.0, 10.0);
    p.finish();
  }
  if (const json* st = r.get("service_time")) read_distribution(*st, r.child("service_time"), c.service_time, errors);
  // The placement must be buildable (unique node names, ketama vnodes a multiple of 4, maglev table a prime at
  // least the node count, ring points within limits): asked of the placement module itself.
  if (!c.nodes.empty() && (c.weights.empty() || c.weights.size() == c.nodes.size())) {
    PlacementError error = Placement::validate(cache_placement_params(c.placement), cache_placement_nodes(c));
    if (error != PlacementError::none)
      r.error(error == PlacementError::duplicate_node_name ? r.child("nodes") : r.child("placement"),
              std::string(placement_error_message(error)));
  }
  r.finish();
}

void read_lock(const json& value, const std::string& path, LockSpec& l, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.string("name", l.name, limits::name_length_max, true);
  r.choice_string("kind", l.kind, {"none", "redis", "redlock", "zookeeper", "atomic"});
  r.number("ttl_ms", l.ttl_ms, 1, limits::time_ms_max);
  r.boolean("fencing", l.fencing);
  if (const json* acquire = r.object("acquire")) {
    ObjectReader a(*acquire, r.child("acquire"), errors);
    a.number("retry_ms", l.retry_ms, 0.01, 60000);
    a.number("give_up_ms", l.give_up_ms, 0, limits::time_ms_max);
    a.finish();
  }
  r.integer("stock_per_key", l.stock_per_key, 0, 1'000'000);
  r.number("network_ms", l.network_ms, 0, 10000);
  r.choice_string("release", l.release, {"compare_and_delete", "del"});
  r.integer("instances", l.instances, 1, 15);
  r.number("drift_ms", l.drift_ms, 0, 60000);
  r.number("session_timeout_ms", l.session_timeout_ms, 1, limits::time_ms_max);
  r.number("request_timeout_ms", l.request_timeout_ms, 0.01, 60000);
  r.boolean("persistence", l.persistence);
  r.number("restart_delay_ms", l.restart_delay_ms, 0, limits::time_ms_max);
  r.finish();
}

void read_queue(const json& value, const std::string& path, QueueSpec& q, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.string("name", q.name, limits::name_length_max, true);
  r.choice_string("kind", q.kind, {"sqs", "log", "amqp"});
  r.number("visibility_timeout_ms", q.visibility_timeout_ms, 1, limits::time_ms_max);
  r.integer("max_receives", q.max_receives, 1, 1000);
  r.boolean("dead_letter", q.dead_letter);
  r.integer("max_length", q.max_length, 1, 10'000'000);
  r.choice_string("on_full", q.on_full, {"reject", "drop", "block"});
  r.integer("partitions", q.partitions, 1, 256);
  r.number("commit_interval_ms", q.commit_interval_ms, 1, limits::time_ms_max);
  r.number("rebalance_ms", q.rebalance_ms, 0, limits::time_ms_max);
  r.number("retention_s", q.retention_s, 1, 1'209'600);
  if (const json* consumers = r.object("consumers")) {
    ObjectReader c(*consumers, r.child("consumers"), errors);
    c.integer("count", q.consumers.count, 0, 256);
    c.integer("prefetch", q.consumers.prefetch, 1, 1000);
    c.choice_string("ack", q.consumers.ack, {"after_processing", "before_processing"});
    c.boolean("idempotent", q.consumers.idempotent);
    c.number("poison_probability", q.consumers.poison_probability, 0, 1);
    c.number("ack_delay_ms", q.consumers.ack_delay_ms, 0, 60000);
    if (const json* steps = c.get("steps")) read_steps(*steps, c.child("steps"), q.consumers.steps, 1, errors);
    c.finish();
  }
  r.finish();
}

void read_fault(const json& value, const std::string& path, FaultSpec& f, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.number("at_s", f.at_s, 0, limits::duration_s_max);
  r.require("at_s");
  r.choice("kind", f.kind, {"crash", "pause", "slow", "partition", "clock_drift", "add_node", "remove_node", "set"});
  r.require("kind");
  r.string("target", f.target, limits::name_length_max);
  double for_s = -1;
  r.number("for_s", for_s, 0, limits::duration_s_max);
  r.number("for_ms", f.for_ms, 0, limits::time_ms_max);
  if (for_s >= 0) {
    if (r.has("for_ms")) r.error(r.child("for_s"), "give either for_s or for_ms, not both");
    f.for_ms = for_s * 1000;
  }
  r.number("factor", f.factor, 0.001, 1000);
  auto read_group = [&](const char* field, std::vector<std::string>& group) {
    if (const json* g = r.array(field, 64))
      for (size_t i = 0; i < g->size(); ++i) {
        const json& name = (*g)[i];
        if (name.is_string() && !name.get_ref<const std::string&>().empty() &&
            name.get_ref<const std::string&>().size() <= limits::name_length_max)
          group.push_back(name.get<std::string>());
        else r.error(r.child(field) + "/" + std::to_string(i), "must be a name, got " + describe_json_value((*g)[i]));
      }
  };
  read_group("groups_a", f.groups_a);
  read_group("groups_b", f.groups_b);
  r.string("node", f.node, limits::name_length_max);
  r.string("path", f.path, 256);
  r.number("value", f.value, -1e12, 1e12);
  // Names the parsed kind, not value["kind"]: that may be a number (already reported) and must not throw.
  static const char* kind_names[] = {"crash", "pause", "slow", "partition", "clock_drift", "add_node", "remove_node",
                                     "set"};
  if (f.kind != FaultKind::set && f.kind != FaultKind::partition && f.target.empty() && r.valid())
    r.error(r.child("target"), "is required for a \"" + std::string(kind_names[(int)f.kind]) + "\" fault");
  if (f.kind == FaultKind::pause && f.for_ms <= 0) r.error(r.child("for_ms"), "a pause needs a duration > 0");
  if (f.kind == FaultKind::set && f.path.empty()) r.error(r.child("path"), "is required for \"set\"");
  if ((f.kind == FaultKind::add_node || f.kind == FaultKind::remove_node) && f.node.empty())
    r.error(r.child("node"), "is required for add_node/remove_node");
  r.finish();
}

void read_goal(const json& value, const std::string& path, GoalSpec& g, Errors& errors) {
  ObjectReader r(value, path, errors);
  if (!r.valid()) return;
  r.string("label", g.label, 256);
  r.string("metric", g.metric, 256, true);
  r.choice_string("op", g.op, {"<", "<=", "==", ">=", ">", "!="});
  r.number("value", g.value, -1e15, 1e15);
  r.require("value");
  r.finish();
}

template <typename Spec, typename Reader>
void read_list(ObjectReader& r, const char* field, size_t max_length, std::vector<Spec>& out, Reader reader,
               Errors& errors) {
  if (const json* list = r.array(field, max_length)) {
    for (size_t i = 0; i < list->size(); ++i) {
      out.emplace_back();
      reader((*list)[i], r.child(field) + "/" + std::to_string(i), out.back(), errors);
    }
  }
}

// Names are unique per kind; steps name things that exist.
void check_references(const Scenario& s, Errors& errors) {
  auto unique = [&](const char* list, auto& items) {
    std::set<std::string> seen;
    for (size_t i = 0; i < items.size(); ++i)
      if (!items[i].name.empty() && !seen.insert(items[i].name).second)
        errors.push_back({std::string("/") + list + "/" + std::to_string(i) + "/name",
                          "duplicate name \"" + items[i].name + "\""});
  };
  unique("services", s.services);
  unique("requests", s.requests);
  unique("caches", s.caches);
  unique("locks", s.locks);
  unique("queues", s.queues);
  auto exists = [](auto& items, const std::string& name) {
    for (auto& item : items)
      if (item.name == name) return true;
    return false;
  };
  std::function<void(const std::vector<StepSpec>&, const std::string&)> check_steps =
      [&](const std::vector<StepSpec>& steps, const std::string& path) {
        for (size_t i = 0; i < steps.size(); ++i) {
          const StepSpec& step = steps[i];
          std::string p = path + "/" + std::to_string(i);
          static const char* kinds[] = {"call", "cache", "lock", "publish", "parallel"};
          static const char* lists[] = {"services", "caches", "locks", "queues", ""};
          bool ok = true;
          switch (step.kind) {
            case StepKind::call: ok = exists(s.services, step.target); break;
            case StepKind::cache: ok = exists(s.caches, step.target); break;
            case StepKind::lock: ok = exists(s.locks, step.target); break;
            case StepKind::publish: ok = exists(s.queues, step.target); break;
            case StepKind::parallel: break;
          }
          if (!ok && !step.target.empty())
            errors.push_back({p + "/" + kinds[(int)step.kind], "names \"" + step.target + "\", which is not in /" +
                                                                   lists[(int)step.kind]});
          check_steps(step.on_miss, p + "/on_miss");
          check_steps(step.inside, p + "/inside");
          for (size_t b = 0; b < step.branches.size(); ++b)
            check_steps(step.branches[b], p + "/parallel/" + std::to_string(b));
        }
      };
  for (size_t i = 0; i < s.requests.size(); ++i)
    check_steps(s.requests[i].steps, "/requests/" + std::to_string(i) + "/steps");
  for (size_t i = 0; i < s.queues.size(); ++i)
    check_steps(s.queues[i].consumers.steps, "/queues/" + std::to_string(i) + "/consumers/steps");
  for (size_t i = 0; i < s.workload.mix.size(); ++i)
    if (!s.workload.mix[i].request.empty() && !exists(s.requests, s.workload.mix[i].request))
      errors.push_back({"/workload/mix/" + std::to_string(i) + "/request",
                        "names \"" + s.workload.mix[i].request + "\", which is not in /requests"});
  if (s.workload.rate_per_s > 0 && s.requests.empty() && !s.services.empty())
    errors.push_back({"/requests", "the workload sends requests, but no request type is defined"});
}

}  // namespace

ScenarioParse parse_scenario_json(const json& document) {
  ScenarioParse result;
  Errors& errors = result.errors;
  Scenario& s = result.scenario;
  try {
    if (json_depth(document) > limits::json_depth_max) {
      errors.push_back({"", "the document is nested deeper than " + std::to_string(limits::json_depth_max) +
                                " levels"});
      return result;
    }
    ObjectReader r(document, "", errors);
    if (!r.valid()) return result;
    const json* version = r.get("version");
    if (!version) {
      errors.push_back({"/version", "is required (this program reads version 1)"});
      return result;
    }
    if (!version->is_number_integer()) {
      errors.push_back({"/version", "must be a whole number, got " + describe_json_value(*version)});
      return result;
    }
    int64_t v = version->get<int64_t>();
    if (v > scenario_version) {
      errors.push_back({"/version", "this scenario was made by a newer version of the playground (version " +
                                        std::to_string(v) + "; this one reads up to " +
                                        std::to_string(scenario_version) + ")"});
      return result;
    }
    if (v < 1) {
      errors.push_back({"/version", "must be 1, got " + std::to_string(v)});
      return result;
    }
    r.string("name", s.name, limits::name_length_max * 2);
    r.string("description", s.description, limits::text_length_max);
    r.unsigned64("seed", s.seed);
    r.number("duration_s", s.duration_s, 0.001, limits::duration_s_max);
    r.number("sample_interval_ms", s.sample_interval_ms, 10, 600000);
    if (const json* workload = r.get("workload")) read_workload(*workload, "/workload", s.workload, errors);
    read_list(r, "requests", limits::requests_max, s.requests,
              [](const json& value, const std::string& path, RequestSpec& q, Errors& e) {
                ObjectReader rr(value, path, e);
                if (!rr.valid()) return;
                rr.string("name", q.name, limits::name_length_max, true);
                if (const json* steps = rr.get("steps")) read_steps(*steps, rr.child("steps"), q.steps, 1, e);
                rr.require("steps");
                rr.finish();
              },
              errors);
    read_list(r, "services", limits::services_max, s.services, read_service, errors);
    read_list(r, "caches", limits::caches_max, s.caches, read_cache, errors);
    read_list(r, "locks", limits::locks_max, s.locks, read_lock, errors);
    read_list(r, "queues", limits::queues_max, s.queues, read_queue, errors);
    read_list(r, "faults", limits::faults_max, s.faults, read_fault, errors);
    read_list(r, "interventions", limits::faults_max, s.interventions, read_fault, errors);
    read_list(r, "goals", limits::goals_max, s.goals, read_goal, errors);
    if (const json* view = r.get("view")) {
      if (!view->is_object()) errors.push_back({"/view", "must be an object, got " + describe_json_value(*view)});
      else if (view->dump().size() > 65536) errors.push_back({"/view", "must be at most 64 KB"});
      else s.view = *view;
    }
    if (const json* exercise = r.get("exercise")) {
      if (!exercise->is_object())
        errors.push_back({"/exercise", "must be an object, got " + describe_json_value(*exercise)});
      else {
        validate_exercise(*exercise, errors);
        s.exercise = *exercise;
      }
    }
    r.finish();
    if (errors.empty()) check_references(s, errors);
    if (errors.empty()) {
      s.workload.rate_per_s = s.workload.rate_per_s;
      for (ServiceSpec& service : s.services) service.service_time.prepare();
      for (CacheSpec& cache : s.caches) cache.service_time.prepare();
      check_cost(s, errors);   // what the scenario can hold at once (engine/cost.hpp)
    }
  } catch (const std::exception& e) {
    // The reader checks types before every get<>(); this is the last line of defence, not the normal path.
    errors.push_back({"", std::string("could not read the document: ") + e.what()});
  }
  return result;
}

ScenarioParse parse_scenario(std::string_view text) {
  ScenarioParse result;
  if (text.size() > limits::document_bytes_max) {
    result.errors.push_back({"", "the document is " + std::to_string(text.size()) + " bytes; the limit is " +
                                     std::to_string(limits::document_bytes_max)});
    return result;
  }
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    result.errors.push_back({"", "the document is empty"});
    return result;
  }
  // Depth is limited before parsing too: nlohmann's parser recurses, so a hostile "[[[[..." must not reach it.
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if (c == '}' || c == ']') --depth;
  }
  if (deepest > limits::json_depth_max) {
    result.errors.push_back({"", "the document is nested deeper than " + std::to_string(limits::json_depth_max) +
                                     " levels"});
    return result;
  }
  // Syntax errors with line, column and reason, and duplicate keys with their paths (engine/json_text.hpp).
  result.errors = check_json_text(text);
  if (!result.errors.empty()) return result;
  json document = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    result.errors.push_back({"", "not valid JSON"});
    return result;
  }
  return parse_scenario_json(document);
}

}  // namespace pg
