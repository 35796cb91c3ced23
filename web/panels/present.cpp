// Showing a run to a room: the page's address options (web/page_options.hpp: view=, t=, autoplay=1, speed=,
// readonly=1; embed=1 and controls= shape the layout in app.cpp and transport.cpp), the read-only guard on every
// change to the scenario, and File > Copy embed code. Presentation mode (key F, or present=1) hides the menu bar and
// the side panels and builds the fonts larger (App::font_scale); app.cpp lays it out.
#include <algorithm>
#include <string>
#include <vector>

#include <imgui.h>

#include "engine/scenario/localized_texts.hpp"
#include "web/app.hpp"
#include "web/page_options.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

std::vector<std::string> App::intervene_json(const std::string& json_text) {
  if (options_.readonly) {
    set_message(text(StrId::readonly_refused), true);
    return {text(StrId::readonly_refused)};
  }
  return session_->intervene_json(json_text);
}

std::vector<std::string> App::intervene(pg::FaultSpec fault) {
  if (options_.readonly) {
    set_message(text(StrId::readonly_refused), true);
    return {text(StrId::readonly_refused)};
  }
  return session_->intervene(std::move(fault));
}

std::vector<std::string> App::apply_scenario(const pg::Scenario& scenario) {
  if (options_.readonly) {
    set_message(text(StrId::readonly_refused), true);
    return {text(StrId::readonly_refused)};
  }
  return session_->apply_scenario(scenario);
}

void App::apply_start_options() {
  if (!options_.view.empty()) select_view(options_.view);
  if (options_.speed > 0) set_speed(options_.speed);
  if (options_.start_s > 0 && sim()) seek(options_.start_s);   // a job: playing starts once it got there
  if (options_.autoplay && sim()) playing_ = true;
}

std::string App::embed_code() const {
  const std::string error = session_->link_error();
  if (!error.empty()) return "";
  EmbedChoice choice;
  choice.view = active_view_;
  choice.t_s = clock_s();
  const std::string title = pg::localized_texts(scenario(), lang_code(language())).name;
  return embed_snippet(embed_url(link(), choice), title);
}

void App::copy_embed_code() {
  const std::string error = session_->link_error();
  if (!error.empty()) return set_message(translate(error), true);
  const std::string code = embed_code();
  if (host_.copy_text) host_.copy_text(code);
  set_message(text_format(StrId::embed_copied, (int)code.size()), false);
}

}  // namespace pgweb

namespace pgweb {

// For a few seconds after presentation mode starts, a line at the top says how to leave it (there is no menu bar).
void App::draw_present_hint() {
  if (options_.present != hint_for_present_) {
    hint_for_present_ = options_.present;
    present_since_s_ = real_time_s_;
  }
  const double shown_for_s = 4, age_s = real_time_s_ - present_since_s_;
  if (!options_.present || age_s >= shown_for_s) return;
  const char* hint = text(StrId::present_hint);
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const ImVec2 size = ImGui::CalcTextSize(hint);
  const float pad = ImGui::GetFontSize() * 0.5f;
  const ImVec2 at(viewport->Pos.x + (viewport->Size.x - size.x) * 0.5f, viewport->Pos.y + pad * 3);
  const float alpha = (float)std::min(1.0, (shown_for_s - age_s) / 1.0);
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  draw->AddRectFilled(ImVec2(at.x - pad * 2, at.y - pad), ImVec2(at.x + size.x + pad * 2, at.y + size.y + pad),
                      ImGui::GetColorU32(ImVec4(0.09f, 0.10f, 0.12f, 0.92f * alpha)), pad);
  draw->AddText(at, ImGui::GetColorU32(ImVec4(0.90f, 0.92f, 0.93f, alpha)), hint);
}

}  // namespace pgweb
