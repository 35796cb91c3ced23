// The run controller (see run_control.hpp): jobs that simulate up to a target time, one slice per frame.
#include "web/run_control.hpp"

#include <algorithm>
#include <chrono>
#include <exception>

#include "web/strings.hpp"

namespace pgweb {

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
  shown_.reset();  // first: the old run's memory is free before the new one allocates
  try {
    shown_ = std::make_unique<pg::Simulation>(scenario);
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
    // The engine cannot run backwards: replay from zero on a new run of the same scenario, shown as it goes.
    const pg::Scenario scenario = shown_->scenario();
    const std::string error = build(scenario);
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
    staged_ = std::make_unique<pg::Simulation>(scenario);
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
    if (outcome == JobOutcome::finished) shown_ = std::move(staged_);
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
    processed += run->advance(std::min(left, per_look), job_.target_ns);
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
