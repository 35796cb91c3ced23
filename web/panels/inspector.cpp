// The inspector: the selected service's numbers (arrivals, completions, failures by kind, latency and waiting
// percentiles) and its instances (state, busy workers, waiting line, served), with the interventions a person can
// make on an instance during a run: crash, restart, pause for N ms, slow by a factor. Each one is recorded as a
// timed intervention in the scenario (App::intervene), never applied to the engine directly.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/views/views.hpp"

namespace pgweb {

namespace {

struct StatCell {
  const char* label;
  std::string value;
};

// The service's numbers, two label/value pairs a row when both fit the panel's width and one a row when not (a
// narrow panel, Chinese labels, "2 059.4 ms"): a label never shares its column with a wider value. Counts the cells
// drawn and any that did not fit after all, for the tests.
// `p99_label`: the rectangle of the first label naming p99, for the glossary's mark (App::mark_term_at).
void stat_table(const std::vector<StatCell>& cells, ViewStats& stats, WidgetRect& p99_label) {
  const ImGuiStyle& style = ImGui::GetStyle();
  float label_width = 0, value_width = 0;
  for (const StatCell& c : cells) {
    label_width = std::max(label_width, ImGui::CalcTextSize(c.label).x);
    value_width = std::max(value_width, ImGui::CalcTextSize(c.value.c_str()).x);
  }
  const float pair_width = label_width + value_width + style.CellPadding.x * 4 + style.ItemSpacing.x;
  const int pairs = ImGui::GetContentRegionAvail().x >= 2 * pair_width ? 2 : 1;
  stats.inspector_pairs_per_row = pairs;
  if (!ImGui::BeginTable("service_stats", pairs * 2, ImGuiTableFlags_SizingFixedFit)) return;
  for (int p = 0; p < pairs; ++p) {
    ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthFixed, label_width);
    ImGui::TableSetupColumn(nullptr, ImGuiTableColumnFlags_WidthStretch);
  }
  for (const StatCell& c : cells) {
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", c.label);
    if (p99_label.width == 0 && std::string_view(c.label).find("p99") != std::string_view::npos) {
      const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
      p99_label = WidgetRect{min.x, min.y, size.x, size.y};
    }
    ImGui::TableNextColumn();
    ++stats.inspector_cells;
    if (ImGui::CalcTextSize(c.value.c_str()).x > ImGui::GetContentRegionAvail().x + 0.5f) ++stats.inspector_clipped;
    ImGui::TextUnformatted(c.value.c_str());
  }
  ImGui::EndTable();
}

std::string ms_text(const pg::Histogram& histogram, double q) {
  return text_format(StrId::latency_ms, pg::ns_to_ms(histogram.percentile(q)));
}

}  // namespace

void App::draw_inspector() {
  ImGui::TextDisabled("%s", text(StrId::inspector_header));
  ImGui::Separator();
  if (!sim()) return;
  const pg::World& world = sim()->world();
  const pg::Services& services = world.services;
  if (services.specs.empty()) {
    ImGui::TextDisabled("%s", text(StrId::inspector_no_services));
    return;
  }
  selected_service_ = std::clamp(selected_service_, 0, (int)services.specs.size() - 1);
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##service", services.specs[(size_t)selected_service_].name.c_str())) {
    for (size_t s = 0; s < services.specs.size(); ++s)
      if (ImGui::Selectable(services.specs[s].name.c_str(), (int)s == selected_service_)) {
        selected_service_ = (int)s;
        selected_instance_ = -1;
      }
    ImGui::EndCombo();
  }
  remember_rect("service_select");
  const size_t s = (size_t)selected_service_;
  const pg::ServiceStats& stats = services.stats()[s];
  const pg::ServiceSpec& spec = services.specs[s];

  ViewStats& view_stats = views_->stats;
  view_stats.inspector_cells = view_stats.inspector_clipped = 0;
  WidgetRect p99_label;
  stat_table({{text(StrId::stat_arrivals), format_count(stats.arrivals)},
              {text(StrId::stat_done), format_count(stats.completed)},
              {text(StrId::stat_in_flight), format_count((uint64_t)std::max<int64_t>(stats.in_flight, 0))},
              {text(StrId::stat_retries), format_count(stats.retries)},
              {text(StrId::stat_rejected), format_count(stats.rejected)},
              {text(StrId::stat_timed_out), format_count(stats.timed_out)},
              {text(StrId::stat_down), format_count(stats.crashed + stats.unreachable)},
              {text(StrId::stat_wait_p99), ms_text(stats.wait, 0.99)},
              {"p50", ms_text(stats.latency, 0.5)},
              {"p99", ms_text(stats.latency, 0.99)}},
             view_stats, p99_label);
  mark_term_at(Term::p99, p99_label);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", text(StrId::stats_tooltip));

  ImGui::Spacing();
  ImGui::TextDisabled("%s", text(StrId::instances_header));
  ImGui::Separator();
  const uint32_t first = services.first_instance()[s];
  const pg::time_ns now_ns = world.now();
  if (ImGui::BeginTable("instances", 4, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("#");
    ImGui::TableSetupColumn(text(StrId::instance_state));
    ImGui::TableSetupColumn(text(StrId::instance_busy));
    ImGui::TableSetupColumn(text(StrId::instance_line));
    ImGui::TableHeadersRow();
    for (int k = 0; k < spec.instances; ++k) {
      const pg::Instance& instance = services.instances()[first + (uint32_t)k];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      char label[32];
      std::snprintf(label, sizeof label, "#%d", k);
      if (ImGui::Selectable(label, selected_instance_ == k, ImGuiSelectableFlags_SpanAllColumns))
        selected_instance_ = k;
      if (k == 0) remember_rect("instance0");
      ImGui::TableSetColumnIndex(1);
      if (instance.crashed) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1), "%s", text(StrId::instance_crashed));
      else if (instance.paused(now_ns)) ImGui::TextColored(ImVec4(0.95f, 0.8f, 0.3f, 1), "%s", text(StrId::instance_paused));
      else if (instance.slow_factor != 1)
        ImGui::TextColored(ImVec4(0.95f, 0.65f, 0.3f, 1), "%s",
                           text_format(StrId::instance_slow, instance.slow_factor).c_str());
      else ImGui::TextUnformatted(text(StrId::instance_up));
      ImGui::TableSetColumnIndex(2);
      ImGui::Text("%d/%d", instance.busy, spec.workers);
      ImGui::TableSetColumnIndex(3);
      ImGui::Text("%zu", instance.line.size());
    }
    ImGui::EndTable();
  }

  // Actions on the selected instance.
  if (selected_instance_ < 0 || selected_instance_ >= spec.instances) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextWrapped("%s", text(StrId::instance_select));
    ImGui::PopStyleColor();
    return;
  }
  const pg::Instance& instance = services.instances()[first + (uint32_t)selected_instance_];
  const std::string target = spec.name + "#" + std::to_string(selected_instance_);
  ImGui::Text("%s", target.c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("%s", text_format(StrId::instance_served, format_count(instance.served).c_str()).c_str());
  const bool finished = sim()->finished();
  ImGui::BeginDisabled(finished);
  if (!instance.crashed) {
    if (ImGui::Button(text(StrId::action_crash))) {
      pg::FaultSpec fault;
      fault.kind = pg::FaultKind::crash;
      fault.target = target;
      intervene(fault);
    }
    remember_rect("crash");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::action_crash_tooltip));
  } else {
    // A restart ends the crash intervention in effect: its duration becomes "until now".
    int crash_index = -1;
    for (size_t i = 0; i < scenario().interventions.size(); ++i) {
      const pg::FaultSpec& f = scenario().interventions[i];
      const double end_ms = f.at_s * 1000 + f.for_ms;
      if (f.kind == pg::FaultKind::crash && (f.target == target || f.target == spec.name) &&
          (f.for_ms == 0 || end_ms > pg::ns_to_ms(now_ns)))
        crash_index = (int)i;
    }
    ImGui::BeginDisabled(crash_index < 0);
    if (ImGui::Button(text(StrId::action_restart))) {
      pg::Scenario edit = scenario();
      pg::FaultSpec& crash = edit.interventions[(size_t)crash_index];
      const double for_ms = std::floor(pg::ns_to_ms(now_ns)) - crash.at_s * 1000;
      if (for_ms <= 0) edit.interventions.erase(edit.interventions.begin() + crash_index);
      else crash.for_ms = for_ms;
      apply_scenario(edit);
    }
    ImGui::EndDisabled();
    remember_rect("restart");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip("%s", text(crash_index < 0 ? StrId::action_restart_scheduled : StrId::action_restart_tooltip));
  }
  ImGui::SameLine();
  if (ImGui::Button(text(StrId::action_pause))) {
    pg::FaultSpec fault;
    fault.kind = pg::FaultKind::pause;
    fault.target = target;
    fault.for_ms = (double)std::max(1.0f, pause_ms_);
    intervene(fault);
  }
  remember_rect("pause");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::action_pause_tooltip));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5);
  ImGui::DragFloat((std::string(text(StrId::unit_ms)) + "##pause").c_str(), &pause_ms_, 50.0f, 1.0f, 600000.0f, "%.0f",
                   ImGuiSliderFlags_AlwaysClamp);

  if (ImGui::Button(text(StrId::action_slow))) {
    pg::FaultSpec fault;
    fault.kind = pg::FaultKind::slow;
    fault.target = target;
    fault.factor = (double)slow_factor_;
    fault.for_ms = (double)slow_for_ms_;
    intervene(fault);
  }
  remember_rect("slow");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::action_slow_tooltip));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.5f);
  ImGui::DragFloat("\u00d7##factor", &slow_factor_, 0.1f, 1.0f, 100.0f, "%.1f", ImGuiSliderFlags_AlwaysClamp);
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.5f);
  ImGui::DragFloat((std::string(text(StrId::unit_ms)) + "##slow_for").c_str(), &slow_for_ms_, 50.0f, 0.0f, 600000.0f,
                   slow_for_ms_ == 0 ? text(StrId::slow_for_good) : "%.0f",
                   ImGuiSliderFlags_AlwaysClamp);
  ImGui::EndDisabled();
}

}  // namespace pgweb
