// Which characters the page tried to draw without a glyph (window.playground.missingGlyphs()).
//
// ImGui draws a missing character as its fallback glyph ("?") and says nothing. To see every character it measures
// or draws, the build compiles ImGui's imgui_draw.cpp with its UTF-8 decoder, ImTextCharFromUtf8, renamed to
// pg_text_char_from_utf8 (a compile definition in web/CMakeLists.txt; ImGui's source is not changed). That hook
// decodes as ImGui would and looks the character up in the current font; one that is not there is remembered.
// ASCII never reaches the decoder (ImGui reads it directly) and DejaVu Sans has all of it.
#pragma once
#include <cstdint>
#include <vector>

namespace pgweb {

// While the Chinese font is on its way the page may draw a few frames of Chinese text that will have glyphs once it
// arrives; those are not counted.
void set_glyph_watch_paused(bool paused);
// The code points drawn without a glyph since load (or since the last clear), ascending.
std::vector<uint32_t> missing_glyphs();
void clear_missing_glyphs();

}  // namespace pgweb
