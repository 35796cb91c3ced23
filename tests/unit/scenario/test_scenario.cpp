// Scenario documents: the canonical form is a fixed point (write(parse(write(s))) == write(s)) for every scenario
// file in the repository and for randomly generated scenarios covering every field; and the validator's error
// paths: each bad document gives an error naming its JSON path and rule, never a crash or an exception.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/classroom/exercise.hpp"
#include "engine/scenario/cost.hpp"
#include "engine/scenario/json_reader.hpp"
#include "engine/scenario/scenario.hpp"
#include "tests/unit/test_support.hpp"

namespace {

using json = nlohmann::json;


void require_round_trip(const pg::Scenario& scenario) {
  const std::string first = pg::scenario_to_text(scenario);
  pg::ScenarioParse again = pg::parse_scenario(first);
  for (const pg::ValidationError& e : again.errors) UNSCOPED_INFO(e.to_string());
  INFO(first);
  REQUIRE(again.ok());
  REQUIRE(pg::scenario_to_text(again.scenario) == first);
  // The compact form (what links carry) reads back to the same canonical document.
  pg::ScenarioParse compact = pg::parse_scenario(pg::scenario_to_text(scenario, -1));
  REQUIRE(compact.ok());
  REQUIRE(pg::scenario_to_text(compact.scenario) == first);
}

// Random valid scenarios: every field set sometimes, values anywhere in their ranges (including the bounds and
// arbitrary doubles, which exercise the shortest round-trip number formatting), names with characters JSON must
// escape.
class Generator {
 public:
  explicit Generator(uint64_t seed) : rng_(seed) {}

  pg::Scenario scenario() {
    pg::Scenario s;
    s.name = pick_text(0, 128);
    if (coin()) s.description = pick_text(0, 4096);
    s.seed = rng_();
    s.duration_s = number(0.001, 3600);
    if (coin()) s.sample_interval_ms = number(10, 600000);
    int services = integer(0, 4), caches = integer(0, 2), locks = integer(0, 2), queues = integer(0, 2);
    for (int i = 0; i < services; ++i) s.services.push_back(service(i));
    for (int i = 0; i < caches; ++i) s.caches.push_back(cache(i));
    for (int i = 0; i < locks; ++i) s.locks.push_back(lock(i));
    for (int i = 0; i < queues; ++i) queue_names_.push_back("q" + std::to_string(i));
    for (auto& sv : s.services) service_names_.push_back(sv.name);
    for (auto& c : s.caches) cache_names_.push_back(c.name);
    for (auto& l : s.locks) lock_names_.push_back(l.name);
    for (int i = 0; i < queues; ++i) s.queues.push_back(queue(i));
    int requests = integer(services > 0 ? 1 : 0, 3);
    for (int i = 0; i < requests; ++i) {
      pg::RequestSpec r;
      r.name = "request " + std::to_string(i) + suffix();
      r.steps = steps(1);
      s.requests.push_back(r);
    }
    workload(s);
    for (auto& sv : s.services) targets_.insert(targets_.end(), {sv.name, sv.name + "#0"});
    for (auto& c : s.caches) targets_.insert(targets_.end(), c.nodes.begin(), c.nodes.end());
    for (auto& l : s.locks) targets_.insert(targets_.end(), {l.name, l.name + "/0"});
    for (auto& q : s.queues) targets_.insert(targets_.end(), {q.name + "/consumers", q.name + "/consumer#3"});
    for (int i = integer(0, 3); i > 0; --i) s.faults.push_back(fault());
    for (int i = integer(0, 2); i > 0; --i) s.interventions.push_back(fault());
    for (int i = integer(0, 3); i > 0; --i) {
      pg::GoalSpec g;
      if (coin()) g.label = pick_text(0, 256);
      g.metric = "requests.r" + std::to_string(i) + ".latency_ms.p99";
      g.op = pick({"<", "<=", "==", ">=", ">", "!="});
      g.value = number(-1e15, 1e15);
      if (coin()) g.points = number(0.001, 1e6);
      s.goals.push_back(g);
    }
    if (coin()) s.view = {{"zoom", number(0, 10)}, {"panel", pick_text(0, 20)}, {"open", json::array({1, 2})}};
    if (coin())
      s.exercise = {{"task", pick_text(1, 40)},
                    {"allowed", json::array({s.services.empty() ? std::string("/seed")
                                                                : "/services/" + pg::json_pointer_escape(s.services[0].name) + "/workers"})}};
    if (s.exercise.is_object() && coin()) s.exercise["hints"] = json::array({pick_text(0, 60), pick_text(0, 60)});
    for (const char* tag : {"zh-CN", "en", "zh-Hans-CN", "es-419"})
      if (coin()) s.i18n[tag] = translation(s);
    fit_cost(s);
    return s;
  }

  // Values anywhere in their ranges can together exceed what a scenario may hold (engine/scenario/cost.hpp): halve the
  // capacities and the run until they fit, so every generated scenario is valid.
  static void fit_cost(pg::Scenario& s) {
    for (int round = 0; round < 64; ++round) {
      std::vector<pg::ValidationError> errors;
      pg::check_cost(s, errors);
      if (errors.empty()) return;
      for (pg::ServiceSpec& sv : s.services) sv.queue_max /= 2;
      for (pg::QueueSpec& q : s.queues) q.max_length = std::max(1, q.max_length / 2);
      for (pg::CacheSpec& c : s.caches) c.capacity_keys = std::max(1, c.capacity_keys / 2);
      s.workload.key_count = std::max(1u, s.workload.key_count / 2);
      s.duration_s = std::max(0.001, s.duration_s / 2);
    }
  }

 private:
  bool coin() { return (rng_() & 1) != 0; }
  int integer(int low, int high) { return low + (int)(rng_() % (uint64_t)(high - low + 1)); }
  double number(double low, double high) {
    switch (rng_() % 5) {
      case 0: return low;
      case 1: return high;
      case 2: return std::min(high, std::max(low, (double)integer(0, 1000)));
      default: {
        double u = (double)(rng_() >> 11) * 0x1.0p-53;
        return std::min(high, low + u * (high - low));
      }
    }
  }
  int pick_int(std::initializer_list<int> values) { return *(values.begin() + integer(0, (int)values.size() - 1)); }
  std::string pick(std::initializer_list<const char*> words) {
    return *(words.begin() + integer(0, (int)words.size() - 1));
  }
  // Text that needs JSON escaping or is multi-byte UTF-8, within max bytes.
  std::string pick_text(size_t min, size_t max) {
    static const char* pieces[] = {"a", " ", "\"", "\\", "/", "~", "\t", "\n", "\xc3\xb8", "\xe6\x97\xa5", "x"};
    std::string out;
    size_t target = min + (size_t)integer(0, (int)std::min<size_t>(max - min, 30));
    while (out.size() < target) {
      std::string piece = pieces[integer(0, 10)];
      if (out.size() + piece.size() > max) break;
      out += piece;
    }
    while (out.size() < min) out += "x";
    return out;
  }
  std::string suffix() { return coin() ? "" : pick({"-\xc3\xb8", "/x", "~0", "\"q\""}); }

  pg::Distribution distribution() {
    switch (integer(0, 5)) {
      case 0: return pg::Distribution::constant_ms(number(0, 3.6e6));
      case 1: {
        double a = number(0, 3.6e6), b = number(0, 3.6e6);
        return pg::Distribution::uniform_ms(std::min(a, b), std::max(a, b));
      }
      case 2: return pg::Distribution::exponential_ms(number(0, 3.6e6));
      case 3: return pg::Distribution::lognormal_ms(number(0.001, 3.6e6), number(0, 10));
      case 4: return pg::Distribution::pareto_ms(number(0.001, 3.6e6), number(1.01, 100));
      default: {
        std::vector<double> values, weights;
        int n = integer(1, 5);
        bool weighted = coin();
        for (int i = 0; i < n; ++i) {
          values.push_back(number(0, 3.6e6));
          if (weighted) weights.push_back(i == 0 ? number(1, 1e9) : number(0, 1e9));
        }
        return pg::Distribution::empirical_ms(values, weights);
      }
    }
  }

  pg::ServiceSpec service(int i) {
    pg::ServiceSpec s;
    s.name = "s" + std::to_string(i) + suffix();
    if (coin()) s.instances = integer(1, 64);
    if (coin()) s.workers = integer(1, 1024);
    if (coin()) s.queue_max = integer(0, 1'000'000);
    if (coin()) s.service_time = distribution();
    if (coin()) s.balancer = (pg::Balancer)integer(0, 4);
    if (coin()) s.timeout_ms = number(0, 3.6e6);
    if (coin()) s.retries.max = integer(0, 10);
    if (coin()) s.retries.backoff_ms = number(0, 60000);
    if (coin()) s.retries.backoff_max_ms = number(0, 600000);
    if (coin()) s.retries.jitter = (pg::Jitter)integer(0, 2);
    return s;
  }

  pg::CacheSpec cache(int i) {
    pg::CacheSpec c;
    c.name = "c" + std::to_string(i) + suffix();
    int nodes = integer(1, 5);
    for (int n = 0; n < nodes; ++n) c.nodes.push_back("node-" + std::to_string(n));
    if (coin())
      for (int n = 0; n < nodes; ++n) c.weights.push_back(integer(1, 100));
    if (coin()) c.capacity_keys = integer(1, 1'000'000);
    if (coin()) c.placement.algorithm = (pg::PlacementAlgorithm)integer(0, 5);
    if (coin()) c.placement.vnodes = integer(1, 1000);
    if (coin()) c.placement.hash = (pg::PlacementHash)integer(0, 1);
    // The placement must be buildable: ketama lays points out four per MD5 digest, and Maglev needs a prime table.
    if (c.placement.hash == pg::PlacementHash::ketama) c.placement.vnodes = std::max(4, c.placement.vnodes / 4 * 4);
    if (coin()) c.placement.table_size = pick_int({7, 13, 251, 65537, 1'000'003});
    if (coin()) c.placement.load_factor = number(1, 10);
    if (coin()) c.service_time = distribution();
    return c;
  }

  pg::LockSpec lock(int i) {
    pg::LockSpec l;
    l.name = "l" + std::to_string(i) + suffix();
    if (coin()) l.kind = (pg::LockKind)integer(0, 4);
    if (coin()) l.ttl_ms = number(1, 3.6e6);
    if (coin()) l.fencing = coin();
    if (coin()) l.retry_ms = number(0.01, 60000);
    if (coin()) l.give_up_ms = number(0, 3.6e6);
    if (coin()) l.stock_per_key = integer(0, 1'000'000);
    if (coin()) l.network_ms = number(0, 10000);
    if (coin()) l.release = (pg::LockRelease)integer(0, 1);
    if (coin()) l.instances = integer(1, 15);
    if (coin()) l.drift_ms = number(0, 60000);
    if (coin()) l.session_timeout_ms = number(1, 3.6e6);
    return l;
  }

  pg::QueueSpec queue(int i) {
    pg::QueueSpec q;
    q.name = queue_names_[(size_t)i];
    if (coin()) q.kind = (pg::QueueKind)integer(0, 2);
    if (coin()) q.visibility_timeout_ms = number(1, 3.6e6);
    if (coin()) q.max_receives = integer(1, 1000);
    if (coin()) q.dead_letter = coin();
    if (coin()) q.max_length = integer(1, 10'000'000);
    if (coin()) q.on_full = (pg::QueueOnFull)integer(0, 2);
    if (coin()) q.partitions = integer(1, 256);
    if (coin()) q.commit_interval_ms = number(1, 3.6e6);
    if (coin()) q.rebalance_ms = number(0, 3.6e6);
    if (coin()) q.retention_s = number(1, 1'209'600);
    if (coin()) q.consumers.count = integer(0, 256);
    if (coin()) q.consumers.prefetch = integer(1, 1000);
    if (coin()) q.consumers.ack = (pg::ConsumerAck)integer(0, 1);
    if (coin()) q.consumers.idempotent = coin();
    if (coin()) q.consumers.poison_probability = number(0, 1);
    if (coin()) q.consumers.steps = steps(1);
    return q;
  }

  std::vector<pg::StepSpec> steps(int depth) {
    std::vector<pg::StepSpec> out;
    int count = integer(0, 4);
    for (int i = 0; i < count; ++i) {
      pg::StepSpec step;
      int kind = integer(0, 4);
      auto from = [&](const std::vector<std::string>& names) {
        return names[(size_t)integer(0, (int)names.size() - 1)];
      };
      if (kind == 0 && !service_names_.empty()) {
        step.kind = pg::StepKind::call;
        step.target = from(service_names_);
      } else if (kind == 1 && !cache_names_.empty()) {
        step.kind = pg::StepKind::cache;
        step.target = from(cache_names_);
        if (depth < pg::limits::step_depth_max && coin()) step.on_miss = steps(depth + 1);
      } else if (kind == 2 && !lock_names_.empty()) {
        step.kind = pg::StepKind::lock;
        step.target = from(lock_names_);
        if (depth < pg::limits::step_depth_max && coin()) step.inside = steps(depth + 1);
      } else if (kind == 3 && !queue_names_.empty()) {
        step.kind = pg::StepKind::publish;
        step.target = from(queue_names_);
      } else if (kind == 4 && depth < 3) {
        step.kind = pg::StepKind::parallel;
        for (int b = integer(1, 3); b > 0; --b) step.branches.push_back(steps(depth + 1));
      } else {
        continue;
      }
      out.push_back(step);
    }
    return out;
  }

  // Texts in another language, each present or not, for only what the scenario has.
  pg::ScenarioTranslation translation(const pg::Scenario& s) {
    pg::ScenarioTranslation t;
    if (coin()) t.name = pick_text(0, 128);
    if (!s.description.empty() && coin()) t.description = pick_text(0, 4096);
    pg::ExerciseInfo exercise = pg::exercise_info(s);
    if (!exercise.task.empty() && coin()) t.task = pick_text(0, 200);
    for (size_t i = (size_t)integer(0, (int)exercise.hints.size()); i > 0; --i) t.hints.push_back(pick_text(0, 60));
    for (size_t i = (size_t)integer(0, (int)s.goals.size()); i > 0; --i) t.goals.push_back({pick_text(0, 256)});
    return t;
  }

  void workload(pg::Scenario& s) {
    pg::WorkloadSpec& w = s.workload;
    if (coin()) w.process = pg::ArrivalProcess::constant;
    w.rate_per_s = s.requests.empty() ? 0 : number(0, 200000);
    double at = 0;
    for (int i = integer(0, 4); i > 0; --i) {
      at = number(at, 3600);
      w.schedule.push_back({at, number(0, 200000)});
    }
    if (coin()) w.key_count = (uint32_t)integer(1, 1'000'000);
    if (coin()) w.popularity = pg::KeyPopularity::uniform;
    if (coin()) w.zipf_exponent = number(0, 4);
    for (size_t i = 0; i < s.requests.size(); ++i)
      if (coin()) w.mix.push_back({s.requests[i].name, number(0, 1e6)});
  }

  pg::FaultSpec fault() {
    pg::FaultSpec f;
    f.at_s = number(0, 3600);
    f.kind = (pg::FaultKind)integer(0, 7);
    // A target the document has (validation refuses one that names nothing); none: a partition instead.
    if (f.kind != pg::FaultKind::set && f.kind != pg::FaultKind::partition) {
      if (targets_.empty()) f.kind = pg::FaultKind::partition;
      else f.target = targets_[(size_t)integer(0, (int)targets_.size() - 1)];
    } else if (coin()) {
      f.target = "t";
    }
    f.for_ms = f.kind == pg::FaultKind::pause ? number(0.001, 3.6e6) : coin() ? number(0, 3.6e6) : 0;
    if (coin()) f.factor = number(0.001, 1000);
    if (f.kind == pg::FaultKind::partition) {
      f.groups_a = {"a", "b" + suffix()};
      f.groups_b = {"c"};
    }
    if (f.kind == pg::FaultKind::add_node || f.kind == pg::FaultKind::remove_node || coin()) f.node = "node-9";
    if (f.kind == pg::FaultKind::set) {
      f.path = "/workload/arrivals/rate_per_s";
      f.value = number(-1e12, 1e12);
    }
    return f;
  }

  std::mt19937_64 rng_;
  std::vector<std::string> service_names_, cache_names_, lock_names_, queue_names_, targets_;
};

// Parses a mutated copy of a small valid document and returns every error as "path: message".
std::vector<std::string> errors_after(const std::function<void(json&)>& change) {
  json document = {{"version", 1},
                   {"name", "ok"},
                   {"duration_s", 1},
                   {"workload", {{"arrivals", {{"rate_per_s", 10}}}}},
                   {"requests", json::array({{{"name", "browse"}, {"steps", json::array({{{"call", "catalog"}}})}}})},
                   {"services", json::array({{{"name", "catalog"}}})},
                   {"caches", json::array({{{"name", "pc"}, {"nodes", json::array({"a", "b"})}}})},
                   {"locks", json::array({{{"name", "inventory"}}})},
                   {"queues", json::array({{{"name", "orders"}}})}};
  change(document);
  pg::ScenarioParse parse = pg::parse_scenario(document.dump());
  std::vector<std::string> out;
  for (const pg::ValidationError& e : parse.errors) out.push_back(e.to_string());
  return out;
}

bool contains(const std::vector<std::string>& errors, const std::string& fragment) {
  for (const std::string& e : errors)
    if (e.find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("every scenario file in the repository round-trips canonically", "[scenario]") {
  std::vector<std::string> files = pg::test::repository_scenarios();
  REQUIRE(!files.empty());
  for (const std::string& file : files) {
    INFO(file);
    require_round_trip(pg::test::load(file));
  }
}

TEST_CASE("random scenarios are valid and round-trip canonically", "[scenario]") {
  // 500 documents: each field is set in about half of them, so every field is exercised many times over.
  for (uint64_t seed = 1; seed <= 500; ++seed) {
    INFO("generator seed " << seed);
    pg::Scenario scenario = Generator(seed).scenario();
    const std::string text = pg::scenario_to_text(scenario);
    pg::ScenarioParse parse = pg::parse_scenario(text);
    for (const pg::ValidationError& e : parse.errors) UNSCOPED_INFO(e.to_string());
    INFO(text);
    REQUIRE(parse.ok());
    require_round_trip(parse.scenario);
  }
}

TEST_CASE("the canonical form omits defaults and orders fields", "[scenario]") {
  pg::Scenario s = pg::test::parse_or_fail(
      R"({"version":1,"services":[{"workers":1,"name":"a","instances":1}],"requests":[{"name":"r","steps":[{"call":"a"}]}]})");
  json out = pg::scenario_to_json(s);
  CHECK(out["services"][0] == json({{"name", "a"}}));
  CHECK(out["name"] == "Untitled");
  CHECK(pg::scenario_to_text(s, -1).find("\"duration_s\":60.0") != std::string::npos);
}

TEST_CASE("validator error paths", "[scenario]") {
  struct Case {
    const char* what;
    std::function<void(json&)> change;
    const char* expected;
  };
  const std::vector<Case> cases = {
      {"unknown field with suggestion", [](json& d) { d["services"][0]["workres"] = 2; },
       "/services/0/workres: unknown field; did you mean \"workers\"?"},
      {"unknown top-level field", [](json& d) { d["servces"] = json::array(); }, "/servces: unknown field"},
      {"missing version", [](json& d) { d.erase("version"); }, "/version: is required"},
      {"newer version", [](json& d) { d["version"] = 2; }, "/version: this scenario was made by a newer version"},
      {"version 0", [](json& d) { d["version"] = 0; }, "/version: must be 1"},
      {"version as text", [](json& d) { d["version"] = "1"; }, "/version: must be a whole number"},
      {"integer out of range", [](json& d) { d["services"][0]["workers"] = 1025; },
       "/services/0/workers: must be between 1 and 1024, got 1025"},
      {"fractional integer", [](json& d) { d["services"][0]["instances"] = 1.5; },
       "/services/0/instances: must be a whole number"},
      {"number as text", [](json& d) { d["duration_s"] = "60"; }, "/duration_s: must be a number"},
      {"negative seed", [](json& d) { d["seed"] = -1; }, "/seed: must be a whole number from 0"},
      {"bad enum", [](json& d) { d["services"][0]["balancer"] = "fastest"; },
       "/services/0/balancer: must be one of \"round_robin\""},
      {"name too long", [](json& d) { d["services"][0]["name"] = std::string(65, 'x'); },
       "/services/0/name: must be at most 64 bytes"},
      {"empty name", [](json& d) { d["locks"][0]["name"] = ""; }, "/locks/0/name: must not be empty"},
      {"missing required name", [](json& d) { d["queues"][0].erase("name"); }, "/queues/0/name: is required"},
      {"list too long", [](json& d) { d["requests"][0]["steps"] = json::array(); for (int i = 0; i < 65; ++i) d["requests"][0]["steps"].push_back({{"call", "catalog"}}); },
       "/requests/0/steps: must have at most 64 steps"},
      {"step with two kinds", [](json& d) { d["requests"][0]["steps"][0]["cache"] = "pc"; },
       "/requests/0/steps/0: must have exactly one of"},
      {"step with no kind", [](json& d) { d["requests"][0]["steps"][0] = json::object(); },
       "/requests/0/steps/0: must have exactly one of"},
      {"on_miss on a call", [](json& d) { d["requests"][0]["steps"][0]["on_miss"] = json::array(); },
       "/requests/0/steps/0/on_miss: belongs to a \"cache\" step only"},
      {"unknown step target", [](json& d) { d["requests"][0]["steps"][0]["call"] = "nope"; },
       "/requests/0/steps/0/call: names \"nope\", which is not in /services"},
      {"steps nested too deep",
       [](json& d) {
         json step = {{"call", "catalog"}};
         for (int i = 0; i < 9; ++i) step = {{"cache", "pc"}, {"on_miss", json::array({step})}};
         d["requests"][0]["steps"] = json::array({step});
       },
       "steps are nested deeper than 8 levels"},
      {"empty parallel", [](json& d) { d["requests"][0]["steps"][0] = {{"parallel", json::array()}}; },
       "/requests/0/steps/0/parallel: must hold at least one list"},
      {"duplicate names", [](json& d) { d["services"].push_back({{"name", "catalog"}}); },
       "/services/1/name: duplicate name \"catalog\""},
      {"mix names a missing request", [](json& d) { d["workload"]["mix"] = json::array({{{"request", "x"}}}); },
       "/workload/mix/0/request: names \"x\""},
      {"schedule out of order",
       [](json& d) {
         d["workload"]["arrivals"]["schedule"] =
             json::array({{{"at_s", 5}, {"rate_per_s", 1}}, {{"at_s", 2}, {"rate_per_s", 1}}});
       },
       "/workload/arrivals/schedule/1/at_s: must not be earlier"},
      {"schedule point missing rate",
       [](json& d) { d["workload"]["arrivals"]["schedule"] = json::array({{{"at_s", 5}}}); },
       "/workload/arrivals/schedule/0/rate_per_s: is required"},
      {"rate too high", [](json& d) { d["workload"]["arrivals"]["rate_per_s"] = 200001; },
       "/workload/arrivals/rate_per_s: must be between 0 and 200000"},
      {"keys count zero", [](json& d) { d["workload"]["keys"] = {{"count", 0}}; },
       "/workload/keys/count: must be between 1 and 1000000"},
      {"uniform max below min",
       [](json& d) { d["services"][0]["service_time"] = {{"dist", "uniform"}, {"min_ms", 5}, {"max_ms", 1}}; },
       "/services/0/service_time/max_ms: must be at least min_ms"},
      {"lognormal with mean 0",
       [](json& d) { d["services"][0]["service_time"] = {{"dist", "lognormal"}, {"mean_ms", 0}}; },
       "/services/0/service_time/mean_ms: must be greater than 0"},
      {"pareto with mean 0", [](json& d) { d["caches"][0]["service_time"] = {{"dist", "pareto"}, {"mean_ms", 0}}; },
       "/caches/0/service_time/mean_ms: must be greater than 0"},
      {"empirical without values", [](json& d) { d["services"][0]["service_time"] = {{"dist", "empirical"}}; },
       "/services/0/service_time/values_ms: is required"},
      {"empirical weights count",
       [](json& d) {
         d["services"][0]["service_time"] = {{"dist", "empirical"}, {"values_ms", {1, 2}}, {"weights", {1}}};
       },
       "/services/0/service_time/weights: must have as many items"},
      {"empirical zero weights",
       [](json& d) {
         d["services"][0]["service_time"] = {{"dist", "empirical"}, {"values_ms", {1}}, {"weights", {0}}};
       },
       "/services/0/service_time/weights: must not all be zero"},
      {"distribution without dist", [](json& d) { d["services"][0]["service_time"] = {{"mean_ms", 1}}; },
       "/services/0/service_time/dist: is required"},
      {"cache without nodes", [](json& d) { d["caches"][0].erase("nodes"); }, "/caches/0/nodes: is required"},
      {"cache with no nodes", [](json& d) { d["caches"][0]["nodes"] = json::array(); },
       "/caches/0/nodes: must name at least one node"},
      {"cache weights count", [](json& d) { d["caches"][0]["weights"] = {1}; },
       "/caches/0/weights: must have one weight per node"},
      {"placement unknown field", [](json& d) { d["caches"][0]["placement"] = {{"vnode", 10}}; },
       "/caches/0/placement/vnode: unknown field; did you mean \"vnodes\"?"},
      {"lock retry negative (0 is a busy spin)", [](json& d) { d["locks"][0]["acquire"] = {{"retry_ms", -1}}; },
       "/locks/0/acquire/retry_ms: must be between 0 and 60000"},
      {"queue consumers step target", [](json& d) { d["queues"][0]["consumers"] = {{"steps", {{{"call", "x"}}}}}; },
       "/queues/0/consumers/steps/0/call: names \"x\""},
      {"fault without target", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "crash"}}}; },
       "/faults/0/target: is required for a \"crash\" fault"},
      {"fault kind a number (no exception)", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", 5}}}; },
       "/faults/0/kind: must be one of"},
      {"pause without duration", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "pause"}, {"target", "catalog"}}}; },
       "/faults/0/for_ms: a pause needs a duration > 0"},
      {"for_s and for_ms",
       [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "crash"}, {"target", "a"}, {"for_s", 1}, {"for_ms", 1}}}; },
       "/faults/0/for_s: give either for_s or for_ms, not both"},
      {"set without path", [](json& d) { d["interventions"] = {{{"at_s", 1}, {"kind", "set"}}}; },
       "/interventions/0/path: is required for \"set\""},
      {"add_node without node", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "add_node"}, {"target", "pc"}}}; },
       "/faults/0/node: is required for add_node/remove_node"},
      {"partition group not a name",
       [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "partition"}, {"groups_a", {1}}}}; },
       "/faults/0/groups_a/0: must be a name"},
      {"goal without value", [](json& d) { d["goals"] = {{{"metric", "x"}}}; }, "/goals/0/value: is required"},
      {"goal bad op", [](json& d) { d["goals"] = {{{"metric", "x"}, {"op", "=<"}, {"value", 1}}}; },
       "/goals/0/op: must be one of"},
      {"goal worth nothing", [](json& d) { d["goals"] = {{{"metric", "x"}, {"value", 1}, {"points", 0}}}; },
       "/goals/0/points: must be a number above 0 and at most 1e6, got 0"},
      {"goal points not a number", [](json& d) { d["goals"] = {{{"metric", "x"}, {"value", 1}, {"points", "2"}}}; },
       "/goals/0/points: must be a number above 0"},
      {"view not an object", [](json& d) { d["view"] = 3; }, "/view: must be an object"},
      {"request types missing", [](json& d) { d.erase("requests"); },
       "/requests: the workload sends requests, but no request type is defined"},
      // Names in faults, set paths and allowed paths are checked against the document, with a suggestion.
      {"fault target a typo", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "crash"}, {"target", "catalgo#0"}}}; },
       "/faults/0/target: names \"catalgo#0\", which is not a service, an instance, a cache, a cache node, a lock "
       "instance or a consumer; did you mean \"catalog#0\"?"},
      {"fault target past the instances", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "crash"}, {"target", "catalog#1"}}}; },
       "/faults/0/target: names \"catalog#1\""},
      {"lock instance past the count", [](json& d) { d["faults"] = {{{"at_s", 1}, {"kind", "crash"}, {"target", "inventory/5"}}}; },
       "/faults/0/target: names \"inventory/5\""},
      {"set path field a typo",
       [](json& d) { d["interventions"] = {{{"at_s", 1}, {"kind", "set"}, {"path", "/services/catalog/wokers"}, {"value", 2}}}; },
       "/interventions/0/path: \"/services/catalog/wokers\" names no service field \"wokers\"; did you mean \"workers\"?"},
      {"set path item a typo",
       [](json& d) { d["interventions"] = {{{"at_s", 1}, {"kind", "set"}, {"path", "/locks/inventroy/ttl_ms"}, {"value", 2}}}; },
       "there is no lock named \"inventroy\"; did you mean \"inventory\"?"},
      {"set path not settable",
       [](json& d) { d["interventions"] = {{{"at_s", 1}, {"kind", "set"}, {"path", "/caches/pc/placement/vnodes"}, {"value", 2}}}; },
       "\"/caches/pc/placement/vnodes\" cannot be changed during a run; cache fields that can: capacity_keys"},
      {"allowed path a typo", [](json& d) { d["exercise"] = {{"allowed", {"/queues/orders/consumers/cuont"}}}; },
       "/exercise/allowed/0: \"/queues/orders/consumers/cuont\" names no queue field \"consumers/cuont\"; did you mean "
       "\"consumers/count\"?"},
  };
  for (const Case& c : cases) {
    INFO(c.what);
    std::vector<std::string> errors = errors_after(c.change);
    for (const std::string& e : errors) UNSCOPED_INFO(e);
    CHECK(contains(errors, c.expected));
  }
  // The unchanged document is valid, so each error above comes from its change alone.
  CHECK(errors_after([](json&) {}).empty());
}

TEST_CASE("validator: malformed text and limits", "[scenario]") {
  auto first_error = [](std::string_view text) {
    pg::ScenarioParse parse = pg::parse_scenario(text);
    return parse.errors.empty() ? std::string() : parse.errors.front().to_string();
  };
  CHECK(first_error("") == "/: the document is empty");
  CHECK(first_error("{\"version\":1,") .find("not valid JSON") != std::string::npos);
  CHECK(first_error("[1]").find("must be an object") != std::string::npos);
  CHECK(first_error(std::string(70, '[') + std::string(70, ']')).find("nested deeper than 64") != std::string::npos);
  std::string big = "{\"version\":1,\"description\":\"" + std::string(pg::limits::document_bytes_max, 'x') + "\"}";
  CHECK(first_error(big).find("the limit is 1048576") != std::string::npos);
  CHECK(first_error("{\"version\":1,\"name\":\"\xff\"}").find("not valid JSON") != std::string::npos);
  // Several problems are all reported at once.
  pg::ScenarioParse many = pg::parse_scenario(
      R"({"version":1,"duration_s":-1,"seed":"x","services":[{"name":"a","workers":0,"queue_max":-1}]})");
  CHECK(many.errors.size() == 4);
}
