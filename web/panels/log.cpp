// The event log: the engine's notable happenings (World::log_entries: crashes, restarts, expiries, overlaps,
// parameter changes), newest at the bottom, following the run unless the reader scrolled up.
#include <cstdio>

#include <imgui.h>

#include "engine/run/world.hpp"
#include "web/app.hpp"

namespace pgweb {

void App::draw_log() {
  ImGui::TextDisabled("EVENT LOG");
  if (sim()) {
    const pg::World& world = sim()->world();
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", format_count(world.log_total).c_str());
  }
  ImGui::Separator();
  if (!sim()) return;
  const pg::World& world = sim()->world();
  if (!ImGui::BeginChild("log_lines", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar)) {
    ImGui::EndChild();
    return;
  }
  if (world.log_entries.empty()) ImGui::TextDisabled("Nothing notable yet.");
  const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
  ImGuiListClipper clipper;
  clipper.Begin((int)world.log_entries.size());
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const pg::LogEntry& entry = world.log_entries[(size_t)i];
      ImGui::TextDisabled("%8.3f s", pg::ns_to_s(entry.time));
      ImGui::SameLine();
      ImGui::TextUnformatted(entry.text.c_str());
    }
  }
  if (at_bottom) ImGui::SetScrollHereY(1.0f);
  ImGui::EndChild();
}

}  // namespace pgweb
