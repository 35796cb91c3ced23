// The glossary in the page (the table is web/glossary.hpp): a term where it appears is marked with a dotted
// underline; hovering it shows the explanation; a click or a tap (or a long press on a phone) opens its card, with a
// button to the view that shows it and one to the whole list; Help > Glossary lists every term with the same buttons.
// The card and the list are drawn at the top level of the frame (draw_glossary), so a mark anywhere only asks.
#include <algorithm>
#include <string>

#include <imgui.h>

#include "web/app.hpp"
#include "web/glossary.hpp"
#include "web/strings.hpp"
#include "web/views/views.hpp"

namespace pgweb {

namespace {

const char* view_label(const char* view) {
  const std::string_view name = view;
  return text(name == "Ring"           ? StrId::tab_ring
              : name == "Locks"        ? StrId::tab_locks
              : name == "Queues"       ? StrId::tab_queues
              : name == "Architecture" ? StrId::tab_architecture
                                       : StrId::tab_charts);
}

void explanation(const TermInfo& info, float wrap_em) {
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * wrap_em);
  ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "%s", text(info.name));
  ImGui::TextUnformatted(text(info.explanation));
  ImGui::PopTextWrapPos();
}

}  // namespace

void App::mark_term(Term term) {
  const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  mark_term_at(term, WidgetRect{min.x, min.y, size.x, size.y});
}

void App::mark_term_at(Term term, const WidgetRect& rect) {
  if (rect.width <= 0) return;
  const TermInfo& info = term_info(term);
  const ImVec2 min(rect.x, rect.y), max(rect.x + rect.width, rect.y + rect.height);
  // The dotted underline: what says "this word explains itself".
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const ImU32 dots = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (float x = min.x; x + 1 <= max.x; x += 3)
    draw->AddRectFilled(ImVec2(x, max.y), ImVec2(x + 1.2f, max.y + 1.2f), dots);
  const std::string name = std::string("term_") + info.id;
  if (!widget_rects_.count(name)) widget_rects_[name] = rect;   // the first place it shows, for the tests
  // Hovered: the mouse in the rectangle, in this window, with no popup in the way.
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows | ImGuiHoveredFlags_AllowWhenDisabled) ||
      !ImGui::IsMouseHoveringRect(min, max))
    return;
  glossary_.hovered = (int)term;
  if (ImGui::IsMouseReleased(0) || long_press_) {
    glossary_.card = (int)term;
    glossary_.card_requested = true;
    return;
  }
  if (glossary_.card >= 0) return;   // the card is open: no tooltip over it
  ImGui::BeginTooltip();
  explanation(info, 22);
  ImGui::TextDisabled("%s", text(StrId::glossary_click_hint));
  ImGui::EndTooltip();
}

void App::open_glossary(bool open) {
  glossary_.open = open;
  glossary_.card = -1;
}

// Built by hand (json_quoted): a JSON object here would cost the download more than this.
std::string App::glossary_json() const {
  auto quoted = [](const char* text) { return json_quoted(text); };
  auto id = [&](int term) { return term >= 0 ? quoted(glossary_terms[term].id) : std::string("null"); };
  std::string out = std::string("{\"open\":") + (glossary_.open ? "true" : "false") +
                    ",\"card\":" + id(glossary_.card) + ",\"tooltip\":" + id(glossary_.hovered_shown) + ",\"terms\":[";
  for (const TermInfo& info : glossary_terms)
    out += std::string(&info == glossary_terms ? "" : ",") + "{\"id\":" + quoted(info.id) +
           ",\"name\":" + quoted(text(info.name)) + ",\"text\":" + quoted(text(info.explanation)) +
           ",\"view\":" + quoted(info.view) + "}";
  return out + "]}";
}

// A button to the view that shows the term: selects it (on a phone, the views' panel too) and closes the card/list.
bool App::term_view_button(const TermInfo& info, const char* rect) {
  const bool pressed = ImGui::Button(text_format(StrId::glossary_show_in, view_label(info.view)).c_str());
  remember_rect(rect);
  if (!pressed) return false;
  select_view(info.view);
  phone_.panel = PhonePanel::views;
  glossary_.card = -1;
  glossary_.open = false;
  return true;
}

void App::draw_glossary() {
  glossary_.hovered_shown = glossary_.hovered;
  glossary_.hovered = -1;
  // The card: where the term was clicked, closed by a click elsewhere or Esc (ImGui's popup rules).
  if (glossary_.card_requested) {
    ImGui::OpenPopup("###term_card");
    glossary_.card_requested = false;
  }
  if (ImGui::BeginPopup("###term_card")) {
    const int card = std::clamp(glossary_.card, 0, (int)Term::count - 1);
    const TermInfo& info = glossary_terms[card];
    explanation(info, 20);
    if (term_view_button(info, "term_card_view")) ImGui::CloseCurrentPopup();
    ImGui::SameLine();
    if (ImGui::Button(text(StrId::glossary_all_terms))) {
      open_glossary(true);
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  } else {
    glossary_.card = -1;
  }
  if (!glossary_.open) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  const float width = std::min(ImGui::GetFontSize() * 36, viewport->Size.x - 20);
  const ImVec2 centre(viewport->Size.x * 0.5f, viewport->Size.y * 0.5f);
  ImGui::SetNextWindowPos(centre, ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(width, std::min(viewport->Size.y - 40, ImGui::GetFontSize() * 40)), ImGuiCond_Always);
  ImGui::SetNextWindowBgAlpha(1.0f);   // the page behind would show through the text
  if (ImGui::Begin(labelled(StrId::glossary_title, "glossary").c_str(), &glossary_.open,
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                       ImGuiWindowFlags_NoResize)) {
    remember_rect("glossary_window");
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s", text(StrId::glossary_intro));
    // Each term: its name with the button to its view on the same line (right-aligned), the explanation under them.
    const float button_padding = ImGui::GetStyle().FramePadding.x * 2;
    for (const TermInfo& info : glossary_terms) {
      ImGui::Separator();
      ImGui::PushID(info.id);
      ImGui::AlignTextToFramePadding();
      ImGui::TextColored(ImVec4(0.55f, 0.8f, 1.0f, 1.0f), "%s", text(info.name));
      const std::string label = text_format(StrId::glossary_show_in, view_label(info.view));
      ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 8, ImGui::GetWindowContentRegionMax().x -
                                                               ImGui::CalcTextSize(label.c_str()).x - button_padding));
      term_view_button(info, (std::string("glossary_view_") + info.id).c_str());
      ImGui::TextUnformatted(text(info.explanation));
      ImGui::PopID();
    }
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    if (ImGui::Button(text(StrId::close))) glossary_.open = false;
  }
  ImGui::End();
}

}  // namespace pgweb
