// The page's run controller (web/run_control.hpp), natively: a job run in slices gives the same trace hash as an
// unsliced run; a slice keeps to its event and wall-time limits; progress only grows; cancel stops a forward job
// where it got (and the run goes on from there to the same end), and takes a staged rebuild back to the previous
// run; a backward seek continues from the latest snapshot before it (or replays from zero) to the same state as a
// direct run.
#include <vector>

#include "tests/unit/test_support.hpp"
#include "web/run_control.hpp"

using namespace pg;
using pgweb::JobKind;
using pgweb::JobOutcome;
using pgweb::JobResult;
using pgweb::RunController;
using pgweb::SliceLimits;

namespace {

constexpr const char* scenario_file = "scenarios/shop-spike.json";

// A clock the test moves: each reading advances it by step_s, so wall-time limits are reached deterministically.
struct FakeClock {
  double now_s = 0;
  double step_s = 0;
  double read() {
    now_s += step_s;
    return now_s;
  }
};

std::string unsliced_hash(const Scenario& scenario, time_ns until_ns) {
  Simulation direct(scenario);
  direct.run_until(std::min(until_ns, direct.end_ns()));
  return direct.trace_hash_hex();
}

// Slices until the job ends; returns the number of slices and checks progress never decreases.
int run_slices(RunController& run, const SliceLimits& limits, std::vector<double>* progress = nullptr) {
  int slices = 0;
  double last = 0;
  while (run.busy()) {
    run.slice(limits);
    ++slices;
    const double now = run.busy() ? run.status().progress : 1.0;
    CHECK(now >= last);
    CHECK(now <= 1.0);
    last = now;
    if (progress) progress->push_back(now);
    REQUIRE(slices < 1'000'000);
  }
  return slices;
}

}  // namespace

TEST_CASE("a run to the end in slices gives the unsliced trace hash; progress only grows", "[run_control]") {
  const Scenario scenario = test::load(scenario_file);
  FakeClock clock;
  RunController run([&] { return clock.read(); });
  REQUIRE(run.build(scenario).empty());
  REQUIRE(run.simulation());
  std::vector<JobResult> results;
  const uint64_t id = run.advance_to(JobKind::run_to_end, run.simulation()->end_ns(),
                                     [&](const JobResult& r) { results.push_back(r); });
  REQUIRE(id != 0);
  CHECK(run.busy());
  CHECK(run.status().kind == JobKind::run_to_end);
  CHECK(run.outcome(id) == JobOutcome::running);

  SliceLimits limits;
  limits.events_max = 5000;
  limits.events_per_look = 700;   // not a divisor of events_max: slices end at odd boundaries
  std::vector<double> progress;
  const int slices = run_slices(run, limits, &progress);
  CHECK(slices > 10);
  REQUIRE(results.size() == 1);
  CHECK(results[0].id == id);
  CHECK(results[0].outcome == JobOutcome::finished);
  CHECK(run.outcome(id) == JobOutcome::finished);
  CHECK(run.simulation()->finished());
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, INT64_MAX));
  // It rose in many steps rather than jumping from 0 to 1.
  size_t distinct = 0;
  for (size_t i = 1; i < progress.size(); ++i) distinct += progress[i] > progress[i - 1] ? 1 : 0;
  CHECK(distinct > 5);
}

TEST_CASE("a slice keeps to its wall-time and event limits", "[run_control]") {
  const Scenario scenario = test::load(scenario_file);
  FakeClock clock;
  clock.step_s = 0.001;   // every reading is 1 ms later
  RunController run([&] { return clock.read(); });
  REQUIRE(run.build(scenario).empty());
  run.advance_to(JobKind::run_to_end, run.simulation()->end_ns());
  SliceLimits limits;
  limits.wall_s = 0.005;
  limits.events_per_look = 100;
  limits.events_max = 1'000'000;
  const uint64_t processed = run.slice(limits);
  // The clock is read once at the start and once per look: five looks reach 5 ms.
  CHECK(processed > 0);
  CHECK(processed <= 5 * 100);
  CHECK(run.busy());

  clock.step_s = 0;
  limits.events_max = 333;
  CHECK(run.slice(limits) <= 333);
  CHECK(run.busy());
}

TEST_CASE("cancel stops a forward job where it got; the run goes on from there to the same end", "[run_control]") {
  const Scenario scenario = test::load(scenario_file);
  FakeClock clock;
  RunController run([&] { return clock.read(); });
  REQUIRE(run.build(scenario).empty());
  std::vector<JobResult> results;
  const uint64_t id = run.advance_to(JobKind::check, run.simulation()->end_ns(),
                                     [&](const JobResult& r) { results.push_back(r); });
  SliceLimits limits;
  limits.events_max = 20'000;
  run.slice(limits);
  run.slice(limits);
  const Simulation* before = run.simulation();
  const time_ns stopped_ns = before->now_ns();
  const uint64_t stopped_events = before->events_processed();
  REQUIRE(stopped_ns > 0);
  REQUIRE(stopped_ns < before->end_ns());
  const double progress = run.status().progress;
  CHECK(progress > 0);
  CHECK(progress < 1);

  run.cancel();
  CHECK_FALSE(run.busy());
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == JobOutcome::cancelled);
  CHECK(run.outcome(id) == JobOutcome::cancelled);
  // Nothing more happens: the run is kept where it stopped.
  CHECK(run.slice(limits) == 0);
  CHECK(run.simulation() == before);
  CHECK(run.simulation()->now_ns() == stopped_ns);
  CHECK(run.simulation()->events_processed() == stopped_events);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, stopped_ns));
  run.cancel();   // idle: nothing to cancel
  CHECK(results.size() == 1);

  // Running on from where it stopped ends exactly where an unsliced run ends.
  run.advance_to(JobKind::run_to_end, run.simulation()->end_ns());
  run_slices(run, limits);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, INT64_MAX));
}

TEST_CASE("a staged rebuild shows the previous run until it is done; cancel goes back to it", "[run_control]") {
  const Scenario scenario = test::load(scenario_file);
  Scenario edited = scenario;
  edited.seed = scenario.seed + 1;   // any change that gives another run
  FakeClock clock;
  RunController run([&] { return clock.read(); });
  REQUIRE(run.build(scenario).empty());
  const time_ns at_ns = run.simulation()->end_ns() / 2;
  run.advance_to(JobKind::seek, at_ns);
  SliceLimits limits;
  limits.events_max = 10'000;
  run_slices(run, limits);
  const Simulation* previous = run.simulation();
  const std::string previous_hash = previous->trace_hash_hex();
  REQUIRE(previous->now_ns() == at_ns);

  // Cancelled half way: the previous run, untouched, is what is shown.
  std::vector<JobResult> results;
  run.rebuild(edited, at_ns, [&](const JobResult& r) { results.push_back(r); });
  run.slice(limits);
  CHECK(run.busy());
  CHECK(run.status().staged);
  CHECK(run.simulation() == previous);
  CHECK(run.simulation()->now_ns() == at_ns);
  run.cancel();
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == JobOutcome::cancelled);
  CHECK(run.simulation() == previous);
  CHECK(run.simulation()->trace_hash_hex() == previous_hash);

  // Two rebuilds in a row: the first is superseded; cancelling the second still goes back to the first run.
  results.clear();
  run.rebuild(edited, at_ns, [&](const JobResult& r) { results.push_back(r); });
  run.slice(limits);
  run.rebuild(edited, at_ns, [&](const JobResult& r) { results.push_back(r); });
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == JobOutcome::superseded);
  run.slice(limits);
  run.cancel();
  CHECK(run.simulation() == previous);
  CHECK(run.simulation()->trace_hash_hex() == previous_hash);

  // Done: the new run is shown, at the old time, in the state a direct run of the edited scenario reaches.
  results.clear();
  run.rebuild(edited, at_ns, [&](const JobResult& r) { results.push_back(r); });
  run_slices(run, limits);
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == JobOutcome::finished);
  CHECK(run.simulation()->now_ns() == at_ns);
  CHECK(run.simulation()->scenario().seed == edited.seed);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(edited, at_ns));
  CHECK(run.simulation()->trace_hash_hex() != previous_hash);
}

TEST_CASE("a backward seek replays from the latest snapshot before it (or zero) to the state of a direct run",
          "[run_control]") {
  const Scenario scenario = test::load(scenario_file);
  RunController run;   // the real clock
  REQUIRE(run.build(scenario).empty());
  run.advance_to(JobKind::run_to_end, run.simulation()->end_ns());
  SliceLimits limits;
  limits.events_max = 50'000;
  run_slices(run, limits);
  REQUIRE(run.simulation()->finished());
  // On the way, one snapshot per slot of the run's span but the first.
  CHECK(run.snapshot_count() == RunController::snapshots_max - 1);
  CHECK(run.snapshot_bytes() > 0);   // measured on the heap (glibc's mallinfo2)
  CHECK(run.snapshot_bytes() <= RunController::snapshot_bytes_max);
  const time_ns slot_ns = run.simulation()->end_ns() / (time_ns)RunController::snapshots_max;

  const time_ns back_ns = run.simulation()->end_ns() / 3;
  const uint64_t id = run.seek(back_ns);
  REQUIRE(id != 0);
  // The copy of the latest snapshot before the target is shown at once: the start of the target's slot.
  CHECK(run.simulation()->now_ns() == back_ns / slot_ns * slot_ns);
  CHECK(run.simulation()->now_ns() > 0);
  run_slices(run, limits);
  CHECK(run.outcome(id) == JobOutcome::finished);
  CHECK(run.simulation()->now_ns() == back_ns);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, back_ns));
  CHECK(run.snapshot_count() == RunController::snapshots_max - 1);   // still valid: the same run

  // Before the first snapshot: from zero, on a new run shown at once.
  const time_ns early_ns = slot_ns / 2;
  run.seek(early_ns);
  CHECK(run.simulation()->now_ns() == 0);
  run_slices(run, limits);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, early_ns));
  run.seek(back_ns);   // forward again, then back to a snapshot
  run_slices(run, limits);
  run.seek(back_ns - 1);
  run_slices(run, limits);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, back_ns - 1));

  // A forward seek continues the same run.
  const Simulation* same = run.simulation();
  run.seek(back_ns * 2);
  run_slices(run, limits);
  CHECK(run.simulation() == same);
  CHECK(run.simulation()->trace_hash_hex() == unsliced_hash(scenario, back_ns * 2));

  // A new job supersedes the running one, which reports it.
  std::vector<JobResult> results;
  run.advance_to(JobKind::run_to_end, run.simulation()->end_ns(), [&](const JobResult& r) { results.push_back(r); });
  run.seek(0);
  REQUIRE(results.size() == 1);
  CHECK(results[0].outcome == JobOutcome::superseded);
  CHECK(run.simulation()->now_ns() == 0);
}
