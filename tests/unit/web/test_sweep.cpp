// The page's Sweep (web/sweep.hpp), natively: the variants and runs it hands the workers, the answers it takes back,
// its statistics and CSV (the CLI's writer), and the problems it names. Here a loop stands in for the Web Workers:
// it runs each job exactly as web/sweep_worker/worker_main.cpp does.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/classroom/exercise.hpp"
#include "engine/run/replications.hpp"
#include "engine/run/simulation.hpp"
#include "tests/unit/test_support.hpp"
#include "tests/unit/web/worker_stand_in.hpp"
#include "web/sweep.hpp"

using namespace pg;
using pgweb::Sweep;
using pgweb::SweepSpec;
using pg::test::worker_answer;

namespace {

int order_workers(const Scenario& s) {
  for (const ServiceSpec& service : s.services)
    if (service.name == "order") return service.workers;
  return -1;
}

}  // namespace

TEST_CASE("a sweep hands every value and seed to the workers and summarises their answers", "[sweep]") {
  const Scenario base = test::load("scenarios/services-retry-storm.json");
  SweepSpec spec;
  spec.path = "/services/order/workers";
  spec.values = "2, 16";
  spec.seeds = 3;
  spec.metrics = {"requests.checkout.latency_ms.mean"};
  Sweep sweep;
  REQUIRE(sweep.start(base, spec).empty());
  CHECK(sweep.running());
  CHECK(sweep.total() == 6);
  const nlohmann::json jobs = nlohmann::json::parse(sweep.jobs_json());
  REQUIRE(jobs["runs"].size() == 6);
  REQUIRE(jobs["variants"].size() == 2);
  CHECK(jobs["runs"][4]["variant"] == 1);
  CHECK(jobs["runs"][4]["seed"] == "2");   // seeds 1..3 for each value, as the CLI's default
  // The variant is the scenario with that one field changed.
  CHECK(order_workers(parse_scenario(jobs["variants"][1].get<std::string>()).scenario) == 16);

  // Answers in any order; a value's point is complete once all its seeds are in.
  std::vector<std::vector<double>> by_value(2);
  for (size_t id : {5u, 0u, 3u, 1u, 4u}) {
    const std::string answer = worker_answer(jobs, jobs["runs"][id]);
    sweep.result(id, answer);
    by_value[id / 3].push_back(nlohmann::json::parse(answer)["values"][0].get<double>());
  }
  CHECK(sweep.done() == 5);
  CHECK(sweep.points(0)[1].complete);
  CHECK_FALSE(sweep.points(0)[0].complete);
  CHECK(sweep.csv(false).empty());   // nothing to download before the end
  sweep.result(2, worker_answer(jobs, jobs["runs"][2]));
  by_value[0].push_back(nlohmann::json::parse(worker_answer(jobs, jobs["runs"][2]))["values"][0].get<double>());
  REQUIRE(sweep.complete());
  for (size_t v = 0; v < 2; ++v) {
    CHECK(sweep.points(0)[v].mean == Approx(sample_mean(by_value[v])).epsilon(1e-12));
    CHECK(sweep.points(0)[v].ci95 == Approx(ci95_half_width(by_value[v])).epsilon(1e-12));
  }
  CHECK(sweep.points(0)[1].mean < sweep.points(0)[0].mean);   // more workers, shorter waits
  const std::string csv = sweep.csv(true);
  CHECK(csv.rfind("value,requests.checkout.latency_ms.mean_mean,requests.checkout.latency_ms.mean_ci95\n2,", 0) == 0);
  CHECK(sweep.run_scenario(1, 2).seed == 3);
  CHECK(order_workers(sweep.run_scenario(1, 2)) == 16);
}

TEST_CASE("a sweep names what is wrong with its options and stops on a missing metric", "[sweep]") {
  const Scenario base = test::load("scenarios/services-retry-storm.json");
  SweepSpec spec;
  spec.path = "/services/order/workers";
  spec.metrics = {"requests.checkout.nothing"};
  Sweep sweep;
  spec.values = "2,4.5";
  std::vector<std::string> problems = sweep.start(base, spec);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("/services/order/workers: \"4.5\" is not a whole number from 1 to") == 0);
  spec.path = "/services/nope/workers";
  spec.values = "2";
  CHECK(sweep.start(base, spec).at(0).find("names no field") != std::string::npos);
  spec.path = "/services/order/workers";
  spec.seeds = 0;
  CHECK(sweep.start(base, spec).at(0).find("seeds") == 0);
  spec.seeds = 2;
  spec.values = " , ";
  CHECK_FALSE(sweep.start(base, spec).empty());
  spec.values = "2";
  REQUIRE(sweep.start(base, spec).empty());
  const nlohmann::json jobs = nlohmann::json::parse(sweep.jobs_json());
  sweep.result(0, worker_answer(jobs, jobs["runs"][0]));
  CHECK_FALSE(sweep.running());
  CHECK(sweep.error().find("the report has no number at \"requests.checkout.nothing\"") != std::string::npos);
  // Cancel stops taking answers.
  spec.metrics = {"requests.checkout.failed"};
  REQUIRE(sweep.start(base, spec).empty());
  sweep.cancel();
  sweep.result(0, "{\"values\": [1], \"stopped\": false}");
  CHECK(sweep.done() == 0);
  CHECK_FALSE(sweep.running());
}
