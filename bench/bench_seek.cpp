// Seek benchmark (a program that prints numbers, not a test): the page's run controller (web/run_control.hpp) runs
// a long scenario to its end in slices, keeping its snapshots, then seeks back to points across the run; each seek
// replays from the latest snapshot before its target. Prints the time of each seek, the same seeks replayed from
// zero (no snapshots: what a seek back cost before them), the snapshots' count and heap, and the process's peak
// memory. Natively and under Node (the page's engine):
//   build/native/bench_seek [scenario.json] [--events N] [--no-zero] [--duration-s S]
//   node --no-experimental-fetch build/wasm/bench_seek.js [scenario.json] [--events N] [--no-zero] [--duration-s S]
// (default bench/scenarios/black-friday-hour.json)
// --events N gives the runs a work budget of N events instead of the default 64 million (the one-hour run at
// 10,000 requests/s, bench/scenarios/black-friday-10k-hour.json, needs about 300 million); --no-zero skips the
// replays from zero (a minute each on that run).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/run/simulation.hpp"
#include "web/run_control.hpp"

#if !defined(__EMSCRIPTEN__)
#include <sys/resource.h>
#endif

namespace {

double wall_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Runs the controller's job to its end in slices as the page does; returns the wall seconds it took.
double finish_job(pgweb::RunController& run) {
  const double start = wall_now();
  pgweb::SliceLimits limits;
  while (run.busy()) run.slice(limits);
  return wall_now() - start;
}

double peak_mb() {
#if defined(__EMSCRIPTEN__)
  return (double)__builtin_wasm_memory_size(0) * 65536.0 / 1048576.0;   // linear memory only grows: its size is the peak
#else
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return (double)usage.ru_maxrss / 1024.0;
#endif
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = "bench/scenarios/black-friday-hour.json";
  pg::WorkBudget budget;
  bool from_zero = true;
  double duration_s = 0;   // > 0: the scenario shortened to this (a quick look)
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--events") == 0 && i + 1 < argc) budget.events = std::strtoull(argv[++i], nullptr, 10);
    else if (std::strcmp(argv[i], "--no-zero") == 0) from_zero = false;
    else if (std::strcmp(argv[i], "--duration-s") == 0 && i + 1 < argc) duration_s = std::strtod(argv[++i], nullptr);
    else path = argv[i];
  }
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  pg::ScenarioParse parsed = pg::parse_scenario(text.str());
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), parsed.errors.empty() ? "cannot read" : parsed.errors[0].to_string().c_str());
    return 2;
  }
  if (duration_s > 0) parsed.scenario.duration_s = duration_s;
  pgweb::RunController run;
  run.budget = budget;
  if (!run.build(parsed.scenario).empty()) return 2;
  const pg::time_ns end_ns = run.simulation()->end_ns();
  run.advance_to(pgweb::JobKind::run_to_end, end_ns);
  const double to_end_s = finish_job(run);
  std::printf("%s: %.0f s simulated, %llu events, to the end in %.2f s (%.1f M events/s)\n", path.c_str(),
              pg::ns_to_s(end_ns), (unsigned long long)run.simulation()->events_processed(), to_end_s,
              (double)run.simulation()->events_processed() / to_end_s / 1e6);
  if (run.simulation()->stopped_by_budget())
    std::printf("note: the run stopped at its work budget (%llu events): give a larger one with --events\n",
                (unsigned long long)budget.events);
  std::printf("snapshots: %zu, %.1f MB of heap\n", run.snapshot_count(), (double)run.snapshot_bytes() / 1048576.0);

  const double fractions[] = {0.95, 0.10, 0.50, 0.33, 0.80, 0.01};
  double worst = 0, worst_zero = 0;
  for (double f : fractions) {
    const pg::time_ns target = (pg::time_ns)((double)end_ns * f);
    run.seek(target);
    const double seek_s = finish_job(run);
    // The same seek from zero, as before snapshots: a fresh run to the target.
    double zero_s = 0;
    bool same = true;
    if (from_zero) {
      const double start = wall_now();
      pg::Simulation fresh(parsed.scenario, budget);
      fresh.run_until(target);
      zero_s = wall_now() - start;
      same = fresh.trace_hash() == run.simulation()->trace_hash();
    }
    if (from_zero)
      std::printf("seek back to %5.1f%% (%.0f s): %.3f s from a snapshot, %.3f s from zero%s\n", f * 100,
                  pg::ns_to_s(target), seek_s, zero_s, same ? "" : "  TRACE HASH DIFFERS");
    else
      std::printf("seek back to %5.1f%% (%.0f s): %.3f s from a snapshot\n", f * 100, pg::ns_to_s(target), seek_s);
    if (!same) return 1;
    worst = std::max(worst, seek_s);
    worst_zero = std::max(worst_zero, zero_s);
    run.advance_to(pgweb::JobKind::run_to_end, end_ns);   // back to the end before the next seek
    finish_job(run);
  }
  if (from_zero)
    std::printf("worst seek: %.3f s with snapshots, %.3f s from zero; peak memory %.0f MB\n", worst, worst_zero, peak_mb());
  else
    std::printf("worst seek: %.3f s with snapshots; peak memory %.0f MB\n", worst, peak_mb());
  return 0;
}
