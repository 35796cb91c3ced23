// What a scenario costs: see cost.hpp. Only IEEE arithmetic and portable_math, so the page and the CLI agree.
#include "engine/scenario/cost.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "engine/kernel/portable_math.hpp"
#include "engine/models/caches/placement.hpp"
#include "engine/run/budget.hpp"

namespace pg {
namespace {

using Errors = std::vector<ValidationError>;

static_assert(WorkBudget{}.events == (uint64_t)limits::implied_live_max,
              "implied live requests are bounded by the per-run event budget");

constexpr double never = 1e300;           // an unbounded time
constexpr double series_points_per_series_max = 7200;   // the world's and the models' series_points_max

std::string whole(double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.0f", v);
  return buffer;
}

std::string short_number(double v) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return buffer;
}

// ---- set interventions: a `set` may raise a figure during the run ---------------------------------------------------

struct SetValue {
  std::string source;   // "/interventions/3/value"
  double value;
  double at_s;
};

struct Sets {
  std::vector<std::pair<std::string, SetValue>> all;   // (parameter path, value), in document order

  explicit Sets(const Scenario& s) {
    auto add = [&](const char* list, const std::vector<FaultSpec>& faults) {
      for (size_t i = 0; i < faults.size(); ++i)
        if (faults[i].kind == FaultKind::set)
          all.push_back({faults[i].path, {std::string("/") + list + "/" + std::to_string(i) + "/value",
                                          faults[i].value, faults[i].at_s}});
    };
    add("faults", s.faults);
    add("interventions", s.interventions);
  }
  // The largest value the parameter takes: its own, or a set's (clamped as the model clamps it). `source` names
  // the set when it is larger.
  double raised(const std::string& path, double base, double lo, double hi, std::string* source = nullptr) const {
    double best = base;
    for (const auto& [p, v] : all)
      if (p == path) {
        double value = std::clamp(v.value, lo, hi);
        if (value > best) {
          best = value;
          if (source) *source = v.source;
        }
      }
    return best;
  }
};

std::string raised_note(const std::string& source, double value) {
  return source.empty() ? "" : " (raised to " + whole(value) + " by " + source + ")";
}

// ---- key placements -----------------------------------------------------------------------------------------------

struct PlacementCost {
  double keys = 0;      // the workload's keys
  double per_key = 1;   // key placements per key: 1, or a rendezvous score per node copy, 32 to a placement
  double scores = 0;    // rendezvous: node copies scored per key (the total weight)
  double points = 0;    // ring points or Maglev table entries built per build
  double memory_points = 0;   // what they hold, in ring points (16 B): a table entry (4 B) is a quarter
  double builds = 1;    // the start and every membership change
  double total() const { return builds * (keys * per_key + points); }
};

// An upper bound: every fault that can change the cache's membership is counted, once or twice (with for_ms the
// change is undone), whether or not it finds the node up or a member.
PlacementCost placement_cost(const Scenario& s, const CacheSpec& c) {
  PlacementCost cost;
  cost.keys = s.workload.key_count;
  double weight = 0, nodes = (double)c.nodes.size();
  for (size_t i = 0; i < c.nodes.size(); ++i) weight += i < c.weights.size() ? c.weights[i] : 1;
  std::set<std::string> names(c.nodes.begin(), c.nodes.end());   // its nodes and the ones faults add
  for (const auto* list : {&s.faults, &s.interventions})
    for (const FaultSpec& f : *list)
      if (f.kind == FaultKind::add_node && f.target == c.name) {
        names.insert(f.node);
        nodes += 1;
        weight += f.value >= 1 && f.value <= 100 ? std::floor(f.value) : 1;
      }
  for (const auto* list : {&s.faults, &s.interventions})
    for (const FaultSpec& f : *list) {
      bool changes = ((f.kind == FaultKind::add_node || f.kind == FaultKind::remove_node) && f.target == c.name) ||
                     (f.kind == FaultKind::crash && names.count(f.target));
      if (changes) cost.builds += f.for_ms > 0 ? 2 : 1;
    }
  nodes = std::min(nodes, (double)placement_nodes_max);
  const PlacementAlgorithm algorithm = c.placement.algorithm;
  if (algorithm == PlacementAlgorithm::rendezvous) {
    cost.scores = weight;
    cost.per_key = std::max(1.0, std::ceil(weight / 32));
  } else if (algorithm == PlacementAlgorithm::ring || algorithm == PlacementAlgorithm::bounded) {
    double points = c.placement.hash == PlacementHash::ketama ? (double)c.placement.vnodes * nodes
                                                 : (double)c.placement.vnodes * weight;
    cost.points = std::min(points, (double)placement_ring_points_max);
    cost.memory_points = cost.points;
  } else if (algorithm == PlacementAlgorithm::maglev) {
    cost.points = c.placement.table_size;
    cost.memory_points = cost.points / 4;
  }
  return cost;
}

// ---- steps --------------------------------------------------------------------------------------------------------

// Steps a list runs when every branch of every parallel step runs.
double step_count(const std::vector<StepSpec>& steps) {
  double total = 0;
  for (const StepSpec& step : steps) {
    total += 1;
    total += step_count(step.on_miss) + step_count(step.inside);
    for (const auto& branch : step.branches) total += step_count(branch);
  }
  return total;
}

// The parallel step with the most steps inside it (its path through `path`), for messages.
void largest_parallel(const std::vector<StepSpec>& steps, const std::string& path, std::string& best_path,
                      double& best_steps, size_t& best_branches) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const StepSpec& step = steps[i];
    std::string p = path + "/" + std::to_string(i);
    if (step.kind == StepKind::parallel) {
      double inside = 0;
      for (const auto& branch : step.branches) inside += step_count(branch);
      if (inside > best_steps) {
        best_steps = inside;
        best_path = p + "/parallel";
        best_branches = step.branches.size();
      }
      for (size_t b = 0; b < step.branches.size(); ++b)
        largest_parallel(step.branches[b], p + "/parallel/" + std::to_string(b), best_path, best_steps,
                         best_branches);
    }
    largest_parallel(step.on_miss, p + "/on_miss", best_path, best_steps, best_branches);
    largest_parallel(step.inside, p + "/inside", best_path, best_steps, best_branches);
  }
}

template <typename T>
const T* find_named(const std::vector<T>& items, const std::string& name) {
  for (const T& item : items)
    if (item.name == name) return &item;
  return nullptr;
}

// The instances a client asks (redis: the primary; redlock: every instance).
uint32_t lock_servers(const LockSpec& l) {
  if (l.kind == LockKind::redis || l.kind == LockKind::zookeeper) return 1;
  if (l.kind == LockKind::redlock) return (uint32_t)l.instances;
  return 0;   // none, atomic: the store only
}
// The instances that keep a copy of the keys: the above, and a redis lock's replicas.
uint32_t lock_key_copies(const LockSpec& l) {
  return lock_servers(l) + (l.kind == LockKind::redis ? (uint32_t)l.replica_count : 0);
}

// The longest a list of steps can keep a request (ms): bounded by timeouts, retries and give-ups, or `never`.
// Memo: per service, the longest its own steps can take (-1: not computed yet), so a call graph where many
// services call the same ones costs one visit per service.
using StayMemo = std::vector<double>;
double longest_stay_ms(const Scenario& s, const Sets& sets, const std::vector<StepSpec>& steps, StayMemo& memo);

double longest_step_ms(const Scenario& s, const Sets& sets, const StepSpec& step, StayMemo& memo) {
  switch (step.kind) {
    case StepKind::call: {
      const ServiceSpec* service = find_named(s.services, step.target);
      if (!service) return 0;
      std::string name = "/services/" + service->name;
      if (service->timeout_ms <= 0) return never;
      for (const auto& [p, v] : sets.all)
        if (p == name + "/timeout_ms" && v.value <= 0) return never;
      double timeout = sets.raised(name + "/timeout_ms", service->timeout_ms, 0, limits::time_ms_max);
      double retries = sets.raised(name + "/retries/max", service->retries.max, 0, 10);
      // An abandoned attempt's steps go on after the caller gave up; they hold the request's state that long more.
      double abandoned = 0;
      if (!service->steps.empty()) {
        size_t index = (size_t)(service - s.services.data());
        if (memo[index] < 0) {
          memo[index] = 0;   // validation refused cycles; this only stops a recursion on an unvalidated scenario
          memo[index] = longest_stay_ms(s, sets, service->steps, memo);
        }
        abandoned = memo[index];
      }
      return (1 + retries) * timeout + retries * std::max(service->retries.backoff_ms, service->retries.backoff_max_ms) +
             abandoned;
    }
    case StepKind::cache: {
      const CacheSpec* cache = find_named(s.caches, step.target);
      double lookup = never;
      if (cache && (cache->service_time.kind == DistributionKind::constant))
        lookup = cache->service_time.mean_ms;
      else if (cache && cache->service_time.kind == DistributionKind::uniform)
        lookup = cache->service_time.max_ms;
      return lookup + longest_stay_ms(s, sets, step.on_miss, memo);
    }
    case StepKind::lock: {
      const LockSpec* lock = find_named(s.locks, step.target);
      if (!lock) return 0;
      std::string name = "/locks/" + lock->name;
      double give_up = sets.raised(name + "/give_up_ms", lock->give_up_ms, 0, limits::time_ms_max);
      double network = sets.raised(name + "/network_ms", lock->network_ms, 0, 10000);
      double wait = (lock->kind == LockKind::none || lock->kind == LockKind::atomic) ? 0 : give_up;
      return wait + 8 * network + longest_stay_ms(s, sets, step.inside, memo);
    }
    case StepKind::publish: {
      const QueueSpec* queue = find_named(s.queues, step.target);
      return queue && queue->on_full == QueueOnFull::block ? never : 0;
    }
    case StepKind::parallel: {
      double longest = 0;
      for (const auto& branch : step.branches) longest = std::max(longest, longest_stay_ms(s, sets, branch, memo));
      return longest;
    }
  }
  return 0;
}

double longest_stay_ms(const Scenario& s, const Sets& sets, const std::vector<StepSpec>& steps, StayMemo& memo) {
  double total = 0;
  for (const StepSpec& step : steps) {
    total += longest_step_ms(s, sets, step, memo);
    if (total >= never) return never;
  }
  return total;
}

double longest_stay_ms(const Scenario& s, const Sets& sets, const std::vector<StepSpec>& steps) {
  StayMemo memo(s.services.size(), -1);
  return longest_stay_ms(s, sets, steps, memo);
}

// ---- the workload's rate over time --------------------------------------------------------------------------------

struct Segment {
  double from_s, to_s, rate;
};

// Piecewise-constant arrival rate over [0, duration): the schedule's points and `set /workload/rate_per_s`.
std::vector<Segment> rate_segments(const Scenario& s, const Sets& sets) {
  struct Change {
    double at_s, rate;
    size_t order;
  };
  std::vector<Change> changes;
  for (const RatePoint& p : s.workload.schedule) changes.push_back({p.at_s, p.rate_per_s, changes.size()});
  for (const auto& [path, v] : sets.all)
    if (path == "/workload/rate_per_s")
      changes.push_back({v.at_s, std::clamp(v.value, 0.0, limits::rate_per_s_max), changes.size()});
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) { return a.at_s < b.at_s; });
  std::vector<Segment> segments;
  double t = 0, rate = s.workload.rate_per_s;
  for (const Change& c : changes) {
    double at = std::min(c.at_s, s.duration_s);
    if (at > t) segments.push_back({t, at, rate});
    t = std::max(t, at);
    rate = c.rate;
  }
  if (s.duration_s > t) segments.push_back({t, s.duration_s, rate});
  return segments;
}

// Each request type's share of the arrivals (the mix, or equal weights).
std::vector<double> mix_shares(const Scenario& s) {
  std::vector<double> share(s.requests.size(), 0.0);
  double total = 0;
  for (size_t i = 0; i < s.requests.size(); ++i) {
    double w = 0;
    if (s.workload.mix.empty()) w = 1;
    else
      for (const MixEntry& m : s.workload.mix)
        if (m.request == s.requests[i].name) w += m.weight;
    share[i] = w;
    total += w;
  }
  for (double& v : share) v = total > 0 ? v / total : 0;
  return share;
}

// The sum of figure(i) over n items, the largest figure and its item (the first of equals): what a bound's message
// names ("this cache ... (N with the other caches)").
struct Largest {
  double total = 0, top = -1;
  size_t index = 0;
};
template <typename Figure>
Largest largest(size_t n, Figure figure) {
  Largest out;
  for (size_t i = 0; i < n; ++i) {
    const double value = figure(i);
    out.total += value;
    if (value > out.top) {
      out.top = value;
      out.index = i;
    }
  }
  return out;
}

void add_error(Errors& errors, const std::string& path, const std::string& message) {
  errors.push_back({path, message});
}

}  // namespace

// ---- static bounds ------------------------------------------------------------------------------------------------

namespace {

// Waiting slots and busy workers at the services.
void check_service_slots(const Scenario& s, const Sets& sets, Errors& errors) {
  double total_waiting = 0, total_workers = 0, top_waiting = -1, top_workers = -1;
  size_t top_w = 0, top_k = 0;
  std::string source_w, source_k;
  double queue_w = 0, workers_k = 0;
  for (size_t i = 0; i < s.services.size(); ++i) {
    const ServiceSpec& sv = s.services[i];
    std::string name = "/services/" + sv.name, src_q, src_k;
    double queue_max = sets.raised(name + "/queue_max", sv.queue_max, 0, limits::queue_max_max, &src_q);
    double workers = sets.raised(name + "/workers", sv.workers, 1, limits::workers_max, &src_k);
    double waiting = sv.instances * queue_max, busy = sv.instances * workers;
    total_waiting += waiting;
    total_workers += busy;
    if (waiting > top_waiting) {
      top_waiting = waiting;
      top_w = i;
      source_w = src_q;
      queue_w = queue_max;
    }
    if (busy > top_workers) {
      top_workers = busy;
      top_k = i;
      source_k = src_k;
      workers_k = workers;
    }
  }
  if (total_waiting > limits::waiting_slots_max) {
    const ServiceSpec& sv = s.services[top_w];
    std::string others = total_waiting > top_waiting ? " (" + whole(total_waiting) + " with the other services)" : "";
    add_error(errors, "/services/" + std::to_string(top_w) + "/queue_max",
              std::to_string(sv.instances) + " instances × " + whole(queue_w) + " waiting slots" +
                  raised_note(source_w, queue_w) + " = " + whole(top_waiting) + others +
                  "; a scenario may hold at most " + whole(limits::waiting_slots_max) + " waiting requests in all");
  }
  if (total_workers > limits::busy_workers_max) {
    const ServiceSpec& sv = s.services[top_k];
    std::string others = total_workers > top_workers ? " (" + whole(total_workers) + " with the other services)" : "";
    add_error(errors, "/services/" + std::to_string(top_k) + "/workers",
              std::to_string(sv.instances) + " instances × " + whole(workers_k) + " workers" +
                  raised_note(source_k, workers_k) + " = " + whole(top_workers) + others +
                  "; a scenario may keep at most " + whole(limits::busy_workers_max) + " workers busy in all");
  }
}

// Queue capacity and prefetched deliveries.
void check_queue_capacity(const Scenario& s, const Sets& sets, Errors& errors) {
  double total_length = 0, top_length = -1, total_prefetch = 0, top_prefetch = -1;
  size_t top_l = 0, top_p = 0;
  double count_p = 0, prefetch_p = 0;
  std::string source_p;
  for (size_t i = 0; i < s.queues.size(); ++i) {
    const QueueSpec& q = s.queues[i];
    total_length += q.max_length;
    if (q.max_length > top_length) {
      top_length = q.max_length;
      top_l = i;
    }
    std::string name = "/queues/" + q.name, src_c, src_p;
    double count = sets.raised(name + "/consumers/count", q.consumers.count, 0, 256, &src_c);
    double prefetch = sets.raised(name + "/consumers/prefetch", q.consumers.prefetch, 1, 1000, &src_p);
    double held = count * prefetch;
    total_prefetch += held;
    if (held > top_prefetch) {
      top_prefetch = held;
      top_p = i;
      count_p = count;
      prefetch_p = prefetch;
      source_p = !src_c.empty() ? raised_note(src_c, count) : raised_note(src_p, prefetch);
    }
  }
  if (total_length > limits::queue_capacity_max) {
    std::string others = total_length > top_length ? " (" + whole(total_length) + " with the other queues)" : "";
    add_error(errors, "/queues/" + std::to_string(top_l) + "/max_length",
              "this queue may hold " + whole(top_length) + " messages" + others + "; a scenario may hold at most " +
                  whole(limits::queue_capacity_max) + " queue messages in all");
  }
  if (total_prefetch > limits::prefetch_total_max) {
    std::string others =
        total_prefetch > top_prefetch ? " (" + whole(total_prefetch) + " with the other queues)" : "";
    add_error(errors, "/queues/" + std::to_string(top_p) + "/consumers/prefetch",
              whole(count_p) + " consumers × prefetch " + whole(prefetch_p) + source_p + " = " + whole(top_prefetch) +
                  " deliveries held at once" + others + "; a scenario may prefetch at most " +
                  whole(limits::prefetch_total_max) + " deliveries in all");
  }
}

// Keys cached on the nodes: a node holds at most capacity_keys of the workload's keys.
void check_cached_keys(const Scenario& s, const Sets& sets, Errors& errors) {
  double total = 0, top = -1, top_capacity = 0, top_nodes = 0;
  size_t top_c = 0;
  std::string top_source;
  for (size_t i = 0; i < s.caches.size(); ++i) {
    const CacheSpec& c = s.caches[i];
    std::string src;
    double capacity = sets.raised("/caches/" + c.name + "/capacity_keys", c.capacity_keys, 1,
                                  (double)limits::keys_max, &src);
    double added = 0;
    for (const auto* list : {&s.faults, &s.interventions})
      for (const FaultSpec& f : *list)
        if (f.kind == FaultKind::add_node && f.target == c.name) ++added;
    double nodes = std::min<double>((double)limits::cache_nodes_max, (double)c.nodes.size() + added);
    double keys = std::min(capacity, (double)s.workload.key_count) * nodes;
    total += keys;
    if (keys > top) {
      top = keys;
      top_c = i;
      top_capacity = std::min(capacity, (double)s.workload.key_count);
      top_nodes = nodes;
      top_source = capacity > c.capacity_keys ? raised_note(src, capacity) : "";
    }
  }
  if (total > limits::cached_keys_max) {
    std::string others = total > top ? " (" + whole(total) + " with the other caches)" : "";
    add_error(errors, "/caches/" + std::to_string(top_c) + "/capacity_keys",
              whole(top_capacity) + " keys per node" + top_source + " × " + whole(top_nodes) + " nodes = " +
                  whole(top) + " cached keys" + others + "; a scenario may cache at most " +
                  whole(limits::cached_keys_max) + " keys in all (a node holds at most the workload's key count)");
  }
}

// Lock keys: the store's state per key and a lease per key on every lock instance.
void check_lock_keys(const Scenario& s, const Sets&, Errors& errors) {
  const auto [total, top, top_l] = largest(s.locks.size(), [&](size_t i) {
    return (double)s.workload.key_count * (1 + lock_key_copies(s.locks[i]));
  });
  if (total > limits::lock_keys_max) {
    const LockSpec& l = s.locks[top_l];
    std::string others = total > top ? " (" + whole(total) + " with the other locks)" : "";
    add_error(errors, s.locks[top_l].kind == LockKind::redlock ? "/locks/" + std::to_string(top_l) + "/instances"
                                                       : std::string("/workload/keys/count"),
              std::to_string(s.workload.key_count) + " keys × (the store + " + std::to_string(lock_key_copies(l)) +
                  " lock instances) of lock \"" + l.name + "\" = " + whole(top) + " lock keys" + others +
                  "; a scenario may track at most " + whole(limits::lock_keys_max) + " lock keys in all");
  }
}

// Key tables: each cache keeps the owner and the lookup count of every workload key.
void check_key_tables(const Scenario& s, const Sets&, Errors& errors) {
  if ((double)s.caches.size() * s.workload.key_count > limits::key_tables_max)
    add_error(errors, "/workload/keys/count",
              std::to_string(s.caches.size()) + " caches × " + std::to_string(s.workload.key_count) + " keys = " +
                  whole((double)s.caches.size() * s.workload.key_count) + " key-table entries (each cache keeps " +
                  "the owner and the lookup count of every key); a scenario may keep at most " +
                  whole(limits::key_tables_max));
}

// Ring points and Maglev tables: what each cache's placement holds (at the most nodes faults may add).
void check_placement_points(const Scenario& s, const Sets&, Errors& errors) {
  const auto [total, top, top_c] =
      largest(s.caches.size(), [&](size_t i) { return placement_cost(s, s.caches[i]).memory_points; });
  if (total > limits::placement_points_max) {
    const CacheSpec& c = s.caches[top_c];
    std::string others = total > top ? " (" + whole(total) + " with the other caches)" : "";
    std::string what = c.placement.algorithm == PlacementAlgorithm::maglev
                           ? " ring points' worth of Maglev table (" + whole(top * 4) + " entries, 4 to a point)"
                           : " ring points";
    add_error(errors, "/caches/" + std::to_string(top_c) + "/placement",
              "cache \"" + c.name + "\" builds " + whole(top) + what + others +
                  "; a scenario's caches may hold at most " + whole(limits::placement_points_max) +
                  " ring points in all (fewer nodes, vnodes or weights, or a smaller table)");
  }
}

// Key placements: a cache computes the owner of every workload key at the start and again at every membership
// change (Caches::rebuild), building its ring or table each time.
void check_key_placements(const Scenario& s, const Sets&, Errors& errors) {
  const auto [total, top, top_c] =
      largest(s.caches.size(), [&](size_t i) { return placement_cost(s, s.caches[i]).total(); });
  if (total > limits::key_placements_max) {
    const PlacementCost top_cost = placement_cost(s, s.caches[top_c]);
    const CacheSpec& c = s.caches[top_c];
    std::string others = total > top ? " (" + whole(total) + " with the other caches)" : "";
    std::string scores = top_cost.per_key > 1 ? ", each placement scoring " + whole(top_cost.scores) +
                                                    " node copies (rendezvous: 32 scores count as one placement)"
                                              : "";
    std::string points =
        top_cost.points > 0 ? ", plus " + whole(top_cost.points) + " ring points or table entries per build" : "";
    add_error(errors, "/caches/" + std::to_string(top_c) + "/placement",
              "cache \"" + c.name + "\" places " + std::to_string(s.workload.key_count) + " keys at each of " +
                  whole(top_cost.builds) + " builds (the start and " + whole(top_cost.builds - 1) +
                  " membership changes by faults and interventions)" + scores + points + ": " + whole(top) +
                  " key placements" + others + "; a scenario may compute at most " +
                  whole(limits::key_placements_max) + " (fewer keys, fewer node faults, or another placement)");
  }
}

// Network partitions: every call, cache lookup and lock message compares its two ends with the members of each
// partition in force.
void check_partition_names(const Scenario& s, const Sets&, Errors& errors) {
  double total = 0, top = -1;
  std::string top_path;
  size_t count = 0;
  for (const auto& [list, faults] : {std::pair<const char*, const std::vector<FaultSpec>*>{"faults", &s.faults},
                                     {"interventions", &s.interventions}})
    for (size_t i = 0; i < faults->size(); ++i) {
      const FaultSpec& f = (*faults)[i];
      if (f.kind != FaultKind::partition) continue;
      double names = (double)(f.groups_a.size() + f.groups_b.size());
      ++count;
      total += names;
      if (names > top) {
        top = names;
        top_path = std::string("/") + list + "/" + std::to_string(i) +
                   (f.groups_a.size() >= f.groups_b.size() ? "/groups_a" : "/groups_b");
      }
    }
  if (total > limits::partition_names_max)
    add_error(errors, top_path,
              std::to_string(count) + " network partitions name " + whole(total) + " group members in all (" +
                  whole(top) + " in this one); every call, cache lookup and lock message is compared with each " +
                  "member of the partitions in force, so a scenario may name at most " +
                  whole(limits::partition_names_max) + " in all");
}

// Steps a list runs when every branch runs and every call into a service with steps of its own runs those steps on
// each attempt (retries raised by any `set`): per-layer retries multiply down a call tree, 3 x 3 x 3 attempts for
// three layers that retry twice. Memoised per service, so a wide call graph costs one visit per service.
class ExpandedSteps {
 public:
  ExpandedSteps(const Scenario& s, const Sets& sets) : s_(s), sets_(sets), memo_(s.services.size(), -1) {}
  double count(const std::vector<StepSpec>& steps) {
    double total = 0;
    for (const StepSpec& step : steps) {
      total += 1;
      if (step.kind == StepKind::call) total += call_steps(step.target);
      total += count(step.on_miss) + count(step.inside);
      for (const auto& branch : step.branches) total += count(branch);
    }
    return total;
  }
  // The steps the callee runs over every attempt of one call (0 for a service without steps).
  double call_steps(const std::string& target) {
    for (size_t i = 0; i < s_.services.size(); ++i) {
      const ServiceSpec& sv = s_.services[i];
      if (sv.name != target || sv.steps.empty()) continue;
      if (memo_[i] < 0) {
        memo_[i] = 0;   // validation refused cycles; this only stops a recursion on an unvalidated scenario
        double attempts = 1 + sets_.raised("/services/" + sv.name + "/retries/max", sv.retries.max, 0, 10);
        // A hedge can double every attempt.
        if (sets_.raised("/services/" + sv.name + "/hedge/after_ms", sv.hedge_after_ms, 0, limits::time_ms_max) > 0)
          attempts *= 2;
        memo_[i] = attempts * count(sv.steps);
      }
      return memo_[i];
    }
    return 0;
  }

 private:
  const Scenario& s_;
  const Sets& sets_;
  std::vector<double> memo_;
};

// Steps per request, every parallel branch counted, and the steps of the services it calls on every attempt.
void check_request_steps(const Scenario& s, const Sets& sets, Errors& errors) {
  ExpandedSteps expanded(s, sets);
  auto check_steps = [&](const std::vector<StepSpec>& steps, const std::string& path, const char* what) {
    double count = expanded.count(steps);
    if (count > limits::request_steps_max && count > step_count(steps)) {
      add_error(errors, path,
                std::string(what) + " runs " + whole(count) + " steps counting the steps of the services it calls, "
                "once per attempt of each call (retries multiply down a call tree); " + what + " may run at most " +
                    whole(limits::request_steps_max));
      return;
    }
    if (count <= limits::request_steps_max) return;
    std::string best_path;
    double best_steps = 0;
    size_t best_branches = 0;
    largest_parallel(steps, path, best_path, best_steps, best_branches);
    std::string where = best_path.empty() ? path : best_path;
    std::string detail = best_path.empty() ? "" : std::to_string(best_branches) + " branches running " +
                                                       whole(best_steps) + " steps in all; ";
    add_error(errors, where,
              detail + std::string(what) + " runs " + whole(count) + " steps counting every parallel branch; " + what +
                  " may run at most " + whole(limits::request_steps_max));
  };
  for (size_t i = 0; i < s.requests.size(); ++i)
    check_steps(s.requests[i].steps, "/requests/" + std::to_string(i) + "/steps", "a request");
  for (size_t i = 0; i < s.queues.size(); ++i)
    check_steps(s.queues[i].consumers.steps, "/queues/" + std::to_string(i) + "/consumers/steps", "a message");
}

// Time-series points.
void check_series_points(const Scenario& s, const Sets&, Errors& errors) {
  double node_records = 0;
  for (const CacheSpec& c : s.caches) node_records += (double)c.nodes.size();
  for (const auto* list : {&s.faults, &s.interventions})
    for (const FaultSpec& f : *list)
      if (f.kind == FaultKind::add_node) ++node_records;
  double breakers = 0;   // a service with a circuit breaker keeps its state's series too
  for (const ServiceSpec& sv : s.services) breakers += sv.circuit_breaker.failure_rate > 0 ? 1 : 0;
  for (const auto* list : {&s.faults, &s.interventions})   // a `set` may switch one on: every service keeps one
    for (const FaultSpec& f : *list)
      if (f.kind == FaultKind::set && f.path.find("/circuit_breaker/") != std::string::npos)
        breakers = (double)s.services.size();
  double series = 1 + 4.0 * (double)s.requests.size() + 4.0 * (double)s.services.size() + breakers +
                  3.0 * (double)s.caches.size() + 2 * node_records + 7.0 * (double)s.locks.size() +
                  6.0 * (double)s.queues.size();
  time_ns interval = ms_to_ns(s.sample_interval_ms);
  double points = std::min(series_points_per_series_max, (double)(s.duration_ns() / interval + 2));
  if (series * points > limits::series_points_max)
    add_error(errors, "/sample_interval_ms",
              whole(series) + " time series × " + whole(points) + " points = " + whole(series * points) +
                  " time-series points; a scenario may keep at most " + whole(limits::series_points_max) +
                  " (sample less often, or shorten the run)");
}

// Requests that could be in the system at once.
void check_implied_live(const Scenario& s, const Sets& sets, Errors& errors) {
  std::vector<Segment> segments = rate_segments(s, sets);
  std::vector<double> share = mix_shares(s);
  double arrivals = 0, peak = 0;
  for (const Segment& g : segments) {
    arrivals += g.rate * (g.to_s - g.from_s);
    peak = std::max(peak, g.rate);
  }
  double implied = 0, longest_s = 0;
  bool unbounded = false;
  for (size_t i = 0; i < s.requests.size(); ++i) {
    double stay_ms = longest_stay_ms(s, sets, s.requests[i].steps);
    double stay_s = stay_ms >= never ? s.duration_s : std::min(s.duration_s, stay_ms / 1000);
    if (stay_ms >= never || stay_ms / 1000 >= s.duration_s) unbounded = true;
    longest_s = std::max(longest_s, stay_s);
    implied += std::min(arrivals * share[i], peak * share[i] * stay_s);
  }
  if (implied > limits::implied_live_max) {
    std::string path = "/workload/arrivals/rate_per_s";
    for (size_t i = 0; i < s.workload.schedule.size(); ++i)
      if (s.workload.schedule[i].rate_per_s == peak && s.workload.rate_per_s != peak)
        path = "/workload/arrivals/schedule/" + std::to_string(i) + "/rate_per_s";
    for (const auto& [p, v] : sets.all)
      if (p == "/workload/rate_per_s" && std::clamp(v.value, 0.0, limits::rate_per_s_max) == peak &&
          s.workload.rate_per_s != peak)
        path = v.source;
    std::string why = unbounded
                          ? "the workload sends " + whole(arrivals) + " requests over " + short_number(s.duration_s) +
                                " s (at most " + whole(peak) + "/s), and nothing bounds how long one may stay (a " +
                                "call without timeout_ms, a queue that blocks), so all of them could be in the "
                                "system at once"
                          : whole(peak) + " arrivals/s × up to " + short_number(longest_s) +
                                " s a request can stay (its timeouts, retries and give-ups) = " + whole(implied) +
                                " requests could be in the system at once";
    add_error(errors, path,
              why + "; a scenario may imply at most " + whole(limits::implied_live_max) +
                  " live requests (each is at least one event, and a run may process at most " +
                  whole(limits::implied_live_max) + ")");
  }
}

}  // namespace

// Each bound names the path that contributes most, the figure and the limit.
void check_cost(const Scenario& s, Errors& errors) {
  const Sets sets(s);
  check_service_slots(s, sets, errors);
  check_queue_capacity(s, sets, errors);
  check_cached_keys(s, sets, errors);
  check_lock_keys(s, sets, errors);
  check_key_tables(s, sets, errors);
  check_placement_points(s, sets, errors);
  check_key_placements(s, sets, errors);
  check_partition_names(s, sets, errors);
  check_request_steps(s, sets, errors);
  check_series_points(s, sets, errors);
  check_implied_live(s, sets, errors);
}

// ---- the estimate -------------------------------------------------------------------------------------------------

namespace {

// Sum of k^-s for k = 1..m: exact for the first terms, then the integral of the rest (Euler-Maclaurin, first term).
double harmonic(double m, double s) {
  const double exact = std::min(m, 2000.0);
  double total = 0;
  for (double k = 1; k <= exact; k += 1) total += s == 0 ? 1 : pm_pow(k, -s);
  if (m > exact) {
    double a = exact + 0.5, b = m + 0.5;
    if (s == 1) total += pm_log(b / a);
    else total += (pm_pow(b, 1 - s) - pm_pow(a, 1 - s)) / (1 - s);
  }
  return total;
}

// Share of the lookups that go to the `top` most popular of `n` keys.
double top_mass(const WorkloadSpec& w, double top, double n) {
  if (top >= n) return 1;
  if (top <= 0) return 0;
  if (w.popularity == KeyPopularity::uniform || w.zipf_exponent == 0) return top / n;
  return harmonic(top, w.zipf_exponent) / harmonic(n, w.zipf_exponent);
}

// Probability of the k-th most popular key (k from 0).
double key_probability(const WorkloadSpec& w, double k, double normaliser) {
  if (w.popularity == KeyPopularity::uniform || w.zipf_exponent == 0) return 1.0 / w.key_count;
  return pm_pow(k + 1, -w.zipf_exponent) / normaliser;
}

// What one run of a list of steps costs, in expectation, at a given request rate.
struct Walk {
  double events = 0;     // events per run of the list
  double time_ms = 0;    // mean time it takes
};

class Estimator {
 public:
  Estimator(const Scenario& s) : s_(s), sets_(s) {
    normaliser_ = harmonic(s.workload.key_count,
                           s.workload.popularity == KeyPopularity::uniform ? 0.0 : s.workload.zipf_exponent);
    for (const CacheSpec& c : s.caches) {
      double nodes = (double)c.nodes.size();
      double held = std::min((double)s.workload.key_count, (double)c.capacity_keys * nodes);
      miss_.push_back(std::clamp(1 - top_mass(s.workload, held, s.workload.key_count), 0.0, 1.0));
      held_.push_back(held);
    }
  }

  // Per arrival, with the request rate (per s) of each use (lock contention and service load depend on it).
  Walk walk(const std::vector<StepSpec>& steps, double rate) {
    Walk total;
    for (const StepSpec& step : steps) {
      Walk w = walk_step(step, rate);
      total.events += w.events;
      total.time_ms += w.time_ms;
    }
    return total;
  }

  // Calls per unit of rate at each service (a first pass, so the second knows the load).
  void count_calls(const std::vector<StepSpec>& steps, double rate, std::vector<double>& calls) {
    for (const StepSpec& step : steps) {
      switch (step.kind) {
        case StepKind::call:
          for (size_t i = 0; i < s_.services.size(); ++i)
            if (s_.services[i].name == step.target) {
              calls[i] += rate;
              count_calls(s_.services[i].steps, rate, calls);   // validation keeps the call graph acyclic
            }
          break;
        case StepKind::cache:
          for (size_t i = 0; i < s_.caches.size(); ++i)
            if (s_.caches[i].name == step.target) count_calls(step.on_miss, rate * miss_[i], calls);
          break;
        case StepKind::lock: count_calls(step.inside, rate, calls); break;
        case StepKind::publish: break;
        case StepKind::parallel:
          for (const auto& branch : step.branches) count_calls(branch, rate, calls);
          break;
      }
    }
  }
  double held(size_t cache) const { return held_[cache]; }
  std::vector<double> load;         // per service: offered load (busy workers / workers)
  std::vector<double> cold_misses;  // per cache: misses of keys never seen, spread over the lookups

 private:
  Walk walk_step(const StepSpec& step, double rate) {
    Walk w;
    switch (step.kind) {
      case StepKind::call: {
        for (size_t i = 0; i < s_.services.size(); ++i) {
          const ServiceSpec& sv = s_.services[i];
          if (sv.name != step.target) continue;
          double rho = i < load.size() ? load[i] : 0;
          double reject = rho > 1 ? 1 - 1 / rho : 0;
          // A timeout under the mean service time fails every attempt, so every retry is made.
          double mean_ms = sv.service_time.theoretical_mean_ms() + 2 * sv.network.theoretical_mean_ms();
          double fail = sv.timeout_ms > 0 && mean_ms >= sv.timeout_ms ? 1 : reject;
          double attempts = 1, p = 1;
          for (int k = 0; k < sv.retries.max; ++k) {
            p *= fail;
            attempts += p;
          }
          if (sv.hedge_after_ms > 0 && mean_ms > sv.hedge_after_ms) attempts *= 2;   // most attempts get a hedge
          double accepted = attempts * (1 - reject);
          w.events = accepted * (1 + (sv.timeout_ms > 0 ? 1 : 0)) + (attempts - 1);
          double mean = sv.service_time.theoretical_mean_ms();
          double wait = rho >= 1 ? (double)sv.queue_max / sv.workers * mean : rho * rho / (1 - rho) * mean / sv.workers;
          if (sv.timeout_ms > 0) wait = std::min(wait, sv.timeout_ms);
          w.time_ms = mean + wait;
          // A call tree: each accepted attempt runs the callee's steps; a network adds the two trips (an event
          // each, and a deadline timer per attempt where there is one).
          if (!sv.steps.empty()) {
            Walk inner = walk(sv.steps, rate);
            w.events += accepted * inner.events;
            w.time_ms += inner.time_ms;
          }
          if (sv.has_network()) {
            w.events += 2 * attempts;
            w.time_ms += 2 * sv.network.theoretical_mean_ms();
          }
        }
        break;
      }
      case StepKind::cache: {
        for (size_t i = 0; i < s_.caches.size(); ++i) {
          if (s_.caches[i].name != step.target) continue;
          double miss = std::min(1.0, miss_[i] + (i < cold_misses.size() ? cold_misses[i] : 0));
          Walk inner = walk(step.on_miss, rate * miss);
          w.events = 1 + miss * inner.events;
          w.time_ms = s_.caches[i].service_time.theoretical_mean_ms() + miss * inner.time_ms;
        }
        break;
      }
      case StepKind::lock: {
        const LockSpec* lock = find_named(s_.locks, step.target);
        Walk inner = walk(step.inside, rate);
        if (!lock) break;
        double n = lock_servers(*lock), net = lock->network_ms;
        double hold = inner.time_ms + 4 * net;
        w.events = inner.events;
        if (lock->kind == LockKind::none) {
          w.events += 4;
          w.time_ms = inner.time_ms + 4 * net;
          break;
        }
        if (lock->kind == LockKind::atomic) {
          w.events += 2;
          w.time_ms = inner.time_ms + 2 * net;
          break;
        }
        // Waiting per acquire, averaged over the keys (the most popular ones exactly, the rest as uncontended): an
        // M/M/1 wait for the key, where a spinning client also loses half a retry interval per hand-over; at most
        // the give-up time, and at most what the segment's own arrivals for the key could queue up.
        double round_ms = lock->retry_ms + 2 * net;
        double turn = lock->kind == LockKind::zookeeper ? hold : hold + round_ms / 2;
        double wait = 0;
        double keys = std::min<double>(s_.workload.key_count, 64);
        for (double k = 0; k < keys; k += 1) {
          double p = key_probability(s_.workload, k, normaliser_);
          double rho = rate * p * turn / 1000;
          double key_wait = rho < 1 ? rho / (1 - rho) * turn : never;
          double arrivals = rate * p * segment_s;
          key_wait = std::min({key_wait, lock->give_up_ms, std::max(0.0, arrivals - 1) / 2 * turn});
          wait += p * key_wait;
        }
        if (lock->kind == LockKind::zookeeper) {
          w.events += 10 + 3 * (wait + hold) / lock->session_timeout_ms;
        } else {
          double retries = wait / round_ms;
          w.events += 4 * n + 5 + retries * (2 * n + 2);
          // a redis lock's replicas each apply the grant and the release (and WAIT times its answer); a watchdog
          // renews on every instance each renew_every_ms of the hold, and each renewal is replicated too
          double replicas = lock->kind == LockKind::redis ? lock->replica_count : 0;
          if (replicas > 0) w.events += 2 * replicas + (lock->replica_wait > 0 ? 1 : 0) + 1;
          if (lock->renew_every_ms > 0 && lock->ttl_ms > 0)
            w.events += (wait + hold) / lock->renew_every_ms * (1 + 2 * n + replicas);
        }
        w.time_ms = wait + hold + 2 * net;
        break;
      }
      case StepKind::publish: {
        for (size_t i = 0; i < s_.queues.size(); ++i)
          if (s_.queues[i].name == step.target) published_[i] += 1;
        break;
      }
      case StepKind::parallel: {
        for (const auto& branch : step.branches) {
          Walk b = walk(branch, rate);
          w.events += b.events;
          w.time_ms = std::max(w.time_ms, b.time_ms);
        }
        break;
      }
    }
    return w;
  }

 public:
  std::vector<double> published_;   // per queue: messages per walked arrival (reset by the caller)
  double segment_s = 0;             // the length of the rate segment being walked

 private:
  const Scenario& s_;
  Sets sets_;
  double normaliser_ = 1;
  std::vector<double> miss_, held_;
};

// 3 significant digits, in words for millions: "720", "72100", "59.7 million".
std::string about(double v) {
  char buffer[48];
  if (v >= 1e6) {
    std::snprintf(buffer, sizeof buffer, "%.3g million", v / 1e6);
    return buffer;
  }
  std::snprintf(buffer, sizeof buffer, "%.3g", v);
  return whole(std::strtod(buffer, nullptr));
}

std::string seconds_words(double v) { return v >= 100 ? whole(v) : short_number(v); }

}  // namespace

namespace {

// The events the queues' consumers add: each message processed costs its polls, its visibility timeout and ack,
// its steps, and a poison message its redeliveries.
double consumer_events(const Scenario& s, Estimator& est, const std::vector<double>& messages) {
  double events = 0;
  for (size_t q = 0; q < s.queues.size(); ++q) {
    const QueueSpec& queue = s.queues[q];
    if (messages[q] <= 0) continue;
    double rate = messages[q] / s.duration_s;
    est.load.assign(s.services.size(), 0.0);
    est.published_.assign(s.queues.size(), 0.0);
    est.segment_s = s.duration_s;
    Walk w = est.walk(queue.consumers.steps, rate);
    double processing_ms = std::max(w.time_ms, 0.001);
    double capacity = queue.consumers.count * 1000.0 / processing_ms * s.duration_s;
    double processed = std::min(messages[q], capacity);
    double per_message = 2 + (queue.kind == QueueKind::sqs ? 1 : 0) + (queue.consumers.ack_delay_ms > 0 ? 1 : 0) + w.events;
    double poison = queue.consumers.poison_probability;
    events += processed * (per_message + poison * std::min<double>(queue.max_receives, 10) * 3);
    if (queue.kind == QueueKind::log) events += s.duration_s * 1000 / queue.commit_interval_ms;
  }

  return events;
}

// The estimate's lines for people: the summary, and a warning when the run is long or will stop at the budget.
void describe(CostEstimate& out, const Scenario& s) {
  const double duration_s = s.duration_s;
  out.seconds = out.events / out.events_per_second;
  const double budget = (double)WorkBudget{}.events;
  out.over_event_budget = out.events > budget;

  out.summary.push_back("arrivals: about " + about(out.arrivals) + " requests over " + seconds_words(duration_s) +
                        " s");
  out.summary.push_back("events: about " + about(out.events) + " (the work budget allows " + whole(budget) +
                        " per run)");
  out.summary.push_back("in the system at once: about " + about(out.peak_live) + " requests at the busiest time (at most " +
                        about(out.implied_live) + ")");
  if (!s.queues.empty()) out.summary.push_back("queue messages: about " + about(out.messages) + " published");
  out.summary.push_back("time: about " + seconds_words(out.seconds) + " s natively (at about " +
                        about(out.events_per_second) + " events/s), longer in the page");
  if (out.over_event_budget)
    out.warnings.push_back("this run would need about " + about(out.events) + " events; it will stop at the work " +
                           "budget of " + whole(budget) + " events, about " +
                           short_number(100 * budget / out.events) + "% of the way through");
  else if (out.seconds > 5)
    out.warnings.push_back("this run will take about " + seconds_words(out.seconds) +
                           " s natively and longer in the page");
  if (out.peak_live > (double)WorkBudget{}.live_requests)
    out.warnings.push_back("about " + about(out.peak_live) + " requests could be in the system at once; the run " +
                           "stops if more than " + whole((double)WorkBudget{}.live_requests) + " are");
}

}  // namespace

CostEstimate estimate_cost(const Scenario& s) {
  CostEstimate out;
  const Sets sets(s);
  Estimator est(s);
  std::vector<Segment> segments = rate_segments(s, sets);
  std::vector<double> share = mix_shares(s);
  std::vector<double> messages(s.queues.size(), 0.0);
  double events = 0, peak_live = 0;

  // Cold misses: every key a cache holds is missed once; spread over the run's lookups of that cache.
  double arrivals_total = 0;
  for (const Segment& g : segments) arrivals_total += g.rate * (g.to_s - g.from_s);
  est.cold_misses.assign(s.caches.size(), 0.0);
  for (size_t i = 0; i < s.caches.size(); ++i)
    est.cold_misses[i] = std::min(1.0, est.held(i) / std::max(1.0, arrivals_total));

  for (const Segment& g : segments) {
    double seconds = g.to_s - g.from_s;
    if (g.rate <= 0 || seconds <= 0) continue;
    // Load at the services from this segment's rate (requests; consumers are added below).
    std::vector<double> calls(s.services.size(), 0.0);
    for (size_t i = 0; i < s.requests.size(); ++i) est.count_calls(s.requests[i].steps, g.rate * share[i], calls);
    est.load.assign(s.services.size(), 0.0);
    for (size_t i = 0; i < s.services.size(); ++i) {
      const ServiceSpec& sv = s.services[i];
      est.load[i] = calls[i] * sv.service_time.theoretical_mean_ms() / 1000 / ((double)sv.instances * sv.workers);
    }
    double live = 0;
    est.segment_s = seconds;
    for (size_t i = 0; i < s.requests.size(); ++i) {
      double rate = g.rate * share[i];
      if (rate <= 0) continue;
      est.published_.assign(s.queues.size(), 0.0);
      Walk w = est.walk(s.requests[i].steps, rate);
      events += rate * seconds * (1 + w.events);
      live += rate * w.time_ms / 1000;
      for (size_t q = 0; q < s.queues.size(); ++q) messages[q] += rate * seconds * est.published_[q];
    }
    peak_live = std::max(peak_live, live);
  }

  // Consumers: each message processed costs its polls, its visibility timeout and ack, and its steps.
  events += consumer_events(s, est, messages);
  double published_total = 0;
  for (double m : messages) published_total += m;

  // Clockwork: samples, faults.
  events += s.duration_s * 1000 / s.sample_interval_ms;
  for (const auto* list : {&s.faults, &s.interventions})
    for (const FaultSpec& f : *list) events += f.for_ms > 0 ? 2 : 1;

  out.arrivals = arrivals_total;
  out.events = events;
  out.peak_live = std::min(peak_live, arrivals_total);
  out.messages = published_total;
  // The static bound of check_cost.
  {
    double peak = 0;
    for (const Segment& g : segments) peak = std::max(peak, g.rate);
    for (size_t i = 0; i < s.requests.size(); ++i) {
      double stay_ms = longest_stay_ms(s, sets, s.requests[i].steps);
      double stay_s = stay_ms >= never ? s.duration_s : std::min(s.duration_s, stay_ms / 1000);
      out.implied_live += std::min(arrivals_total * share[i], peak * share[i] * stay_s);
    }
  }
  describe(out, s);
  return out;
}

}  // namespace pg
