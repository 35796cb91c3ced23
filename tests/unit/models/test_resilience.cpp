// Resilience of micro-services: call trees (a service's own steps), network latency per service, deadlines carried
// down the tree. Counts that follow from the rules are checked exactly, over several seeds; means against their
// closed form with a tolerance of 4 standard errors estimated from the replications themselves.
#include <cmath>
#include <string>

#include "engine/run/replications.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;

namespace {

std::string with_seed(std::string text, uint64_t seed) {
  size_t at = text.find("\"seed\": 1,");
  REQUIRE(at != std::string::npos);
  return text.replace(at, 10, "\"seed\": " + std::to_string(seed) + ",");
}

// gateway -> order -> inventory, each call retried twice; inventory is down for good. Arrivals stop at 10 s and
// every request has ended long before 20 s.
const char* const retry_storm = R"({
  "version": 1, "name": "retry storm", "seed": 1, "duration_s": 20,
  "workload": {"arrivals": {"rate_per_s": 40, "schedule": [{"at_s": 10, "rate_per_s": 0}]}},
  "requests": [{"name": "checkout", "steps": [{"call": "gateway"}]}],
  "services": [
    {"name": "gateway", "workers": 64, "retries": {"max": 2, "backoff_ms": 1}, "steps": [{"call": "order"}]},
    {"name": "order", "workers": 64, "retries": {"max": 2, "backoff_ms": 1}, "steps": [{"call": "inventory"}]},
    {"name": "inventory", "workers": 64, "retries": {"max": 2, "backoff_ms": 1}}
  ],
  "faults": [{"at_s": 0, "kind": "crash", "target": "inventory"}]
})";

}  // namespace

TEST_CASE("three layers each retrying twice over a failing bottom: bottom arrivals = 27 x requests, exactly",
          "[services][resilience]") {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    Scenario s = test::parse_or_fail(with_seed(retry_storm, seed));
    Simulation sim(s);
    sim.run_to_end();
    sim.world().check_invariants();
    nlohmann::json report = sim.report();
    uint64_t requests = report["requests"]["checkout"]["arrivals"];
    REQUIRE(requests > 300);
    CHECK(report["requests"]["checkout"]["failed"] == requests);
    CHECK(report["requests"]["checkout"]["failed_by"]["crashed"] == requests);   // the root cause reaches the top
    CHECK(report["services"]["gateway"]["arrivals"] == 3 * requests);
    CHECK(report["services"]["order"]["arrivals"] == 9 * requests);
    CHECK(report["services"]["inventory"]["arrivals"] == 27 * requests);
    CHECK(report["services"]["inventory"]["crashed"] == 27 * requests);
    // The layers above fail because their own steps failed, once per attempt they took.
    CHECK(report["services"]["order"]["failed"] == 9 * requests);
    CHECK(report["services"]["gateway"]["failed"] == 3 * requests);
    CHECK(report["services"]["gateway"]["retries"] == 2 * requests);
  }
}

TEST_CASE("a call tree completes through every layer; a service's latency includes its own steps",
          "[services][resilience]") {
  Scenario s = test::parse_or_fail(R"({
    "version": 1, "name": "tree", "seed": 3, "duration_s": 30,
    "workload": {"arrivals": {"rate_per_s": 20}},
    "requests": [{"name": "buy", "steps": [{"call": "gateway"}]}],
    "services": [
      {"name": "gateway", "workers": 16, "service_time": {"dist": "constant", "mean_ms": 1},
       "steps": [{"call": "order"}, {"parallel": [[{"call": "stock"}], [{"call": "price"}]]}]},
      {"name": "order", "workers": 16, "service_time": {"dist": "constant", "mean_ms": 2},
       "steps": [{"call": "stock"}]},
      {"name": "stock", "workers": 16, "service_time": {"dist": "constant", "mean_ms": 3}},
      {"name": "price", "workers": 16, "service_time": {"dist": "constant", "mean_ms": 4}}
    ]})");
  Simulation sim(s);
  sim.run_to_end();
  sim.world().check_invariants();
  nlohmann::json report = sim.report();
  uint64_t done = report["requests"]["buy"]["completed"];
  REQUIRE(done > 400);
  CHECK(report["requests"]["buy"]["failed"] == 0);
  CHECK(report["services"]["stock"]["arrivals"] >= 2 * done);
  // No queueing at 20/s with 16 workers: gateway 1 + order (2 + stock 3) + max(stock 3, price 4) = 10 ms exactly.
  CHECK(report["services"]["order"]["latency_ms"]["max"] == 5.0);
  CHECK(report["services"]["gateway"]["latency_ms"]["max"] == 10.0);
  CHECK(report["requests"]["buy"]["latency_ms"]["max"] == 10.0);
}

TEST_CASE("a two-hop tandem with network latency: end-to-end mean = service means + latency means",
          "[services][resilience][queueing]") {
  // front (5 ms) calls back (3 ms) in its steps; each call crosses the network twice: front 1 ms, back 2 ms each
  // way (exponential). 256 workers at 50/s: nobody waits, so the mean is 2*1 + 5 + 2*2 + 3 = 14 ms.
  const char* text = R"({
    "version": 1, "name": "tandem", "seed": 1, "duration_s": 200,
    "workload": {"arrivals": {"rate_per_s": 50}},
    "requests": [{"name": "r", "steps": [{"call": "front"}]}],
    "services": [
      {"name": "front", "workers": 256, "service_time": {"dist": "exponential", "mean_ms": 5},
       "network": {"dist": "exponential", "mean_ms": 1}, "steps": [{"call": "back"}]},
      {"name": "back", "workers": 256, "service_time": {"dist": "exponential", "mean_ms": 3},
       "network": {"dist": "exponential", "mean_ms": 2}}
    ]})";
  std::vector<double> end_to_end, front_server;
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    Simulation sim(test::parse_or_fail(with_seed(text, seed)));
    sim.run_to_end();
    sim.world().check_invariants();
    end_to_end.push_back(sim.world().request_stats[0].latency.mean() / 1e6);
    front_server.push_back(sim.world().services.stats()[0].latency.mean() / 1e6);
  }
  auto check_close = [](const std::vector<double>& values, double expected, const char* what) {
    double se = sample_stddev(values) / std::sqrt((double)values.size());
    INFO(what << ": simulated " << sample_mean(values) << " +- " << se << " (se), expected " << expected);
    CHECK(se > 0);
    CHECK(std::fabs(sample_mean(values) - expected) <= 4 * se);
  };
  check_close(end_to_end, 14.0, "end to end");
  // The front's own latency runs from the request's arrival there to its answer leaving: 5 + 2 + 3 + 2 ms.
  check_close(front_server, 12.0, "front, server side");
}

TEST_CASE("validation: service steps name services that exist and never form a cycle", "[services][resilience]") {
  auto errors_of = [](const std::string& text) {
    ScenarioParse parse = parse_scenario(text);
    std::string all;
    for (const ValidationError& e : parse.errors) all += e.to_string() + "\n";
    return all;
  };
  std::string cycle = errors_of(R"({"version": 1, "requests": [{"name": "r", "steps": [{"call": "a"}]}],
    "services": [{"name": "a", "steps": [{"call": "b"}]},
                 {"name": "b", "steps": [{"parallel": [[{"call": "c"}]]}]},
                 {"name": "c", "steps": [{"call": "a"}]}]})");
  CHECK(cycle.find("/services/2/steps/0/call: calls \"a\", which makes a cycle (a -> b -> c -> a)") !=
        std::string::npos);
  std::string self = errors_of(R"({"version": 1, "requests": [{"name": "r", "steps": [{"call": "a"}]}],
    "services": [{"name": "a", "steps": [{"call": "a"}]}]})");
  CHECK(self.find("/services/0/steps/0/call: calls \"a\", which makes a cycle (a -> a)") != std::string::npos);
  std::string missing = errors_of(R"({"version": 1, "requests": [{"name": "r", "steps": [{"call": "a"}]}],
    "services": [{"name": "a", "steps": [{"cache": "nope"}]}]})");
  CHECK(missing.find("/services/0/steps/0/cache: names \"nope\", which is not in /caches") != std::string::npos);
}

TEST_CASE("cost: retries multiplying down a deep call tree are refused with the path and the figure",
          "[services][resilience][cost]") {
  // Seven layers retrying 4 times: 5^6 = 15625 attempts at the bottom per request, and 19531 steps in all, over the
  // 4096 steps a request may run.
  std::string services;
  for (int i = 0; i < 7; ++i) {
    if (i) services += ",";
    services += "{\"name\": \"s" + std::to_string(i) + "\", \"timeout_ms\": 100, \"retries\": {\"max\": 4}";
    if (i < 6) services += ", \"steps\": [{\"call\": \"s" + std::to_string(i + 1) + "\"}]";
    services += "}";
  }
  ScenarioParse parse = parse_scenario(R"({"version": 1, "requests": [{"name": "r", "steps": [{"call": "s0"}]}],
    "services": [)" + services + "]}");
  REQUIRE(!parse.ok());
  std::string all;
  for (const ValidationError& e : parse.errors) all += e.to_string() + "\n";
  INFO(all);
  CHECK(all.find("/requests/0/steps: a request runs 19531 steps counting the steps of the services it calls") !=
        std::string::npos);
  CHECK(all.find("at most 4096") != std::string::npos);
  // Two retries over three layers is well within it.
  CHECK(parse_scenario(retry_storm).ok());
}

TEST_CASE("deadlines: no worker takes expired work, callers stop at the deadline, goodput under overload is higher "
          "than with a timeout the servers do not know about",
          "[services][resilience]") {
  // api (8 workers, 5 ms) calls db (2 workers, 20 ms: 100 calls/s) at 200 requests/s: twice db's capacity.
  const char* base = R"({
    "version": 1, "name": "overload", "seed": 1, "duration_s": 60,
    "workload": {"arrivals": {"rate_per_s": 200}},
    "requests": [{"name": "r", "steps": [{"call": "api"}]DEADLINE}],
    "services": [
      {"name": "api", "workers": 8, "queue_max": 1000, "service_time": {"dist": "exponential", "mean_ms": 5},
       "steps": [{"call": "db"}]TIMEOUT},
      {"name": "db", "workers": 2, "queue_max": 1000, "service_time": {"dist": "exponential", "mean_ms": 20}}
    ]})";
  auto variant = [&](bool deadline, uint64_t seed) {
    std::string text = base;
    text.replace(text.find("DEADLINE"), 8, deadline ? ", \"deadline_ms\": 300" : "");
    text.replace(text.find("TIMEOUT"), 7, deadline ? "" : ", \"timeout_ms\": 300");
    return test::parse_or_fail(with_seed(text, seed));
  };
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    // The checking build asserts at every start that the call's deadline has not passed (Services::start_job).
    Simulation with(variant(true, seed)), without(variant(false, seed));
    with.run_to_end();
    without.run_to_end();
    with.world().check_invariants();
    without.world().check_invariants();
    nlohmann::json a = with.report(), b = without.report();
    double goodput_with = a["requests"]["r"]["throughput_per_s"], goodput_without = b["requests"]["r"]["throughput_per_s"];
    INFO("goodput with deadlines " << goodput_with << "/s, with a timeout only " << goodput_without << "/s");
    // db can do 100 calls/s. Without deadlines nearly all of it is for callers that have gone (about 1/s is
    // useful); with them the workers skip expired calls. A FIFO line still hands them the oldest live calls, which
    // often expire under way, so about 40/s succeed (shedding by queue time or LIFO would do better).
    CHECK(goodput_with > 25);
    CHECK(goodput_with > 10 * goodput_without);
    CHECK((uint64_t)a["services"]["db"]["expired"] > 0);
    CHECK(a["requests"]["r"]["latency_ms"]["max"].get<double>() <= 300);
    CHECK((uint64_t)a["requests"]["r"]["failed_by"]["deadline_exceeded"] > 0);
  }
}

namespace {

// Random call trees over 2-6 services (each calls only later ones, so there is no cycle), with networks,
// deadlines, timeouts, retries and faults: conservation must hold mid-run and at the end.
Scenario random_tree(uint64_t seed) {
  Rng rng = Rng::for_stream(seed, "random-tree");
  Scenario s;
  s.seed = seed;
  s.duration_s = 4 + (double)rng.below(6);
  s.workload.rate_per_s = 50 + (double)rng.below(300);
  int n = 2 + (int)rng.below(5);
  for (int i = 0; i < n; ++i) {
    ServiceSpec sv;
    sv.name = "s" + std::to_string(i);
    sv.instances = 1 + (int)rng.below(3);
    sv.workers = 1 + (int)rng.below(6);
    sv.queue_max = (int)rng.below(40);
    sv.service_time = Distribution::exponential_ms(1 + (double)rng.below(10));
    sv.service_time.prepare();
    if (rng.below(2)) sv.network = Distribution::exponential_ms(0.1 + rng.next_double() * 3);
    sv.network.prepare();
    if (rng.below(2)) sv.timeout_ms = 5 + (double)rng.below(100);
    sv.retries.max = (int)rng.below(3);
    sv.retries.backoff_ms = (double)rng.below(10);
    for (int k = i + 1; k < n; ++k)
      if (rng.below(3) == 0) sv.steps.push_back(StepSpec{StepKind::call, "s" + std::to_string(k), {}, {}, {}});
    s.services.push_back(sv);
  }
  RequestSpec request;
  request.name = "r";
  request.steps.push_back(StepSpec{StepKind::call, "s0", {}, {}, {}});
  if (rng.below(2)) request.deadline_ms = 20 + (double)rng.below(200);
  s.requests.push_back(request);
  for (int f = (int)rng.below(4); f > 0; --f) {
    FaultSpec fault;
    fault.at_s = rng.next_double() * s.duration_s;
    fault.kind = (FaultKind[]){FaultKind::crash, FaultKind::pause, FaultKind::slow, FaultKind::partition}[rng.below(4)];
    fault.target = "s" + std::to_string(rng.below((uint64_t)n));
    fault.for_ms = 1 + (double)rng.below(2000);
    fault.factor = 1 + (double)rng.below(10);
    if (fault.kind == FaultKind::partition) {
      fault.groups_a = {"s" + std::to_string(rng.below((uint64_t)n)), "client"};
      fault.groups_b = {"s" + std::to_string(rng.below((uint64_t)n))};
    }
    s.faults.push_back(fault);
  }
  return s;
}

}  // namespace

TEST_CASE("conservation holds for random call trees with networks, deadlines and faults", "[services][resilience]") {
  for (uint64_t seed = 1; seed <= 80; ++seed) {
    INFO("seed " << seed);
    Scenario s = random_tree(seed);
    Simulation sim(s);
    Rng stops = Rng::for_stream(seed, "stops");
    for (int k = 0; k < 3; ++k) {
      sim.run_until(sim.now_ns() + (time_ns)stops.below((uint64_t)(s.duration_ns() / 3)));
      sim.world().check_invariants();
    }
    sim.run_to_end();
    sim.world().check_invariants();
    // Same scenario, same run.
    Simulation again(s);
    again.run_to_end();
    CHECK(again.world().kernel.trace_hash == sim.world().kernel.trace_hash);
  }
}

TEST_CASE("a 10% retry budget keeps the three-layer retry storm within ratio x calls + min_per_s x seconds",
          "[services][resilience][budget]") {
  for (double min_per_s : {0.0, 10.0}) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      INFO("seed " << seed << ", min_per_s " << min_per_s);
      Scenario s = test::parse_or_fail(with_seed(retry_storm, seed));
      for (ServiceSpec& service : s.services) {
        service.retry_budget.ratio = 0.1;
        service.retry_budget.min_per_s = min_per_s;
      }
      Simulation sim(s);
      sim.run_to_end();
      sim.world().check_invariants();
      nlohmann::json report = sim.report();
      double requests = report["requests"]["checkout"]["arrivals"];
      for (const char* name : {"gateway", "order", "inventory"}) {
        INFO(name);
        double arrivals = report["services"][name]["arrivals"], retries = report["services"][name]["retries"];
        // Each first attempt earned 0.1 of a retry and time min_per_s a second; every attempt failed, so the
        // budget, not the policy (two retries), is what limited them.
        CHECK(retries <= 0.1 * (arrivals - retries) + min_per_s * s.duration_s);
        CHECK((uint64_t)report["services"][name]["retries_over_budget"] > 0);
      }
      double bottom = report["services"]["inventory"]["arrivals"];
      INFO("bottom arrivals " << bottom << " for " << requests << " requests");
      // 27x without the budget; with it at most 1.1^3 = 1.331x (and the reserve's share, when there is one) ...
      CHECK(bottom <= 1.331 * requests + 3 * 1.331 * min_per_s * s.duration_s);
      // ... and the budget was spent: the storm is cut to its bound, not to nothing.
      CHECK(bottom >= 1.3 * requests);
    }
  }
}

namespace {

// api (8 workers) calls payment in its steps with a 100 ms timeout. From 10 s to 30 s payment is 50 times slower
// (500 ms a call, constant, so no probe can succeed): every call times out, and each holds an api worker 100 ms,
// more than api has at 100/s. payment's line is long enough not to fill (and refuse at once) before 30 s.
const char* const slow_dependency = R"({
  "version": 1, "name": "slow dependency", "seed": 1, "duration_s": 45, "sample_interval_ms": 500,
  "workload": {"arrivals": {"rate_per_s": 100}},
  "requests": [{"name": "checkout", "steps": [{"call": "api"}]}],
  "services": [
    {"name": "api", "workers": 8, "service_time": {"dist": "exponential", "mean_ms": 2},
     "steps": [{"call": "payment"}]},
    {"name": "payment", "workers": 8, "queue_max": 5000, "service_time": {"dist": "constant", "mean_ms": 10},
     "timeout_ms": 100BREAKER}
  ],
  "faults": [{"at_s": 10, "kind": "slow", "target": "payment", "for_ms": 20000, "factor": 50}]
})";

Scenario slow_dependency_scenario(bool breaker, uint64_t seed) {
  std::string text = slow_dependency;
  text.replace(text.find("BREAKER"), 7,
               breaker ? R"(, "circuit_breaker": {"failure_rate": 0.5, "window_s": 5, "min_calls": 20,
                             "open_ms": 2000, "half_open_calls": 5})"
                       : "");
  return test::parse_or_fail(with_seed(text, seed));
}

// Mean of a series' points whose sample time lies in [from_s, to_s).
double series_mean(const nlohmann::json& report, const nlohmann::json& series, double from_s, double to_s) {
  const nlohmann::json& t = report["series"]["t_s"];
  double total = 0;
  int n = 0;
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].get<double>() >= from_s && t[i].get<double>() < to_s) {
      total += series[i].get<double>();
      ++n;
    }
  return n ? total / n : 0;
}

}  // namespace

TEST_CASE("a circuit breaker opens within its window, cuts calls to the probe rate, frees the caller's workers and "
          "closes after the callee recovers",
          "[services][resilience][breaker]") {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    Simulation with(slow_dependency_scenario(true, seed)), without(slow_dependency_scenario(false, seed));
    const uint32_t api = 0, payment = 1;
    const BreakerState* b = with.world().services.breaker_of(api, payment);
    REQUIRE(b != nullptr);
    CHECK(with.world().services.breaker_of(no_id, payment) != nullptr);   // one per caller
    CHECK(with.world().services.breaker_of(api, api) == nullptr);         // api has none

    with.run_until(s_to_ns(10));
    CHECK(b->opened == 0);
    with.run_until(s_to_ns(15));   // the failing calls fill its 5 s window
    CHECK(b->opened >= 1);
    CHECK(b->phase != BreakerPhase::closed);

    // While payment stays slow only probes reach it: at most 5 per 2 s open period.
    with.run_until(s_to_ns(16));
    uint64_t before = with.world().services.stats()[payment].arrivals;
    with.run_until(s_to_ns(30));
    uint64_t probes = with.world().services.stats()[payment].arrivals - before;
    INFO("calls reaching payment in 14 s while open: " << probes);
    CHECK(probes <= 5 * (14 / 2 + 1));
    CHECK(probes >= 5 * (14 / 3));   // it does keep probing

    // Recovered at 30 s: the next probes succeed and it closes; calls flow again.
    with.run_until(s_to_ns(35));
    CHECK(b->phase == BreakerPhase::closed);
    uint64_t after = with.world().services.stats()[payment].arrivals;
    with.run_to_end();
    CHECK(with.world().services.stats()[payment].arrivals - after > 800);   // about 100/s for 10 s
    with.world().check_invariants();

    without.run_to_end();
    nlohmann::json a = with.report(true), n = without.report(true);
    double busy_with = series_mean(a, a["series"]["services"]["api"]["utilization"], 16, 30);
    double busy_without = series_mean(n, n["series"]["services"]["api"]["utilization"], 16, 30);
    double busy_before = series_mean(a, a["series"]["services"]["api"]["utilization"], 2, 10);
    INFO("api utilisation: before " << busy_before << ", during with breaker " << busy_with << ", without "
                                    << busy_without);
    CHECK(busy_without > 0.95);               // the slow dependency holds every api worker
    CHECK(busy_with < 2 * busy_before + 0.05);   // with the breaker api is back near its normal load
    CHECK(a["services"]["payment"]["breakers"]["api"]["opened"].get<uint64_t>() >= 1);
    CHECK(a["services"]["payment"]["breakers"]["api"]["state"] == "closed");
    CHECK(a["services"]["payment"]["breaker_open"].get<uint64_t>() > 1000);
    CHECK(a["requests"]["checkout"]["failed_by"]["breaker_open"].get<uint64_t>() > 1000);
    CHECK(series_mean(a, a["series"]["services"]["payment"]["breaker_state"], 16, 29) > 1);
    CHECK(series_mean(a, a["series"]["services"]["payment"]["breaker_state"], 36, 45) == 0);
  }
}

TEST_CASE("hedging after the service's p95 cuts p99 on a heavy-tailed service and adds about 5% calls",
          "[services][resilience][hedge]") {
  // Pareto service times, mean 10 ms, shape 1.5: x_m = 10/3 ms, p95 = x_m * 20^(1/1.5) = 24.6 ms, p99 = 71.8 ms.
  // 4 instances of 64 workers at 200/s: nobody waits, so a hedge is sent exactly when an attempt takes longer than
  // p95 (5% of calls) and the latency is min(X1, p95 + X2), whose p99 is about 33 ms.
  const double scale = 10.0 / 3, p95 = scale * std::pow(20.0, 1 / 1.5);
  auto run = [&](double hedge_ms, uint64_t seed) {
    Scenario s = test::parse_or_fail(with_seed(R"({
      "version": 1, "name": "tail", "seed": 1, "duration_s": 100,
      "workload": {"arrivals": {"rate_per_s": 200}},
      "requests": [{"name": "r", "steps": [{"call": "search"}]}],
      "services": [{"name": "search", "instances": 4, "workers": 64, "balancer": "round_robin",
                    "service_time": {"dist": "pareto", "mean_ms": 10, "shape": 1.5}}]})", seed));
    s.services[0].hedge_after_ms = hedge_ms;
    Simulation sim(s);
    sim.run_to_end();
    sim.world().check_invariants();
    return sim.report();
  };
  std::vector<double> hedge_share;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    INFO("seed " << seed);
    nlohmann::json plain = run(0, seed), hedged = run(p95, seed);
    double p99_plain = plain["requests"]["r"]["latency_ms"]["p99"], p99_hedged = hedged["requests"]["r"]["latency_ms"]["p99"];
    INFO("p99 without hedging " << p99_plain << " ms, with " << p99_hedged << " ms");
    CHECK(p99_plain > 60);
    CHECK(p99_hedged < 40);
    const nlohmann::json& search = hedged["services"]["search"];
    double first_attempts = search["arrivals"].get<double>() - search["hedged"].get<double>();
    hedge_share.push_back(search["hedged"].get<double>() / first_attempts);
    // Every hedged call has one attempt nobody waited for at the end (the loser), apart from calls still running.
    CHECK(search["cancelled"].get<double>() <= search["hedged"].get<double>());
    CHECK(search["cancelled"].get<double>() >= search["hedged"].get<double>() - 5);
    CHECK(hedged["requests"]["r"]["failed"] == 0);
  }
  double se = sample_stddev(hedge_share) / std::sqrt((double)hedge_share.size());
  INFO("hedged share " << sample_mean(hedge_share) << " +- " << se);
  CHECK(std::fabs(sample_mean(hedge_share) - 0.05) <= 4 * se);
}

TEST_CASE("a rate limiter admits at most burst + per_s x seconds in a flash sale, and refuses the rest at once",
          "[services][resilience][limiter]") {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    Scenario s = test::parse_or_fail(with_seed(R"({
      "version": 1, "name": "flash sale", "seed": 1, "duration_s": 20,
      "workload": {"arrivals": {"rate_per_s": 100, "schedule": [{"at_s": 5, "rate_per_s": 2000},
                                                                 {"at_s": 10, "rate_per_s": 100}]}},
      "requests": [{"name": "buy", "steps": [{"call": "gateway"}]}],
      "services": [{"name": "gateway", "workers": 64, "service_time": {"dist": "constant", "mean_ms": 5},
                    "rate_limit": {"per_s": 500, "burst": 100}}]})", seed));
    Simulation sim(s);
    sim.run_until(s_to_ns(5));
    uint64_t before = sim.world().services.stats()[0].rate_limited;
    sim.run_to_end();
    sim.world().check_invariants();
    nlohmann::json report = sim.report();
    const nlohmann::json& gateway = report["services"]["gateway"];
    double admitted = gateway["arrivals"].get<double>() - gateway["rate_limited"].get<double>();
    CHECK(before == 0);   // 100/s is below the limit
    CHECK(admitted <= 100 + 500 * s.duration_s);
    // Over the spike the bucket is empty nearly all the time: about 2000 - 500 calls a second are refused.
    CHECK(gateway["rate_limited"].get<double>() > 0.9 * 1500 * 5);
    CHECK(gateway["rate_limited"].get<double>() < 1.1 * 1500 * 5);
    CHECK(report["requests"]["buy"]["failed_by"]["rate_limited"] == gateway["rate_limited"]);
    CHECK(gateway["latency_ms"]["max"].get<double>() == 5.0);   // the admitted ones never queue
  }
}

TEST_CASE("shedding by queue time: under overload with deadlines, workers serve live calls and goodput rises",
          "[services][resilience][shed]") {
  // The overload of the deadline test: api calls db (100 calls/s) at 200 requests/s, deadline 300 ms. Shedding
  // db's and api's calls that waited over 100 ms keeps the lines short, so most served calls are still in time.
  const char* text = R"({
    "version": 1, "name": "overload", "seed": 1, "duration_s": 60,
    "workload": {"arrivals": {"rate_per_s": 200}},
    "requests": [{"name": "r", "steps": [{"call": "api"}], "deadline_ms": 300}],
    "services": [
      {"name": "api", "workers": 8, "queue_max": 1000, "service_time": {"dist": "exponential", "mean_ms": 5},
       "steps": [{"call": "db"}]SHED},
      {"name": "db", "workers": 2, "queue_max": 1000, "service_time": {"dist": "exponential", "mean_ms": 20}SHED}
    ]})";
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    INFO("seed " << seed);
    auto run = [&](bool shed) {
      std::string t = text;
      for (size_t at; (at = t.find("SHED")) != std::string::npos;)
        t.replace(at, 4, shed ? ", \"shed\": {\"max_wait_ms\": 100}" : "");
      Simulation sim(test::parse_or_fail(with_seed(t, seed)));
      sim.run_to_end();
      sim.world().check_invariants();
      return sim.report();
    };
    nlohmann::json with = run(true), without = run(false);
    double goodput_with = with["requests"]["r"]["throughput_per_s"], goodput_without = without["requests"]["r"]["throughput_per_s"];
    INFO("goodput with shedding " << goodput_with << "/s, deadlines only " << goodput_without << "/s");
    CHECK(goodput_with > 1.4 * goodput_without);
    CHECK(goodput_with > 70);   // most of db's 100/s
    CHECK(with["services"]["api"]["shed"].get<uint64_t>() > 0);
    CHECK(with["requests"]["r"]["failed_by"]["shed"].get<uint64_t>() > 0);
  }
}

TEST_CASE("a bulkhead keeps a slow dependency from holding all of its caller's workers", "[services][resilience][bulkhead]") {
  for (uint64_t seed = 1; seed <= 3; ++seed) {
    INFO("seed " << seed);
    Scenario s = slow_dependency_scenario(false, seed);
    // api gets 16 workers and may have 4 calls to payment in flight. Normally about 1 is (100/s x 10 ms), so a
    // few bursts over 4 are refused; while payment is slow, 4 workers wait and the other 12 are free.
    s.services[0].workers = 16;
    s.services[1].bulkhead_max_concurrent = 4;
    Simulation sim(s);
    sim.run_to_end();
    sim.world().check_invariants();
    nlohmann::json report = sim.report(true);
    double busy = series_mean(report, report["series"]["services"]["api"]["utilization"], 16, 30);
    INFO("api utilisation while payment is slow, with the bulkhead: " << busy);
    // At most 4 of 16 workers wait 100 ms for payment; the others serve and fail fast. Without the bulkhead the
    // calls need 10.2 workers on average (100/s x 102 ms).
    CHECK(busy < 0.45);
    CHECK(report["services"]["payment"]["bulkhead_full"].get<uint64_t>() > 1000);
    CHECK(report["requests"]["checkout"]["failed_by"]["bulkhead_full"].get<uint64_t>() > 1000);
    // Before and after the slow spell the bulkhead is rarely full: P(4 in flight) at 1 on average is about 2%.
    CHECK(series_mean(report, report["series"]["requests"]["checkout"]["failures_per_s"], 2, 10) < 5);
    CHECK(series_mean(report, report["series"]["requests"]["checkout"]["failures_per_s"], 33, 45) < 5);
  }
}

TEST_CASE("a circuit breaker or a bulkhead switched on by a set intervention during the run takes effect",
          "[services][resilience][breaker]") {
  Scenario s = slow_dependency_scenario(false, 1);
  FaultSpec on;
  on.at_s = 12;
  on.kind = FaultKind::set;
  on.path = "/services/payment/circuit_breaker/failure_rate";
  on.value = 0.5;
  s.interventions.push_back(on);
  Simulation sim(s);
  sim.run_until(s_to_ns(11));
  CHECK(sim.world().services.breaker_of(0, 1) == nullptr);   // none yet
  sim.run_to_end();
  sim.world().check_invariants();
  const BreakerState* b = sim.world().services.breaker_of(0, 1);   // its state was kept from the start
  REQUIRE(b != nullptr);
  CHECK(b->opened >= 1);
  nlohmann::json report = sim.report(true);
  CHECK(report["services"]["payment"]["breaker_open"].get<uint64_t>() > 1000);
  CHECK(report["series"]["services"]["payment"].contains("breaker_state"));

  Scenario t = slow_dependency_scenario(false, 1);
  on.path = "/services/payment/bulkhead/max_concurrent";
  on.value = 2;
  t.interventions.push_back(on);
  Simulation bulk(t);
  bulk.run_to_end();
  bulk.world().check_invariants();
  CHECK(bulk.report()["services"]["payment"]["bulkhead_full"].get<uint64_t>() > 1000);
}
