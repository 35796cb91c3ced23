// The exercise panel: shown above the main view's tabs when the loaded scenario has goals. It gives the task, each
// goal's live status on the current run (pending, holding so far, passed or failed at the end), the parameters the
// exercise lets the student change (with editors, including the lock/cache/queue fields the parameter panel does
// not show), hints revealed one at a time, and a Check button that runs to the end and shows the verdict. Check is
// a job (web/run_control.hpp): its progress bar and Cancel sit under the header while it runs, and the cost
// estimate says beforehand when it will take a while.
//
// The verdict is the CLI's (playground-cli check): pg::evaluate_goals on the engine's report, and
// pg::forbidden_changes against the exercise *as given* (the baseline), so loading one's own answer file is still
// checked against the original, and an intervention or a locked parameter makes the answer invalid, as in class.
// Goals are re-evaluated at most 4 times a second (building a report walks every histogram), not every frame.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>

#include <imgui.h>

#include "engine/scenario/localized_texts.hpp"

#include "web/app.hpp"
#include "web/panels/field_editor.hpp"
#include "web/library.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

constexpr double goals_refresh_s = 0.25;

const ImVec4 colour_passed(0.36f, 0.80f, 0.47f, 1.0f);
const ImVec4 colour_failed(0.93f, 0.40f, 0.36f, 1.0f);
const ImVec4 colour_holding(0.45f, 0.75f, 0.85f, 1.0f);
const ImVec4 colour_pending(0.85f, 0.72f, 0.40f, 1.0f);

enum class GoalStatus { pending, holding, passed, failed };

// Before the run has simulated anything every goal is pending: "holding so far" at time zero would claim a result
// the run has not produced yet.
GoalStatus status_of(const pg::GoalResult& goal, bool finished, bool started) {
  if (finished) return goal.passed ? GoalStatus::passed : GoalStatus::failed;
  return goal.passed && started ? GoalStatus::holding : GoalStatus::pending;
}

const char* status_word(GoalStatus status) {
  switch (status) {
    case GoalStatus::pending: return text(StrId::goal_pending);
    case GoalStatus::holding: return text(StrId::goal_holding);
    case GoalStatus::passed: return text(StrId::goal_passed);
    case GoalStatus::failed: return text(StrId::goal_failed);
  }
  return "";
}

const char* status_key(GoalStatus status) {
  switch (status) {
    case GoalStatus::pending: return "pending";
    case GoalStatus::holding: return "holding";
    case GoalStatus::passed: return "passed";
    case GoalStatus::failed: return "failed";
  }
  return "";
}

ImVec4 status_colour(GoalStatus status) {
  switch (status) {
    case GoalStatus::pending: return colour_pending;
    case GoalStatus::holding: return colour_holding;
    case GoalStatus::passed: return colour_passed;
    case GoalStatus::failed: return colour_failed;
  }
  return colour_pending;
}

const char* status_icon(GoalStatus status) {
  switch (status) {
    case GoalStatus::pending: return "\u25CB";   // white circle
    case GoalStatus::holding: return "\u25D0";   // half circle
    case GoalStatus::passed: return "\u2714";    // heavy check mark
    case GoalStatus::failed: return "\u2718";    // heavy ballot x
  }
  return "";
}

std::string number_text(double v) {
  char text[32];
  if (v == (double)(long long)v && v < 1e15 && v > -1e15) std::snprintf(text, sizeof text, "%lld", (long long)v);
  else std::snprintf(text, sizeof text, "%.4g", v);
  return text;
}

std::string status_text(GoalStatus status) { return std::string(status_icon(status)) + " " + status_word(status); }

// The status column's width: its widest status, or its header if wider, in the page's language.
float status_column_width() {
  float width = ImGui::CalcTextSize(text(StrId::goals_status)).x;
  for (GoalStatus status : {GoalStatus::pending, GoalStatus::holding, GoalStatus::passed, GoalStatus::failed})
    width = std::max(width, ImGui::CalcTextSize(status_text(status).c_str()).x);
  return width;
}

// A number column: 5 em, or its header if that is wider.
float number_column_width(StrId header) {
  return std::max(ImGui::GetFontSize() * 5, ImGui::CalcTextSize(text(header)).x);
}

// Items separated as a list in the page's language, at most `max_items` of them.
std::string join_list(const std::vector<std::string>& items, size_t max_items = SIZE_MAX) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < max_items; ++i) out += (i ? text(StrId::list_separator) : "") + items[i];
  return out;
}

// The operator as written in the goal ("<=", not a "\u2264" the embedded font subset does not have).
std::string op_text(const std::string& op) { return op; }

}  // namespace

// ---- state ---------------------------------------------------------------------------------------------------------

void App::exercise_loaded() {
  if (author_scenario_loaded()) return;   // authoring: the teacher's mode stays (panels/exercise_author.cpp)
  ExerciseUi& e = exercise_;
  if (scenario().goals.empty()) {
    e = ExerciseUi();
    return;
  }
  // An answer to the exercise already loaded (same name, task and goals) keeps being checked against the original.
  const bool same = e.active && e.baseline.name == scenario().name && e.baseline.exercise == scenario().exercise &&
                    pg::scenario_to_json(e.baseline)["goals"] == pg::scenario_to_json(scenario())["goals"];
  if (!same) {
    e = ExerciseUi();
    e.active = true;
    e.baseline = scenario();
    // A file or link carrying a built-in exercise is checked against the built-in, as the teacher wrote it.
    for (const LibraryEntry& entry : scenario_library()) {
      if (!entry.valid || entry.name != scenario().name) continue;
      pg::ScenarioParse parsed = pg::parse_scenario(entry.json_text);
      if (parsed.ok() && parsed.scenario.exercise == scenario().exercise) e.baseline = std::move(parsed.scenario);
      break;
    }
    e.info = pg::exercise_info(e.baseline);
  }
  e.refreshed_s = -1;
  e.refreshed_events = UINT64_MAX;
}

std::vector<pg::GoalResult> App::exercise_goals(const nlohmann::json& report, bool& decided) const {
  std::vector<pg::GoalResult> goals = pg::evaluate_goals(exercise_.baseline, report);
  const int seeds = exercise_.info.seeds;
  decided = sim() && sim()->finished();
  if (seeds <= 1 || !decided) return goals;
  if (session_->check_seeds() != seeds || !session_->seed_runs_complete()) {
    decided = false;   // this seed's run ended, the others have not run (yet)
    return goals;
  }
  std::vector<std::vector<pg::GoalResult>> per_seed = {goals};
  for (const nlohmann::json& other : session_->seed_reports())
    per_seed.push_back(pg::evaluate_goals(exercise_.baseline, other));
  return pg::goals_over_seeds(per_seed);
}

bool App::param_locked(const std::string& path) const {
  return exercise_.active && !pg::path_allowed(exercise_.info.allowed, path);
}

std::string App::goals_json() const {
  nlohmann::json out = nlohmann::json::object();
  out["exercise"] = exercise_.active;
  if (!exercise_.active || !sim()) return out.dump();
  bool finished = false;
  const bool started = sim()->events_processed() > 0;
  std::vector<pg::GoalResult> goals = exercise_goals(sim()->report(), finished);
  std::vector<std::string> locked = pg::forbidden_changes(exercise_.baseline, scenario());
  bool all = locked.empty();
  nlohmann::json list = nlohmann::json::array();
  for (const pg::GoalResult& g : goals) {
    const GoalStatus status = status_of(g, finished, started);
    all = all && g.passed;
    nlohmann::json goal = nlohmann::json::object();   // member by member: smaller code than one initialiser
    goal["label"] = g.label;
    goal["metric"] = g.metric;
    goal["op"] = g.op;
    goal["target"] = g.target;
    goal["value"] = g.found ? nlohmann::json(g.value) : nlohmann::json();
    goal["status"] = status_key(status);
    if (exercise_.info.seeds > 1 && finished) goal["held_on"] = g.held_on;
    list.push_back(std::move(goal));
  }
  out["seeds"] = exercise_.info.seeds;
  out["task"] = exercise_.info.task;
  out["allowed"] = exercise_.info.allowed;
  out["finished"] = finished;
  out["clock_s"] = clock_s();
  out["locked_changes"] = locked;
  out["goals"] = list;
  out["hints_shown"] = exercise_.hints_shown;
  out["passed"] = finished && all;
  return out.dump();
}

// ---- drawing -------------------------------------------------------------------------------------------------------

void App::draw_exercise_panel() {
  ExerciseUi& e = exercise_;
  if (!e.active || !sim()) return;

  // Re-evaluate a few times a second, and at once when the run has moved on to its end.
  const bool run_over = sim()->finished();
  const uint64_t events = sim()->events_processed();
  if (events != e.refreshed_events &&
      (real_time_s_ - e.refreshed_s >= goals_refresh_s || e.refreshed_s < 0 || run_over)) {
    e.goals = exercise_goals(sim()->report(), e.decided);
    e.locked_changes = pg::forbidden_changes(e.baseline, scenario());
    e.refreshed_s = real_time_s_;
    e.refreshed_events = events;
  }
  size_t holding = 0;
  for (const pg::GoalResult& g : e.goals) holding += g.passed ? 1 : 0;
  const bool valid = e.locked_changes.empty();
  const bool finished = e.decided && run_over;   // the verdict is final (over every seed, when it has several)
  const bool solved = finished && valid && holding == e.goals.size();
  course_exercise_seen(finished, solved);
  const bool started = events > 0;

  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float available = ImGui::GetContentRegionAvail().y;
  // As tall as its content was last frame, within [6 lines, half the area], so the view below keeps its room.
  const float content = e.content_height > 0 ? e.content_height : available * 0.46f;
  const bool checking = busy() && session_->job_status().kind == JobKind::check;   // a progress row under the header
  const float rows = (checking ? 2.0f : 1.0f) + (author_.preview ? 1.0f : 0.0f);   // and the preview's bar
  const float height = e.collapsed ? ImGui::GetFrameHeightWithSpacing() * rows + 10
                                   : std::floor(std::clamp(content, line * 6, available * 0.5f));
  const ImVec4 background = solved ? ImVec4(0.10f, 0.26f, 0.16f, 1.0f) : ImVec4(0.10f, 0.12f, 0.15f, 1.0f);
  ImGui::PushStyleColor(ImGuiCol_ChildBg, background);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 6));
  if (!ImGui::BeginChild("exercise", ImVec2(0, height), true, ImGuiWindowFlags_AlwaysUseWindowPadding)) {
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    return;
  }

  if (author_.preview) draw_author_preview_bar();   // previewing what is being authored: the way back
  // Header: what this is, where it stands, and the Check button on the right.
  if (ImGui::ArrowButton("##fold", e.collapsed ? ImGuiDir_Right : ImGuiDir_Down)) e.collapsed = !e.collapsed;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(e.collapsed ? StrId::exercise_show : StrId::exercise_fold));
  ImGui::SameLine();
  ImGui::TextDisabled("%s", text(StrId::exercise_header));
  ImGui::SameLine();
  std::string summary;
  if (!valid) summary = text(StrId::exercise_not_checkable);
  else if (solved) summary = text_format(StrId::exercise_solved_summary, e.goals.size());
  else if (finished) summary = text_format(StrId::exercise_failed_summary, e.goals.size() - holding, e.goals.size());
  else if (run_over && !checking) summary = text_format(StrId::exercise_seeds_pending, e.info.seeds);
  else if (!started) summary = text_format(StrId::exercise_pending_summary, e.goals.size());
  else
    summary = text_format(StrId::exercise_holding_summary, holding, e.goals.size(), format_seconds(clock_s()).c_str());
  const ImVec4 summary_colour = !valid || (finished && !solved) ? colour_failed
                                : solved                       ? colour_passed
                                : started                      ? colour_holding
                                                               : colour_pending;
  const char* check_label = text(run_over ? StrId::check_again : StrId::check);
  const float padding = ImGui::GetStyle().FramePadding.x * 2, spacing = ImGui::GetStyle().ItemSpacing.x;
  const float check_width = ImGui::CalcTextSize(check_label).x + padding;
  // The next hint's button sits in the header, beside Check, so a tall panel never hides it below its fold.
  const bool more_hints = !e.collapsed && e.hints_shown < (int)e.info.hints.size();
  const std::string hint_label =
      more_hints ? text_format(StrId::hint_show, e.hints_shown + 1, e.info.hints.size()) : std::string();
  // On a narrow panel (a phone) the hint's button goes under the header when it would push Check out of the panel,
  // and the summary takes a line of its own when it does not fit beside the buttons: nothing is cut.
  const float room = ImGui::GetWindowContentRegionMax().x - ImGui::GetCursorPosX();
  const float hint_needs = more_hints ? ImGui::CalcTextSize(hint_label.c_str()).x + padding + spacing : 0;
  const bool hint_in_header = more_hints && check_width + hint_needs + 8 <= room;
  const float hint_width = hint_in_header ? hint_needs : 0;
  const bool summary_fits = ImGui::CalcTextSize(summary.c_str()).x + 8 + check_width + hint_width <= room;
  if (summary_fits) ImGui::TextColored(summary_colour, "%s", summary.c_str());
  ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 8, ImGui::GetWindowContentRegionMax().x - check_width - hint_width));
  if (hint_in_header) {
    if (ImGui::Button(hint_label.c_str())) ++e.hints_shown;
    remember_rect("exercise_hint");
    ImGui::SameLine();
  }
  ImGui::BeginDisabled(busy());
  if (ImGui::Button(check_label)) check();
  ImGui::EndDisabled();
  remember_rect("exercise_check");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", text(StrId::check_tooltip));
  if (!summary_fits) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(summary_colour, "%s", summary.c_str());
    ImGui::PopTextWrapPos();
  }
  if (more_hints && !hint_in_header) {
    if (ImGui::Button(hint_label.c_str())) ++e.hints_shown;
    remember_rect("exercise_hint");
  }
  if (checking) {
    draw_job_progress("exercise_cancel");
  } else if (page_seconds_estimate() > long_run_warning_s && !finished) {
    ImGui::TextColored(colour_pending, "%s",
                       text_format(StrId::cost_check_takes, format_seconds(page_seconds_estimate()).c_str()).c_str());
    remember_rect("exercise_cost");
  }
  if (e.collapsed) {
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    return;
  }

  const float wrap = ImGui::GetContentRegionAvail().x;
  if (solved) {
    ImGui::Spacing();
    ImGui::SetWindowFontScale(1.35f);
    ImGui::PushStyleColor(ImGuiCol_Text, colour_passed);
    ImGui::TextUnformatted(text(StrId::exercise_solved));
    ImGui::PopStyleColor();
    ImGui::SetWindowFontScale(1.0f);
    ImGui::TextWrapped("%s", text(StrId::exercise_solved_text));
    remember_rect("exercise_solved");
  } else if (!valid) {
    ImGui::PushStyleColor(ImGuiCol_Text, colour_failed);
    const std::string changes = text_format(StrId::exercise_locked_changes, join_list(e.locked_changes, 4).c_str());
    ImGui::PushTextWrapPos(wrap);
    ImGui::TextUnformatted(changes.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }

  // The exercise's own texts in the page's language (its i18n block; each falls back on its own to the English).
  const pg::ScenarioTexts texts = pg::localized_texts(scenario(), lang_code(language()));
  const bool translated = language() != Lang::en;
  const std::string& task = translated && !texts.task.empty() ? texts.task : e.info.task;
  ImGui::PushTextWrapPos(wrap);
  ImGui::TextUnformatted(task.empty() ? text(StrId::exercise_default_task) : task.c_str());
  if (e.info.seeds > 1) ImGui::TextDisabled("%s", text_format(StrId::exercise_seeds_note, e.info.seeds).c_str());
  ImGui::PopTextWrapPos();

  // Goals: status, label, the value now, the target.
  // A narrow panel (a phone) puts the value and the target under the goal's label instead of in columns of their own,
  // which would leave the label no room.
  const bool narrow = ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 28;
  if (ImGui::BeginTable("goals", narrow ? 2 : 4, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn(text(StrId::goals_status), ImGuiTableColumnFlags_WidthFixed, status_column_width());
    ImGui::TableSetupColumn(text(StrId::goals_goal), ImGuiTableColumnFlags_WidthStretch);
    if (!narrow) {
      ImGui::TableSetupColumn(text(StrId::goals_now), ImGuiTableColumnFlags_WidthFixed,
                              number_column_width(StrId::goals_now));
      ImGui::TableSetupColumn(text(StrId::goals_target), ImGuiTableColumnFlags_WidthFixed,
                              number_column_width(StrId::goals_target));
    }
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < e.goals.size(); ++i) {
      const pg::GoalResult& g = e.goals[i];
      const GoalStatus status = status_of(g, finished, started);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushStyleColor(ImGuiCol_Text, status_colour(status));
      ImGui::TextUnformatted(status_text(status).c_str());
      ImGui::PopStyleColor();
      ImGui::TableSetColumnIndex(1);
      ImGui::PushTextWrapPos(0);   // a narrow panel breaks the label into lines instead of cutting it
      ImGui::TextUnformatted(translated && i < texts.goal_labels.size() ? texts.goal_labels[i].c_str() : g.label.c_str());
      ImGui::PopTextWrapPos();
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text_format(StrId::goal_metric_tooltip, g.metric.c_str()).c_str());
      if (finished && e.info.seeds > 1) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", text_format(StrId::goal_held_on, (int)g.held_on, e.info.seeds).c_str());
      }
      const std::string now = g.found ? number_text(g.value) : "\u2013";
      const std::string target = op_text(g.op) + " " + number_text(g.target);
      if (narrow) {
        ImGui::TextDisabled("%s", text_format(StrId::label_detail, text(StrId::goals_now), now.c_str()).c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("%s", text_format(StrId::label_detail, text(StrId::goals_target), target.c_str()).c_str());
        continue;
      }
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(now.c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::TextUnformatted(target.c_str());
    }
    ImGui::EndTable();
  }
  remember_rect("exercise_goals");

  // The parameters the student may change, editable here whatever panel normally shows them.
  pg::Scenario edit = pending_edit_ ? *pending_edit_ : scenario();
  bool changed = false;
  bool any = false;
  for (const pg::FieldAddress& f : pg::field_addresses(edit)) {
    if (!field_editable(*f.ref.info) || !pg::path_allowed(e.info.allowed, f.path)) continue;
    if (!any) {
      ImGui::Spacing();
      ImGui::TextDisabled("%s", text(StrId::exercise_may_change_header));
      any = true;
    }
    ImGui::AlignTextToFramePadding();
    const std::string label = f.item_name.empty() ? field_label(*f.ref.info)
                                                  : text_format(StrId::label_detail, f.item_name.c_str(),
                                                                field_label(*f.ref.info).c_str());
    ImGui::TextUnformatted(label.c_str());
    if (Term term; term_for_field(f.ref.info->path, term)) mark_term(term);
    ImGui::SameLine(std::min(wrap * 0.45f, ImGui::GetFontSize() * 15));
    ImGui::SetNextItemWidth(std::min(wrap * 0.5f, ImGui::GetFontSize() * 12));
    changed |= edit_field(edit, f, false);
  }
  if (changed) pending_edit_ = std::make_unique<pg::Scenario>(edit);
  if (!any && !e.info.allowed.empty()) {
    ImGui::TextDisabled("%s", text_format(StrId::exercise_may_change, join_list(e.info.allowed).c_str()).c_str());
  }

  // Hints, one at a time.
  if (!e.info.hints.empty()) {
    ImGui::Spacing();
    for (int i = 0; i < e.hints_shown && i < (int)e.info.hints.size(); ++i) {
      ImGui::PushTextWrapPos(wrap);
      ImGui::TextColored(colour_pending, "%s", text_format(StrId::hint_number, i + 1).c_str());
      ImGui::SameLine();
      const size_t h = (size_t)i;
      ImGui::TextUnformatted(translated && h < texts.hints.size() ? texts.hints[h].c_str() : e.info.hints[h].c_str());
      ImGui::PopTextWrapPos();
    }
  }
  e.content_height = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
  ImGui::EndChild();
  remember_rect("exercise_panel");
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

}  // namespace pgweb
