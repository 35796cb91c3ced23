// The time-series chart widget (see charts.hpp).
#include "web/views/chart_widget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "web/strings.hpp"

namespace pgweb {

namespace {

// 1, 2, 2.5, 5 x 10^k at or above value.
double nice_ceiling(double value) {
  if (!(value > 0)) return 1;
  double exponent = std::floor(std::log10(value));
  double base = std::pow(10.0, exponent);
  for (double step : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (step * base >= value * (1 - 1e-9)) return step * base;
  return 10 * base;
}

void format_tick(char* text, size_t size, double value) {
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e6) std::snprintf(text, size, "%gM", value / 1e6);
  else if (magnitude >= 1e4) std::snprintf(text, size, "%gk", value / 1e3);
  else std::snprintf(text, size, "%g", value);
}

double time_tick_step(double t_max_s, int ticks_max) {
  for (double step : {0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0, 600.0, 900.0, 1800.0})
    if (t_max_s / step <= ticks_max) return step;
  return 3600;
}

float legend_width(const ChartData& data) {
  const float swatch = ImGui::GetFontSize() * 0.6f;
  float width = 0;
  for (const ChartLine& line : data.lines)
    if (line.in_legend) width += ImGui::CalcTextSize(line.label.c_str()).x + swatch + 6 + 12;
  return width;
}

// Left to right from `at`; entries that do not fit before `right` are left out (the hover readout lists them all).
void draw_legend(ImDrawList* draw, const ChartData& data, ImVec2 at, float right) {
  const float swatch = ImGui::GetFontSize() * 0.6f;
  float x = at.x;
  for (const ChartLine& line : data.lines) {
    if (!line.in_legend) continue;
    const float width = ImGui::CalcTextSize(line.label.c_str()).x + swatch + 6;
    if (x + width > right) break;
    const float mid = at.y + ImGui::GetTextLineHeight() * 0.5f;
    draw->AddRectFilled(ImVec2(x, mid - swatch * 0.5f), ImVec2(x + swatch, mid + swatch * 0.5f), line.colour, 2);
    draw->AddText(ImVec2(x + swatch + 4, at.y), ImGui::GetColorU32(ImGuiCol_TextDisabled), line.label.c_str());
    x += width + 12;
  }
}

// A polyline drawn as dashes of 6 px with gaps of 4 px, measured along the line so the pattern does not depend on
// how densely it is sampled.
void dashed_polyline(ImDrawList* draw, const std::vector<ImVec2>& points, ImU32 colour, float thickness) {
  constexpr float dash = 6, gap = 4;
  float phase = 0;   // distance into the current dash+gap period
  for (size_t i = 1; i < points.size(); ++i) {
    const ImVec2 a = points[i - 1], b = points[i];
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length = std::sqrt(dx * dx + dy * dy);
    float done = 0;
    while (done < length) {
      const bool on = phase < dash;
      const float step = std::max(std::min(length - done, on ? dash - phase : dash + gap - phase), 1e-3f);
      if (on && length > 0) {
        const float t0 = done / length, t1 = (done + step) / length;
        draw->AddLine(ImVec2(a.x + dx * t0, a.y + dy * t0), ImVec2(a.x + dx * t1, a.y + dy * t1), colour, thickness);
      }
      done += step;
      phase += step;
      if (phase >= dash + gap) phase = 0;
    }
  }
}

}  // namespace

ImU32 chart_colour(size_t i) {
  static const ImU32 palette[] = {
      IM_COL32(86, 180, 233, 255),  IM_COL32(230, 159, 0, 255),   IM_COL32(0, 178, 140, 255),
      IM_COL32(222, 120, 170, 255), IM_COL32(240, 228, 66, 255),  IM_COL32(160, 140, 255, 255),
      IM_COL32(213, 94, 0, 255),    IM_COL32(200, 200, 200, 255),
  };
  return palette[i % (sizeof palette / sizeof palette[0])];
}

std::vector<float> series_values(const pg::Series& series, uint64_t stride) {
  std::vector<float> out;
  stride = std::max<uint64_t>(stride, 1);
  out.reserve((size_t)(series.size() / stride + 1));
  for (uint64_t i = 0; i < series.size(); i += stride) out.push_back((float)series.at(i));
  return out;
}

bool time_series_chart(const char* id, const ChartData& data, ImVec2 size, ChartCursor& cursor) {
  ImGui::PushID(id);
  const int frame = ImGui::GetFrameCount();
  if (cursor.frame != frame) {  // first chart of a new frame: last frame's hover becomes the shared cursor
    cursor.t_s = cursor.t_next_s;
    cursor.t_next_s = -1;
    cursor.frame = frame;
  }
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("chart", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float line_height = ImGui::GetTextLineHeight();
  const ImU32 text_colour = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 faint_text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  const ImU32 grid_colour = IM_COL32(255, 255, 255, 22);
  const ImU32 axis_colour = IM_COL32(255, 255, 255, 60);

  draw->AddRectFilled(origin, ImVec2(origin.x + size.x, origin.y + size.y), IM_COL32(255, 255, 255, 8), 4);
  draw->AddText(ImVec2(origin.x + 8, origin.y + 4), text_colour, data.title.c_str());
  // The legend sits right of the title when it fits there, else on a line of its own below it.
  const float title_width = ImGui::CalcTextSize(data.title.c_str()).x;
  const float legend_room = size.x - 8 - title_width - 20 - 8;
  const bool legend_inline = legend_width(data) <= legend_room;
  float header_height = legend_inline ? line_height : line_height * 2 + 2;
  if (!data.note.empty()) {
    draw->AddText(ImVec2(origin.x + 8, origin.y + 4 + header_height + 2), faint_text, data.note.c_str());
    header_height += line_height + 2;
  }
  if (legend_inline)
    draw_legend(draw, data, ImVec2(origin.x + size.x - 8 - legend_width(data) + 12, origin.y + 4), origin.x + size.x);
  else
    draw_legend(draw, data, ImVec2(origin.x + 8, origin.y + 4 + line_height + 2), origin.x + size.x - 8);

  // Y range from the data: a round tick step (1, 2, 2.5, 5 x 10^k) and as many divisions (2 to 5) as reach the top.
  float y_max = data.y_max_min;
  const size_t points = data.t_s.size();
  for (const ChartLine& line : data.lines)
    for (float v : line.values) y_max = std::max(y_max, v);
  if (!(y_max > 0)) y_max = 1;  // all zero (no failures): a 0..1 axis rather than a microscopic one
  const double y_step = nice_ceiling(std::max((double)y_max * 1.05, 1e-9) / 4);
  const int divisions = std::max(2, (int)std::ceil((double)y_max * 1.05 / y_step - 1e-9));
  const double y_top = y_step * divisions;
  char tick[32];
  format_tick(tick, sizeof tick, y_top);
  const float label_width = std::max(ImGui::CalcTextSize(tick).x, ImGui::CalcTextSize("0.25").x) + 10;
  const ImVec2 plot_min(origin.x + label_width + 6, origin.y + header_height + 12);
  const ImVec2 plot_max(origin.x + size.x - 10, origin.y + size.y - line_height - 8);
  if (plot_max.x - plot_min.x < 20 || plot_max.y - plot_min.y < 20) {
    ImGui::PopID();
    return hovered;
  }
  const float t_max = std::max(data.t_max_s, 1e-3f);
  auto x_of = [&](float t) { return plot_min.x + (plot_max.x - plot_min.x) * (t / t_max); };
  auto y_of = [&](float v) { return plot_max.y - (plot_max.y - plot_min.y) * (float)((double)v / y_top); };

  // Grid and y labels.
  for (int i = 0; i <= divisions; ++i) {
    const double value = y_step * i;
    const float y = y_of((float)value);
    draw->AddLine(ImVec2(plot_min.x, y), ImVec2(plot_max.x, y), i == 0 ? axis_colour : grid_colour);
    format_tick(tick, sizeof tick, value);
    const float w = ImGui::CalcTextSize(tick).x;
    draw->AddText(ImVec2(plot_min.x - w - 6, y - line_height * 0.5f), faint_text, tick);
  }
  // X ticks in seconds of simulated time.
  const double step = time_tick_step((double)t_max, std::max(2, (int)((plot_max.x - plot_min.x) / 70)));
  for (double t = 0; t <= (double)t_max + 1e-9; t += step) {
    const float x = x_of((float)t);
    draw->AddLine(ImVec2(x, plot_min.y), ImVec2(x, plot_max.y), grid_colour);
    const bool minutes = t >= 60 && std::fmod(t, 60) == 0;
    std::snprintf(tick, sizeof tick, text(minutes ? StrId::chart_tick_minutes : StrId::chart_tick_seconds),
                  minutes ? t / 60 : t);
    const float w = ImGui::CalcTextSize(tick).x;
    draw->AddText(ImVec2(std::min(x - w * 0.5f, plot_max.x - w), plot_max.y + 3), faint_text, tick);
  }

  // Lines: faint ones first so the main ones draw over them.
  draw->PushClipRect(ImVec2(plot_min.x, plot_min.y - 2), ImVec2(plot_max.x + 2, plot_max.y + 1), true);
  std::vector<ImVec2> polyline;
  for (int pass = 0; pass < 2; ++pass) {
    for (const ChartLine& line : data.lines) {
      if (line.faint != (pass == 0)) continue;
      const std::vector<float>& xs = line.t_s.empty() ? data.t_s : line.t_s;
      const size_t n = std::min(xs.size(), line.values.size());
      polyline.clear();
      for (size_t i = 0; i < n; ++i) polyline.push_back(ImVec2(x_of(xs[i]), y_of(line.values[i])));
      ImU32 colour = line.colour;
      if (line.faint) colour = (colour & 0x00FFFFFF) | (110u << 24);
      if (polyline.size() >= 2 && line.dashed)
        dashed_polyline(draw, polyline, colour, line.faint ? 1.2f : 1.8f);
      else if (polyline.size() >= 2)
        draw->AddPolyline(polyline.data(), (int)polyline.size(), colour, 0, line.faint ? 1.2f : 1.8f);
      else if (polyline.size() == 1)
        draw->AddCircleFilled(polyline[0], 2.5f, colour);
    }
  }
  draw->PopClipRect();

  if (points == 0) {
    const char* empty = data.empty_text.empty() ? text(StrId::charts_no_data) : data.empty_text.c_str();
    const ImVec2 text_size = ImGui::CalcTextSize(empty);
    draw->AddText(ImVec2((plot_min.x + plot_max.x - text_size.x) * 0.5f, (plot_min.y + plot_max.y - text_size.y) * 0.5f),
                  faint_text, empty);
  }

  // Hover readout: nearest point to the cursor's time.
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (hovered && mouse.x >= plot_min.x && mouse.x <= plot_max.x)
    cursor.t_next_s = (mouse.x - plot_min.x) / (plot_max.x - plot_min.x) * t_max;
  if (cursor.t_s >= 0 && points > 0) {
    size_t nearest = 0;
    for (size_t i = 1; i < points; ++i)
      if (std::fabs(data.t_s[i] - cursor.t_s) < std::fabs(data.t_s[nearest] - cursor.t_s)) nearest = i;
    if (std::fabs(data.t_s[nearest] - cursor.t_s) <= std::max(t_max * 0.03f, data.t_s.size() > 1 ? data.t_s[1] - data.t_s[0] : 1.0f)) {
      const float x = x_of(data.t_s[nearest]);
      draw->AddLine(ImVec2(x, plot_min.y), ImVec2(x, plot_max.y), IM_COL32(255, 255, 255, 90), 1);
      for (const ChartLine& line : data.lines)
        if (nearest < line.values.size()) draw->AddCircleFilled(ImVec2(x, y_of(line.values[nearest])), 3, line.colour);
      if (hovered) {
        ImGui::BeginTooltip();
        ImGui::Text(text(StrId::chart_readout_time), (double)data.t_s[nearest]);
        for (const ChartLine& line : data.lines) {
          if (nearest >= line.values.size()) continue;
          ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(line.colour), "\u25A0");
          ImGui::SameLine();
          ImGui::Text("%s: %.4g %s", line.label.c_str(), (double)line.values[nearest], data.unit.c_str());
        }
        ImGui::EndTooltip();
      }
    }
  }
  ImGui::PopID();
  return hovered;
}

}  // namespace pgweb
