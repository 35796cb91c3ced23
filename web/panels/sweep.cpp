// The Sweep window (Run › Sweep a parameter…): one number field of the scenario (picked from a list of its fields,
// or by path) set to each of a list of values, every value run under seeds 1..N in Web Workers, and a metric of the
// report drawn against the value: the mean over the seeds with its 95% confidence bar, an exercise goal's target
// as a dashed line, a table, and the CSV playground-cli sweep prints. Clicking a point opens that value's run (its
// first seed) as the current scenario. The state and the numbers are web/sweep.hpp's; this file draws them.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "engine/run/variants.hpp"
#include "web/app.hpp"
#include "web/panels/field_editor.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

namespace {

// Every number leaf of the report as a dotted path (arrays left out: goals cannot name them), sorted.
void report_paths(const nlohmann::json& node, const std::string& prefix, std::vector<std::string>& out) {
  if (out.size() >= 2000) return;
  if (node.is_number()) {
    out.push_back(prefix);
    return;
  }
  if (!node.is_object()) return;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (it.key().find('.') != std::string::npos) continue;
    report_paths(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
  }
}

void dashed_line(ImDrawList* draw, ImVec2 a, ImVec2 b, ImU32 colour) {
  const float length = b.x - a.x;
  for (float x = 0; x < length; x += 10) draw->AddLine(ImVec2(a.x + x, a.y), ImVec2(a.x + std::min(x + 6, length), b.y), colour, 1.5f);
}

}  // namespace

void App::open_sweep() {
  SweepUi& s = sweep_ui_;
  s.open = true;
  s.fields = pg::sweepable_fields(scenario());
  s.metrics.clear();
  if (sim()) report_paths(sim()->report(false), "", s.metrics);
  // The default metrics (each request type's mean and p99), then the exercise's goal metrics, first in the list.
  std::vector<std::string> first = sim() ? pg::default_report_metrics(sim()->report(false)) : std::vector<std::string>{};
  for (const pg::GoalSpec& goal : scenario().goals) first.insert(first.begin(), goal.metric);
  for (auto it = first.rbegin(); it != first.rend(); ++it) {
    s.metrics.erase(std::remove(s.metrics.begin(), s.metrics.end(), *it), s.metrics.end());
    s.metrics.insert(s.metrics.begin(), *it);
  }
  if (s.field < 0 || s.field >= (int)s.fields.size()) {
    s.field = 0;
    for (size_t i = 0; i < s.fields.size(); ++i)
      if (s.fields[i].path.size() > 11 && s.fields[i].path.compare(s.fields[i].path.size() - 10, 10, "/instances") == 0) {
        s.field = (int)i;
        break;
      }
  }
  if (s.metric < 0 || s.metric >= (int)s.metrics.size()) s.metric = 0;
}

std::vector<std::string> App::start_sweep(const SweepSpec& spec, int workers) {
  std::vector<std::string> problems = sweep_.start(scenario(), spec);
  if (!problems.empty()) return problems;
  // The window's controls show what runs (a sweep started from window.playground too).
  SweepUi& s = sweep_ui_;
  if (s.fields.empty()) open_sweep();
  for (size_t i = 0; i < s.fields.size(); ++i)
    if (s.fields[i].path == spec.path) s.field = (int)i;
  for (size_t i = 0; i < s.metrics.size(); ++i)
    if (s.metrics[i] == spec.metrics[0]) s.metric = (int)i;
  std::snprintf(s.values, sizeof s.values, "%s", spec.values.c_str());
  s.seeds = spec.seeds;
  if (!host_.sweep_start) {
    sweep_.fail("this page cannot start workers");
    return {"this page cannot start workers"};
  }
  sweep_ui_.started_s = real_time_s_;
  sweep_ui_.workers = workers;
  host_.sweep_start(sweep_.jobs_json(), workers, 0);
  return {};
}

void App::sweep_result(size_t id, const std::string& answer_json, int channel) {
  if (channel == 1) {
    Sweep& runs = compare_.runs();
    runs.result(id, answer_json);
    if (!runs.running()) {
      compare_ui_.finished_s = real_time_s_;
      if (!runs.error().empty() && host_.sweep_cancel) host_.sweep_cancel(1);
    }
    return;
  }
  sweep_.result(id, answer_json);
  if (!sweep_.running()) {
    sweep_ui_.finished_s = real_time_s_;
    if (!sweep_.error().empty() && host_.sweep_cancel) host_.sweep_cancel(0);
  }
}

void App::sweep_failed(const std::string& why, int channel) {
  if (channel == 1) {
    compare_.runs().fail(why);
    compare_ui_.finished_s = real_time_s_;
    return;
  }
  sweep_.fail(why);
  sweep_ui_.finished_s = real_time_s_;
}

void App::cancel_sweep() {
  sweep_.cancel();
  if (host_.sweep_cancel) host_.sweep_cancel(0);
  sweep_ui_.finished_s = real_time_s_;
}

std::vector<std::string> App::open_sweep_run(size_t value) {
  if (!sweep_.started() || value >= sweep_.values().size()) return {"no such run"};
  const pg::Scenario run = sweep_.run_scenario(value, 0);
  const std::string source = text_format(StrId::sweep_source, sweep_.spec().path.c_str(),
                                         sweep_.values()[value].c_str(), (unsigned long long)run.seed);
  return load_scenario_text(pg::scenario_to_text(run), source);
}

std::string App::sweep_json() const {
  nlohmann::json out = nlohmann::json::parse(sweep_.state_json());
  out["open"] = sweep_ui_.open;
  out["elapsed_s"] = (sweep_.running() ? real_time_s_ : sweep_ui_.finished_s) - sweep_ui_.started_s;
  return out.dump();
}

void App::draw_sweep_window() {
  SweepUi& s = sweep_ui_;
  if (!s.open) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const ImVec2 size(std::min(display.x - 40, ImGui::GetFontSize() * 58), std::min(display.y - 60, ImGui::GetFontSize() * 36));
  ImGui::SetNextWindowSize(size, ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(1.0f);   // opaque: the panels behind it would show through its chart and table
  if (!ImGui::Begin(labelled(StrId::sweep_title, "sweep").c_str(), &s.open, ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return;
  }
  remember_rect("sweep_window");
  const float label_width = ImGui::GetFontSize() * 9;
  const bool running = sweep_.running();
  ImGui::BeginDisabled(running);

  // The parameter: one of the scenario's number fields.
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::sweep_param));
  ImGui::SameLine(label_width);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
  auto field_name = [&](const pg::FieldAddress& f) {
    return f.item_name.empty() ? field_label(*f.ref.info)
                               : text_format(StrId::label_detail, f.item_name.c_str(), field_label(*f.ref.info).c_str());
  };
  const std::string current = s.field >= 0 && s.field < (int)s.fields.size() ? field_name(s.fields[(size_t)s.field]) : "";
  if (ImGui::BeginCombo("##sweep_param", current.c_str())) {
    for (size_t i = 0; i < s.fields.size(); ++i) {
      if (ImGui::Selectable(field_name(s.fields[i]).c_str(), (int)i == s.field)) s.field = (int)i;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.fields[i].path.c_str());
    }
    ImGui::EndCombo();
  }
  remember_rect("sweep_param");
  if (s.field >= 0 && s.field < (int)s.fields.size()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", s.fields[(size_t)s.field].path.c_str());
  }

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::sweep_values));
  ImGui::SameLine(label_width);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
  ImGui::InputTextWithHint("##sweep_values", text(StrId::sweep_values_hint), s.values, sizeof s.values);
  remember_rect("sweep_values");
  ImGui::SameLine();
  ImGui::TextUnformatted(text(StrId::sweep_seeds));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::InputInt("##sweep_seeds", &s.seeds);
  s.seeds = std::clamp(s.seeds, 1, Sweep::seeds_max);
  remember_rect("sweep_seeds");

  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::sweep_metric));
  ImGui::SameLine(label_width);
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 24);
  const char* metric = s.metric >= 0 && s.metric < (int)s.metrics.size() ? s.metrics[(size_t)s.metric].c_str() : "";
  if (ImGui::BeginCombo("##sweep_metric", metric)) {
    for (size_t i = 0; i < s.metrics.size(); ++i)
      if (ImGui::Selectable(s.metrics[i].c_str(), (int)i == s.metric)) s.metric = (int)i;
    ImGui::EndCombo();
  }
  remember_rect("sweep_metric");
  ImGui::EndDisabled();

  // Run or Cancel, and where it stands.
  if (!running) {
    if (ImGui::Button(text(StrId::sweep_run)) && s.field >= 0 && s.field < (int)s.fields.size() && *metric) {
      SweepSpec spec;
      spec.path = s.fields[(size_t)s.field].path;
      spec.values = s.values;
      spec.seeds = s.seeds;
      spec.metrics = {metric};
      std::vector<std::string> problems = start_sweep(spec, 0);
      s.problems.clear();
      for (const std::string& p : problems) s.problems += translate(p) + "\n";
    }
  } else if (ImGui::Button(text(StrId::cancel))) {
    cancel_sweep();
  }
  remember_rect("sweep_run");
  ImGui::SameLine();
  const double elapsed = (running ? real_time_s_ : s.finished_s) - s.started_s;
  if (sweep_.started()) {
    const float fraction = sweep_.total() ? (float)sweep_.done() / (float)sweep_.total() : 0.0f;
    const std::string line = text_format(StrId::sweep_progress, sweep_.done(), sweep_.total(),
                                         elapsed > 0 ? (double)sweep_.done() / elapsed : 0.0);
    ImGui::ProgressBar(fraction, ImVec2(ImGui::GetFontSize() * 20, 0), line.c_str());
  }
  if (!s.problems.empty()) ImGui::TextColored(ImVec4(0.93f, 0.40f, 0.36f, 1), "%s", s.problems.c_str());
  if (!sweep_.error().empty())
    ImGui::TextColored(ImVec4(0.93f, 0.40f, 0.36f, 1), "%s", text_format(StrId::sweep_failed, translate(sweep_.error()).c_str()).c_str());
  if (sweep_.any_stopped()) ImGui::TextColored(ImVec4(0.85f, 0.72f, 0.40f, 1), "%s", text(StrId::sweep_stopped));
  if (!sweep_.started()) {
    ImGui::TextDisabled("%s", text(StrId::sweep_explain));
    ImGui::End();
    return;
  }

  // The chart: the mean against the value, its 95% bar, the goal's target dashed; the table beside it.
  const std::vector<Sweep::Point> points = sweep_.points(0);
  const std::string& swept_metric = sweep_.spec().metrics[0];
  const pg::GoalSpec* goal = nullptr;
  for (const pg::GoalSpec& g : scenario().goals)
    if (g.metric == swept_metric) goal = &g;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float table_width = ImGui::GetFontSize() * 17;
  const ImVec2 chart_size(std::max(avail.x - table_width - 12, 200.0f), std::max(avail.y - ImGui::GetFrameHeightWithSpacing() * 2, 120.0f));
  ImGui::BeginChild("sweep_chart", chart_size, true);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  const ImVec2 area = ImGui::GetContentRegionAvail();
  const float left = origin.x + ImGui::GetFontSize() * 4, right = origin.x + area.x - 16;
  const float top = origin.y + ImGui::GetFontSize() * 1.5f, bottom = origin.y + area.y - ImGui::GetFontSize() * 1.8f;
  ImGui::TextDisabled("%s", swept_metric.c_str());
  double lo = 0, hi = 1, xlo = 0, xhi = 1;
  bool any = false;
  for (const Sweep::Point& p : points) {
    if (!p.complete) continue;
    lo = any ? std::min(lo, p.mean - p.ci95) : p.mean - p.ci95;
    hi = any ? std::max(hi, p.mean + p.ci95) : p.mean + p.ci95;
    any = true;
  }
  if (goal) {
    lo = any ? std::min(lo, goal->value) : goal->value;
    hi = any ? std::max(hi, goal->value) : goal->value;
    any = true;
  }
  if (hi - lo < 1e-12) { hi += 0.5; lo -= 0.5; }
  const double pad = (hi - lo) * 0.08;
  lo -= pad; hi += pad;
  if (!points.empty()) {
    xlo = points[0].x; xhi = points[0].x;
    for (const Sweep::Point& p : points) { xlo = std::min(xlo, p.x); xhi = std::max(xhi, p.x); }
    if (xhi - xlo < 1e-12) { xlo -= 1; xhi += 1; }
  }
  auto X = [&](double x) { return (float)(left + (right - left) * (x - xlo) / (xhi - xlo)); };
  auto Y = [&](double y) { return (float)(bottom - (bottom - top) * (y - lo) / (hi - lo)); };
  const ImU32 axis = IM_COL32(120, 130, 140, 255), line = IM_COL32(80, 170, 210, 255), bar = IM_COL32(230, 190, 90, 255);
  draw->AddLine(ImVec2(left, top), ImVec2(left, bottom), axis);
  draw->AddLine(ImVec2(left, bottom), ImVec2(right, bottom), axis);
  for (double y : {lo + pad, hi - pad}) {
    const std::string label = short_number(y);
    draw->AddText(ImVec2(origin.x + 2, Y(y) - ImGui::GetFontSize() * 0.5f), axis, label.c_str());
    draw->AddLine(ImVec2(left - 4, Y(y)), ImVec2(left, Y(y)), axis);
  }
  if (goal) {
    dashed_line(draw, ImVec2(left, Y(goal->value)), ImVec2(right, Y(goal->value)), IM_COL32(90, 200, 120, 255));
    const std::string label = text_format(StrId::sweep_goal, goal->op.c_str(), short_number(goal->value).c_str());
    draw->AddText(ImVec2(right - ImGui::CalcTextSize(label.c_str()).x, Y(goal->value) - ImGui::GetFontSize() - 2),
                  IM_COL32(90, 200, 120, 255), label.c_str());
  }
  {
    // The swept field, at the top right (the metric is at the top left): "→ order: Instances".
    std::string caption = sweep_.spec().path;
    for (const pg::FieldAddress& f : s.fields)
      if (f.path == sweep_.spec().path)
        caption = f.item_name.empty() ? field_label(*f.ref.info)
                                      : text_format(StrId::label_detail, f.item_name.c_str(), field_label(*f.ref.info).c_str());
    caption = "\u2192 " + caption;
    draw->AddText(ImVec2(right - ImGui::CalcTextSize(caption.c_str()).x, origin.y + 2), axis, caption.c_str());
  }
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  int hovered = -1;
  ImVec2 previous;
  bool have_previous = false;
  for (size_t i = 0; i < points.size(); ++i) {
    const Sweep::Point& p = points[i];
    const float x = X(p.x);
    const std::string label = p.value_text;
    draw->AddText(ImVec2(x - ImGui::CalcTextSize(label.c_str()).x * 0.5f, bottom + 4), axis, label.c_str());
    if (!p.complete) continue;
    const ImVec2 at(x, Y(p.mean));
    if (have_previous) draw->AddLine(previous, at, line, 2.0f);
    previous = at;
    have_previous = true;
    draw->AddLine(ImVec2(x, Y(p.mean - p.ci95)), ImVec2(x, Y(p.mean + p.ci95)), bar, 1.5f);
    draw->AddLine(ImVec2(x - 5, Y(p.mean - p.ci95)), ImVec2(x + 5, Y(p.mean - p.ci95)), bar, 1.5f);
    draw->AddLine(ImVec2(x - 5, Y(p.mean + p.ci95)), ImVec2(x + 5, Y(p.mean + p.ci95)), bar, 1.5f);
    draw->AddCircleFilled(at, 4.5f, line);
    if (std::fabs(mouse.x - at.x) < 10 && std::fabs(mouse.y - at.y) < 10) hovered = (int)i;
    remember_rect_at("sweep_point_" + std::to_string(i), at.x - 6, at.y - 6, 12, 12);
  }
  if (hovered >= 0 && ImGui::IsWindowHovered()) {
    const Sweep::Point& p = points[(size_t)hovered];
    draw->AddCircle(ImVec2(X(p.x), Y(p.mean)), 8, IM_COL32(255, 255, 255, 220), 0, 2.0f);
    ImGui::SetTooltip("%s", text_format(StrId::sweep_point_tooltip, p.value_text.c_str(), short_number(p.mean).c_str(),
                                        short_number(p.ci95).c_str(), sweep_.spec().seeds).c_str());
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) open_sweep_run((size_t)hovered);
  }
  ImGui::EndChild();

  ImGui::SameLine();
  ImGui::BeginChild("sweep_table", ImVec2(0, chart_size.y), false);
  if (ImGui::BeginTable("sweep_rows", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    ImGui::TableSetupColumn(text(StrId::sweep_col_value));
    ImGui::TableSetupColumn(text(StrId::sweep_col_mean));
    ImGui::TableSetupColumn(text(StrId::sweep_col_ci));
    ImGui::TableHeadersRow();
    for (const Sweep::Point& p : points) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(p.value_text.c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(p.complete ? short_number(p.mean).c_str() : "\u2026");
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(p.complete ? short_number(p.ci95).c_str() : "");
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();

  ImGui::BeginDisabled(!sweep_.complete());
  if (ImGui::Button(text(StrId::sweep_csv)) && host_.download)
    host_.download(file_stem(scenario().name) + "-sweep.csv", "text/csv", sweep_.csv(false));
  ImGui::SameLine();
  if (ImGui::Button(text(StrId::sweep_summary_csv)) && host_.download)
    host_.download(file_stem(scenario().name) + "-sweep-summary.csv", "text/csv", sweep_.csv(true));
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::TextDisabled("%s", text(StrId::sweep_open_hint));
  ImGui::End();
}

}  // namespace pgweb
