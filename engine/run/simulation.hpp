// The façade the CLI, the app and the tests use: build a run from a validated scenario, advance it in slices,
// read its clock, trace hash and report. Views read the models through const accessors; nothing outside engine/
// mutates a run except by appending interventions to the scenario and rebuilding or by apply_intervention().
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/run/budget.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/kernel/sim_time.hpp"

namespace pg {

class World;  // the models; see engine/run/world.hpp

class Simulation {
 public:
  explicit Simulation(const Scenario& scenario);
  // With a work budget other than the default (tests and fuzzers use smaller ones; engine/run/budget.hpp).
  Simulation(const Scenario& scenario, const WorkBudget& budget);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;
  // A copy of the run as it is now (a snapshot): advancing it gives exactly what advancing this one would. Its cost
  // is the run's memory (the page keeps a few, web/run_control.hpp, so a seek back re-simulates one interval).
  std::unique_ptr<Simulation> clone() const;

  // Processes events in order until max_events were processed, the next event is later than until_ns, or the run
  // ended (simulated time reached duration). Returns the number of events processed. The clock moves to until_ns
  // when the queue has nothing earlier, so a paused-free UI sees time flow even when the model is idle.
  uint64_t advance(uint64_t max_events, time_ns until_ns);
  uint64_t step(uint64_t n) { return advance(n, end_ns()); }
  void run_until(time_ns t) { advance(UINT64_MAX, t); }
  void run_to_end() { advance(UINT64_MAX, end_ns()); }

  time_ns now_ns() const;
  time_ns end_ns() const;
  bool finished() const;   // simulated time reached the end, or the run stopped by the work budget
  // True when the run stopped early because it crossed a work limit (never based on wall time).
  bool stopped_by_budget() const;
  // What was crossed and where, e.g. "the run stopped at 12.5 s: it processed 400000000 events, the limit per run";
  // empty when not stopped.
  std::string budget_message() const;
  uint64_t events_processed() const;
  uint64_t trace_hash() const;
  std::string trace_hash_hex() const;   // 16 lowercase hex digits

  const Scenario& scenario() const;
  const World& world() const;
  nlohmann::json report(bool with_series = false) const;

 private:
  explicit Simulation(const World& world);   // clone()
  std::unique_ptr<World> world_;
};

}  // namespace pg
