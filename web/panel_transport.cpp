// The transport bar: play/pause, step, reset, run to end, speed (0.1x up to "as fast as possible"), the simulated
// clock, engine events per second, and a timeline scrubber that jumps to any time (backwards by re-simulating
// from zero). Two rows, always the same height, so the main view below never jumps.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "web/app.hpp"

namespace pgweb {

namespace {

// Speeds offered; App::speed_unlimited is shown as "max".
constexpr double speed_choices[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 100, 1000, App::speed_unlimited};

std::string speed_label(double speed) {
  if (speed >= App::speed_unlimited) return "max";
  char text[32];
  std::snprintf(text, sizeof text, "%g\u00d7", speed);
  return text;
}

}  // namespace

void App::draw_transport() {
  const bool can_play = simulation_ && !simulation_->finished();
  const float button_width = ImGui::GetFontSize() * 5.2f;

  ImGui::BeginDisabled(!can_play && !playing_);
  if (ImGui::Button(playing_ ? "\u275A\u275A Pause" : "\u25B6 Play", ImVec2(button_width, 0))) toggle_play();
  ImGui::EndDisabled();
  remember_rect("play");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("Play or pause (Space)");

  ImGui::SameLine();
  ImGui::BeginDisabled(!can_play);
  if (ImGui::Button("Step")) step();
  remember_rect("step");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Advance one sample interval (. or \u2192)");
  ImGui::SameLine();
  if (ImGui::Button("\u21E5 End")) {
    running_to_end_ = true;
    play();
  }
  remember_rect("run_to_end");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Run to the end as fast as possible");
  ImGui::EndDisabled();

  ImGui::SameLine();
  if (ImGui::Button("\u21BA Reset")) reset();
  remember_rect("reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Back to time zero (R); keeps your interventions");

  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.6f);
  if (ImGui::BeginCombo("##speed", speed_label(speed_).c_str())) {
    for (double choice : speed_choices)
      if (ImGui::Selectable(speed_label(choice).c_str(), choice == speed_)) set_speed(choice);
    ImGui::EndCombo();
  }
  remember_rect("speed");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Simulated seconds per real second (max: as fast as this machine goes).\n"
                      "Speed never changes the results, only how soon you see them.");

  // Live readouts, right-aligned when there is room.
  char readout[128];
  const double now_s = clock_s();
  std::snprintf(readout, sizeof readout, "t = %.3f s   %s ev/s", now_s,
                format_count((uint64_t)std::llround(events_per_s_)).c_str());
  const float readout_width = ImGui::CalcTextSize(readout).x;
  ImGui::SameLine();
  const float free_x = ImGui::GetContentRegionAvail().x;
  if (free_x > readout_width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + free_x - readout_width);
  if (free_x > readout_width * 0.6f) {
    // A small dot that pulses while playing (steady under reduced motion).
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float radius = ImGui::GetFontSize() * 0.22f;
    float alpha = playing_ ? (options_.reduced_motion ? 1.0f : 0.55f + 0.45f * (float)std::sin(real_time_s_ * 6.0))
                           : 0.35f;
    draw->AddCircleFilled(ImVec2(at.x - radius * 2.5f, at.y + ImGui::GetTextLineHeight() * 0.5f), radius,
                          ImGui::GetColorU32(ImVec4(0.3f, 0.85f, 0.6f, alpha)));
    ImGui::TextUnformatted(readout);
    remember_rect("clock");
  }

  // Row 2: the timeline scrubber. Dragging previews the target; releasing jumps there.
  const double end_s = simulation_ ? pg::ns_to_s(simulation_->end_ns()) : 0.0;
  float shown_s = scrub_s_ >= 0 ? scrub_s_ : (float)now_s;
  char label[64];
  std::snprintf(label, sizeof label, "%s / %s", format_seconds((double)shown_s).c_str(), format_seconds(end_s).c_str());
  ImGui::SetNextItemWidth(-1);
  ImGui::BeginDisabled(!simulation_);
  if (ImGui::SliderFloat("##timeline", &shown_s, 0.0f, (float)std::max(end_s, 0.001), label,
                         ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoInput))
    scrub_s_ = shown_s;
  remember_rect("scrubber");
  if (ImGui::IsItemDeactivated() && scrub_s_ >= 0) {
    seek((double)scrub_s_);
    scrub_s_ = -1;
  }
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Simulated time. Drag to jump anywhere: earlier times are re-simulated from the start.");
}

}  // namespace pgweb
