// The page's Compare (web/compare.hpp), natively: B as A plus changes (kept through later changes to A, refused
// when they no longer fit), B's run following A's clock under the same seed, the table's numbers on the shown runs
// and over seeds (the workers' part played by a loop that runs each job as web/sweep_worker/worker_main.cpp does),
// and the link's "b=" parameter.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/classroom/exercise.hpp"
#include "engine/codec/link_patch.hpp"
#include "engine/run/replications.hpp"
#include "engine/run/simulation.hpp"
#include "tests/unit/test_support.hpp"
#include "tests/unit/web/worker_stand_in.hpp"
#include "web/compare.hpp"

using namespace pg;
using pgweb::Compare;

namespace {

ServiceSpec* service_named(Scenario& s, const std::string& name) {
  for (ServiceSpec& service : s.services)
    if (service.name == name) return &service;
  return nullptr;
}

// Every job of the pairs, answered as a worker would.
void run_jobs_here(Compare& compare) {
  const nlohmann::json jobs = nlohmann::json::parse(compare.runs().jobs_json());
  for (const nlohmann::json& run : jobs["runs"])
    compare.runs().result(run["id"].get<size_t>(), test::worker_answer(jobs, run));
}

// A clock that never moves: follow() then works until B reaches A's time, whatever the budget.
Compare frozen_compare() {
  return Compare([] { return 0.0; });
}

}  // namespace

TEST_CASE("compare: B without changes is A, runs the same events and differs by exactly zero", "[compare]") {
  const Scenario a = test::load("scenarios/shop-spike.json");
  Compare compare = frozen_compare();
  REQUIRE(compare.start(a).empty());
  CHECK(compare.active());
  CHECK(compare.changes().empty());
  CHECK(scenario_to_text(compare.b(), -1) == scenario_to_text(a, -1));

  Simulation run_a(a);
  run_a.run_until(s_to_ns(3));
  compare.follow(run_a.now_ns(), 1e9);
  REQUIRE(compare.sim_b() != nullptr);
  CHECK(compare.caught_up(run_a.now_ns()));
  CHECK(compare.sim_b()->now_ns() == run_a.now_ns());
  CHECK(compare.sim_b()->trace_hash() == run_a.trace_hash());

  const std::vector<std::string> metrics = Compare::default_metrics(a, run_a.report(false));
  REQUIRE(!metrics.empty());
  for (const Compare::Row& row : compare.rows(run_a.report(false), compare.sim_b()->report(false), metrics)) {
    CHECK(row.has_now);
    CHECK(row.a_now == row.b_now);
  }

  // Over three seeds: every paired difference is exactly zero, so the mean and the interval are too.
  REQUIRE(compare.start_seeds(a, 3, metrics).empty());
  run_jobs_here(compare);
  REQUIRE(compare.runs().complete());
  for (const Compare::Row& row : compare.rows(run_a.report(false), compare.sim_b()->report(false), metrics)) {
    CHECK(row.has_seeds);
    CHECK(row.a_mean == row.b_mean);
    CHECK(row.diff_mean == 0.0);
    CHECK(row.diff_ci95 == 0.0);
  }
}

TEST_CASE("compare: B's changes survive A's edits, follow A back in time, and the pairs give the CLI's numbers",
          "[compare]") {
  const Scenario a = test::load("scenarios/shop-spike.json");
  Compare compare = frozen_compare();
  REQUIRE(compare.start(a).empty());
  Scenario b = compare.b();
  ServiceSpec* order = service_named(b, "order");
  REQUIRE(order != nullptr);
  const int instances_a = order->instances;
  order->instances = instances_a + 1;
  REQUIRE(compare.set_b(a, b).empty());
  REQUIRE(compare.change_lines().size() == 1);
  CHECK(compare.change_lines()[0].find("instances") != std::string::npos);

  // An edit of A (its seed) reaches B; B keeps its own change.
  Scenario a2 = a;
  a2.seed = a.seed + 7;
  REQUIRE(compare.rebase(a2).empty());
  CHECK(compare.b().seed == a2.seed);
  CHECK(service_named(const_cast<Scenario&>(compare.b()), "order")->instances == instances_a + 1);
  CHECK(compare.changes() == json_patch_diff(scenario_to_json(a2), scenario_to_json(compare.b())));

  // B follows A forward, and when A goes back (a seek) B starts over from zero and stops at A's time.
  compare.follow(s_to_ns(4), 1e9);
  CHECK(compare.sim_b()->now_ns() == s_to_ns(4));
  const uint64_t hash_at_2 = [&] {
    Simulation alone(compare.b());
    alone.run_until(s_to_ns(2));
    return alone.trace_hash();
  }();
  compare.follow(s_to_ns(2), 1e9);
  CHECK(compare.sim_b()->now_ns() == s_to_ns(2));
  CHECK(compare.sim_b()->trace_hash() == hash_at_2);

  // Over seeds 1..4: the table's means and paired difference are those of runs under the same seeds.
  const std::vector<std::string> metrics = {"requests.checkout.latency_ms.p99"};
  REQUIRE(compare.start_seeds(a2, 4, metrics).empty());
  run_jobs_here(compare);
  std::vector<double> va, vb;
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    for (int side = 0; side < 2; ++side) {
      Scenario s = side == 0 ? a2 : compare.b();
      s.seed = seed;
      Simulation run(s);
      run.run_to_end();
      double value = 0;
      REQUIRE(report_metric(run.report(false), metrics[0], value));
      (side == 0 ? va : vb).push_back(value);
    }
  }
  const std::vector<Compare::Row> rows = compare.rows(nlohmann::json(), nlohmann::json(), metrics);
  REQUIRE(rows.size() == 1);
  CHECK_FALSE(rows[0].has_now);
  REQUIRE(rows[0].has_seeds);
  CHECK(rows[0].a_mean == sample_mean(va));
  CHECK(rows[0].b_mean == sample_mean(vb));
  CHECK(rows[0].diff_mean == sample_mean(paired_differences(va, vb)));
  CHECK(rows[0].diff_ci95 == ci95_half_width(paired_differences(va, vb)));
  CHECK(rows[0].diff_mean < 0);   // one more order instance lowers the p99 at the spike
}

TEST_CASE("compare: changes that do not fit are refused, and a link's b= is read", "[compare]") {
  const Scenario a = test::load("scenarios/shop-spike.json");
  Compare compare = frozen_compare();
  CHECK_FALSE(compare.start_with_changes(a, "services.0.instances=0").empty());   // below the range
  CHECK_FALSE(compare.active());
  CHECK_FALSE(compare.start_with_changes(a, "services.99.instances=2").empty());  // no such item
  CHECK_FALSE(compare.start_with_changes(a, "((").empty());                        // not a patch
  CHECK_FALSE(compare.active());
  REQUIRE(compare.start_with_changes(a, "services.0.instances=4").empty());
  CHECK(compare.b().services[0].instances == 4);

  // A change to A that removes what B's change names ends the comparison with the reason.
  Scenario smaller = a;
  smaller.services.clear();
  smaller.requests.clear();
  CHECK_FALSE(compare.rebase(smaller).empty());
  CHECK_FALSE(compare.active());

  std::string changes;
  CHECK(pgweb::fragment_compare_changes("https://x/#s=1.abc&b=services.0.instances=4", changes));
  CHECK(changes == "services.0.instances=4");
  CHECK(pgweb::fragment_compare_changes("#s=1.abc&b=services.0.instances%3D4", changes));   // percent-encoded
  CHECK(changes == "services.0.instances=4");
  CHECK(pgweb::fragment_compare_changes("#s=1.abc&b=", changes));
  CHECK(changes.empty());
  CHECK_FALSE(pgweb::fragment_compare_changes("#s=1.abc&view=Ring", changes));
}
