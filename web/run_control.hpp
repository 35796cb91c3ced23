// The run controller: owns the run the page shows and every "simulate up to a target time" job (run to end, seek,
// rebuild after an edit or an intervention, an exercise's Check, opening a link), executed in slices that a frame
// bounds by events and wall time, so the page never blocks whatever the scenario costs. Knows no ImGui, GL or
// browser (tests/unit/web/test_run_control.cpp runs it natively).
//
// Invariants:
//  - Slicing never changes results: a job processes the same events in the same order as an unsliced run (the
//    engine's advance() is exact at any boundary), so the trace hash at the end is the same.
//  - At most one job at a time. Starting a job while one runs supersedes it (the old one ends as `superseded`,
//    with its cancel semantics), except that a staged rebuild superseded by another keeps the *first* run as the
//    one to go back to: two quick edits then Cancel return to the state before both.
//  - A job's progress (the fraction of its simulated span reached) never decreases while it runs.
//
// Cancel: a forward job (run to end, check, step, a forward seek, opening a link) leaves the run where it stopped;
// a person who cancels a long run wants it to stop, and what was simulated is kept. A backward seek builds a new
// run from zero and shows it as it goes; cancel leaves it where it got. A rebuild after an edit or an intervention
// is *staged*: the previous run stays shown (and consistent with the previous scenario) until the new run reaches
// the old time, and cancel drops the new run and goes back to the previous one — the edit is undone, nothing half
// applied. (Cost: two runs exist while an edit is replayed.)
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "engine/scenario/scenario.hpp"
#include "engine/kernel/sim_time.hpp"
#include "engine/run/simulation.hpp"

namespace pgweb {

enum class JobKind : uint8_t { none, run_to_end, step, seek, rebuild, check, open_link };
enum class JobOutcome : uint8_t { running, finished, cancelled, superseded, failed };

const char* job_kind_name(JobKind kind);         // "run_to_end", "seek", ... (window.playground.job())
const char* job_outcome_name(JobOutcome outcome);  // "running", "finished", "cancelled", ...

// How much one slice (one frame's share) may do.
struct SliceLimits {
  uint64_t events_max = 2'000'000;    // events per slice at most
  double wall_s = 0.030;              // wall time per slice at most (looked at every events_per_look events)
  uint64_t events_per_look = 1024;
};

// What a finished job reports to its completion callback.
struct JobResult {
  uint64_t id = 0;
  JobKind kind = JobKind::none;
  JobOutcome outcome = JobOutcome::running;
  std::string error;                   // outcome failed: why (e.g. the run could not be built)
};

// The running job, for progress bars and window.playground.job().
struct JobStatus {
  bool active = false;
  uint64_t id = 0;
  JobKind kind = JobKind::none;
  bool staged = false;                 // a rebuild whose run is not shown yet (cancel goes back to the previous one)
  double progress = 0;                 // 0..1: simulated time reached over the job's span
  pg::time_ns start_ns = 0, target_ns = 0, now_ns = 0;
  uint64_t events = 0;                 // events the job has processed so far
  double elapsed_s = 0;                // wall time since the job started
};

class RunController {
 public:
  using WallClock = std::function<double()>;           // seconds, monotonic
  using Done = std::function<void(const JobResult&)>;  // called once, when the job ends in any way

  explicit RunController(WallClock clock = {});        // empty: std::chrono::steady_clock
  ~RunController();

  // The run the page shows (null before the first build, or after a build failed).
  pg::Simulation* simulation() const { return shown_.get(); }

  // Replaces the shown run by a new one at time zero (building is cheap: no events run). Any job is superseded.
  // Returns "" or why the run could not be built (the shown run is then gone).
  std::string build(const pg::Scenario& scenario);
  // The work budget every run it builds gets (engine/run/budget.hpp): the default limits in the page; a benchmark
  // may raise them (bench/bench_seek.cpp).
  pg::WorkBudget budget;

  // ---- jobs: each returns its id (0 when nothing was started; then `done` was already called) ----
  // Forward on the shown run up to target_ns (clamped to its end).
  uint64_t advance_to(JobKind kind, pg::time_ns target_ns, Done done = {});
  // To target_ns: forward on the shown run, or, when the target is earlier, from the latest snapshot at or before
  // it (a copy of the run taken on the way, see keep_snapshot), else from zero, shown at once.
  uint64_t seek(pg::time_ns target_ns, Done done = {});
  // A new run of `scenario` simulated to target_ns, staged: shown only once it gets there (see the file comment).
  uint64_t rebuild(const pg::Scenario& scenario, pg::time_ns target_ns, Done done = {});

  // Ends the running job (see the file comment for where that leaves the run). No-op when idle.
  void cancel();
  // Works on the running job within the limits; completes it (and calls its callback) when it reaches its target.
  // Returns the events processed.
  uint64_t slice(const SliceLimits& limits);

  // Snapshots for seeking back: the run's span is cut into snapshots_max slots, and the first time the shown run is
  // seen inside a slot (after a slice, or after the page's playing moved it) a copy of it is kept. A seek back then
  // re-simulates at most about one slot instead of from zero. They are copies of one deterministic run, so they stay
  // valid through seeks; a new run (another scenario, an edit) drops them. Memory: at most snapshots_max copies and
  // snapshot_bytes_max together, measured on the heap as each is taken (a run too large for the next one gets none;
  // seeking then replays from the latest it has, or from zero, as before).
  void keep_snapshot();
  size_t snapshot_count() const { return snapshots_.size(); }
  size_t snapshot_bytes() const { return snapshot_bytes_; }
  static constexpr size_t snapshots_max = 16;
  static constexpr size_t snapshot_bytes_max = size_t(192) << 20;

  bool busy() const { return job_.has_value; }
  JobStatus status() const;
  // How a job ended: running (still going, or unknown id) or its outcome. The last outcomes_kept jobs are known.
  JobOutcome outcome(uint64_t id) const;
  static constexpr size_t outcomes_kept = 64;

 private:
  struct Job {
    bool has_value = false;
    uint64_t id = 0;
    JobKind kind = JobKind::none;
    pg::time_ns start_ns = 0, target_ns = 0;
    uint64_t events_at_start = 0;
    double started_s = 0;
    double progress = 0;
    Done done;
  };
  uint64_t start(JobKind kind, pg::time_ns start_ns, pg::time_ns target_ns, Done done);
  void end_job(JobOutcome outcome, const std::string& error = "");
  pg::Simulation* working() const { return staged_ ? staged_.get() : shown_.get(); }
  double now_s() const;
  pg::time_ns snapshot_every_ns() const;   // the slot length (shown_ exists)
  pg::time_ns next_snapshot_ns() const;    // the next slot's start after the shown run's time
  void drop_snapshots();

  WallClock clock_;
  std::unique_ptr<pg::Simulation> shown_;
  std::unique_ptr<pg::Simulation> staged_;   // a rebuild in progress, not shown yet
  std::map<pg::time_ns, std::unique_ptr<pg::Simulation>> snapshots_;   // of the shown run, by slot index
  size_t snapshot_bytes_ = 0;        // the heap the snapshots took, as measured when each was made
  size_t last_snapshot_bytes_ = 0;   // the latest one's: the estimate for the next
  Job job_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, JobOutcome> outcomes_;
};

}  // namespace pgweb
