// The façade over a World: see simulation.hpp.
#include "engine/run/simulation.hpp"
#include "engine/kernel/cold_code.hpp"

#include <cstdio>

#include "engine/classroom/exercise.hpp"
#include "engine/run/report.hpp"
#include "engine/run/world.hpp"

namespace pg {

// ---- Simulation façade ----------------------------------------------------------------------------------------------

Simulation::Simulation(const Scenario& scenario) : world_(std::make_unique<World>(scenario)) {}
Simulation::Simulation(const Scenario& scenario, const WorkBudget& budget)
    : world_(std::make_unique<World>(scenario)) {
  world_->budget.limits = budget;
}
Simulation::~Simulation() = default;
std::unique_ptr<Simulation> Simulation::clone() const {
  std::unique_ptr<Simulation> copy(new Simulation(*world_));
  return copy;
}
Simulation::Simulation(const World& world) : world_(std::make_unique<World>(world)) {}
uint64_t Simulation::advance(uint64_t max_events, time_ns until_ns) { return world_->advance(max_events, until_ns); }
time_ns Simulation::now_ns() const { return world_->now(); }
time_ns Simulation::end_ns() const { return world_->end_ns(); }
bool Simulation::finished() const { return world_->finished(); }
bool Simulation::stopped_by_budget() const { return world_->budget.stopped(); }
std::string Simulation::budget_message() const { return world_->budget.message(); }
uint64_t Simulation::events_processed() const { return world_->kernel.processed; }
uint64_t Simulation::trace_hash() const { return world_->kernel.trace_hash; }
std::string Simulation::trace_hash_hex() const {
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", (unsigned long long)world_->kernel.trace_hash);
  return hash;
}
const Scenario& Simulation::scenario() const { return world_->scenario; }
const World& Simulation::world() const { return *world_; }
PG_COLD_CODE nlohmann::json Simulation::report(bool with_series) const {
  nlohmann::json report = world_->report(with_series);
  if (!world_->scenario.goals.empty()) {
    nlohmann::json goals = nlohmann::json::array();
    for (const GoalResult& g : evaluate_goals(world_->scenario, report))
    {
      ReportObject o;
      o.put("label", g.label).put("metric", g.metric).put("op", g.op).put("target", g.target).put("value", g.value);
      o.put("found", g.found).put("passed", g.passed);
      goals.push_back(o.take());
    }
    report["goals"] = goals;
  }
  // Only a stopped run has this field, so the reports of runs that end normally are unchanged.
  if (world_->budget.stopped()) {
    const BudgetState& b = world_->budget;
    ReportObject o;
    o.put("limit", budget_limit_name(b.crossed)).put("message", b.message()).round("at_s", ns_to_s(b.at_ns));
    o.put("at_event", b.at_event).put("count", b.count).put("maximum", b.maximum);
    report["stopped"] = o.take();
  }
  return report;
}

}  // namespace pg
