// The playground app, independent of the browser: owns the scenario and the running simulation, draws one ImGui
// frame at a time, and answers the questions window.playground asks. Only web/main_web.cpp knows the main loop.
//
// Time: the simulated clock advances only while playing, by the real time between frames times the speed, and
// never by more than a frame's event budget, so a slow frame slows the run instead of freezing the page.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "engine/scenario.hpp"
#include "engine/simulation.hpp"

namespace pgweb {

// Where a widget was drawn, in CSS pixels from the canvas' top-left corner (for tests that click it).
struct WidgetRect {
  float x = 0, y = 0, width = 0, height = 0;
};

class App {
 public:
  // Parses the built-in default scenario and builds a run, paused at time zero.
  App();

  // Advances the run (when playing) by real_dt_s of real time, then builds the frame's widgets. Call between
  // ImGui::NewFrame() and ImGui::Render().
  void frame(double real_dt_s);

  void play();
  void pause();
  void reset();                      // rebuilds the run from the scenario, keeping play/pause
  void set_speed(double speed);      // simulated seconds per real second, clamped to [speed_min, speed_max]

  bool playing() const { return playing_; }
  double speed() const { return speed_; }
  double clock_s() const;            // simulated seconds
  uint64_t events_processed() const;
  std::string trace_hash_hex() const;
  std::string report_json() const;   // the engine's report; "null" when no run exists
  const std::string& scenario_name() const { return scenario_.name; }
  const std::string& load_error() const { return load_error_; }

  // The transport panel's Play/Pause button as drawn in the last frame.
  WidgetRect play_button_rect() const { return play_button_rect_; }

  static constexpr double speed_min = 0.01;
  static constexpr double speed_max = 1000;
  static constexpr uint64_t events_per_frame_max = 500'000;   // keeps a frame under ~16 ms on a slow machine
  static constexpr double frame_dt_max_s = 0.25;              // a background tab's long pause is not replayed

 private:
  void load_scenario(const char* json_text);
  void advance(double real_dt_s);
  void draw_menu_bar();
  void draw_transport(float top_y);

  pg::Scenario scenario_;
  std::unique_ptr<pg::Simulation> simulation_;
  std::string load_error_;          // the validation errors of the last load, one per line
  bool playing_ = false;
  double speed_ = 1.0;
  bool show_about_ = false;
  WidgetRect play_button_rect_;
};

}  // namespace pgweb
