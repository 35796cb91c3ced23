// Snapshots (Simulation::clone): a copy of a run taken at any moment continues exactly as the original does, for
// every built-in scenario and test scenario: the same trace hash and the same report at the end. This is what lets
// the page seek back from the nearest snapshot instead of from zero (web/run_control.hpp).
#include <string>

#include "engine/run/simulation.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;

TEST_CASE("a clone taken mid-run ends with the original's trace hash and report", "[snapshot]") {
  for (const std::string& file : test::repository_scenarios()) {
    INFO(file);
    const Scenario scenario = test::load(file);
    Simulation original(scenario);
    // Part of the way, between two events (an odd number of events, not a sample boundary).
    original.advance(12'345, original.end_ns());
    original.run_until(original.now_ns() + (original.end_ns() - original.now_ns()) / 3);
    std::unique_ptr<Simulation> copy = original.clone();
    REQUIRE(copy->now_ns() == original.now_ns());
    REQUIRE(copy->trace_hash() == original.trace_hash());
    // The copy is independent: the original runs ahead first, then the copy catches up alone.
    original.run_to_end();
    copy->run_to_end();
    CHECK(copy->trace_hash() == original.trace_hash());
    CHECK(copy->events_processed() == original.events_processed());
    CHECK(copy->report(true).dump() == original.report(true).dump());
  }
}

TEST_CASE("a clone of a clone, and a clone left behind, stay exact", "[snapshot]") {
  const Scenario scenario = test::load("scenarios/black-friday.json");
  Simulation reference(scenario);
  reference.run_to_end();
  Simulation run(scenario);
  run.run_until(s_to_ns(10));
  std::unique_ptr<Simulation> at_10 = run.clone();
  run.run_until(s_to_ns(20));
  std::unique_ptr<Simulation> at_20 = run.clone();
  std::unique_ptr<Simulation> again = at_10->clone();   // a snapshot used twice
  at_10->run_to_end();
  at_20->run_to_end();
  again->run_to_end();
  CHECK(at_10->trace_hash() == reference.trace_hash());
  CHECK(at_20->trace_hash() == reference.trace_hash());
  CHECK(again->trace_hash() == reference.trace_hash());
}
