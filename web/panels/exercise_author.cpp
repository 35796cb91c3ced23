// Exercise authoring (Exercise › Author an exercise…; docs/editor.md, "Authoring exercises"): a window beside the
// scenario panel where a teacher writes the task, adds goals with a metric picker (the report's numbers for this
// scenario, searchable, with their current values), the operator and the target, writes hints, marks the parameters
// a student may change by clicking them in the parameters panel, and sets the seeds; "Preview as student" shows the
// student's view (the exercise panel, only the marked parameters editable) with a way back. Every edit is one of
// web/editor/authoring.hpp's, applied through the session as any edit is (validated, undoable).
//
// While the window is open the page is in the teacher's mode: no exercise panel, every parameter editable. Closing it
// shows the exercise as a student gets it (as opening its link does); a scenario without goals stays a plain one.
#include <algorithm>
#include <cfloat>
#include <cstdio>

#include <imgui.h>
#include <imgui_internal.h>   // FindWindowByName: the window sits beside the scenario panel

#include "web/app.hpp"
#include "web/editor/authoring.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

const ImVec4 colour_marked(0.36f, 0.80f, 0.47f, 1.0f);
const ImVec4 colour_hover(0.95f, 0.75f, 0.35f, 1.0f);

std::string number_text(double v) {
  char out[32];
  std::snprintf(out, sizeof out, "%.6g", v);
  return out;
}

void dim_wrapped(const char* note) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", note);
  ImGui::PopStyleColor();
}

void heading(StrId title) {
  ImGui::Spacing();
  ImGui::TextUnformatted(text(title));
  ImGui::Separator();
}

}  // namespace

// A text of the scenario (the task, a hint): shown wrapped, as a student reads it, in a box that a click turns into a
// multiline editor (ImGui's does not wrap). True once an edit ends; the caller applies the box's text. `id` is
// "##name"; its rectangle is published as "name". `keep_right` leaves room on the line for a button.
bool App::author_text_box(const char* id, AuthorUi::TextBox& box, const std::string& current, float keep_right) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float width = ImGui::GetContentRegionAvail().x - keep_right, wrap = width - style.FramePadding.x * 2;
  if (!box.editing) std::snprintf(box.text, sizeof box.text, "%s", current.c_str());
  const float text_height = ImGui::CalcTextSize(box.text, nullptr, false, wrap).y;
  const float height = std::max(ImGui::GetTextLineHeight() * 2, text_height) + style.FramePadding.y * 2;
  if (!box.editing) {
    const ImVec2 at = ImGui::GetCursorScreenPos();
    if (ImGui::InvisibleButton(id, ImVec2(width, height))) box.editing = box.focus = true;
    remember_rect(id + 2);
    const bool hovered = ImGui::IsItemHovered();
    if (hovered) ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled(at, ImVec2(at.x + width, at.y + height),
                        ImGui::GetColorU32(hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg), style.FrameRounding);
    const ImVec2 text_at(at.x + style.FramePadding.x, at.y + style.FramePadding.y);
    draw->AddText(ImGui::GetFont(), ImGui::GetFontSize(), text_at, ImGui::GetColorU32(ImGuiCol_Text), box.text, nullptr,
                  wrap);
    return false;
  }
  if (box.focus) ImGui::SetKeyboardFocusHere();   // the click that opened it: type at once
  ImGui::InputTextMultiline(id, box.text, sizeof box.text, ImVec2(width, height));
  remember_rect(id + 2);
  const bool active = ImGui::IsItemActive();
  if (active) box.focus = false;
  box.editing = active || box.focus;
  return ImGui::IsItemDeactivatedAfterEdit();
}

void App::open_author(bool open) {
  AuthorUi& a = author_;
  if (open && a.preview) return preview_as_student(false);
  a.open = open;
  a.marking = false;
  if (open) exercise_ = ExerciseUi();   // the teacher's mode: every parameter editable, no verdicts
  else student_view();
}

void App::student_view() {
  exercise_ = ExerciseUi();
  if (scenario().goals.empty()) return;
  exercise_.active = true;
  exercise_.baseline = scenario();
  exercise_.info = pg::exercise_info(scenario());
}

void App::preview_as_student(bool on) {
  AuthorUi& a = author_;
  if (on) {
    if (scenario().goals.empty()) return;
    a.authored = std::make_unique<pg::Scenario>(scenario());
    a.open = a.marking = false;
    a.preview = true;
    student_view();
    reset();   // from time zero, as the student's link opens
    return;
  }
  // Back: what was tried in the preview is dropped; the exercise is as authored.
  a.preview = false;
  a.open = true;
  exercise_ = ExerciseUi();
  if (a.authored && pg::scenario_to_json(*a.authored) != pg::scenario_to_json(scenario())) apply_scenario(*a.authored);
  a.authored.reset();
}

bool App::author_scenario_loaded() {
  author_.preview = false;
  author_.authored.reset();
  if (!author_.open) return false;
  exercise_ = ExerciseUi();
  return true;
}

std::string App::author_json() const {
  nlohmann::json out = nlohmann::json::object();
  out["open"] = author_.open;
  out["marking"] = author_.marking;
  out["preview"] = author_.preview;
  out["metric"] = author_.metric;
  out["op"] = authoring::goal_ops[author_.op];
  out["target"] = author_.target;
  out["metrics"] = author_.metrics.size();
  return out.dump();
}

void App::draw_exercise_menu() {
  const bool menu = ImGui::BeginMenu(labelled(StrId::menu_exercise, "exercise").c_str());
  remember_rect("menu_exercise");
  if (!menu) return;
  if (ImGui::MenuItem(text(StrId::author_menu), nullptr, author_.open || author_.preview)) open_author(!author_.open);
  remember_rect("menu_author");
  ImGui::EndMenu();
}

// The parameters panel calls this after each field's editor: a field a student may change is outlined; while marking,
// a click on a field marks or unmarks it.
void App::author_mark(const std::string& path) {
  AuthorUi& a = author_;
  if (!a.open) return;
  if (a.allowed_frame != ImGui::GetFrameCount()) {
    a.allowed = pg::exercise_info(scenario()).allowed;
    a.allowed_frame = ImGui::GetFrameCount();
  }
  const bool marked = pg::path_allowed(a.allowed, path);
  const bool hovered = a.marking && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled);
  if (!marked && !hovered) return;
  const ImVec2 min = ImGui::GetItemRectMin(), max = ImGui::GetItemRectMax();
  ImGui::GetWindowDrawList()->AddRect(ImVec2(min.x - 2, min.y - 2), ImVec2(max.x + 2, max.y + 2),
                                      ImGui::GetColorU32(hovered ? colour_hover : colour_marked), 3, 0, 2);
  if (!hovered) return;
  ImGui::SetTooltip("%s", text(marked ? StrId::author_marked : StrId::author_unmarked));
  if (ImGui::IsMouseClicked(0)) apply_scenario(authoring::toggle_allowed(scenario(), path));
}

void App::draw_author_preview_bar() {
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(colour_hover, "%s", text(StrId::author_preview_bar));
  ImGui::SameLine();
  if (ImGui::Button(text(StrId::author_back))) preview_as_student(false);
  remember_rect("author_back");
  ImGui::Separator();
}

void App::draw_author_window() {
  AuthorUi& a = author_;
  if (!a.open) return;
  // Over the main view: beside the scenario panel, whose parameters are clicked to mark them, under the transport bar
  // (Play, End) and left of the inspector, so nothing is half covered.
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImGuiWindow* scenario_panel = ImGui::FindWindowByName("Scenario");
  const ImGuiWindow* transport = ImGui::FindWindowByName("Transport");
  const ImGuiWindow* inspector = ImGui::FindWindowByName("Inspector");
  const float left = scenario_panel && scenario_panel->WasActive ? scenario_panel->Pos.x + scenario_panel->Size.x : 0;
  const float right = inspector && inspector->WasActive ? inspector->Pos.x : display.x;
  const float top =
      (transport && transport->WasActive ? transport->Pos.y + transport->Size.y : ImGui::GetFrameHeight()) + 4;
  const float width = right - left - 12;
  ImGui::SetNextWindowPos(ImVec2(left + 6, top), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(width, display.y - top - 6), ImGuiCond_Always);
  ImGui::SetNextWindowBgAlpha(1.0f);
  const bool shown = ImGui::Begin(labelled(StrId::author_title, "author").c_str(), &a.open,
                                  ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                      ImGuiWindowFlags_NoSavedSettings);
  if (!a.open) {   // its close button: the student's view of what was authored
    ImGui::End();
    return open_author(false);
  }
  if (!shown) return ImGui::End();
  remember_rect("author_window");
  const pg::Scenario& s = scenario();
  const pg::ExerciseInfo info = pg::exercise_info(s);
  const float em = ImGui::GetFontSize();

  // What this is, where it stands, and what to do with it.
  dim_wrapped(text(StrId::author_intro));
  ImGui::Spacing();
  ImGui::BeginDisabled(s.goals.empty());
  if (ImGui::Button(text(StrId::author_preview))) preview_as_student(true);
  ImGui::EndDisabled();
  remember_rect("author_preview");
  if (s.goals.empty() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("%s", text(StrId::author_preview_needs_goal));
  ImGui::SameLine();
  if (ImGui::Button(text(StrId::menu_copy_link))) copy_link();
  remember_rect("author_copy_link");
  ImGui::SameLine();
  if (ImGui::Button(text(StrId::menu_download_json))) download_scenario();
  remember_rect("author_download");
  // Where it stands, beside the buttons when it fits.
  const std::string summary = s.goals.empty() ? std::string(text(StrId::author_not_yet))
                                              : text_format(StrId::author_summary, (int)s.goals.size(),
                                                            (int)info.allowed.size(), (int)info.hints.size());
  const float line_end = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + em + ImGui::CalcTextSize(summary.c_str()).x <= line_end) ImGui::SameLine(0, em);
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(s.goals.empty() ? colour_hover : colour_marked, "%s", summary.c_str());

  // Two columns when there is room: the task and the goals; the hints, the marked parameters and the seeds.
  const bool two = ImGui::GetContentRegionAvail().x >= em * 36 &&
                   ImGui::BeginTable("author_columns", 2, ImGuiTableFlags_SizingStretchSame);
  if (two) ImGui::TableNextColumn();

  // The task.
  heading(StrId::author_task);
  if (author_text_box("##author_task", a.task, info.task, 0))
    apply_scenario(authoring::set_task(s, a.task.text));
  if (info.task.empty() && !a.task.editing) dim_wrapped(text(StrId::author_task_hint));

  // The goals: each with its value on the run now and a button that removes it.
  heading(StrId::author_goals);
  const nlohmann::json& report = cached_report();
  if (s.goals.empty()) dim_wrapped(text(StrId::author_no_goals));
  else if (ImGui::BeginTable("author_goals", 4, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn(text(StrId::goals_goal), ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn(text(StrId::goals_now), ImGuiTableColumnFlags_WidthFixed, em * 4.5f);
    ImGui::TableSetupColumn(text(StrId::goals_target), ImGuiTableColumnFlags_WidthFixed, em * 5);
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, em * 1.5f);
    ImGui::TableHeadersRow();
    int remove = -1;
    for (size_t i = 0; i < s.goals.size(); ++i) {
      const pg::GoalSpec& g = s.goals[i];
      ImGui::PushID((int)i);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushTextWrapPos(0);
      ImGui::TextUnformatted(pg::goal_label(g).c_str());
      if (!g.label.empty()) ImGui::TextDisabled("%s", g.metric.c_str());
      ImGui::PopTextWrapPos();
      ImGui::TableSetColumnIndex(1);
      double value = 0;
      ImGui::TextUnformatted(pg::report_metric(report, g.metric, value) ? number_text(value).c_str() : "\u2013");
      ImGui::TableSetColumnIndex(2);
      ImGui::Text("%s %s", g.op.c_str(), number_text(g.value).c_str());
      ImGui::TableSetColumnIndex(3);
      if (ImGui::SmallButton("\u2715")) remove = (int)i;
      remember_rect(("author_remove_goal:" + std::to_string(i)).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::author_remove_goal));
      ImGui::PopID();
    }
    ImGui::EndTable();
    if (remove >= 0) apply_scenario(authoring::remove_goal(s, (size_t)remove));
  }

  // A new goal: the metric (picked from the report's numbers), the operator, the target, a label.
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text(StrId::author_add_goal_header));
  const float label_width = std::max(em * 5, ImGui::CalcTextSize(text(StrId::author_op)).x + em);
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::author_metric));
  ImGui::SameLine(label_width);
  const std::string chosen = a.metric.empty() ? std::string(text(StrId::author_choose_metric)) : a.metric;
  const float field_width = std::min(em * 24, ImGui::GetContentRegionAvail().x);
  if (ImGui::Button((chosen + "###author_metric").c_str(), ImVec2(field_width, 0))) {
    a.metrics = sim() ? authoring::report_metrics(sim()->report(false)) : std::vector<authoring::Metric>{};
    a.metrics_at_s = clock_s();
    a.metrics_final = sim() && sim()->finished();
    a.search[0] = 0;
    ImGui::OpenPopup("author_metric_picker");
  }
  remember_rect("author_metric");
  draw_author_metric_picker();

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::author_op));
  ImGui::SameLine(label_width);
  for (int i = 0; i < (int)authoring::goal_op_count; ++i) {
    if (i) ImGui::SameLine(0, 4);
    const bool on = a.op == i;
    ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(on ? ImGuiCol_ButtonActive : ImGuiCol_FrameBg));
    const float op_width = ImGui::CalcTextSize(authoring::goal_ops[i]).x + ImGui::GetStyle().FramePadding.x * 2;
    if (ImGui::Button(authoring::goal_ops[i], ImVec2(std::max(em * 2, op_width), 0))) a.op = i;
    ImGui::PopStyleColor();
    remember_rect((std::string("author_op:") + authoring::goal_ops[i]).c_str());
  }

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::goals_target));
  ImGui::SameLine(label_width);
  ImGui::SetNextItemWidth(em * 8);
  ImGui::InputDouble("##author_target", &a.target, 0, 0, "%.6g");
  remember_rect("author_target");

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::author_label));
  ImGui::SameLine(label_width);
  ImGui::SetNextItemWidth(std::min(em * 24, ImGui::GetContentRegionAvail().x));
  ImGui::InputTextWithHint("##author_label", text(StrId::author_label_hint), a.label, sizeof a.label);
  remember_rect("author_label");

  ImGui::BeginDisabled(a.metric.empty());
  if (ImGui::Button(text(StrId::author_add_goal))) {
    const pg::GoalSpec goal = authoring::make_goal(a.metric, authoring::goal_ops[a.op], a.target, a.label);
    apply_scenario(authoring::add_goal(s, goal));
    a.metric.clear();
    a.label[0] = 0;
  }
  ImGui::EndDisabled();
  remember_rect("author_add_goal");

  // Hints: each editable and removable, then a box for a new one.
  if (two) ImGui::TableNextColumn();
  heading(StrId::author_hints);
  a.hints.resize(info.hints.size());
  int remove_hint = -1;
  const float remove_width = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemSpacing.x;
  for (size_t i = 0; i < info.hints.size(); ++i) {
    ImGui::PushID((int)i);
    const std::string id = "##author_hint:" + std::to_string(i);
    if (author_text_box(id.c_str(), a.hints[i], info.hints[i], remove_width))
      apply_scenario(authoring::set_hint(s, i, a.hints[i].text));
    ImGui::SameLine();
    if (ImGui::SmallButton("\u2715")) remove_hint = (int)i;
    remember_rect(("author_remove_hint:" + std::to_string(i)).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::author_remove_hint));
    ImGui::PopID();
  }
  if (remove_hint >= 0) apply_scenario(authoring::remove_hint(s, (size_t)remove_hint));
  AuthorUi::TextBox& fresh = a.new_hint;
  fresh.editing = true;   // its text is its own until added
  author_text_box("##author_new_hint", fresh, "", 0);
  if (!fresh.text[0] && !ImGui::IsItemActive()) {   // the box's hint, drawn inside it
    const ImVec2 min = ImGui::GetItemRectMin(), pad = ImGui::GetStyle().FramePadding;
    const ImVec2 at(min.x + pad.x, min.y + pad.y);
    ImGui::GetWindowDrawList()->AddText(at, ImGui::GetColorU32(ImGuiCol_TextDisabled), text(StrId::author_new_hint));
  }
  ImGui::BeginDisabled(!fresh.text[0]);
  if (ImGui::Button(text(StrId::author_add_hint))) {
    apply_scenario(authoring::set_hint(s, info.hints.size(), fresh.text));
    fresh.text[0] = 0;
  }
  ImGui::EndDisabled();
  remember_rect("author_add_hint");

  // The parameters a student may change: marked by clicking them in the parameters panel.
  heading(StrId::author_allowed);
  ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(a.marking ? ImGuiCol_ButtonActive : ImGuiCol_Button));
  if (ImGui::Button(text(a.marking ? StrId::author_mark_done : StrId::author_mark))) a.marking = !a.marking;
  ImGui::PopStyleColor();
  remember_rect("author_mark");
  ImGui::PushStyleColor(ImGuiCol_Text, a.marking ? colour_hover : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", text(StrId::author_mark_help));
  ImGui::PopStyleColor();
  if (info.allowed.empty()) dim_wrapped(text(StrId::author_none_allowed));
  for (size_t i = 0; i < info.allowed.size(); ++i) {
    ImGui::PushID((int)i);
    if (ImGui::SmallButton("\u2715")) apply_scenario(authoring::toggle_allowed(s, info.allowed[i]));
    remember_rect(("author_unmark:" + std::to_string(i)).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::author_unmark));
    ImGui::SameLine();
    ImGui::TextColored(colour_marked, "%s", info.allowed[i].c_str());
    ImGui::PopID();
  }

  // Seeds.
  heading(StrId::author_seeds);
  if (!a.seeds_editing) a.seeds = info.seeds;
  ImGui::SetNextItemWidth(em * 10);
  ImGui::DragInt("##author_seeds", &a.seeds, 0.05f, 1, pg::limits::exercise_seeds_max, "%d",
                 ImGuiSliderFlags_AlwaysClamp);
  a.seeds_editing = ImGui::IsItemActive();
  remember_rect("author_seeds");
  if (ImGui::IsItemDeactivatedAfterEdit() && a.seeds != info.seeds) apply_scenario(authoring::set_seeds(s, a.seeds));
  ImGui::SameLine();
  dim_wrapped(text(StrId::author_seeds_help));
  if (two) ImGui::EndTable();
  ImGui::End();
}

// The metric picker: a search box over the report's numbers for this scenario, each with its value now; choosing one
// takes its value as the target, so "now" is where a teacher starts.
void App::draw_author_metric_picker() {
  AuthorUi& a = author_;
  const float em = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(em * 30, em * 22));
  if (!ImGui::BeginPopup("author_metric_picker")) return;
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-FLT_MIN);
  ImGui::InputTextWithHint("##author_search", text(StrId::author_search_hint), a.search, sizeof a.search);
  remember_rect("author_search");
  ImGui::PushTextWrapPos(0);
  std::string when = text_format(StrId::author_values_at, format_seconds(a.metrics_at_s).c_str());
  if (!a.metrics_final) when += text(StrId::author_values_partial);
  ImGui::TextDisabled("%s", when.c_str());
  ImGui::PopTextWrapPos();
  std::vector<int> shown;
  for (size_t i = 0; i < a.metrics.size(); ++i)
    if (authoring::metric_matches(a.metrics[i].path, a.search)) shown.push_back((int)i);
  if (shown.empty()) ImGui::TextDisabled("%s", text(StrId::author_no_match));
  if (ImGui::BeginChild("author_metric_list", ImVec2(0, 0), false)) {
    const float value_x = ImGui::GetContentRegionAvail().x - em * 6;
    for (int row = 0; row < (int)shown.size(); ++row) {
      const authoring::Metric& m = a.metrics[(size_t)shown[(size_t)row]];
      ImGui::PushID(row);
      if (ImGui::Selectable(m.path.c_str(), m.path == a.metric, 0, ImVec2(value_x - em * 0.5f, 0))) {
        a.metric = m.path;
        a.target = m.value;
        ImGui::CloseCurrentPopup();
      }
      if (ImGui::IsItemVisible()) {   // rows scrolled out of the list are not drawn: no rectangle, no value
        remember_rect(("author_metric:" + m.path).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", m.path.c_str());
        ImGui::SameLine(value_x);
        ImGui::TextDisabled("%s", number_text(m.value).c_str());
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
  ImGui::EndPopup();
}

}  // namespace pgweb
