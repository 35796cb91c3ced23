// The page's Sweep: one number field of the scenario set to each of a list of values, each value run under seeds
// seed_base .. seed_base + seeds - 1, and report metrics read from every run, as `playground-cli sweep` does (the
// variants, the CSV and the statistics are the engine's: engine/run/variants.hpp). The runs themselves happen in
// Web Workers, each with its own engine (web/sweep_worker/), which the page's glue starts from jobs_json(); their
// answers come back through result(). This class holds the state and knows no ImGui, GL or browser
// (tests/unit/web/test_sweep.cpp).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pgweb {

struct SweepSpec {
  std::string path;                  // "/services/order/instances"
  std::string values;                // "1,2,3,4"
  int seeds = 5;
  uint64_t seed_base = 1;            // seeds 1..N, as the CLI's default
  std::vector<std::string> metrics;  // report paths, "requests.checkout.latency_ms.p99"
};

class Sweep {
 public:
  static constexpr int seeds_max = 50;
  static constexpr size_t runs_max = 1000;   // values x seeds: bounds the work one click can start

  // Builds the variants and the runs. Returns the problems (each naming the path or value), empty when started.
  std::vector<std::string> start(const pg::Scenario& base, const SweepSpec& spec);
  // The same runs for given scenarios rather than values of one field (the page's Compare: A and B under the same
  // seeds, so each seed's two runs form a pair). `names` label them ("A", "B"); spec.path and spec.values are unused.
  std::vector<std::string> start_variants(std::vector<pg::Scenario> variants, std::vector<std::string> names,
                                          const SweepSpec& spec);
  // What the workers need: {"metrics": [...], "variants": [scenario text...], "runs": [{"id", "variant", "seed"}]}.
  std::string jobs_json() const;
  // A worker's answer for run `id`: {"values": [...], "stopped": bool} or {"missing": "path"} or {"error": "..."}.
  void result(size_t id, const std::string& answer_json);
  void fail(const std::string& why);   // a worker could not start or crashed: the sweep stops with this message
  void cancel();

  bool started() const { return !runs_.empty(); }
  bool running() const { return started() && !cancelled_ && error_.empty() && done_ < runs_.size(); }
  bool complete() const { return started() && error_.empty() && done_ == runs_.size(); }
  size_t done() const { return done_; }
  size_t total() const { return runs_.size(); }
  bool any_stopped() const { return stopped_; }      // a run stopped at the work budget
  const std::string& error() const { return error_; }
  const SweepSpec& spec() const { return spec_; }
  const std::vector<std::string>& values() const { return values_; }

  // Per value, the mean of metric m over its seeds and the 95% half-width, once every seed of the value has run.
  struct Point {
    std::string value_text;
    double x = 0;
    bool complete = false;
    double mean = 0, ci95 = 0;
  };
  std::vector<Point> points(size_t metric) const;
  // Metric m of variant v under each seed, in seed order; only once every seed of the variant has run.
  std::vector<double> samples(size_t variant, size_t metric) const;
  // The CSV playground-cli sweep prints for the same scenario and options ("" until complete).
  std::string csv(bool summary) const;
  // The scenario of value v under seed seed_base + k (to open one run of the sweep in the page).
  pg::Scenario run_scenario(size_t value, int k) const;
  std::string state_json() const;   // window.playground.sweep()

 private:
  struct Run {
    bool done = false;
    std::vector<double> metrics;
  };
  SweepSpec spec_;
  std::vector<std::string> values_;          // the value texts, trimmed
  std::vector<pg::Scenario> variants_;
  std::vector<std::string> variant_texts_;
  std::vector<Run> runs_;                    // runs_[v * seeds + k]
  size_t done_ = 0;
  bool cancelled_ = false;
  bool stopped_ = false;
  std::string error_;
};

}  // namespace pgweb
