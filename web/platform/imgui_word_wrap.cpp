// ImFont::CalcWordWrapPositionA, defined here instead of in imgui_draw.cpp (web/CMakeLists.txt compiles a copy of
// that file with ImGui's version cut out), so wrapped text follows Chinese line-breaking rules (web/text_wrap.hpp).
#include "imgui.h"
#include "imgui_internal.h"
#include "web/text_wrap.hpp"

namespace {

int decode_utf8(unsigned int* c, const char* s, const char* end) { return ImTextCharFromUtf8(c, s, end); }

float font_advance(const void* font, unsigned int c) {
  const ImFont* f = static_cast<const ImFont*>(font);
  return (int)c < f->IndexAdvanceX.Size ? f->IndexAdvanceX.Data[c] : f->FallbackAdvanceX;
}

}  // namespace

const char* ImFont::CalcWordWrapPositionA(float scale, const char* text, const char* text_end,
                                          float wrap_width) const {
  const pgweb::WrapMetrics metrics{decode_utf8, font_advance, this};
  return pgweb::wrap_position(text, text_end, wrap_width / scale, metrics);
}
