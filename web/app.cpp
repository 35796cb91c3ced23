// The playground app's frame: menu bar and transport panel over the running simulation (see app.hpp).
#include "web/app.hpp"

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <exception>

#include <imgui.h>

#include "web/default_scenario.hpp"

namespace pgweb {

namespace {

constexpr const char* product_name = "Shop Architecture Playground";

// Speed choices offered in the transport panel; any value in [speed_min, speed_max] works through set_speed().
constexpr double speed_choices[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 100};

std::string format_speed(double speed) {
  char text[32];
  std::snprintf(text, sizeof text, "%gx", speed);
  return text;
}

// 1234567 -> "1 234 567": event counts grow large and are read at a glance.
std::string format_count(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += "\u2009";  // thin space
    out += digits[i];
  }
  return out;
}

void label_value_row(const char* label, const char* value) {
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGui::TextDisabled("%s", label);
  ImGui::TableSetColumnIndex(1);
  ImGui::TextUnformatted(value);
}

}  // namespace

App::App() { load_scenario(default_scenario_json); }

void App::load_scenario(const char* json_text) {
  pg::ScenarioParse parsed = pg::parse_scenario(json_text);
  if (!parsed.ok()) {
    load_error_.clear();
    for (const pg::ValidationError& error : parsed.errors) load_error_ += error.to_string() + "\n";
    return;  // keep the current scenario and run
  }
  load_error_.clear();
  scenario_ = std::move(parsed.scenario);
  reset();
}

void App::reset() {
  try {
    simulation_ = std::make_unique<pg::Simulation>(scenario_);
  } catch (const std::exception& error) {
    simulation_.reset();
    playing_ = false;
    load_error_ = std::string("cannot build the run: ") + error.what();
  }
}

void App::play() {
  if (simulation_ && !simulation_->finished()) playing_ = true;
}

void App::pause() { playing_ = false; }

void App::set_speed(double speed) {
  if (!(speed >= speed_min)) speed = speed_min;  // also catches NaN
  speed_ = std::min(speed, speed_max);
}

double App::clock_s() const { return simulation_ ? pg::ns_to_s(simulation_->now_ns()) : 0.0; }

uint64_t App::events_processed() const { return simulation_ ? simulation_->events_processed() : 0; }

std::string App::trace_hash_hex() const { return simulation_ ? simulation_->trace_hash_hex() : std::string(); }

std::string App::report_json() const { return simulation_ ? simulation_->report().dump() : std::string("null"); }

void App::advance(double real_dt_s) {
  if (!playing_ || !simulation_) return;
  double dt_s = std::clamp(real_dt_s, 0.0, frame_dt_max_s);
  pg::time_ns until_ns = simulation_->now_ns() + pg::s_to_ns(dt_s * speed_);
  simulation_->advance(events_per_frame_max, std::min(until_ns, simulation_->end_ns()));
  if (simulation_->finished()) playing_ = false;
}

void App::frame(double real_dt_s) {
  advance(real_dt_s);
  draw_menu_bar();
  draw_transport(ImGui::GetFrameHeight());
}

// ---- menu bar -----------------------------------------------------------------------------------------------------

void App::draw_menu_bar() {
  if (!ImGui::BeginMainMenuBar()) return;
  ImGui::TextUnformatted(product_name);
  ImGui::TextDisabled("v%s", PLAYGROUND_VERSION);
  ImGui::Separator();
  if (ImGui::BeginMenu("Run")) {
    if (ImGui::MenuItem(playing_ ? "Pause" : "Play", "Space")) playing_ ? pause() : play();
    if (ImGui::MenuItem("Reset")) reset();
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Help")) {
    if (ImGui::MenuItem("About")) show_about_ = true;
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();

  if (show_about_) {
    ImGui::OpenPopup("About");
    show_about_ = false;
  }
  if (ImGui::BeginPopupModal("About", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("%s %s", product_name, PLAYGROUND_VERSION);
    ImGui::TextUnformatted("A deterministic simulation of an online shop's architecture:\n"
                           "services, consistent hashing, distributed locks and queues.");
    ImGui::Text("Dear ImGui %s", IMGUI_VERSION);
    if (ImGui::Button("Close")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

// ---- transport panel ----------------------------------------------------------------------------------------------

void App::draw_transport(float top_y) {
  ImGui::SetNextWindowPos(ImVec2(12, top_y + 12), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(360, 0), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Transport", nullptr, ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return;
  }

  // Space toggles play when no text field has the keyboard.
  if (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) playing_ ? pause() : play();

  const bool can_play = simulation_ && !simulation_->finished();
  const float button_width = ImGui::GetFontSize() * 6.5f;
  ImGui::BeginDisabled(!can_play && !playing_);
  if (ImGui::Button(playing_ ? "\u275A\u275A  Pause" : "\u25B6  Play", ImVec2(button_width, 0))) {
    playing_ ? pause() : play();
  }
  ImGui::EndDisabled();
  ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  play_button_rect_ = WidgetRect{min.x, min.y, size.x, size.y};

  ImGui::SameLine();
  if (ImGui::Button("\u21BA  Reset", ImVec2(button_width, 0))) reset();

  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  if (ImGui::BeginCombo("##speed", format_speed(speed_).c_str())) {
    for (double choice : speed_choices) {
      if (ImGui::Selectable(format_speed(choice).c_str(), choice == speed_)) set_speed(choice);
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Simulated seconds per real second");

  const double end_s = simulation_ ? pg::ns_to_s(simulation_->end_ns()) : 0.0;
  const double now_s = clock_s();
  char text[96];
  std::snprintf(text, sizeof text, "%.3f s / %.0f s", now_s, end_s);
  ImGui::ProgressBar(end_s > 0 ? (float)(now_s / end_s) : 0.0f, ImVec2(-1, 0), text);

  if (ImGui::BeginTable("transport_values", 2, ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("label", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    std::snprintf(text, sizeof text, "%.3f s", now_s);
    label_value_row("Clock", text);
    label_value_row("Events", format_count(events_processed()).c_str());
    label_value_row("State", !simulation_ ? "no run" : simulation_->finished() ? "finished"
                             : playing_                                      ? "playing"
                                                                             : "paused");
    label_value_row("Scenario", scenario_.name.c_str());
    label_value_row("Trace", trace_hash_hex().c_str());
    ImGui::EndTable();
  }

  if (!load_error_.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.55f, 0.45f, 1.0f));
    ImGui::TextWrapped("%s", load_error_.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::End();
}

}  // namespace pgweb
