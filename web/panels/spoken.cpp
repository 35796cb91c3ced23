// The run as text, for those who cannot see the canvas: the key figures (clock, requests completed, errors, each
// request type's p99), the exercise's goal statuses and the latest event-log lines, in the page's language.
// window.playground's page side (web/platform/glue.js, the spoken report) asks for it a couple of times a second and
// writes it into a visually hidden DOM region screen readers read; the goals list there is aria-live, so a goal
// that passes or fails is announced. The text is made here so every word comes from the one string table.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/run/world.hpp"
#include "engine/scenario/localized_texts.hpp"
#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

namespace {

constexpr size_t spoken_log_lines = 5;

nlohmann::json figure_lines(const App& app, const nlohmann::json& report) {
  const pg::Simulation* sim = app.simulation();
  nlohmann::json lines = nlohmann::json::array();
  lines.push_back(text_format(StrId::spoken_clock, app.clock_s(), pg::ns_to_s(sim->end_ns())));
  lines.push_back(text(app.playing()      ? StrId::spoken_state_playing
                       : sim->finished()  ? StrId::spoken_state_finished
                                          : StrId::spoken_state_paused));
  uint64_t completed = 0, failed = 0;
  nlohmann::json per_type = nlohmann::json::array();
  const nlohmann::json requests = report.value("requests", nlohmann::json::object());
  for (auto it = requests.begin(); it != requests.end(); ++it) {
    const std::string& name = it.key();
    const nlohmann::json& stats = it.value();
    // Counts as plain digits: a screen reader groups them itself, where a thin space would be read out.
    const uint64_t type_completed = stats.value("completed", (uint64_t)0), type_failed = stats.value("failed", (uint64_t)0);
    completed += type_completed;
    failed += type_failed;
    const nlohmann::json latency = stats.value("latency_ms", nlohmann::json::object());
    const std::string done = std::to_string(type_completed), errors = std::to_string(type_failed);
    if (latency.value("count", (uint64_t)0) > 0)
      per_type.push_back(text_format(StrId::spoken_request, name.c_str(), done.c_str(), errors.c_str(),
                                     latency.value("p99", 0.0)));
    else
      per_type.push_back(text_format(StrId::spoken_request_no_latency, name.c_str(), done.c_str(), errors.c_str()));
  }
  lines.push_back(text_format(StrId::spoken_completed, std::to_string(completed).c_str()));
  lines.push_back(text_format(StrId::spoken_errors, std::to_string(failed).c_str()));
  for (const nlohmann::json& line : per_type) lines.push_back(line);
  return lines;
}

// The goals as the exercise panel shows them (panels/exercise.cpp, status_of): pending before the run has started,
// holding so far while it runs, passed or failed at its end; each with its label in the page's language.
nlohmann::json goal_lines(const std::vector<pg::GoalResult>& goals, const pg::Scenario& scenario, bool finished,
                          bool started) {
  nlohmann::json lines = nlohmann::json::array();
  const pg::ScenarioTexts texts = pg::localized_texts(scenario, lang_code(language()));
  const bool translated = language() != Lang::en;
  for (size_t i = 0; i < goals.size(); ++i) {
    const pg::GoalResult& goal = goals[i];
    const StrId status = finished            ? (goal.passed ? StrId::goal_passed : StrId::goal_failed)
                         : goal.passed && started ? StrId::goal_holding
                                                  : StrId::goal_pending;
    const std::string& label = translated && i < texts.goal_labels.size() ? texts.goal_labels[i] : goal.label;
    lines.push_back(text_format(StrId::spoken_goal, text(status), label.c_str()));
  }
  return lines;
}

nlohmann::json log_lines(const pg::World& world) {
  nlohmann::json lines = nlohmann::json::array();
  const size_t count = world.log_entries.size();
  for (size_t i = count > spoken_log_lines ? count - spoken_log_lines : 0; i < count; ++i) {
    const pg::LogEntry& entry = world.log_entries[i];
    const std::string line = language() == Lang::en ? entry.text : translate(entry.text);
    lines.push_back(text_format(StrId::spoken_log_line, pg::ns_to_s(entry.time), line.c_str()));
  }
  if (lines.empty()) lines.push_back(text(StrId::spoken_log_empty));
  return lines;
}

// The keyboard's way to the transport, the views and the File actions (glue_present.js makes them buttons): each
// entry is [action, name in the page's language]; "view:Charts" selects that view.
nlohmann::json control_names(const App& app) {
  nlohmann::json out = nlohmann::json::array();
  const auto add = [&out](const char* action, StrId id) { out.push_back({action, text(id)}); };
  add("play", app.playing() ? StrId::menu_pause : StrId::menu_play);
  add("step", StrId::menu_step);
  add("reset", StrId::menu_reset);
  add("end", StrId::menu_run_to_end);
  add("view:Charts", StrId::tab_charts);
  add("view:Architecture", StrId::tab_architecture);
  add("view:Ring", StrId::tab_ring);
  add("view:Locks", StrId::tab_locks);
  add("view:Queues", StrId::tab_queues);
  add("link", StrId::menu_copy_link);
  add("qr", StrId::menu_show_qr);
  add("embed", StrId::menu_copy_embed);
  return out;
}

}  // namespace

std::string App::spoken_report_json() const {
  nlohmann::json out = nlohmann::json::object();   // member by member: smaller code than one initialiser
  out["lang"] = lang_code(language());
  out["title"] = text(StrId::spoken_title);
  out["goals_title"] = text(StrId::spoken_goals_title);
  out["log_title"] = text(StrId::spoken_log_title);
  out["controls_title"] = text(StrId::spoken_controls_title);
  out["controls"] = control_names(*this);
  if (!sim()) return out.dump();
  const nlohmann::json report = sim()->report(false);
  out["figures"] = figure_lines(*this, report);
  bool decided = false;
  out["goals"] = exercise_.active ? goal_lines(exercise_goals(report, decided), scenario(), decided,
                                               sim()->events_processed() > 0)
                                  : nlohmann::json::array();
  out["log"] = log_lines(sim()->world());
  return out.dump();
}

}  // namespace pgweb
