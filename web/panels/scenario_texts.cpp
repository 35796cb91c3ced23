// The scenario's own texts, editable: its name and description. Typing goes through ImGui's text fields, and Chinese
// through the browser's input method (web/platform/glue_language.js keeps a DOM input over the active field). Like
// every other edit, the change goes to the pending copy of the scenario that App::frame applies once the field is
// let go, so a share link or a download carries it.
#include <string>

#include <imgui.h>

#include "engine/scenario/scenario.hpp"
#include "web/app.hpp"
#include "web/strings.hpp"

namespace pgweb {
namespace {

// Lets ImGui grow a std::string as the text grows (ImGui writes into the string's own buffer).
int grow_string(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    std::string* text = (std::string*)data->UserData;
    text->resize((size_t)data->BufTextLen);
    data->Buf = text->data();
  }
  return 0;
}

bool edit_text(const char* label, std::string& text, size_t max_length, bool multiline) {
  const ImGuiInputTextFlags flags = ImGuiInputTextFlags_CallbackResize;
  const bool changed =
      multiline ? ImGui::InputTextMultiline(label, text.data(), text.capacity() + 1,
                                            ImVec2(-1, ImGui::GetTextLineHeight() * 4.5f), flags, grow_string, &text)
                : ImGui::InputText(label, text.data(), text.capacity() + 1, flags, grow_string, &text);
  // Longer than the document allows would be refused when the edit is applied: cut at a character boundary.
  if (text.size() > max_length) {
    size_t cut = max_length;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80) --cut;
    text.resize(cut);
  }
  return changed;
}

}  // namespace

void App::draw_scenario_texts() {
  const bool open = ImGui::CollapsingHeader(text(StrId::scenario_texts_header));
  remember_rect("scenario_texts");
  if (!open) return;
  pg::Scenario edit = pending_edit_ ? *pending_edit_ : scenario();
  bool changed = false;
  ImGui::TextDisabled("%s", text(StrId::scenario_name_label));
  ImGui::SetNextItemWidth(-1);
  changed |= edit_text("##scenario_name", edit.name, pg::limits::name_length_max * 2, false);
  remember_rect("scenario_name");
  ImGui::TextDisabled("%s", text(StrId::scenario_description_label));
  changed |= edit_text("##scenario_description", edit.description, pg::limits::text_length_max, true);
  remember_rect("scenario_description");
  if (changed) pending_edit_ = std::make_unique<pg::Scenario>(edit);
}

}  // namespace pgweb
