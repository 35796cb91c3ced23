// The run controller (see run_control.hpp): jobs that simulate up to a target time, one slice per frame.
#include "web/run_control.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "web/strings.hpp"

#if defined(__GLIBC__) || defined(__EMSCRIPTEN__)
#include <malloc.h>
#endif

namespace pgweb {

namespace {

// Bytes of the heap in use now (0 where the C library cannot say): a snapshot's size is the difference it makes.
// Only decides whether a snapshot is kept, never what a run computes.
size_t heap_in_use() {
#if defined(__GLIBC__)
  return mallinfo2().uordblks;
#elif defined(__EMSCRIPTEN__)
  return (size_t)(unsigned)mallinfo().uordblks;
#else
  return 0;
#endif
}

}  // namespace


const char* job_kind_name(JobKind kind) {
  switch (kind) {
    case JobKind::none: return "none";
    case JobKind::run_to_end: return "run_to_end";
    case JobKind::step: return "step";
    case JobKind::seek: return "seek";
    case JobKind::rebuild: return "rebuild";
    case JobKind::check: return "check";
    case JobKind::open_link: return "open_link";
  }
  return "none";
}

const char* job_outcome_name(JobOutcome outcome) {
  switch (outcome) {
    case JobOutcome::running: return "running";
    case JobOutcome::finished: return "finished";
    case JobOutcome::cancelled: return "cancelled";
    case JobOutcome::superseded: return "superseded";
    case JobOutcome::failed: return "failed";
  }
  return "running";
}

RunController::RunController(WallClock clock) : clock_(std::move(clock)) {}

RunController::~RunController() = default;

double RunController::now_s() const {
  if (clock_) return clock_();
  using steady = std::chrono::steady_clock;
  return std::chrono::duration<double>(steady::now().time_since_epoch()).count();
}

std::string RunController::build(const pg::Scenario& scenario) {
  if (job_.has_value) end_job(JobOutcome::superseded);
  drop_snapshots();
  shown_.reset();  // first: the old run's memory is free before the new one allocates
  try {
    shown_ = std::make_unique<pg::Simulation>(scenario, budget);
  } catch (const std::exception& error) {
    return error.what();
  }
  return "";
}

// Ends the running job (if any) as superseded and starts a new one on the working run.
uint64_t RunController::start(JobKind kind, pg::time_ns start_ns, pg::time_ns target_ns, Done done) {
  Job job;
  job.has_value = true;
  job.id = next_id_++;
  job.kind = kind;
  job.start_ns = start_ns;
  job.target_ns = std::max(target_ns, start_ns);
  job.events_at_start = working() ? working()->events_processed() : 0;
  job.started_s = now_s();
  job.done = std::move(done);
  job_ = std::move(job);
  outcomes_[job_.id] = JobOutcome::running;
  while (outcomes_.size() > outcomes_kept) outcomes_.erase(outcomes_.begin());
  return job_.id;
}

uint64_t RunController::advance_to(JobKind kind, pg::time_ns target_ns, Done done) {
  if (job_.has_value) end_job(JobOutcome::superseded);
  if (!shown_) {
    const uint64_t id = next_id_++;
    outcomes_[id] = JobOutcome::failed;
    if (done) done(JobResult{id, kind, JobOutcome::failed, text(StrId::error_no_run)});
    return 0;
  }
  const pg::time_ns now_ns = shown_->now_ns();
  return start(kind, now_ns, std::clamp(target_ns, now_ns, shown_->end_ns()), std::move(done));
}

uint64_t RunController::seek(pg::time_ns target_ns, Done done) {
  if (job_.has_value) end_job(JobOutcome::superseded);
  if (shown_ && target_ns < shown_->now_ns()) {
    // The engine cannot run backwards: continue from a copy of the latest snapshot at or before the target.
    const pg::Simulation* from = nullptr;
    for (const auto& [slot, run] : snapshots_)
      if (run->now_ns() <= target_ns) from = run.get();
    if (from) {
      shown_ = from->clone();
      return advance_to(JobKind::seek, std::max<pg::time_ns>(target_ns, 0), std::move(done));
    }
    // None that early: replay from zero on a new run of the same scenario, shown as it goes. It is the same run as
    // the snapshots', so they are kept.
    std::map<pg::time_ns, std::unique_ptr<pg::Simulation>> kept = std::move(snapshots_);
    const size_t kept_bytes = snapshot_bytes_;
    const pg::Scenario scenario = shown_->scenario();
    const std::string error = build(scenario);
    if (error.empty()) {
      snapshots_ = std::move(kept);
      snapshot_bytes_ = kept_bytes;
    }
    if (!error.empty()) {
      const uint64_t id = next_id_++;
      outcomes_[id] = JobOutcome::failed;
      if (done) done(JobResult{id, JobKind::seek, JobOutcome::failed, error});
      return 0;
    }
  }
  return advance_to(JobKind::seek, std::max<pg::time_ns>(target_ns, 0), std::move(done));
}

uint64_t RunController::rebuild(const pg::Scenario& scenario, pg::time_ns target_ns, Done done) {
  // A staged rebuild superseding another keeps the shown run (the state before both) as the one to go back to.
  if (job_.has_value) end_job(JobOutcome::superseded);
  try {
    staged_ = std::make_unique<pg::Simulation>(scenario, budget);
  } catch (const std::exception& error) {
    staged_.reset();
    const uint64_t id = next_id_++;
    outcomes_[id] = JobOutcome::failed;
    if (done) done(JobResult{id, JobKind::rebuild, JobOutcome::failed, error.what()});
    return 0;
  }
  return start(JobKind::rebuild, 0, std::clamp<pg::time_ns>(target_ns, 0, staged_->end_ns()), std::move(done));
}

void RunController::end_job(JobOutcome outcome, const std::string& error) {
  if (!job_.has_value) return;
  if (staged_) {
    // A finished rebuild becomes the shown run; any other end drops it and the previous run stays.
    if (outcome == JobOutcome::finished) {
      shown_ = std::move(staged_);
      drop_snapshots();   // of the run before the edit
    }
    staged_.reset();
  }
  Job ended = std::move(job_);
  job_ = Job();
  outcomes_[ended.id] = outcome;
  if (ended.done) ended.done(JobResult{ended.id, ended.kind, outcome, error});
}

void RunController::cancel() { end_job(JobOutcome::cancelled); }

uint64_t RunController::slice(const SliceLimits& limits) {
  if (!job_.has_value) return 0;
  pg::Simulation* run = working();
  if (!run) {
    end_job(JobOutcome::failed, text(StrId::error_no_run));
    return 0;
  }
  const double started_s = now_s();
  const uint64_t per_look = std::max<uint64_t>(limits.events_per_look, 1);
  uint64_t processed = 0;
  for (;;) {
    if (run->now_ns() >= job_.target_ns || run->finished()) break;
    const uint64_t left = limits.events_max > processed ? limits.events_max - processed : 0;
    if (left == 0) break;
    // The shown run stops at each snapshot slot's start, so every slot gets its snapshot at its first instant
    // (stopping anywhere changes nothing: the engine's advance is exact at any boundary).
    const bool shown = run == shown_.get();
    const pg::time_ns until = shown ? std::min(job_.target_ns, next_snapshot_ns()) : job_.target_ns;
    processed += run->advance(std::min(left, per_look), until);
    if (shown) keep_snapshot();
    if (now_s() - started_s >= limits.wall_s) break;
  }
  const pg::time_ns span_ns = job_.target_ns - job_.start_ns;
  const double reached = span_ns > 0 ? (double)(run->now_ns() - job_.start_ns) / (double)span_ns : 1.0;
  job_.progress = std::max(job_.progress, std::clamp(reached, 0.0, 1.0));
  if (run->now_ns() >= job_.target_ns || run->finished()) {
    job_.progress = 1.0;
    end_job(JobOutcome::finished);
  }
  return processed;
}

pg::time_ns RunController::snapshot_every_ns() const {
  return std::max<pg::time_ns>(shown_->end_ns() / (pg::time_ns)snapshots_max, 1);
}

pg::time_ns RunController::next_snapshot_ns() const {
  const pg::time_ns every = snapshot_every_ns();
  return (shown_->now_ns() / every + 1) * every;
}

void RunController::keep_snapshot() {
  if (!shown_ || staged_) return;
  const pg::time_ns slot = shown_->now_ns() / snapshot_every_ns();
  if (slot == 0 || slot >= (pg::time_ns)snapshots_max || snapshots_.count(slot)) return;   // zero needs none
  // The next one would be about as large as the last (a run grows as it goes: half again, to be safe).
  if (snapshot_bytes_ + last_snapshot_bytes_ + last_snapshot_bytes_ / 2 > snapshot_bytes_max) return;
  const size_t before = heap_in_use();
  std::unique_ptr<pg::Simulation> copy = shown_->clone();
  const size_t after = heap_in_use();
  last_snapshot_bytes_ = after > before ? after - before : 0;
  if (snapshot_bytes_ + last_snapshot_bytes_ > snapshot_bytes_max) return;   // too large after all: freed here
  snapshot_bytes_ += last_snapshot_bytes_;
  snapshots_[slot] = std::move(copy);
}

void RunController::drop_snapshots() {
  snapshots_.clear();
  snapshot_bytes_ = last_snapshot_bytes_ = 0;
}

JobStatus RunController::status() const {
  JobStatus status;
  if (!job_.has_value) return status;
  status.active = true;
  status.id = job_.id;
  status.kind = job_.kind;
  status.staged = staged_ != nullptr;
  status.progress = job_.progress;
  status.start_ns = job_.start_ns;
  status.target_ns = job_.target_ns;
  if (const pg::Simulation* run = working()) {
    status.now_ns = run->now_ns();
    status.events = run->events_processed() - job_.events_at_start;
  }
  status.elapsed_s = now_s() - job_.started_s;
  return status;
}

JobOutcome RunController::outcome(uint64_t id) const {
  auto found = outcomes_.find(id);
  return found == outcomes_.end() ? JobOutcome::running : found->second;
}

}  // namespace pgweb
