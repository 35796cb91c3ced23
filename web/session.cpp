// The session: the scenario, its run and every change to them (see session.hpp).
#include "web/session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "engine/scenario/localized_texts.hpp"
#include "engine/run/world.hpp"
#include "web/share.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

std::vector<std::string> error_lines(const std::vector<pg::ValidationError>& errors) {
  std::vector<std::string> lines;
  for (const pg::ValidationError& error : errors)
    lines.push_back(error.path.empty() ? error.message : error.to_string());
  return lines;
}

// The errors as the banner shows them: in the page's language (the engine's message by pattern, its JSON path as
// it is), at most `max_lines` of them. The callers' own lists (error_lines) stay the engine's English.
std::string banner_lines(const std::vector<pg::ValidationError>& errors, size_t max_lines) {
  std::string out;
  for (size_t i = 0; i < errors.size() && i < max_lines; ++i) {
    const pg::ValidationError& error = errors[i];
    const std::string message = translate(error.message);
    out += (i ? "\n" : "") +
           (error.path.empty() ? message : text_format(StrId::label_detail, error.path.c_str(), message.c_str()));
  }
  if (errors.size() > max_lines) out += "\n" + text_format(StrId::more_lines, errors.size() - max_lines);
  return out;
}

std::string format_count(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u2009";  // thin space
    out += digits[i];
  }
  return out;
}

std::string format_seconds(double seconds) {
  if (seconds < 1) return text_format(StrId::duration_ms, seconds * 1000);
  if (seconds < 120) return text_format(StrId::duration_s, seconds);
  return text_format(StrId::duration_min, (int)(seconds / 60), (int)std::fmod(seconds, 60));
}

Session::Session(SessionHooks hooks, RunController::WallClock clock)
    : hooks_(std::move(hooks)), clock_(clock), run_(std::move(clock)) {}

double Session::now_s() const {
  if (clock_) return clock_();
  using steady = std::chrono::steady_clock;
  return std::chrono::duration<double>(steady::now().time_since_epoch()).count();
}

// ---- loading ------------------------------------------------------------------------------------------------------

std::vector<std::string> Session::load_scenario_text(const std::string& json_text, const std::string& source) {
  pg::ScenarioParse parsed = pg::parse_scenario(json_text);
  if (!parsed.ok()) {
    std::vector<std::string> errors = error_lines(parsed.errors);
    const bool not_json = parsed.errors.size() == 1 && parsed.errors[0].path.empty() &&
                          parsed.errors[0].message.rfind("not valid JSON", 0) == 0;
    set_message(text_format(not_json ? StrId::file_not_json : StrId::file_invalid, source.c_str()) + " " +
                    text_format(StrId::message_kept, scenario_.name.c_str()),
                true, banner_lines(parsed.errors));
    return errors;
  }
  scenario_ = std::move(parsed.scenario);
  history_.clear();   // another scenario: its edits start here
  loaded_from_ = source;
  library_index_ = -1;
  last_job_id_ = 0;
  if (hooks_.loaded) hooks_.loaded();
  if (!rebuild_to(0)) return {message_};
  const std::string shown_name = pg::localized_texts(scenario_, lang_code(language())).name;
  set_message(text_format(StrId::loaded, shown_name.c_str(), source.c_str()), false);
  return {};
}

// A shared link replays what its sender did: the run up to the last intervention, paused there.
void Session::replay_to_last_intervention(const std::string& done_text) {
  double last_s = 0;
  for (const pg::FaultSpec& fault : scenario_.interventions) last_s = std::max(last_s, fault.at_s);
  set_message(done_text, false);
  if (last_s > 0)
    started(run_.advance_to(JobKind::open_link, pg::s_to_ns(last_s),
                            [this, done_text](const JobResult& result) { job_ended(result, done_text); }));
}

std::vector<std::string> Session::open_link(const std::string& link) {
  if (!fragment_has_scenario(link)) return {};
  LinkDecode decoded = pgweb::decode_link(link);
  if (!decoded.ok()) {
    std::vector<std::string> errors = error_lines(decoded.errors);
    const StrId what = decoded.problem == pg::LinkProblem::not_a_link      ? StrId::link_not_a_link
                       : decoded.problem == pg::LinkProblem::too_large     ? StrId::link_too_large
                       : decoded.problem == pg::LinkProblem::other_version ? StrId::link_other_version
                       : decoded.problem == pg::LinkProblem::invalid_scenario ? StrId::link_invalid
                                                                           : StrId::link_damaged;
    set_message(std::string(text(what)) + " " + text_format(StrId::message_kept, scenario_.name.c_str()), true,
                banner_lines(decoded.errors));
    return errors;
  }
  std::vector<std::string> errors = load_scenario_text(pg::scenario_to_text(decoded.scenario, -1), text(StrId::source_link));
  if (!errors.empty()) return errors;
  replay_to_last_intervention(
      scenario_.interventions.empty()
          ? text_format(StrId::opened_link, scenario_.name.c_str())
          : text_format(StrId::opened_link_replayed, scenario_.name.c_str(), scenario_.interventions.size()));
  return {};
}

std::vector<std::string> Session::restore(const std::string& json_text) {
  std::vector<std::string> errors = load_scenario_text(json_text, text(StrId::source_restored));
  if (!errors.empty()) return errors;
  replay_to_last_intervention(text_format(StrId::restored_session, scenario_.name.c_str(), scenario_.interventions.size()));
  return {};
}

// ---- edits and interventions ----------------------------------------------------------------------------------------

// The candidate is validated now; the run with it is replayed to now as a staged job, and scenario_ shows the
// candidate meanwhile (the panels keep the new values). Cancel undoes it.
std::vector<std::string> Session::apply_scenario(const pg::Scenario& candidate, std::function<void()> committed) {
  return replace_scenario(candidate, std::move(committed), HistoryStep::edit);
}

std::vector<std::string> Session::apply_document(const nlohmann::json& doc) {
  pg::ScenarioParse parsed = pg::parse_scenario_json(doc);
  if (!parsed.ok()) {
    set_message(text_format(StrId::change_invalid, banner_lines(parsed.errors).c_str()), true);
    return error_lines(parsed.errors);
  }
  return apply_scenario(parsed.scenario);
}

void Session::set_view(nlohmann::json view) {
  std::string before = pg::scenario_to_text(scenario_, -1);
  scenario_.view = std::move(view);
  history_.record(std::move(before));
}

// `restored`: for undo and redo, the state being gone to (the history gets it back if the replay does not land).
std::vector<std::string> Session::replace_scenario(const pg::Scenario& candidate, std::function<void()> committed,
                                                   HistoryStep step, std::string restored) {
  // Round trip through the canonical JSON: validates, and makes the run's scenario exactly what a link carries.
  pg::ScenarioParse parsed = pg::parse_scenario_json(pg::scenario_to_json(candidate));
  if (!parsed.ok()) {
    std::vector<std::string> errors = error_lines(parsed.errors);
    set_message(text_format(StrId::change_invalid, banner_lines(parsed.errors).c_str()), true);
    return errors;
  }
  std::string before = pg::scenario_to_text(scenario_, -1);
  // An edit that changes nothing is not an undo step.
  const bool recorded = step == HistoryStep::edit && pg::scenario_to_text(parsed.scenario, -1) != before;
  if (recorded) history_.record(std::move(before));   // before the job: a build that fails at once reverts it
  const pg::time_ns now_ns = sim() ? sim()->now_ns() : 0;
  const uint64_t id = run_.rebuild(parsed.scenario, now_ns, [this, committed, step, recorded,
                                                             restored = std::move(restored)](const JobResult& result) {
    // Not landed: the history goes back to where it was before this change.
    auto revert_history = [&] {
      std::string ignored;
      if (step == HistoryStep::edit && recorded) history_.drop_last_record();
      else if (step == HistoryStep::undo) history_.redo(restored, ignored);
      else if (step == HistoryStep::redo) history_.undo(restored, ignored);
    };
    switch (result.outcome) {
      case JobOutcome::finished:
        run_changed();
        scenario_committed();
        if (committed) committed();
        break;
      case JobOutcome::cancelled:
        if (sim()) scenario_ = sim()->scenario();   // back to what the shown (previous) run runs
        revert_history();
        set_message(text(StrId::job_cancelled_rebuild), false);
        break;
      case JobOutcome::failed:
        if (sim()) scenario_ = sim()->scenario();
        revert_history();
        set_message(text_format(StrId::run_build_failed, translate(result.error).c_str()), true);
        break;
      case JobOutcome::superseded:
        // A newer job took over: another rebuild carries scenario_ on, a build replaces the run with scenario_,
        // and the forward jobs first cancel a staged rebuild (settle_staged), which reverts.
        break;
      case JobOutcome::running: break;
    }
  });
  if (id == 0) return {message_};   // the callback said why
  scenario_ = std::move(parsed.scenario);
  started(id);
  return {};
}

bool Session::undo() { return step_history(true); }
bool Session::redo() { return step_history(false); }

// The state is the canonical text of a scenario that validated; one that differs from now only in its `view` (a
// box moved) needs no replay.
bool Session::step_history(bool back) {
  const std::string current = pg::scenario_to_text(scenario_, -1);
  std::string state, ignored;
  if (!(back ? history_.undo(current, state) : history_.redo(current, state))) return false;
  pg::ScenarioParse parsed = pg::parse_scenario(state);
  if (!parsed.ok()) {   // cannot happen (the states are canonical texts of valid scenarios); kept as it was
    back ? history_.redo(state, ignored) : history_.undo(state, ignored);
    return false;
  }
  set_message(text(back ? StrId::undo_done : StrId::redo_done), false);
  pg::Scenario same_view = parsed.scenario;
  same_view.view = scenario_.view;
  if (pg::scenario_to_text(same_view, -1) == current) {
    scenario_.view = std::move(parsed.scenario.view);
    return true;
  }
  if (!replace_scenario(parsed.scenario, {}, back ? HistoryStep::undo : HistoryStep::redo, state).empty())
    return false;   // refused before the job started (cannot happen for a valid state) or its build failed: reverted
  set_message(text(back ? StrId::undo_done : StrId::redo_done), false);
  return true;
}

std::vector<std::string> Session::intervene(pg::FaultSpec fault) {
  const pg::time_ns now_ns = sim() ? sim()->now_ns() : 0;
  // Whole milliseconds: readable in the JSON, and never later than now (so the replay to now includes it).
  fault.at_s = std::floor(pg::ns_to_ms(now_ns)) / 1000.0;
  pg::Scenario candidate = scenario_;
  candidate.interventions.push_back(fault);
  const std::string recorded = text_format(StrId::intervention_recorded, format_seconds(fault.at_s).c_str());
  // Announced once the replay has reached now (the log then holds what the intervention did).
  return apply_scenario(candidate, [this, recorded] {
    const std::vector<pg::LogEntry>& log = sim()->world().log_entries;
    set_message(log.empty() ? text_format(StrId::sentence_end, recorded.c_str())
                            : text_format(StrId::label_detail, recorded.c_str(), translate(log.back().text).c_str()),
                false);
  });
}

std::vector<std::string> Session::intervene_json(const std::string& json_text) {
  nlohmann::json fault = nlohmann::json::parse(json_text, nullptr, false);
  if (fault.is_discarded() || !fault.is_object()) return {"an intervention is a JSON object"};
  fault["at_s"] = 0;  // replaced by the current time; present so the reader's "required" rule passes
  nlohmann::json document = pg::scenario_to_json(scenario_);
  document["interventions"] = nlohmann::json::array({fault});
  pg::ScenarioParse parsed = pg::parse_scenario_json(document);
  if (!parsed.ok()) return error_lines(parsed.errors);
  return intervene(parsed.scenario.interventions.front());
}

// ---- jobs ---------------------------------------------------------------------------------------------------------

bool Session::rebuild_to(pg::time_ns t_ns) {
  const std::string error = run_.build(scenario_);
  if (!error.empty()) {
    set_message(text_format(StrId::run_build_failed, translate(error).c_str()), true);
    return false;
  }
  run_changed();
  scenario_committed();
  if (t_ns > 0) started(run_.seek(t_ns, [this](const JobResult& result) { job_ended(result, ""); }));
  return true;
}

bool Session::reset() { return rebuild_to(0); }

void Session::settle_staged() {
  if (run_.busy() && run_.status().staged) run_.cancel();
}

uint64_t Session::started(uint64_t job_id) {
  last_job_id_ = job_id;
  if (job_id != 0 && run_.busy() && run_.status().id == job_id) {
    SliceLimits limits;
    limits.wall_s = job_start_budget_s;
    run_.slice(limits);
  }
  return job_id;
}

uint64_t Session::slice(double wall_s) {
  if (run_.busy()) {
    SliceLimits limits;
    limits.wall_s = wall_s;
    return run_.slice(limits);
  }
  if (!seeds_.run) return 0;
  // One of Check's other seeds: the same slicing as the run controller's (events in batches, wall time looked at
  // between them), so the page stays responsive whatever the scenario costs.
  const SliceLimits limits;
  const double start = now_s();
  uint64_t events = 0;
  pg::Simulation& run = *seeds_.run;
  while (!run.finished() && events < limits.events_max && now_s() - start < wall_s)
    events += run.advance(limits.events_per_look, run.end_ns());
  seeds_.events += events;
  if (run.finished()) {
    seeds_.stopped = run.stopped_by_budget();
    seeds_.reports.push_back(run.report());
    seeds_.run.reset();
    if (!seeds_.stopped) start_next_seed();
    if (!seeds_.run && hooks_.check_ended) hooks_.check_ended();   // the last seed: the verdict can be given
  }
  return events;
}

void Session::start_next_seed() {
  seeds_.run.reset();
  const int k = (int)seeds_.reports.size() + 1;
  if (k >= seeds_.total || !sim()) return;
  pg::Scenario scenario = scenario_;
  scenario.seed = scenario_.seed + (uint64_t)k;
  seeds_.run = std::make_unique<pg::Simulation>(scenario);
}

void Session::cancel() {
  if (seeds_.run) {
    seeds_.run.reset();
    set_message(text_format(StrId::job_cancelled_seeds, (int)seeds_.reports.size() + 1, seeds_.total), false);
    if (hooks_.check_ended) hooks_.check_ended();
    return;
  }
  run_.cancel();
}

JobStatus Session::job_status() const {
  if (!seeds_.run || run_.busy()) return run_.status();
  JobStatus status;
  status.active = true;
  status.id = last_job_id_;
  status.kind = JobKind::check;
  status.start_ns = 0;
  status.target_ns = seeds_.run->end_ns();
  status.now_ns = seeds_.run->now_ns();
  // The shown run's part is done; the others share the bar equally.
  const double one = status.target_ns > 0 ? (double)status.now_ns / (double)status.target_ns : 1.0;
  status.progress = (1.0 + (double)seeds_.reports.size() + one) / (double)seeds_.total;
  status.events = seeds_.events;
  status.elapsed_s = now_s() - seeds_.started_s;
  return status;
}

void Session::run_changed() {
  budget_reported_ = nullptr;
  seeds_ = SeedRuns();
  if (hooks_.run_changed) hooks_.run_changed();
}

void Session::scenario_committed() {
  cost_ = pg::estimate_cost(scenario_);
  if (hooks_.save) hooks_.save(pg::scenario_to_text(scenario_, -1));
}

// Where a forward job that did not finish leaves things, said in the banner; `finished_text` for one that did.
void Session::job_ended(const JobResult& result, const std::string& finished_text) {
  if (hooks_.job_ended) hooks_.job_ended();
  switch (result.outcome) {
    case JobOutcome::finished:
      if (!finished_text.empty()) set_message(finished_text, false);
      break;
    case JobOutcome::cancelled:
      set_message(text_format(result.kind == JobKind::check ? StrId::job_cancelled_check : StrId::job_cancelled_forward,
                              format_seconds(clock_s()).c_str()),
                  false);
      break;
    case JobOutcome::failed: set_message(text_format(StrId::job_failed, translate(result.error).c_str()), true); break;
    case JobOutcome::superseded:
    case JobOutcome::running: break;
  }
}

uint64_t Session::step() {
  if (!sim()) return 0;
  settle_staged();
  const pg::time_ns interval_ns = pg::ms_to_ns(scenario_.sample_interval_ms);
  return started(run_.advance_to(JobKind::step, sim()->now_ns() + interval_ns,
                                 [this](const JobResult& result) { job_ended(result, ""); }));
}

uint64_t Session::seek(double t_s) {
  if (!sim()) return 0;
  settle_staged();
  const double end_s = pg::ns_to_s(sim()->end_ns());
  if (!(t_s >= 0)) t_s = 0;  // also NaN
  const pg::time_ns target_ns = pg::s_to_ns(std::min(t_s, end_s));
  const bool backwards = target_ns < sim()->now_ns();
  const uint64_t id = run_.seek(target_ns, [this](const JobResult& result) { job_ended(result, ""); });
  if (backwards) run_changed();
  return started(id);
}

uint64_t Session::run_to_end() {
  if (!sim()) return 0;
  settle_staged();
  return started(run_.advance_to(JobKind::run_to_end, sim()->end_ns(),
                                 [this](const JobResult& result) { job_ended(result, ""); }));
}

uint64_t Session::check(int seeds) {
  if (!sim()) return 0;
  settle_staged();
  if (sim()->finished()) reset();   // "Check again": a fresh run from zero
  seeds_ = SeedRuns();
  seeds_.total = std::max(1, seeds);
  seeds_.started_s = now_s();
  return started(run_.advance_to(JobKind::check, sim()->end_ns(), [this](const JobResult& result) {
    if (result.outcome == JobOutcome::finished && sim() && !sim()->stopped_by_budget()) start_next_seed();
    if (hooks_.check_ended) hooks_.check_ended();
    job_ended(result, "");
  }));
}

bool Session::announce_budget_stop() {
  if (!sim() || !sim()->stopped_by_budget() || budget_reported_ == sim()) return false;
  budget_reported_ = sim();
  set_message(text_format(StrId::budget_stopped, translate(sim()->budget_message()).c_str()), true);
  return true;
}

// ---- questions ----------------------------------------------------------------------------------------------------

std::string Session::job_label() const {
  const JobStatus status = run_.status();
  switch (status.kind) {
    case JobKind::run_to_end: return text(StrId::job_run_to_end);
    case JobKind::step: return text(StrId::job_step);
    case JobKind::seek: return text(status.start_ns == 0 && status.target_ns > 0 ? StrId::job_seek_back
                                                                                 : StrId::job_seek);
    case JobKind::rebuild: return text(StrId::job_rebuild);
    case JobKind::check:
      if (seeds_.run && !run_.busy())
        return text_format(StrId::job_check_seed, (int)seeds_.reports.size() + 2, seeds_.total);
      return text(StrId::job_check);
    case JobKind::open_link: return text(StrId::job_open_link);
    case JobKind::none: break;
  }
  return "";
}

std::string Session::job_json() const {
  const JobStatus status = job_status();
  // Member by member: an initialiser list of pairs costs the page several times the code (docs/i18n.md).
  nlohmann::json out = nlohmann::json::object();
  out["active"] = status.active;
  out["id"] = status.id;
  out["kind"] = job_kind_name(status.kind);
  out["label"] = status.active ? job_label() : std::string();
  out["progress"] = status.progress;
  out["now_s"] = pg::ns_to_s(status.now_ns);
  out["target_s"] = pg::ns_to_s(status.target_ns);
  out["events"] = status.events;
  out["elapsed_s"] = status.elapsed_s;
  out["staged"] = status.staged;
  out["last_id"] = last_job_id_;
  return out.dump();
}

double Session::clock_s() const { return sim() ? pg::ns_to_s(sim()->now_ns()) : 0.0; }

uint64_t Session::events_processed() const { return sim() ? sim()->events_processed() : 0; }

std::string Session::trace_hash_hex() const { return sim() ? sim()->trace_hash_hex() : std::string(); }

std::string Session::report_json() const { return sim() ? sim()->report().dump() : std::string("null"); }

std::string Session::scenario_json() const { return pg::scenario_to_text(scenario_, 2); }

std::string Session::link(const std::string& page_url) const {
  LinkEncode encoded = pgweb::encode_link(scenario_);
  if (!encoded.ok()) return "";
  return link_url(page_url, encoded.fragment);
}

std::string Session::link_error() const {
  LinkEncode encoded = pgweb::encode_link(scenario_);
  return encoded.ok() ? std::string() : encoded.error;
}

void Session::set_message(std::string text, bool is_error, std::string detail) {
  message_headline_ = std::move(text);
  message_detail_ = std::move(detail);
  message_ = message_headline_;
  if (!message_detail_.empty()) message_ += "\n" + text_format(StrId::message_details, message_detail_.c_str());
  message_is_error_ = is_error;
}

// One row per sample; columns per request type and per service, read straight from the engine's series.
std::string Session::metrics_csv() const {
  if (!sim()) return "";
  const pg::World& world = sim()->world();
  std::string out = "t_s";
  for (const pg::RequestSpec& request : scenario_.requests)
    for (const char* column : {"throughput_per_s", "failures_per_s", "p50_ms", "p99_ms"})
      out += "," + request.name + "." + column;
  for (const pg::ServiceSpec& service : world.services.specs)
    for (const char* column : {"utilization", "queue_length", "throughput_per_s", "failures_per_s"})
      out += "," + service.name + "." + column;
  out += "\n";
  char cell[40];
  auto add = [&](const pg::Series& series, uint64_t i) {
    std::snprintf(cell, sizeof cell, ",%.6g", i < series.size() ? series.at(i) : 0.0);
    out += cell;
  };
  for (uint64_t i = 0; i < world.time_axis.size(); ++i) {
    std::snprintf(cell, sizeof cell, "%.6g", world.time_axis.at(i));
    out += cell;
    for (const pg::RequestStats& r : world.request_stats) {
      add(r.throughput, i);
      add(r.failures, i);
      add(r.p50_ms, i);
      add(r.p99_ms, i);
    }
    for (const pg::ServiceSeries& s : world.services.series()) {
      add(s.utilization, i);
      add(s.line_length, i);
      add(s.throughput, i);
      add(s.failures, i);
    }
    out += "\n";
  }
  return out;
}

}  // namespace pgweb
