// What a scenario may cost (issue 15): the table of hostile-but-valid scenarios in adversarial_rows.hpp, each
// refused by validation naming its limit, run to its end, or stopped by the work budget at its limit, through the
// API the CLI uses (parse_scenario, then Simulation with a work budget); and the edges of the bounds themselves.
// bench/bench_adversarial.cpp runs the same table natively with the default budget and measures time and memory.
#include <catch2/catch.hpp>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/adversarial_rows.hpp"
#include "engine/scenario/cost.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/run/simulation.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

namespace {

using json = nlohmann::json;
using pg::adversarial::Outcome;
using pg::adversarial::Row;

std::string errors_text(const pg::ScenarioParse& parse) {
  std::string text;
  for (const pg::ValidationError& e : parse.errors) text += e.to_string() + "\n";
  return text;
}

// The error at `path` (the first one whose message contains `figure`), or null.
const pg::ValidationError* error_at(const pg::ScenarioParse& parse, const std::string& path,
                                    const std::string& figure = "") {
  for (const pg::ValidationError& e : parse.errors)
    if (e.path == path && e.message.find(figure) != std::string::npos) return &e;
  return nullptr;
}

void check_row(const Row& row) {
  pg::ScenarioParse parse = pg::parse_scenario(row.text);
  if (row.outcome == Outcome::refused) {
    INFO(errors_text(parse));
    REQUIRE_FALSE(parse.ok());
    // Other bounds may be exceeded too; one error at the row's path names the row's limit.
    CHECK(error_at(parse, row.path, row.figure) != nullptr);
    return;
  }
  INFO(errors_text(parse));
  REQUIRE(parse.ok());
  pg::Simulation simulation(parse.scenario, row.test_budget);
  simulation.run_to_end();
  REQUIRE(simulation.finished());
  INFO(simulation.budget_message());
  if (row.outcome == Outcome::finishes) {
    CHECK_FALSE(simulation.stopped_by_budget());
    CHECK(simulation.now_ns() == simulation.end_ns());
    CHECK_FALSE(simulation.report().contains("stopped"));
    return;
  }
  REQUIRE(simulation.stopped_by_budget());
  const pg::BudgetState& budget = simulation.world().budget;
  CHECK(budget.crossed == row.limit);
  CHECK(budget.count > budget.maximum - (row.limit == pg::BudgetLimit::events ? 1 : 0));
  CHECK(simulation.now_ns() < simulation.end_ns());
  json report = simulation.report();
  REQUIRE(report.contains("stopped"));
  CHECK(report["stopped"]["limit"] == pg::budget_limit_name(row.limit));
  CHECK(report["stopped"]["maximum"] == budget.maximum);
  CHECK(report["stopped"]["at_event"] == simulation.events_processed());
  std::string message = simulation.budget_message();
  CHECK(message.find(std::to_string(budget.maximum)) != std::string::npos);
  // The run stopped at the event that crossed the limit: advancing again does nothing.
  CHECK(simulation.advance(1000, simulation.end_ns()) == 0);
}

}  // namespace

TEST_CASE("the adversarial table covers the issue's classes, each row with one outcome", "[cost]") {
  std::vector<Row> rows = pg::adversarial::rows();
  REQUIRE(rows.size() >= 10);
  std::set<std::string> names;
  std::set<pg::BudgetLimit> limits;
  int refused = 0, finishes = 0;
  for (const Row& row : rows) {
    INFO(row.name);
    CHECK(names.insert(row.name).second);
    CHECK(row.text.size() <= pg::limits::document_bytes_max);
    if (row.outcome == Outcome::refused) {
      ++refused;
      CHECK(!row.path.empty());
      CHECK(!row.figure.empty());
    }
    if (row.outcome == Outcome::finishes) ++finishes;
    if (row.outcome == Outcome::stops) {
      CHECK(row.limit != pg::BudgetLimit::none);
      limits.insert(row.limit);
    }
  }
  CHECK(refused >= 5);
  CHECK(finishes >= 3);
  // Every limit of the work budget stops at least one row.
  for (pg::BudgetLimit limit : {pg::BudgetLimit::events, pg::BudgetLimit::live_requests, pg::BudgetLimit::live_messages,
                                pg::BudgetLimit::pending_events, pg::BudgetLimit::zookeeper_nodes,
                                pg::BudgetLimit::lock_overlaps}) {
    INFO(pg::budget_limit_name(limit));
    CHECK(limits.count(limit) == 1);
  }
}

TEST_CASE("every adversarial row is refused naming its limit, finishes, or stops at its limit", "[cost]") {
  for (const Row& row : pg::adversarial::rows()) {
    DYNAMIC_SECTION(row.name) {
      INFO(row.name << ": " << row.what);
      auto start = std::chrono::steady_clock::now();
      check_row(row);
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      // Seconds, not minutes, in this checking build: the budget does the stopping (a row that needs a smaller
      // budget than the default says so in its test_budget).
      CHECK(seconds < 30);
    }
  }
}

TEST_CASE("the repository's scenarios stay within every bound and never reach the work budget", "[cost]") {
  for (const std::string& file : pg::test::repository_scenarios()) {
    INFO(file);
    pg::Scenario s = pg::test::load(file);
    std::vector<pg::ValidationError> errors;
    pg::check_cost(s, errors);
    CHECK(errors.empty());
    pg::Simulation simulation(s);
    simulation.run_to_end();
    CHECK_FALSE(simulation.stopped_by_budget());
  }
}

namespace {

// One cache of `nodes` nodes over `keys` keys, crashed and brought back `crashes` times.
json placement_doc(uint32_t keys, int nodes, const std::string& algorithm, int crashes) {
  using namespace pg::adversarial::build;
  json s = scenario("placements", 10, 1, json::array({{{"cache", "c"}, {"on_miss", json::array()}}}));
  pg::adversarial::build::keys(s, keys);
  s["caches"] = json::array({{{"name", "c"}, {"nodes", names("n", nodes)}, {"capacity_keys", 1},
                              {"placement", {{"algorithm", algorithm}}}}});
  s["faults"] = json::array();
  for (int i = 0; i < crashes; ++i)
    s["faults"].push_back({{"at_s", 0.001 * (i + 1)}, {"kind", "crash"}, {"target", "n0"}, {"for_ms", 0.5}});
  return s;
}

}  // namespace

TEST_CASE("key placements: keys x builds, each crash and recovery a build", "[cost]") {
  // jump: one placement per key, no ring. 1M keys x (1 + 2 x 49) builds = 99M: within 100M; one crash more is not.
  pg::ScenarioParse within = pg::parse_scenario(placement_doc(1000000, 8, "jump", 49).dump());
  INFO(errors_text(within));
  CHECK(within.ok());
  pg::ScenarioParse over = pg::parse_scenario(placement_doc(1000000, 8, "jump", 50).dump());
  REQUIRE_FALSE(over.ok());
  const pg::ValidationError* error = error_at(over, "/caches/0/placement");
  REQUIRE(error != nullptr);
  INFO(error->message);
  CHECK(error->message.find("101 builds") != std::string::npos);
  CHECK(error->message.find("101000000 key placements") != std::string::npos);
  CHECK(error->message.find("100000000") != std::string::npos);
  // A crash of a node of another cache does not rebuild this one.
  json other = placement_doc(1000000, 8, "jump", 0);
  for (int i = 0; i < 60; ++i)
    other["faults"].push_back({{"at_s", 1}, {"kind", "crash"}, {"target", "gateway"}, {"for_ms", 1}});
  other["services"] = json::array({pg::adversarial::build::service("gateway", 1, 1, 10, 1)});
  CHECK(pg::parse_scenario(other.dump()).ok());
  // Rendezvous scores every node copy: 64 nodes of weight 1 are 2 placements per key.
  json rendezvous = placement_doc(1000000, 64, "rendezvous", 24);
  CHECK(pg::parse_scenario(rendezvous.dump()).ok());   // 1M x 2 x 49 = 98M
  rendezvous = placement_doc(1000000, 64, "rendezvous", 25);
  pg::ScenarioParse refused = pg::parse_scenario(rendezvous.dump());
  REQUIRE(error_at(refused, "/caches/0/placement") != nullptr);
  CHECK(error_at(refused, "/caches/0/placement")->message.find("scoring 64 node copies") != std::string::npos);
}

TEST_CASE("network partitions: at most 256 group members in all", "[cost]") {
  using namespace pg::adversarial::build;
  auto doc = [](int partitions, int members) {
    json s = scenario("partitions", 10, 10, json::array({call("s")}));
    s["services"] = json::array({service("s", 1, 1, 10, 1)});
    s["faults"] = json::array();
    for (int p = 0; p < partitions; ++p)
      s["faults"].push_back({{"at_s", 1}, {"kind", "partition"}, {"groups_a", names("a", members - 1)},
                             {"groups_b", {"s"}}});
    return s;
  };
  CHECK(pg::parse_scenario(doc(4, 64).dump()).ok());
  pg::ScenarioParse over = pg::parse_scenario(doc(5, 52).dump());   // 260
  REQUIRE_FALSE(over.ok());
  const pg::ValidationError* error = error_at(over, "/faults/0/groups_a");
  REQUIRE(error != nullptr);
  CHECK(error->message.find("5 network partitions name 260 group members") != std::string::npos);
  CHECK(error->message.find("256") != std::string::npos);
}

TEST_CASE("the ZooKeeper queue and lock overlaps are in the work budget", "[cost]") {
  using namespace pg::adversarial::build;
  // Waiters for one key pile up: 20/s arrive, 10/s are served.
  json s = scenario("zookeeper", 60, 20, json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
  keys(s, 1);
  s["services"] = json::array({service("db", 1, 1, 1000, 100)});
  s["locks"] = json::array({{{"name", "l"}, {"kind", "zookeeper"}, {"acquire", {{"give_up_ms", 60000}}}}});
  pg::Scenario zk = pg::test::parse_or_fail(s.dump());
  pg::WorkBudget budget;
  budget.zookeeper_nodes = 100;
  pg::Simulation run(zk, budget);
  run.run_to_end();
  REQUIRE(run.stopped_by_budget());
  CHECK(run.world().budget.crossed == pg::BudgetLimit::zookeeper_nodes);
  CHECK(run.world().budget.count == 101);
  CHECK(run.budget_message().find("101 clients were queued for ZooKeeper locks at once") != std::string::npos);
  CHECK(run.world().locks.locks()[0].zk_node_key.size() == 101);
  // With the default budget the same run ends: a queue of about 600 is well within 2048.
  pg::Simulation full(zk);
  full.run_to_end();
  CHECK_FALSE(full.stopped_by_budget());

  // Holders that outlive a 1 ms TTL: every new holder overlaps every one still working.
  json o = scenario("overlaps", 60, 100, json::array({{{"lock", "l"}, {"inside", json::array({call("db")})}}}));
  keys(o, 1);
  o["services"] = json::array({service("db", 1, 1024, 0, 1000, 5000)});
  o["locks"] = json::array({{{"name", "l"}, {"kind", "redis"}, {"ttl_ms", 1}, {"acquire", {{"retry_ms", 1}}}}});
  pg::Scenario overlapping = pg::test::parse_or_fail(o.dump());
  budget = pg::WorkBudget{};
  budget.lock_overlaps = 1000;
  pg::Simulation stopped(overlapping, budget);
  stopped.run_to_end();
  REQUIRE(stopped.stopped_by_budget());
  CHECK(stopped.world().budget.crossed == pg::BudgetLimit::lock_overlaps);
  CHECK(stopped.world().budget.count > 1000);
  CHECK(stopped.world().budget.count == stopped.world().locks.locks()[0].stats.overlaps);
  CHECK(stopped.report()["stopped"]["limit"] == "lock_overlaps");
}

TEST_CASE("the estimate warns about the rows that stop at the event budget", "[cost]") {
  for (const Row& row : pg::adversarial::rows()) {
    if (row.outcome != Outcome::stops || row.limit != pg::BudgetLimit::events) continue;
    INFO(row.name);
    pg::ScenarioParse parse = pg::parse_scenario(row.text);
    REQUIRE(parse.ok());
    pg::CostEstimate estimate = pg::estimate_cost(parse.scenario);
    CHECK(estimate.over_event_budget);
    CHECK_FALSE(estimate.warnings.empty());
  }
}

TEST_CASE("fuzz regression: a pause that starts as the previous one ends", "[cost][fuzz]") {
  // fuzz_simulate found it: the second pause froze the jobs from completion times the first pause had made stale,
  // and the resume then scheduled their completions in the past (an engine assertion aborted the run).
  const char* text = R"({"version":1,"duration_s":6,"workload":{"arrivals":{"rate_per_s":200}},
    "requests":[{"name":"r","steps":[{"call":"s"}]}],
    "services":[{"name":"s","workers":8,"service_time":{"dist":"constant","mean_ms":50}}],
    "faults":[{"at_s":0.5,"kind":"pause","target":"s#0","for_ms":1500},
              {"at_s":2,"kind":"pause","target":"s#0","for_ms":1000}]})";
  pg::Simulation simulation(pg::test::parse_or_fail(text));
  simulation.run_to_end();
  simulation.world().check_invariants();
  json report = simulation.report();
  // Paused from 0.5 s to 3 s, the one instance serves 8 workers x 20/s for the other 3.5 s: about 560 complete.
  const json& r = report["requests"]["r"];
  const double completed = r["completed"].get<double>();
  CHECK(completed > 3.5 * 160 * 0.9);
  CHECK(completed <= 3.5 * 160 + 8);
  CHECK(r["arrivals"] == r["completed"].get<int64_t>() + r["failed"].get<int64_t>() + r["in_flight"].get<int64_t>());
}
