// A reusable time-series chart drawn with ImDrawList: title, legend, y and x axes with nice ticks and labels,
// one polyline per series, and a hover readout (a vertical cursor shared by all charts, and a tooltip with every
// line's value at that time). Data is plain floats; filling it from engine Series is the caller's business.
#pragma once
#include <string>
#include <vector>

#include <imgui.h>

#include "engine/kernel/metrics.hpp"

namespace pgweb {

struct ChartLine {
  std::string label;
  ImU32 colour = 0;
  std::vector<float> values;   // one per ChartData::t_s point
  bool faint = false;          // drawn thinner and paler (p50 under p99)
  bool in_legend = true;
  bool dashed = false;         // Compare's B, over A's solid line of the same colour
  std::vector<float> t_s = {}; // its own x points (B's run may be behind A's); empty: ChartData::t_s
};

struct ChartData {
  std::string title;
  std::string unit;            // shown in the readout: "req/s", "ms"
  std::vector<float> t_s;      // x of each point, simulated seconds
  float t_max_s = 1;           // the x axis spans [0, t_max_s]: the whole run, so lines grow left to right
  float y_max_min = 0;         // the y axis reaches at least this (1 for a ratio)
  std::vector<ChartLine> lines;
  std::string empty_text;   // shown when there is no point; empty: "No data yet: press Play"
  std::string note;         // a dimmed line under the title's row ("A solid, B dashed"); empty: none
};

// The time the mouse points at in any chart, shared so every chart shows the same cursor (last frame's value).
// One per set of charts, kept by the caller between frames.
struct ChartCursor {
  float t_s = -1;        // the shared cursor this frame (-1: none)
  float t_next_s = -1;   // where the mouse is this frame, the cursor of the next
  int frame = -1;        // ImGui frame the cursor was last moved on
};

// Draws the chart in a box of the given size at the cursor. Returns true while the mouse is over its plot.
bool time_series_chart(const char* id, const ChartData& data, ImVec2 size, ChartCursor& cursor);

// Colour i of the chart palette (colour-blind friendly on a dark background).
ImU32 chart_colour(size_t i);

// Copies a Series into floats, keeping every stride-th point (stride >= 1) so a line has about as many points as
// the chart has pixels.
std::vector<float> series_values(const pg::Series& series, uint64_t stride);

}  // namespace pgweb
