// The services model beyond closed forms: conservation over random scenarios (a property test), balancers (key
// affinity observed on the jobs of a real run), crashes with retries and recovery, pauses, timeouts.
#include <map>
#include <set>

#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;

namespace {

ServiceSpec service(const std::string& name, int instances, int workers, int queue_max, Distribution time) {
  ServiceSpec s;
  s.name = name;
  s.instances = instances;
  s.workers = workers;
  s.queue_max = queue_max;
  s.service_time = time;
  s.service_time.prepare();
  return s;
}

StepSpec call(const std::string& target) { return StepSpec{StepKind::call, target, {}, {}, {}}; }

// Appends rather than `"s" + std::to_string(i)`, which trips a false -Wstringop-overflow in GCC 12.
std::string service_name(uint64_t i) {
  std::string name = "s";
  name += std::to_string(i);
  return name;
}

// A random shop: 1-5 services, 1-3 request types with random call chains (some parallel), random timeouts,
// retries, balancers, and random crashes, pauses and slowdowns.
Scenario random_scenario(uint64_t seed) {
  Rng rng = Rng::for_stream(seed, "random-scenario");
  Scenario s;
  s.seed = seed;
  s.duration_s = 5 + (double)rng.below(10);
  s.workload.rate_per_s = 50 + (double)rng.below(400);
  s.workload.key_count = 1 + (uint32_t)rng.below(500);
  int service_count = 1 + (int)rng.below(5);
  for (int i = 0; i < service_count; ++i) {
    Distribution d = rng.below(2) ? Distribution::exponential_ms(1 + (double)rng.below(20))
                                  : Distribution::lognormal_ms(1 + (double)rng.below(20), 0.5 + rng.next_double());
    ServiceSpec sv = service(service_name((uint64_t)i), 1 + (int)rng.below(4), 1 + (int)rng.below(8),
                             (int)rng.below(50), d);
    sv.balancer = (Balancer)rng.below(5);
    if (rng.below(2)) sv.timeout_ms = 5 + (double)rng.below(100);
    sv.retries.max = (int)rng.below(3);
    sv.retries.backoff_ms = (double)rng.below(20);
    sv.retries.jitter = (Jitter)rng.below(3);
    s.services.push_back(sv);
  }
  int request_count = 1 + (int)rng.below(3);
  for (int r = 0; r < request_count; ++r) {
    RequestSpec request;
    request.name = "r" + std::to_string(r);
    int steps = 1 + (int)rng.below(4);
    for (int k = 0; k < steps; ++k) {
      if (rng.below(5) == 0) {
        StepSpec parallel{StepKind::parallel, "", {}, {}, {}};
        int branches = 1 + (int)rng.below(3);
        for (int b = 0; b < branches; ++b)
          parallel.branches.push_back({call(service_name(rng.below((uint64_t)service_count)))});
        request.steps.push_back(parallel);
      } else {
        request.steps.push_back(call(service_name(rng.below((uint64_t)service_count))));
      }
    }
    s.requests.push_back(request);
  }
  int faults = (int)rng.below(4);
  for (int f = 0; f < faults; ++f) {
    FaultSpec fault;
    fault.at_s = rng.next_double() * s.duration_s;
    fault.kind = (FaultKind[]){FaultKind::crash, FaultKind::pause, FaultKind::slow}[rng.below(3)];
    uint64_t target = rng.below((uint64_t)service_count);
    fault.target = service_name(target);
    if (rng.below(2)) fault.target += "#" + std::to_string(rng.below((uint64_t)s.services[target].instances));
    fault.for_ms = fault.kind == FaultKind::pause || rng.below(2) ? 1 + (double)rng.below(3000) : 0;
    fault.factor = 1 + (double)rng.below(10);
    s.faults.push_back(fault);
  }
  return s;
}

void check_conservation(const Simulation& sim) {
  const World& world = sim.world();
  int64_t live_workload_flows = 0;
  for (const Flow& f : world.flows())
    if (f.live && f.owner == FlowOwner::workload && f.parent == no_id) ++live_workload_flows;
  int64_t in_flight_total = 0;
  for (size_t r = 0; r < world.request_stats.size(); ++r) {
    const RequestStats& st = world.request_stats[r];
    INFO("request " << r);
    REQUIRE(st.in_flight >= 0);
    REQUIRE(st.arrivals == st.completed + st.failed + (uint64_t)st.in_flight);
    uint64_t by_reason = 0;
    for (uint64_t v : st.failed_by) by_reason += v;
    REQUIRE(by_reason == st.failed);
    in_flight_total += st.in_flight;
  }
  REQUIRE(in_flight_total == live_workload_flows);
  for (size_t s = 0; s < world.services.specs.size(); ++s) {
    const ServiceStats& st = world.services.stats()[s];
    INFO("service " << world.services.specs[s].name);
    REQUIRE(st.in_flight >= 0);
    REQUIRE(st.arrivals ==
            st.completed + st.rejected + st.timed_out + st.crashed + st.unreachable + (uint64_t)st.in_flight);
  }
  world.check_invariants();   // the engine's own checks (engine/kernel/assert.hpp) agree, between any two events
}

double p99_ms(const Simulation& sim) { return ns_to_ms(sim.world().request_stats[0].latency.percentile(0.99)); }

}  // namespace

TEST_CASE("conservation holds for random scenarios over many seeds, mid-run and at the end", "[services][property]") {
  for (uint64_t seed = 1; seed <= 150; ++seed) {
    INFO("seed " << seed);
    Scenario s = random_scenario(seed);
    Simulation sim(s);
    Rng stops = Rng::for_stream(seed, "stops");
    for (int k = 0; k < 3; ++k) {
      sim.run_until(sim.now_ns() + (time_ns)stops.below((uint64_t)(s.duration_ns() / 3)));
      check_conservation(sim);
    }
    sim.run_to_end();
    check_conservation(sim);
  }
}

TEST_CASE("with one slow instance, least connections and power of two beat random on p99", "[services][balancer]") {
  auto run = [](Balancer balancer, uint64_t seed) {
    Scenario s;
    s.seed = seed;
    s.duration_s = 60;
    s.workload.rate_per_s = 500;
    s.requests.push_back({"r", {call("api")}});
    ServiceSpec api = service("api", 4, 4, 1000, Distribution::exponential_ms(4));
    api.balancer = balancer;
    s.services.push_back(api);
    FaultSpec slow;
    slow.kind = FaultKind::slow;
    slow.target = "api#0";
    slow.factor = 4;
    s.faults.push_back(slow);
    Simulation sim(s);
    sim.run_to_end();
    return p99_ms(sim);
  };
  for (uint64_t seed : {1, 2, 3}) {
    double random = run(Balancer::random, seed);
    double least = run(Balancer::least_connections, seed);
    double two = run(Balancer::power_of_two, seed);
    INFO("seed " << seed << ": p99 random " << random << " ms, least connections " << least
                 << " ms, power of two " << two << " ms");
    CHECK(least < random);
    CHECK(two < random);
  }
}

TEST_CASE("key_hash serves each key's calls on one instance, and a crash moves only that instance's keys",
          "[services][balancer]") {
  Scenario s;
  s.seed = 3;
  s.duration_s = 20;
  s.workload.rate_per_s = 400;
  s.workload.key_count = 300;
  s.requests.push_back({"r", {call("api")}});
  ServiceSpec api = service("api", 5, 4, 1000, Distribution::exponential_ms(2));
  api.balancer = Balancer::key_hash;
  api.health_check_ms = 0;   // the balancer learns of the crash at once
  s.services.push_back(api);
  FaultSpec crash;
  crash.kind = FaultKind::crash;
  crash.target = "api#2";
  crash.at_s = 10;           // for good
  s.faults.push_back(crash);
  Simulation sim(s);
  const World& world = sim.world();
  // Between any two events, the jobs whose caller waits say which instance serves which key.
  std::map<uint32_t, uint32_t> before, after;   // key -> instance, before and after the crash
  auto observe = [&](std::map<uint32_t, uint32_t>& seen) {
    for (const Job& job : world.services.jobs()) {
      if (!job.live || !job.caller_waiting || !world.flow_live(job.flow, job.flow_generation)) continue;
      uint32_t key = world.flows()[job.flow].key;
      auto [where, first] = seen.emplace(key, job.instance);
      INFO("key " << key << " at " << ns_to_s(sim.now_ns()) << " s");
      REQUIRE(where->second == job.instance);   // never a second instance for the same key
    }
  };
  while (!sim.finished()) {
    sim.step(1);
    if (sim.now_ns() < 10 * ns_per_s) observe(before);
    else if (sim.now_ns() > 10 * ns_per_s) observe(after);
  }
  REQUIRE(before.size() > 250);   // ~13 calls per key in 10 s: nearly every key was seen
  REQUIRE(after.size() > 250);
  std::vector<int> per_instance(5);
  for (const auto& [key, instance] : before) ++per_instance[instance - world.services.first_instance()[0]];
  for (int count : per_instance) CHECK(count > 30);   // each gets a fair share (expected 60 of 300)
  std::set<uint32_t> new_homes;
  size_t compared = 0;
  for (const auto& [key, instance] : after) {
    auto was = before.find(key);
    if (was == before.end()) continue;
    ++compared;
    INFO("key " << key);
    CHECK(instance != 2);                                  // nothing goes to the crashed instance
    if (was->second != 2) CHECK(instance == was->second);  // a surviving instance keeps its keys
    else new_homes.insert(instance);
  }
  CHECK(compared > 200);
  CHECK(new_homes.size() >= 2);   // rendezvous hashing spreads the orphaned keys, it does not dump them on one
}

TEST_CASE("crashing one of three instances shows failures and retries, and recovery after restart", "[services][faults]") {
  Scenario s;
  s.seed = 5;
  s.duration_s = 30;
  s.sample_interval_ms = 1000;
  s.workload.rate_per_s = 300;
  s.requests.push_back({"r", {call("api")}});
  ServiceSpec api = service("api", 3, 4, 100, Distribution::exponential_ms(5));
  api.timeout_ms = 200;
  api.retries.max = 2;
  s.services.push_back(api);
  FaultSpec crash;
  crash.kind = FaultKind::crash;
  crash.target = "api#1";
  crash.at_s = 10;
  crash.for_ms = 5000;
  s.faults.push_back(crash);
  Simulation sim(s);
  sim.run_until(10 * ns_per_s - 1);
  uint64_t served_before = sim.world().services.instances()[1].served;
  REQUIRE(served_before > 0);
  sim.run_until(15 * ns_per_s - 1);
  REQUIRE(sim.world().services.instances()[1].served == served_before);   // down: serves nothing
  sim.run_to_end();
  nlohmann::json report = sim.report(true);
  INFO(report["services"]["api"].dump());
  CHECK(report["services"]["api"]["crashed"].get<uint64_t>() > 0);
  CHECK(report["services"]["api"]["retries"].get<uint64_t>() > 0);
  CHECK(sim.world().services.instances()[1].served > served_before);      // back after the restart
  // Retries hide the crash from most users: end-to-end failures are far fewer than the calls lost.
  CHECK(report["requests"]["r"]["failed"].get<uint64_t>() < report["services"]["api"]["crashed"].get<uint64_t>());
  // The failure series shows the crash at t = 10 s and is quiet after the restart.
  const auto& failures = report["series"]["services"]["api"]["failures_per_s"];
  CHECK(failures[10].get<double>() > 0);
  for (size_t i = 17; i < failures.size(); ++i) CHECK(failures[i].get<double>() == 0);
  bool logged = false;
  for (const LogEntry& e : sim.world().log_entries) logged |= e.text == "api#1 crashed";
  CHECK(logged);
}

TEST_CASE("a paused instance stops serving and resumes where it was", "[services][faults]") {
  Scenario s;
  s.duration_s = 10;
  s.workload.rate_per_s = 100;
  s.requests.push_back({"r", {call("api")}});
  s.services.push_back(service("api", 1, 1, 100000, Distribution::constant_ms(2)));
  FaultSpec pause;
  pause.kind = FaultKind::pause;
  pause.target = "api#0";
  pause.at_s = 2;
  pause.for_ms = 3000;
  s.faults.push_back(pause);
  Simulation sim(s);
  sim.run_until(2 * ns_per_s + ns_per_ms * 10);
  uint64_t served = sim.world().services.instances()[0].served;
  sim.run_until(5 * ns_per_s - ns_per_ms);
  CHECK(sim.world().services.instances()[0].served == served);   // frozen
  sim.run_to_end();
  // The backlog of ~300 requests is served after the pause; the maximum latency is about the pause itself.
  double max_ms = ns_to_ms(sim.world().request_stats[0].latency.max);
  CHECK(max_ms > 2900);
  CHECK(max_ms < 4000);
  CHECK(sim.world().request_stats[0].failed == 0);
}

TEST_CASE("timeouts fail calls while the server keeps working", "[services][faults]") {
  Scenario s;
  s.duration_s = 5;
  s.workload.rate_per_s = 100;
  s.requests.push_back({"r", {call("api")}});
  ServiceSpec api = service("api", 1, 1, 1000, Distribution::constant_ms(50));  // rho = 5: overloaded
  api.timeout_ms = 100;
  s.services.push_back(api);
  Simulation sim(s);
  sim.run_to_end();
  const ServiceStats& st = sim.world().services.stats()[0];
  CHECK(st.timed_out > 0);
  CHECK(sim.world().request_stats[0].failed_by[(size_t)FailReason::timed_out] == st.timed_out);
  // The single worker was busy all along, mostly with work nobody waits for any more.
  CHECK(sim.world().services.instances()[0].busy_tw.mean(0, sim.now_ns()) > 0.95);
}

TEST_CASE("a partition between named groups makes calls across it fail until it heals", "[services][faults]") {
  Scenario s;
  s.duration_s = 10;
  s.workload.rate_per_s = 200;
  s.requests.push_back({"r", {call("front"), call("back")}});
  s.services.push_back(service("front", 1, 8, 100, Distribution::constant_ms(1)));
  s.services.push_back(service("back", 1, 8, 100, Distribution::constant_ms(1)));
  FaultSpec partition;
  partition.kind = FaultKind::partition;
  partition.at_s = 4;
  partition.for_ms = 2000;
  partition.groups_a = {"front"};
  partition.groups_b = {"back"};
  s.faults.push_back(partition);
  Simulation sim(s);
  sim.run_until(4 * ns_per_s);
  REQUIRE(sim.world().services.stats()[1].unreachable == 0);
  sim.run_until(6 * ns_per_s);
  uint64_t unreachable = sim.world().services.stats()[1].unreachable;
  CHECK(unreachable > 300);   // about 2 s x 200/s
  CHECK(sim.world().request_stats[0].failed_by[(size_t)FailReason::unreachable] == unreachable);
  sim.run_to_end();
  CHECK(sim.world().services.stats()[1].unreachable == unreachable);   // healed
  CHECK(sim.world().services.stats()[0].unreachable == 0);              // the client side was never cut off
}

TEST_CASE("a set intervention changes the arrival rate at its simulated time", "[services][faults]") {
  Scenario s;
  s.duration_s = 10;
  s.workload.rate_per_s = 100;
  s.requests.push_back({"r", {call("api")}});
  s.services.push_back(service("api", 1, 64, 100, Distribution::constant_ms(1)));
  FaultSpec set;
  set.kind = FaultKind::set;
  set.at_s = 5;
  set.path = "/workload/rate_per_s";
  set.value = 1000;
  s.interventions.push_back(set);
  Simulation sim(s);
  sim.run_to_end();
  nlohmann::json series = sim.report(true)["series"]["requests"]["r"]["throughput_per_s"];
  double before = 0, after = 0;
  for (size_t i = 0; i < 5; ++i) before += series[i].get<double>() / 5;
  for (size_t i = 6; i < 10; ++i) after += series[i].get<double>() / 4;
  // Poisson counts: sd of a 1 s count is sqrt(rate); 5 sd margins.
  CHECK(std::fabs(before - 100) < 5 * std::sqrt(100.0 / 5));
  CHECK(std::fabs(after - 1000) < 5 * std::sqrt(1000.0 / 4));
}
