// playground-cli compare A.json B.json: runs both scenarios under the same seeds (common random numbers, so the
// arrivals and service times that do not depend on the change are the same in A and B) and prints, per report
// metric, both means and the mean paired difference B - A with its 95% confidence half-width.
#include <atomic>
#include <cstdio>
#include <string>
#include <vector>
#ifndef __EMSCRIPTEN__
#include <thread>
#endif

#include "cli/cli.hpp"
#include "engine/scenario/number_text.hpp"
#include "engine/classroom/exercise.hpp"
#include "engine/run/replications.hpp"
#include "engine/run/variants.hpp"
#include "engine/run/simulation.hpp"
#include "engine/scenario/parameter_path.hpp"

namespace pg::cli {

namespace {

constexpr uint64_t compare_seeds_max = 1000;  // bounds the work: each seed is two full runs

struct CompareOptions {
  std::string path_a, path_b;
  uint64_t seeds = 10, seed_base = 1, b_seed_offset = 0;
  std::vector<std::string> metrics;
  bool json_output = false;
};

struct MetricSamples {
  std::string metric;
  std::vector<double> a, b;
};

bool parse_whole(const char* option, const char* text, uint64_t min, uint64_t max, uint64_t& out) {
  std::optional<uint64_t> value = parse_whole_text(text, min, max);
  if (!value) {
    std::fprintf(stderr, "compare: %s must be a whole number from %llu to %llu, got \"%s\"\n", option,
                 static_cast<unsigned long long>(min), static_cast<unsigned long long>(max), text);
    return false;
  }
  out = *value;
  return true;
}

bool parse_compare_options(int argc, char** argv, CompareOptions& o) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool takes_value = arg == "--seeds" || arg == "--seed-base" || arg == "--metric" || arg == "--b-seed-offset";
    if (takes_value && i + 1 >= argc) {
      std::fprintf(stderr, "compare: %s needs a value\n", arg.c_str());
      return false;
    }
    if (arg == "--seeds") {
      if (!parse_whole("--seeds", argv[++i], 2, compare_seeds_max, o.seeds)) return false;
    } else if (arg == "--seed-base") {
      if (!parse_whole("--seed-base", argv[++i], 0, UINT64_MAX, o.seed_base)) return false;
    } else if (arg == "--b-seed-offset") {
      if (!parse_whole("--b-seed-offset", argv[++i], 0, UINT64_MAX, o.b_seed_offset)) return false;
    } else if (arg == "--metric") {
      o.metrics.push_back(argv[++i]);
    } else if (arg == "--json") {
      o.json_output = true;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "compare: unknown option \"%s\"\n", arg.c_str());
      return false;
    } else {
      files.push_back(arg);
    }
  }
  if (files.size() != 2) {
    std::fprintf(stderr, "compare: give exactly two scenario files, A and B (got %zu)\n", files.size());
    return false;
  }
  o.path_a = files[0];
  o.path_b = files[1];
  // Seeds wrap around modulo 2^64 like any uint64 sum; a base near the top is refused rather than wrapping.
  if (o.seed_base > UINT64_MAX - (o.seeds - 1) || o.seed_base + (o.seeds - 1) > UINT64_MAX - o.b_seed_offset) {
    std::fprintf(stderr, "compare: --seed-base plus --seeds (and --b-seed-offset) passes 18446744073709551615\n");
    return false;
  }
  return true;
}

struct RunResult {
  nlohmann::json report;
  bool stopped = false;
};

RunResult run_with_seed(Scenario scenario, uint64_t seed) {
  scenario.seed = seed;
  Simulation simulation(scenario);
  simulation.run_to_end();
  return {simulation.report(false), simulation.stopped_by_budget()};
}

// Reads every metric from one report; false (with a message naming the file, seed and path) when one is missing.
bool collect(const nlohmann::json& report, const std::string& path, uint64_t seed, std::vector<MetricSamples>& samples,
             bool is_a) {
  for (MetricSamples& m : samples) {
    double value = 0;
    if (!report_metric(report, m.metric, value)) {
      std::fprintf(stderr, "%s: seed %llu: the report has no number at \"%s\"\n", path.c_str(),
                   static_cast<unsigned long long>(seed), m.metric.c_str());
      return false;
    }
    (is_a ? m.a : m.b).push_back(value);
  }
  return true;
}

void print_text(const CompareOptions& o, const std::vector<MetricSamples>& samples) {
  std::printf("compare: A = %s, B = %s, %llu seeds from %llu%s\n", o.path_a.c_str(), o.path_b.c_str(),
              static_cast<unsigned long long>(o.seeds), static_cast<unsigned long long>(o.seed_base),
              o.b_seed_offset == 0 ? " (the same seed for A and B)" : " (B's seeds offset: independent runs)");
  for (const MetricSamples& m : samples) {
    std::vector<double> d = paired_differences(m.a, m.b);
    std::printf("%s: A mean %.6g, B mean %.6g, B-A %.6g +/- %.6g (95%% CI)\n", m.metric.c_str(), sample_mean(m.a),
                sample_mean(m.b), sample_mean(d), ci95_half_width(d));
  }
}

void print_json(const CompareOptions& o, const std::vector<MetricSamples>& samples) {
  nlohmann::json out = {{"a", o.path_a}, {"b", o.path_b}, {"seeds", o.seeds}, {"seed_base", o.seed_base},
                        {"b_seed_offset", o.b_seed_offset}, {"metrics", nlohmann::json::array()}};
  for (const MetricSamples& m : samples) {
    std::vector<double> d = paired_differences(m.a, m.b);
    out["metrics"].push_back({{"metric", m.metric}, {"a_mean", sample_mean(m.a)}, {"b_mean", sample_mean(m.b)},
                              {"diff_mean", sample_mean(d)}, {"diff_ci95", ci95_half_width(d)}});
  }
  std::fputs((out.dump(2) + "\n").c_str(), stdout);
}


// ---- sweep ---------------------------------------------------------------------------------------------------------

constexpr uint64_t sweep_jobs_max = 64;

struct SweepOptions {
  std::string path, param;
  std::vector<std::string> values;
  uint64_t seeds = 10, seed_base = 1, jobs = 1;
  std::vector<std::string> metrics;
  bool summary = false;
};

bool parse_sweep_options(int argc, char** argv, SweepOptions& o) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool takes_value = arg == "--seeds" || arg == "--seed-base" || arg == "--metric" || arg == "--param" ||
                       arg == "--values" || arg == "--jobs";
    if (takes_value && i + 1 >= argc) {
      std::fprintf(stderr, "sweep: %s needs a value\n", arg.c_str());
      return false;
    }
    if (arg == "--seeds") {
      if (!parse_whole("--seeds", argv[++i], 1, compare_seeds_max, o.seeds)) return false;
    } else if (arg == "--seed-base") {
      if (!parse_whole("--seed-base", argv[++i], 0, UINT64_MAX - compare_seeds_max, o.seed_base)) return false;
    } else if (arg == "--jobs") {
      if (!parse_whole("--jobs", argv[++i], 1, sweep_jobs_max, o.jobs)) return false;
    } else if (arg == "--summary") {
      o.summary = true;
    } else if (arg == "--metric") {
      o.metrics.push_back(argv[++i]);
    } else if (arg == "--param") {
      o.param = argv[++i];
    } else if (arg == "--values") {
      o.values = split_values(argv[++i]);
    } else if ((!arg.empty() && arg[0] == '-' && arg != "-") || !o.path.empty()) {
      std::fprintf(stderr, "sweep: unexpected argument \"%s\"\n", arg.c_str());
      return false;
    } else {
      o.path = arg;
    }
  }
  if (o.path.empty() || o.param.empty() || o.values.empty()) {
    std::fprintf(stderr, "sweep: give a scenario file, --param PATH and --values V1,V2,...\n");
    return false;
  }
  return true;
}

}  // namespace

int cmd_compare(int argc, char** argv) {
  CompareOptions o;
  if (!parse_compare_options(argc, argv, o)) return exit_invalid;
  std::optional<Scenario> a = load_scenario(o.path_a);
  std::optional<Scenario> b = load_scenario(o.path_b);
  if (!a || !b) return exit_invalid;
  std::vector<MetricSamples> samples;
  bool stopped = false;
  for (uint64_t i = 0; i < o.seeds; ++i) {
    uint64_t seed = o.seed_base + i;
    RunResult ra = run_with_seed(*a, seed);
    RunResult rb = run_with_seed(*b, seed + o.b_seed_offset);
    if (i == 0) {
      for (const std::string& metric : o.metrics.empty() ? pg::default_report_metrics(ra.report) : o.metrics)
        samples.push_back({metric, {}, {}});
      if (samples.empty()) {
        std::fprintf(stderr, "%s: the report has no request types to compare; name metrics with --metric\n",
                     o.path_a.c_str());
        return exit_invalid;
      }
    }
    if (!collect(ra.report, o.path_a, seed, samples, true)) return exit_invalid;
    if (!collect(rb.report, o.path_b, seed + o.b_seed_offset, samples, false)) return exit_invalid;
    stopped = stopped || ra.stopped || rb.stopped;
  }
  if (o.json_output) print_json(o, samples);
  else print_text(o, samples);
  if (stopped) {
    std::fprintf(stderr, "compare: at least one run stopped at the work budget; its report covers only part of it\n");
    return exit_stopped;
  }
  return exit_ok;
}

namespace {

// One replication of a sweep: the metrics read from its report, or the first metric it lacks.
struct SweepRun {
  std::vector<double> values;
  std::string missing;
  bool stopped = false;
};

SweepRun sweep_metrics(const RunResult& run, const std::vector<std::string>& metrics) {
  SweepRun out;
  out.stopped = run.stopped;
  for (const std::string& m : metrics) {
    double value = 0;
    if (!report_metric(run.report, m, value)) {
      out.missing = m;
      return out;
    }
    out.values.push_back(value);
  }
  return out;
}

// Runs every (value, seed) pair, `jobs` at a time. Each run owns its Simulation and writes only its own slot, and
// the slots are read in index order afterwards, so the output does not depend on the number of jobs or on which
// thread finished first. The WebAssembly CLI has no threads and runs them one after another.
// Runs from index `first` on are run here; the ones before it are already filled.
void run_all(const std::vector<Scenario>& variants, const SweepOptions& o, size_t first, std::vector<SweepRun>& runs) {
  std::atomic<size_t> next{first};
  auto work = [&] {
    for (size_t k = next++; k < runs.size(); k = next++)
      runs[k] = sweep_metrics(run_with_seed(variants[k / o.seeds], o.seed_base + k % o.seeds), o.metrics);
  };
#ifndef __EMSCRIPTEN__
  std::vector<std::thread> threads;
  for (uint64_t t = 1; t < o.jobs && t < runs.size(); ++t) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
#else
  work();
#endif
}

}  // namespace

// CSV `value,seed,<metric>...`, one row per value and seed (the raw replications, for a spreadsheet or a plot), or
// with --summary `value,<metric>_mean,<metric>_ci95...`, one row per value (the 95% half-width over the seeds).
int cmd_sweep(int argc, char** argv) {
  SweepOptions o;
  if (!parse_sweep_options(argc, argv, o)) return exit_invalid;
  std::optional<Scenario> base = load_scenario(o.path);
  if (!base) return exit_invalid;
  std::vector<Scenario> variants;
  for (const std::string& text : o.values) {
    Variant variant = scenario_with_number(*base, o.param, text);
    for (const std::string& error : variant.errors) std::fprintf(stderr, "sweep: %s\n", error.c_str());
    if (!variant.scenario) return exit_invalid;
    variants.push_back(std::move(*variant.scenario));
  }
  std::vector<SweepRun> runs(variants.size() * o.seeds);
  size_t first = 0;
  if (o.metrics.empty()) {
    // The default metrics come from the first run's report: that run goes first, the rest after it.
    RunResult run = run_with_seed(variants[0], o.seed_base);
    o.metrics = pg::default_report_metrics(run.report);
    if (o.metrics.empty()) {
      std::fprintf(stderr, "%s: the report has no request types to sweep; name metrics with --metric\n",
                   o.path.c_str());
      return exit_invalid;
    }
    runs[first++] = sweep_metrics(run, o.metrics);
  }
  run_all(variants, o, first, runs);
  bool stopped = false;
  for (size_t k = 0; k < runs.size(); ++k) {
    if (!runs[k].missing.empty()) {
      std::fprintf(stderr, "%s: %s = %s, seed %llu: the report has no number at \"%s\"\n", o.path.c_str(),
                   o.param.c_str(), o.values[k / o.seeds].c_str(),
                   static_cast<unsigned long long>(o.seed_base + k % o.seeds), runs[k].missing.c_str());
      return exit_invalid;
    }
    stopped = stopped || runs[k].stopped;
  }
  std::vector<std::vector<double>> metrics;
  for (const SweepRun& run : runs) metrics.push_back(run.values);
  const std::string out = sweep_csv(o.values, o.seeds, o.seed_base, o.metrics, metrics, o.summary);
  std::fputs(out.c_str(), stdout);
  if (stopped) std::fprintf(stderr, "sweep: at least one run stopped at the work budget\n");
  return stopped ? exit_stopped : exit_ok;
}

}  // namespace pg::cli
