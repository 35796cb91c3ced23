// The transport bar: play/pause, step, reset, run to end, speed (0.1x up to "as fast as possible"), the simulated
// clock, engine events per second, and a timeline scrubber that jumps to any time (backwards by re-simulating
// from zero). Two rows, always the same height, so the main view below never jumps. While a job runs (run to end,
// a seek, the replay of an edit, a Check) the second row is its progress bar with Cancel, and the buttons wait.
// A run the cost estimate says is long gets a warning beside the buttons, before it is started.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include <imgui.h>

#include "web/app.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

// Speeds offered; App::speed_unlimited is shown as "max".
constexpr double speed_choices[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 100, 1000, App::speed_unlimited};

std::string speed_label(double speed) {
  if (speed >= App::speed_unlimited) return text(StrId::transport_speed_max);
  char text[32];
  std::snprintf(text, sizeof text, "%g\u00d7", speed);
  return text;
}

// One width for a button that shows either of two labels (Play/Pause: the row never shifts). `english_em` font sizes
// is the width laid out for the English labels; a language whose labels are wider gets it grown in proportion.
float button_width_for(StrId a, StrId b, float english_em) {
  auto widest = [&](Lang lang) {
    return std::max(ImGui::CalcTextSize(text(a, lang)).x, ImGui::CalcTextSize(text(b, lang)).x);
  };
  const float english = widest(Lang::en);
  return ImGui::GetFontSize() * english_em * std::max(1.0f, english > 0 ? widest(language()) / english : 1.0f);
}

// The speed box: `min_em` font sizes (laid out for the numbers), or more if the word for "max" needs it with the arrow.
float speed_box_width(float min_em) {
  const float word = ImGui::CalcTextSize(text(StrId::transport_speed_max)).x;
  return std::max(ImGui::GetFontSize() * min_em, word + ImGui::GetFrameHeight() + ImGui::GetStyle().FramePadding.x * 2);
}

}  // namespace

void App::draw_job_progress(const char* cancel_id) {
  const JobStatus status = session_->job_status();
  const std::string label =
      text_format(StrId::job_progress, status.progress * 100.0, job_label().c_str(),
                  format_seconds(pg::ns_to_s(status.now_ns)).c_str(), format_seconds(pg::ns_to_s(status.target_ns)).c_str());
  const ImGuiStyle& style = ImGui::GetStyle();
  const char* cancel = text(StrId::cancel);
  const float cancel_width = ImGui::CalcTextSize(cancel).x + style.FramePadding.x * 2;
  const float bar_width = std::max(ImGui::GetContentRegionAvail().x - cancel_width - style.ItemSpacing.x, 40.0f);
  ImGui::PushStyleColor(ImGuiCol_PlotHistogram, ImVec4(0.20f, 0.63f, 0.63f, 1.0f));
  // The label is drawn by hand, left-aligned and clipped to the bar: ImGui's overlay follows the fill's edge and
  // slides out of a narrow bar on the left.
  ImGui::ProgressBar((float)status.progress, ImVec2(bar_width, 0), "");
  ImGui::PopStyleColor();
  const ImVec2 bar_min = ImGui::GetItemRectMin(), bar_max = ImGui::GetItemRectMax();
  const ImVec2 text_at(bar_min.x + style.FramePadding.x, bar_min.y + style.FramePadding.y);
  ImGui::GetWindowDrawList()->PushClipRect(bar_min, ImVec2(bar_max.x - style.FramePadding.x, bar_max.y), true);
  ImGui::GetWindowDrawList()->AddText(text_at, ImGui::GetColorU32(ImGuiCol_Text), label.c_str());
  ImGui::GetWindowDrawList()->PopClipRect();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", label.c_str());
  remember_rect((std::string(cancel_id) + "_progress").c_str());
  ImGui::SameLine();
  ImGui::PushID(cancel_id);
  if (ImGui::Button(cancel)) cancel_job();
  ImGui::PopID();
  remember_rect(cancel_id);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::cancel_tooltip));
}

void App::draw_transport() {
  const bool can_play = sim() && !sim()->finished() && !busy();
  const float button_width = button_width_for(StrId::transport_play, StrId::transport_pause, 5.2f);

  ImGui::BeginDisabled((!can_play && !playing_) || busy());
  if (ImGui::Button(text(playing_ ? StrId::transport_pause : StrId::transport_play), ImVec2(button_width, 0)))
    toggle_play();
  ImGui::EndDisabled();
  remember_rect("play");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", text(StrId::transport_play_tooltip));
  if (options_.controls == Controls::min) {   // an embedded view's one row (controls=min): Play/Pause and the clock
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    char clock[64];
    std::snprintf(clock, sizeof clock, "%s / %s", format_seconds(clock_s()).c_str(),
                  format_seconds(sim() ? pg::ns_to_s(sim()->end_ns()) : 0.0).c_str());
    ImGui::TextUnformatted(clock);
    remember_rect("clock");
    return;
  }

  // On a phone the row must fit 360 CSS pixels with buttons a finger can hit: End and Reset show their symbols alone,
  // Step (also in the Run menu), the cost warning and the events per second are left out, the clock stays.
  const bool phone = phone_.active;
  auto button_label = [phone](StrId id) {   // "⇥ End" -> "⇥" on a phone
    const std::string full = text(id);
    return phone ? full.substr(0, full.find(' ')) : full;
  };
  const ImVec2 symbol_size(phone ? ImGui::GetFrameHeight() * 1.2f : 0, 0);
  ImGui::BeginDisabled(!can_play);
  if (!phone) {
    ImGui::SameLine();
    if (ImGui::Button(text(StrId::transport_step))) step();
    remember_rect("step");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::transport_step_tooltip));
  }
  ImGui::SameLine();
  if (ImGui::Button(button_label(StrId::transport_end).c_str(), symbol_size)) run_to_end();
  remember_rect("run_to_end");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::transport_end_tooltip));
  ImGui::EndDisabled();

  ImGui::SameLine();
  if (ImGui::Button(button_label(StrId::transport_reset).c_str(), symbol_size)) reset();
  remember_rect("reset");
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::transport_reset_tooltip));

  ImGui::SameLine();
  ImGui::SetNextItemWidth(speed_box_width(phone ? 3.8f : 4.6f));
  if (ImGui::BeginCombo("##speed", speed_label(speed_).c_str(), ImGuiComboFlags_HeightLargest)) {
    for (double choice : speed_choices)
      if (ImGui::Selectable(speed_label(choice).c_str(), choice == speed_)) set_speed(choice);
    ImGui::EndCombo();
  }
  remember_rect("speed");
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("%s", text(StrId::transport_speed_tooltip));

  // The cost estimate's warning, before a long run is started (and while it runs).
  if (!phone && page_seconds_estimate() > long_run_warning_s && sim() && !sim()->finished() && !busy()) {
    ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(ImVec4(0.93f, 0.72f, 0.35f, 1.0f), "%s",
                       text_format(StrId::cost_long_run, format_seconds(page_seconds_estimate()).c_str()).c_str());
    remember_rect("cost_warning");
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 28);
      ImGui::TextUnformatted(text(StrId::cost_tooltip_title));
      for (const std::string& line : cost().summary) ImGui::BulletText("%s", line.c_str());
      for (const std::string& line : cost().warnings) ImGui::BulletText("%s", line.c_str());
      ImGui::Spacing();
      ImGui::TextDisabled("%s", text(StrId::cost_tooltip_page));
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
  }

  // Live readouts, right-aligned when there is room (a phone: the clock alone).
  const double now_s = clock_s();
  const std::string readout_text =
      phone ? format_seconds(now_s)
            : text_format(StrId::transport_readout, now_s, format_count((uint64_t)std::llround(events_per_s_)).c_str());
  const char* readout = readout_text.c_str();
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
    const float text_top = at.y + (phone ? ImGui::GetStyle().FramePadding.y : 0.0f);   // a phone's row is taller
    draw->AddCircleFilled(ImVec2(at.x - radius * 2.5f, text_top + ImGui::GetTextLineHeight() * 0.5f), radius,
                          ImGui::GetColorU32(ImVec4(0.3f, 0.85f, 0.6f, alpha)));
    if (phone) ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(readout);
    remember_rect("clock");
  } else {
    ImGui::NewLine();   // no room for the readout: end the row that SameLine left open
  }

  // Row 2: the running job's progress, or the timeline scrubber.
  if (busy()) {
    scrub_s_ = -1;
    draw_job_progress("job_cancel");
    return;
  }
  // The timeline scrubber. Dragging previews the target; releasing jumps there.
  const double end_s = sim() ? pg::ns_to_s(sim()->end_ns()) : 0.0;
  float shown_s = scrub_s_ >= 0 ? scrub_s_ : (float)now_s;
  char label[64];
  std::snprintf(label, sizeof label, "%s / %s", format_seconds((double)shown_s).c_str(), format_seconds(end_s).c_str());
  ImGui::SetNextItemWidth(-1);
  ImGui::BeginDisabled(!sim());
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
    ImGui::SetTooltip("%s", text(StrId::transport_timeline_tooltip));
}

}  // namespace pgweb
