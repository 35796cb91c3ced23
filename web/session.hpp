// The session: the scenario the page holds and the run of it, without ImGui, GL or the browser (so it is tested
// natively, tests/unit/web/test_session.cpp). Every change goes through here: loading a file, a built-in or a
// share link, an edit of a field, an intervention, and the jobs that simulate (run to end, step, seek, Check),
// which the run controller (web/run_control.hpp) executes in per-frame slices. It also makes what leaves the page:
// the share link and the metrics CSV. The app (web/app.hpp) draws it and forwards window.playground to it.
//
// Data flows one way: an edit or an intervention changes the *scenario*; the run is rebuilt from it and replayed to
// the current time (a staged job: the previous run stays shown until then, and Cancel undoes the change). So what a
// link carries replays exactly what was seen. A change that does not validate is refused with its messages and the
// scenario is kept; so is a file or a link that does not parse.
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run/simulation.hpp"
#include "engine/scenario/cost.hpp"
#include "engine/scenario/scenario.hpp"
#include "web/editor/undo.hpp"
#include "web/run_control.hpp"

namespace pgweb {

// What the session tells its owner. Every member may be empty.
struct SessionHooks {
  std::function<void()> loaded;            // a new scenario was loaded (not an edit): selections, exercise, pause
  std::function<void()> run_changed;       // another run is shown (rebuilt, seeked back, replayed): caches
  std::function<void(const std::string& canonical_json)> save;   // the scenario the shown run runs changed
  std::function<void()> check_ended;       // a Check job ended (in any way): the goals are evaluated again
  std::function<void()> job_ended;         // any other forward job ended: the shown run moved on
};

class Session {
 public:
  explicit Session(SessionHooks hooks = {}, RunController::WallClock clock = {});

  // ---- the scenario: each returns the problems (one line each), empty when done ----
  std::vector<std::string> load_scenario_text(const std::string& json_text, const std::string& source);
  // A share link or URL fragment: loaded, then replayed up to its last intervention (a job), paused there.
  std::vector<std::string> open_link(const std::string& link);
  // The scenario a reload found in the page's session storage, replayed as a link is.
  std::vector<std::string> restore(const std::string& json_text);
  // Replaces the scenario by an edited one, keeping the current time; `committed` runs once the replay got there.
  std::vector<std::string> apply_scenario(const pg::Scenario& candidate, std::function<void()> committed = {});
  // Records an intervention at the current simulated time (whole milliseconds; at_s is ignored) and replays to now.
  std::vector<std::string> intervene(pg::FaultSpec fault);
  // The same from the scenario's fault JSON shape, e.g. {"kind":"crash","target":"order#1"}.
  std::vector<std::string> intervene_json(const std::string& json_text);
  // An edit made on the scenario's JSON document (the JSON editor): parsed and validated as a file is; refused with
  // its problems (the scenario kept) or applied as apply_scenario does.
  std::vector<std::string> apply_document(const nlohmann::json& doc);
  // The scenario's `view` object (layout positions) is not a simulation parameter: no rebuild (undoable).
  void set_view(nlohmann::json view);

  // ---- undo and redo (docs/editor.md, "Undo") ----
  // Every edit above (apply_scenario, apply_document, intervene, set_view) records the scenario before it; undo goes
  // back to exactly that scenario (canonical JSON equal) and replays its run to the current time as an edit does (a
  // staged job); redo goes forward again. A load (file, built-in, link, restore) forgets the history.
  bool undo();
  bool redo();
  bool can_undo() const { return history_.can_undo(); }
  bool can_redo() const { return history_.can_redo(); }
  const UndoHistory& history() const { return history_; }

  // ---- the run: the job-starting calls return the job's id (0: none started) ----
  bool reset();                      // a new run from the scenario at time zero; false when it cannot be built
  uint64_t step();                   // one sample interval
  uint64_t seek(double t_s);         // forward by simulating, backward by re-simulating from zero
  uint64_t run_to_end();
  // The exercise's Check: the shown run from zero (if it had ended) to the end. With seeds > 1 (the exercise's
  // `seeds`), once that run ends the same scenario runs under seeds s+1 .. s+seeds-1, one after another in slice()
  // (each its own run, never shown; only its report is kept), so a goal can be judged on every seed as
  // `playground-cli check` does. The whole is one job for busy(), job_status() and cancel().
  uint64_t check(int seeds = 1);
  void cancel();
  // Works on the running job for at most wall_s of wall time (a frame's share). Returns the events processed.
  uint64_t slice(double wall_s);
  // The seeds the last Check asked for (1: the shown run alone), and the reports of seeds s+1, s+2 ... that have
  // run to their end so far; complete when there are check_seeds() - 1. Cleared whenever another run is shown.
  int check_seeds() const { return seeds_.total; }
  const std::vector<nlohmann::json>& seed_reports() const { return seeds_.reports; }
  bool seed_runs_complete() const { return (int)seeds_.reports.size() == seeds_.total - 1 && !seeds_.stopped; }
  // The banner once per run, when the shown run stopped at its work budget. True when it was announced now.
  bool announce_budget_stop();

  // ---- questions ----
  const pg::Scenario& scenario() const { return scenario_; }
  pg::Simulation* sim() const { return run_.simulation(); }
  bool busy() const { return run_.busy() || seeds_.run != nullptr; }
  // After the page moved the shown run itself (playing): keeps a snapshot for seeking back (web/run_control.hpp).
  void keep_snapshot() { run_.keep_snapshot(); }
  size_t snapshot_count() const { return run_.snapshot_count(); }
  JobStatus job_status() const;
  uint64_t last_job_id() const { return last_job_id_; }
  const char* job_outcome(uint64_t id) const { return job_outcome_name(run_.outcome(id)); }
  std::string job_label() const;     // "Running to the end", ... (web/strings.hpp)
  std::string job_json() const;      // window.playground.job()
  double clock_s() const;
  uint64_t events_processed() const;
  std::string trace_hash_hex() const;
  std::string report_json() const;   // the engine's report; "null" when no run exists
  std::string scenario_json() const; // canonical, indented
  // The share link: page_url with the scenario (interventions included) in its fragment; "" when it cannot be
  // encoded (the message says why).
  std::string link(const std::string& page_url) const;
  std::string link_error() const;    // why link() is empty, or ""
  // One row per sample: t_s, then per request type and per service their series.
  std::string metrics_csv() const;
  const pg::CostEstimate& cost() const { return cost_; }
  const std::string& loaded_from() const { return loaded_from_; }   // "built-in x.json", "link", a file name
  int library_index() const { return library_index_; }              // the built-in it came from, or -1
  void set_library_index(int index) { library_index_ = index; }      // after loading a built-in's text

  // ---- the banner ----
  // The whole message (what happened and what to do, then "Details: " and the technical reason, if any), and its two
  // parts: the banner draws the details smaller.
  const std::string& message() const { return message_; }
  const std::string& message_headline() const { return message_headline_; }
  const std::string& message_detail() const { return message_detail_; }
  bool message_is_error() const { return message_is_error_; }
  void set_message(std::string text, bool is_error, std::string detail = "");

  static constexpr double job_start_budget_s = 0.010;   // the call that starts a job gives it this (short jobs end)

 private:
  bool rebuild_to(pg::time_ns t_ns);     // new run at zero; then a seek job when t_ns > 0
  // What a staged replacement of the scenario does to the history, and undoes if it is cancelled or fails.
  enum class HistoryStep : uint8_t { edit, undo, redo };
  std::vector<std::string> replace_scenario(const pg::Scenario& candidate, std::function<void()> committed,
                                            HistoryStep step, std::string restored = {});
  bool step_history(bool back);
  uint64_t started(uint64_t job_id);     // records the id and gives the job its first, short slice
  void settle_staged();                  // a staged rebuild is cancelled before a forward job starts
  void run_changed();
  void scenario_committed();             // scenario_ is what the shown run runs: cost, saved
  void job_ended(const JobResult& result, const std::string& finished_text);
  void replay_to_last_intervention(const std::string& done_text);
  void start_next_seed();                // the next of Check's other seeds, or none when all have run
  double now_s() const;

  // Check's other seeds (see check()).
  struct SeedRuns {
    int total = 1;
    std::vector<nlohmann::json> reports;   // seeds s+1, s+2 ... in order
    std::unique_ptr<pg::Simulation> run;   // the one running now
    bool stopped = false;                  // one stopped at the work budget: the check is not decided
    uint64_t events = 0;                   // events the other seeds have processed, for the job's status
    double started_s = 0;
  };

  SessionHooks hooks_;
  RunController::WallClock clock_;
  SeedRuns seeds_;
  pg::Scenario scenario_;
  UndoHistory history_;
  RunController run_;
  uint64_t last_job_id_ = 0;
  pg::CostEstimate cost_;
  const pg::Simulation* budget_reported_ = nullptr;
  std::string loaded_from_;
  int library_index_ = -1;
  std::string message_, message_headline_, message_detail_;
  bool message_is_error_ = false;
};

// 1234567 -> "1 234 567" (thin spaces): event counts are read at a glance.
std::string format_count(uint64_t value);
// A duration a person reads: "850 ms", "12.5 s", "3 min 20 s".
std::string format_seconds(double seconds);
// Validation errors as lines "path: message" (the engine's English, for callers and tests).
std::vector<std::string> error_lines(const std::vector<pg::ValidationError>& errors);
// The same as the banner shows them: in the page's language, at most max_lines, then "N more".
std::string banner_lines(const std::vector<pg::ValidationError>& errors, size_t max_lines = 8);

}  // namespace pgweb
