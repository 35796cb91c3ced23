// The missing-glyph watch (see glyph_watch.hpp).
#include "web/platform/glyph_watch.hpp"

#include <set>

#include <imgui.h>
#include <imgui_internal.h>

namespace pgweb {
namespace {

// What the hook found. File scope because ImGui's decoder has no user pointer to carry it; the page has one ImGui
// context and one thread.
struct GlyphWatch {
  std::set<uint32_t> missing;
  bool paused = false;
};
GlyphWatch watch;

// Called by the hook for every character ImGui decodes.
void note_decoded(uint32_t c) {
  if (watch.paused || c < 0x20 || c == 0xFEFF) return;   // control characters and the BOM are not drawn
  if (!ImGui::GetCurrentContext()) return;
  const ImFont* font = ImGui::GetFont();
  if (!font) return;
  if (c > 0xFFFF || !font->FindGlyphNoFallback((ImWchar)c)) watch.missing.insert(c);
}

}  // namespace

void set_glyph_watch_paused(bool paused) { watch.paused = paused; }

std::vector<uint32_t> missing_glyphs() { return {watch.missing.begin(), watch.missing.end()}; }

void clear_missing_glyphs() { watch.missing.clear(); }

}  // namespace pgweb

int pg_text_char_from_utf8(unsigned int* out_char, const char* in_text, const char* in_text_end);

// ImGui's imgui_draw.cpp calls this instead of ImTextCharFromUtf8 (web/CMakeLists.txt renames the call there).
int pg_text_char_from_utf8(unsigned int* out_char, const char* in_text, const char* in_text_end) {
  const int length = ImTextCharFromUtf8(out_char, in_text, in_text_end);
  if (length > 0) pgweb::note_decoded(*out_char);
  return length;
}
