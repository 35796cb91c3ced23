// The language menu: English or 简体中文, each named in its own language so either reader finds theirs. The menu's
// own title carries both words ("Language · 语言"), drawn with the few Chinese glyphs the page embeds.
#include <imgui.h>

#include "web/app.hpp"
#include "web/strings.hpp"

namespace pgweb {

void App::draw_language_menu() {
  const bool open = ImGui::BeginMenu(text(StrId::menu_language));
  remember_rect("menu_language");
  if (!open) return;
  for (int i = 0; i < lang_count; ++i) {
    const Lang lang = (Lang)i;
    if (ImGui::MenuItem(lang_name(lang), nullptr, language() == lang) && host_.set_language) host_.set_language(lang);
  }
  ImGui::EndMenu();
}

}  // namespace pgweb
