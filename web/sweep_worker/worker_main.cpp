// One engine in a Web Worker, for the page's Sweep (web/sweep.hpp): runs a scenario to its end under a seed and
// reads report metrics, as playground-cli sweep does for each of its rows. Built as sweep-engine.js/.wasm beside the
// app (web/CMakeLists.txt); web/sweep_worker/worker.js (its --post-js) turns messages into calls of pg_sweep_run.
// Nothing here draws: the engine and the report only.
#include <cstdint>
#include <string>

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>

#include "engine/classroom/exercise.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/number_text.hpp"

extern "C" {

// {"values": [...], "stopped": bool} | {"missing": "path"} | {"error": "..."}; valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* pg_sweep_run(const char* scenario_text, const char* seed_text, const char* metrics_json) {
  static std::string out;
  nlohmann::json answer;
  const pg::ScenarioParse parse = pg::parse_scenario(scenario_text ? scenario_text : "");
  const std::optional<uint64_t> seed = pg::parse_whole_text(seed_text ? seed_text : "", 0, UINT64_MAX);
  const nlohmann::json metrics = nlohmann::json::parse(metrics_json ? metrics_json : "", nullptr, false);
  if (!parse.ok() || !seed || !metrics.is_array()) {
    answer = {{"error", !parse.ok() ? parse.errors[0].to_string() : "a bad seed or metric list"}};
  } else {
    pg::Scenario scenario = parse.scenario;
    scenario.seed = *seed;
    pg::Simulation simulation(scenario);
    simulation.run_to_end();
    const nlohmann::json report = simulation.report(false);
    nlohmann::json values = nlohmann::json::array();
    for (const nlohmann::json& m : metrics) {
      double value = 0;
      if (!m.is_string() || !pg::report_metric(report, m.get<std::string>(), value)) {
        answer = {{"missing", m.is_string() ? m.get<std::string>() : std::string("?")}};
        break;
      }
      values.push_back(value);
    }
    if (answer.is_null()) answer = {{"values", values}, {"stopped", simulation.stopped_by_budget()}};
  }
  out = answer.dump();
  return out.c_str();
}

}  // extern "C"

int main() { return 0; }
