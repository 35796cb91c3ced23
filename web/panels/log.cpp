// The event log: the engine's notable happenings (World::log_entries: crashes, restarts, expiries, overlaps,
// parameter changes), newest at the bottom, following the run unless the reader scrolled up.
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
// first time the clipper shows it, and kept (the engine keeps at most 512 lines; the cache is bounded too).
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

}  // namespace

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
  if (!ImGui::BeginChild("log_lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar)) {
    ImGui::EndChild();
    return;
  }
  if (world.log_entries.empty()) ImGui::TextDisabled("%s", text(StrId::log_empty));
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  ImGuiListClipper clipper;
  clipper.Begin((int)world.log_entries.size());
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const pg::LogEntry& entry = world.log_entries[(size_t)i];
      ImGui::TextDisabled(text(StrId::log_time), pg::ns_to_s(entry.time));
      ImGui::SameLine();
      ImGui::TextUnformatted(shown_line(entry.text).c_str());
    }
  }
  if (at_bottom) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace pgweb
