// The Compare window (Run › Compare with…): B's changes to A, which of the two the parameter editors change, Split
// A | B, and the table of report metrics: A and B on the runs shown (B follows A's clock), then, once the pairs have
// run over seeds 1..N in the Sweep's workers, A's and B's means and the mean paired difference B - A with its 95%
// interval, as `playground-cli compare` prints them. The state and the numbers are web/compare.hpp's.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <imgui.h>

#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"
#include "web/views/views.hpp"

namespace pgweb {

namespace {

std::string signed_text(double v) { return (v > 0 ? "+" : "") + short_number(v); }

// A row's label: "requests.checkout.latency_ms.p99" reads "checkout p99 (ms)"; other paths without "requests.".
std::string metric_label(const std::string& metric) {
  if (metric.compare(0, 9, "requests.") != 0) return metric;
  const std::string rest = metric.substr(9);
  const size_t latency = rest.find(".latency_ms.");
  if (latency == std::string::npos) return rest;
  return rest.substr(0, latency) + " " + rest.substr(latency + 12) + " (ms)";
}

}  // namespace

std::vector<std::string> App::open_link(const std::string& link) {
  std::vector<std::string> errors = session_->open_link(link);
  std::string changes;
  if (errors.empty() && fragment_compare_changes(link, changes)) {
    std::vector<std::string> problems = start_compare(changes);
    if (!problems.empty()) set_message(text_format(StrId::compare_link_failed, translate(problems[0]).c_str()), true);
  }
  return errors;
}

std::vector<std::string> App::start_compare(const std::string& changes) {
  std::vector<std::string> problems = compare_.start_with_changes(scenario(), changes);
  if (!problems.empty()) return problems;
  if (!views_b_) views_b_ = std::make_unique<ViewsState>();
  compare_ui_.open = true;
  compare_ui_.metrics = Compare::default_metrics(scenario(), sim() ? sim()->report(false) : nlohmann::json());
  compare_ui_.problems.clear();
  return {};
}

void App::stop_compare() {
  if (compare_.runs().running() && host_.sweep_cancel) host_.sweep_cancel(1);
  compare_.stop();
  compare_ui_.open = compare_ui_.split = compare_ui_.editing_b = false;
  pending_edit_b_.reset();
}

void App::compare_follow() {
  if (!compare_.active() || !sim()) return;
  // B gets as much of the frame as A's playing does; after a jump of A it catches up over a few frames.
  compare_.follow(sim()->now_ns(), busy() ? job_frame_budget_s * 0.5 : unlimited_frame_budget_s);
}

std::vector<std::string> App::start_compare_seeds(int seeds, int workers) {
  if (!compare_.active()) return {"start comparing first"};
  if (compare_ui_.metrics.empty() && sim())
    compare_ui_.metrics = Compare::default_metrics(scenario(), sim()->report(false));
  std::vector<std::string> problems = compare_.start_seeds(scenario(), seeds, compare_ui_.metrics);
  if (!problems.empty()) return problems;
  if (!host_.sweep_start) {
    compare_.runs().fail("this page cannot start workers");
    return {"this page cannot start workers"};
  }
  compare_ui_.seeds = seeds;
  compare_ui_.workers = workers;
  compare_ui_.started_s = real_time_s_;
  host_.sweep_start(compare_.runs().jobs_json(), workers, 1);
  return {};
}

std::string App::compare_json() {
  nlohmann::json out = nlohmann::json::object();
  out["active"] = compare_.active();
  if (!compare_.active()) return out.dump();
  const pg::time_ns a_now = sim() ? sim()->now_ns() : 0;
  out["changes"] = compare_.changes();
  out["split"] = compare_ui_.split;
  out["editing_b"] = compare_ui_.editing_b;
  out["b_time_s"] = compare_.sim_b() ? pg::ns_to_s(compare_.sim_b()->now_ns()) : 0.0;
  out["caught_up"] = compare_.caught_up(a_now);
  out["b_trace_hash"] = compare_.sim_b() ? compare_.sim_b()->trace_hash_hex() : std::string();
  out["b_scenario"] = pg::scenario_to_json(compare_.b());
  const nlohmann::json report_a = sim() ? sim()->report(false) : nlohmann::json();
  const nlohmann::json report_b = compare_.sim_b() ? compare_.sim_b()->report(false) : nlohmann::json();
  nlohmann::json rows = nlohmann::json::array();
  for (const Compare::Row& r : compare_.rows(report_a, report_b, compare_ui_.metrics)) {
    nlohmann::json row = nlohmann::json::object();   // member by member: smaller code than initialisers
    row["metric"] = r.metric;
    if (r.has_now) {
      row["a"] = r.a_now;
      row["b"] = r.b_now;
      row["diff"] = r.b_now - r.a_now;
    }
    if (r.has_seeds) {
      row["a_mean"] = r.a_mean;
      row["b_mean"] = r.b_mean;
      row["diff_mean"] = r.diff_mean;
      row["diff_ci95"] = r.diff_ci95;
    }
    rows.push_back(row);
  }
  out["rows"] = rows;
  out["seeds"] = nlohmann::json::parse(compare_.runs().state_json());
  return out.dump();
}

void App::draw_split(void (App::*draw)()) {
  const ImVec2 available = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float half = std::floor((available.x - gap) * 0.5f);
  for (int side = 0; side < 2; ++side) {
    if (side == 1) ImGui::SameLine(0, gap);
    ImGui::BeginChild(side == 0 ? "split_a" : "split_b", ImVec2(half, available.y), true);
    ImGui::TextDisabled("%s", text(side == 0 ? StrId::compare_a_title : StrId::compare_b_title));
    if (side == 0) {
      (this->*draw)();
    } else if (compare_.sim_b()) {
      // B's half reads B's run and keeps its own view state (layout, dots, chart cursor), then A's comes back.
      std::swap(views_, views_b_);
      drawing_b_ = true;
      (this->*draw)();
      drawing_b_ = false;
      std::swap(views_, views_b_);
    }
    ImGui::EndChild();
  }
}

// A strip above the views, like the exercise panel: the views stay visible beside it (a floating window hid B's half).
void App::draw_compare_window() {
  if (!compare_.active()) return;
  const float em = ImGui::GetFontSize();
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float available = ImGui::GetContentRegionAvail().y;
  const nlohmann::json& report_a = cached_report();
  const nlohmann::json& report_b = compare_.report_b(options_.reduced_motion ? 1.0 : report_refresh_s);
  const std::vector<Compare::Row> rows = compare_.rows(report_a, report_b, compare_ui_.metrics);
  const bool seeded = std::any_of(rows.begin(), rows.end(), [](const Compare::Row& r) { return r.has_seeds; });
  const Sweep& runs = compare_.runs();
  const float table_rows = (float)rows.size() + 1;
  const float wanted = ImGui::GetFrameHeightWithSpacing() * 3 + line * (table_rows + (seeded ? 1 : 0)) + 24;
  const float height = !compare_ui_.open ? ImGui::GetFrameHeightWithSpacing() + 10
                                         : std::floor(std::clamp(wanted, line * 6, available * 0.42f));
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.11f, 0.12f, 0.17f, 1.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 6));
  const bool shown = ImGui::BeginChild("compare", ImVec2(0, height), true, ImGuiWindowFlags_AlwaysUseWindowPadding);
  remember_rect("compare_panel");
  if (!shown) {
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    return;
  }
  // Header: fold, title (its tooltip says what A and B are), B's changes, and Stop comparing on the right.
  if (ImGui::ArrowButton("##fold", compare_ui_.open ? ImGuiDir_Down : ImGuiDir_Right)) compare_ui_.open = !compare_ui_.open;
  ImGui::SameLine();
  ImGui::AlignTextToFramePadding();
  ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.35f, 1), "%s", text(StrId::compare_title));
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(em * 26);
    ImGui::TextUnformatted(text(StrId::compare_explain));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  ImGui::SameLine();
  std::string changes;
  for (const std::string& change : compare_.change_lines()) changes += (changes.empty() ? "" : "; ") + change;
  const float stop_width = ImGui::CalcTextSize(text(StrId::compare_stop)).x + ImGui::GetStyle().FramePadding.x * 2;
  const float room = ImGui::GetContentRegionAvail().x - stop_width - em;
  const std::string b_text = changes.empty() ? text(StrId::compare_no_changes)
                                             : std::string(text(StrId::compare_changes)) + " " + changes;
  ImGui::PushClipRect(ImGui::GetCursorScreenPos(), ImVec2(ImGui::GetCursorScreenPos().x + room, ImGui::GetCursorScreenPos().y + line * 2), true);
  ImGui::TextUnformatted(b_text.c_str());
  ImGui::PopClipRect();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", b_text.c_str());
  ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - stop_width);
  if (ImGui::Button(text(StrId::compare_stop))) stop_compare();
  remember_rect("compare_stop");
  if (!compare_.active() || !compare_ui_.open) {
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
    return;
  }

  // Which one the editors change, how the views show the two, and the pairs over seeds.
  int editing = compare_ui_.editing_b ? 1 : 0;
  ImGui::AlignTextToFramePadding();
  ImGui::TextUnformatted(text(StrId::compare_edit));
  ImGui::SameLine();
  if (ImGui::RadioButton("A##edit", &editing, 0)) compare_ui_.editing_b = false;
  remember_rect("compare_edit_a");
  ImGui::SameLine();
  if (ImGui::RadioButton("B##edit", &editing, 1)) compare_ui_.editing_b = true;
  remember_rect("compare_edit_b");
  ImGui::SameLine(0, em * 1.2f);
  ImGui::Checkbox(text(StrId::compare_split), &compare_ui_.split);
  remember_rect("compare_split");
  ImGui::SameLine(0, em * 1.2f);
  ImGui::SetNextItemWidth(em * 6);
  ImGui::InputInt(text(StrId::compare_seeds), &compare_ui_.seeds);
  compare_ui_.seeds = std::clamp(compare_ui_.seeds, 2, Sweep::seeds_max);
  remember_rect("compare_seeds");
  ImGui::SameLine();
  if (runs.running()) {
    if (ImGui::Button(text(StrId::cancel))) {
      compare_.runs().cancel();
      if (host_.sweep_cancel) host_.sweep_cancel(1);
    }
  } else if (ImGui::Button(text(StrId::compare_run_seeds))) {
    std::vector<std::string> problems = start_compare_seeds(compare_ui_.seeds, compare_ui_.workers);
    compare_ui_.problems.clear();
    for (const std::string& p : problems) compare_ui_.problems += translate(p) + "\n";
  }
  remember_rect("compare_run_seeds");
  const pg::time_ns a_now = sim() ? sim()->now_ns() : 0;
  if (runs.running()) {
    const double elapsed = std::max(real_time_s_ - compare_ui_.started_s, 1e-3);
    ImGui::ProgressBar((float)runs.done() / (float)std::max<size_t>(runs.total(), 1), ImVec2(-1, 0),
                       text_format(StrId::sweep_progress, runs.done(), runs.total(), (double)runs.done() / elapsed).c_str());
  } else if (compare_.sim_b() && !compare_.caught_up(a_now)) {
    ImGui::TextDisabled(text(StrId::compare_catching_up), pg::ns_to_s(compare_.sim_b()->now_ns()));
  }
  if (!runs.error().empty())
    ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), text(StrId::sweep_failed), translate(runs.error()).c_str());
  if (!compare_ui_.problems.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", compare_ui_.problems.c_str());
  if (runs.any_stopped()) ImGui::TextWrapped("%s", text(StrId::sweep_stopped));

  // The table: the shown runs, and over seeds once they are complete. Metrics by short labels (hover: the whole
  // path, as playground-cli compare --metric takes it).
  const int columns = seeded ? 7 : 4;
  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingStretchProp;
  const float note_room = seeded ? line : 0;
  if (ImGui::BeginTable("compare_table", columns, flags, ImVec2(0, std::max(ImGui::GetContentRegionAvail().y - note_room, line * 2)))) {
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn(text(StrId::compare_col_metric), ImGuiTableColumnFlags_WidthStretch, 2.2f);
    ImGui::TableSetupColumn("A", ImGuiTableColumnFlags_WidthStretch, 1);
    ImGui::TableSetupColumn("B", ImGuiTableColumnFlags_WidthStretch, 1);
    ImGui::TableSetupColumn(text(StrId::compare_col_diff), ImGuiTableColumnFlags_WidthStretch, 1.1f);
    if (seeded) {
      ImGui::TableSetupColumn(text(StrId::compare_col_a_mean), ImGuiTableColumnFlags_WidthStretch, 1);
      ImGui::TableSetupColumn(text(StrId::compare_col_b_mean), ImGuiTableColumnFlags_WidthStretch, 1);
      ImGui::TableSetupColumn(text(StrId::compare_col_paired), ImGuiTableColumnFlags_WidthStretch, 2.2f);
    }
    ImGui::TableHeadersRow();
    for (const Compare::Row& r : rows) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(metric_label(r.metric).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", r.metric.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.has_now ? short_number(r.a_now).c_str() : "-");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.has_now ? short_number(r.b_now).c_str() : "-");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.has_now ? signed_text(r.b_now - r.a_now).c_str() : "-");
      if (!seeded) continue;
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.has_seeds ? short_number(r.a_mean).c_str() : "-");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(r.has_seeds ? short_number(r.b_mean).c_str() : "-");
      ImGui::TableNextColumn();
      if (r.has_seeds) {
        const std::string cell = signed_text(r.diff_mean) + " \u00B1 " + short_number(r.diff_ci95);
        // A difference whose interval excludes zero is a real one at 95%: drawn in the accent colour.
        if (std::fabs(r.diff_mean) > r.diff_ci95) ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.35f, 1), "%s", cell.c_str());
        else ImGui::TextUnformatted(cell.c_str());
      } else {
        ImGui::TextUnformatted("-");
      }
    }
    ImGui::EndTable();
  }
  remember_rect("compare_table");
  if (seeded) {
    ImGui::TextDisabled(text(StrId::compare_seeds_short), runs.spec().seeds);
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(em * 26);
      ImGui::Text(text(StrId::compare_seeds_note), runs.spec().seeds);
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }
  ImGui::EndChild();
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

}  // namespace pgweb
