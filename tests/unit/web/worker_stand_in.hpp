// The Web Workers of the page's Sweep and Compare, played natively by the unit tests: a job of Sweep::jobs_json()
// answered exactly as web/sweep_worker/worker_main.cpp answers it.
#pragma once
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "engine/classroom/exercise.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/scenario.hpp"

namespace pg::test {

// What a worker answers for job `run` of jobs_json().
inline std::string worker_answer(const nlohmann::json& jobs, const nlohmann::json& run) {
  ScenarioParse parse = parse_scenario(jobs["variants"][run["variant"].get<size_t>()].get<std::string>());
  REQUIRE(parse.ok());
  parse.scenario.seed = std::stoull(run["seed"].get<std::string>());
  Simulation simulation(parse.scenario);
  simulation.run_to_end();
  const nlohmann::json report = simulation.report(false);
  nlohmann::json values = nlohmann::json::array();
  for (const nlohmann::json& m : jobs["metrics"]) {
    double value = 0;
    if (!report_metric(report, m.get<std::string>(), value)) return nlohmann::json{{"missing", m}}.dump();
    values.push_back(value);
  }
  return nlohmann::json{{"values", values}, {"stopped", simulation.stopped_by_budget()}}.dump();
}

}  // namespace pg::test
