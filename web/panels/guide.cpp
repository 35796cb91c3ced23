// The first screen's guide: three things to try, each ticked when done, at the top of the main view. Shown until a
// person closes it ("Got it", kept in the browser's localStorage), reopened from Help > Show the guide; never in an
// embedded page. A step counts once in a visit and stays ticked: pressing Play (the run moves), breaking something
// (the scenario gains an intervention), finishing an exercise's run (Check, or playing it to its end).
#include <string>

#include <imgui.h>

#include "web/app.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {
constexpr const char* guide_key = "playground.guide";
}  // namespace

void App::restore_guide() {
  guide_.open = !options_.embed && !(host_.stored && host_.stored(guide_key) == "closed");
}

void App::show_guide(bool open) {
  guide_.open = open && !options_.embed;
  if (host_.store) host_.store(guide_key, open ? "" : "closed");
}

void App::update_guide() {
  if (!sim()) return;
  if (playing_ && sim()->events_processed() > 0) guide_.done[0] = true;
  if (!scenario().interventions.empty()) guide_.done[1] = true;
  if (exercise_.active && sim()->finished()) guide_.done[2] = true;
}

std::string App::guide_json() const {
  return nlohmann::json({{"open", guide_.open}, {"done", {guide_.done[0], guide_.done[1], guide_.done[2]}}}).dump();
}

void App::draw_guide() {
  update_guide();
  if (!guide_.open) return;
  const int done = (int)guide_.done[0] + (int)guide_.done[1] + (int)guide_.done[2];
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.11f, 0.16f, 0.22f, 1.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(10, 6));
  const float line = ImGui::GetTextLineHeightWithSpacing();
  const float height = guide_.height > 0 ? guide_.height : line * 4 + 14;
  if (ImGui::BeginChild("guide", ImVec2(0, height), true, ImGuiWindowFlags_AlwaysUseWindowPadding)) {
    ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "%s", text_format(StrId::guide_title, done, 3).c_str());
    const char* close_label = text(StrId::guide_close);
    const float close_width = ImGui::CalcTextSize(close_label).x + ImGui::GetStyle().FramePadding.x * 2;
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 8, ImGui::GetWindowContentRegionMax().x - close_width));
    if (ImGui::SmallButton(close_label)) show_guide(false);
    remember_rect("guide_close");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::guide_close_tooltip));
    // On a phone the panels are below, not on the right and the left.
    const bool phone = phone_.active;
    const StrId steps[] = {StrId::guide_step_play, phone ? StrId::guide_step_break_phone : StrId::guide_step_break,
                           phone ? StrId::guide_step_exercise_phone : StrId::guide_step_exercise};
    ImGui::PushTextWrapPos(0);
    for (int i = 0; i < 3; ++i) {
      const bool ticked = guide_.done[i];
      const ImVec4 colour = ticked ? ImVec4(0.45f, 0.85f, 0.55f, 1) : ImGui::GetStyleColorVec4(ImGuiCol_Text);
      ImGui::TextColored(colour, "%s", ticked ? "\u2714" : "\u25CB");   // ✔ ○
      ImGui::SameLine();
      ImGui::PushStyleColor(ImGuiCol_Text, ticked ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled) : colour);
      ImGui::TextUnformatted(text(steps[i]));
      ImGui::PopStyleColor();
    }
    ImGui::PopTextWrapPos();
    guide_.height = ImGui::GetCursorPosY() + 6;   // the content's height, for the next frame's size
  }
  ImGui::EndChild();
  remember_rect("guide");   // the whole box: after EndChild the child is the last item
  ImGui::PopStyleVar();
  ImGui::PopStyleColor();
}

}  // namespace pgweb
