// The event log: the engine's notable happenings (World::log_entries: crashes, restarts, expiries, overlaps,
// parameter changes), newest at the bottom, following the run unless the reader scrolled up.
#include <algorithm>
#include <cstdio>
#include <map>
#include <string>

#include <imgui.h>

#include "engine/run/world.hpp"
#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

namespace {

// A log line in the page's language. Matching a line tries every pattern, so each line is translated once, the
// first time it is measured, and kept (the engine keeps at most 512 lines; the cache is bounded too).
const std::string& shown_line(const std::string& english) {
  static std::map<std::string, std::string> cache;
  static Lang cached_language = Lang::en;
  if (language() == Lang::en) return english;
  if (cached_language != language() || cache.size() > 4096) {
    cache.clear();
    cached_language = language();
  }
  auto it = cache.find(english);
  if (it == cache.end()) it = cache.emplace(english, translate(english)).first;
  return it->second;
}

// The height of a log line wrapped at `width`, remembered while the width, text size and language stay (each line is
// measured once, not every frame; the engine keeps at most 512 lines, and the cache is bounded too).
float wrapped_height(const std::string& line, float width) {
  static std::map<std::string, float> heights;
  static float measured_width = -1, measured_font = -1;
  static Lang measured_language = Lang::en;
  const float font = ImGui::GetFontSize();
  if (width != measured_width || font != measured_font || language() != measured_language || heights.size() > 4096) {
    heights.clear();
    measured_width = width;
    measured_font = font;
    measured_language = language();
  }
  auto it = heights.find(line);
  if (it == heights.end()) it = heights.emplace(line, ImGui::CalcTextSize(line.c_str(), nullptr, false, width).y).first;
  return it->second;
}

}  // namespace

// Each line wraps under its own text, after its time, so nothing hides behind a horizontal scrollbar. Lines differ
// in height, so instead of ImGui's list clipper (equal heights) the visible ones are found from the heights.
void App::draw_log() {
  ImGui::TextDisabled("%s", text(StrId::log_title));
  if (sim()) {
    const pg::World& world = sim()->world();
    ImGui::SameLine();
    ImGui::TextDisabled(text(StrId::log_total), format_count(world.log_total).c_str());
  }
  ImGui::Separator();
  if (!sim()) return;
  const pg::World& world = sim()->world();
  if (!ImGui::BeginChild("log_lines", ImVec2(0, 0), false)) {
    ImGui::EndChild();
    return;
  }
  if (world.log_entries.empty()) ImGui::TextDisabled("%s", text(StrId::log_empty));
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  char widest_time[32];
  std::snprintf(widest_time, sizeof widest_time, text(StrId::log_time), 9999.999);
  const float time_width = ImGui::CalcTextSize(widest_time).x + ImGui::GetStyle().ItemSpacing.x;
  const float text_width = std::max(ImGui::GetContentRegionAvail().x - time_width, 40.0f);
  const float spacing = ImGui::GetStyle().ItemSpacing.y;
  const float top = ImGui::GetScrollY(), bottom = top + ImGui::GetWindowHeight();
  float y = ImGui::GetCursorPosY();
  for (const pg::LogEntry& entry : world.log_entries) {
    const std::string& line = shown_line(entry.text);
    const float height = wrapped_height(line, text_width) + spacing;
    if (y + height >= top && y <= bottom) {
      ImGui::SetCursorPosY(y);
      ImGui::TextDisabled(text(StrId::log_time), pg::ns_to_s(entry.time));
      ImGui::SameLine(time_width);
      ImGui::PushTextWrapPos(time_width + text_width);
      ImGui::TextUnformatted(line.c_str());
      ImGui::PopTextWrapPos();
    }
    y += height;
  }
  ImGui::SetCursorPosY(y);
  ImGui::Dummy(ImVec2(0, 0));
  if (at_bottom) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace pgweb
