// Where a wrapped line of text ends, for Latin and for Chinese.
//
// Dear ImGui 1.86 breaks lines only at blanks and after . , ; ! ? ", so a Chinese paragraph (no spaces) is one long
// "word": it moves whole to the next line after any English word before it, and is then cut anywhere, so a line
// may start with 。 or ， and a line may end with （ or “. This is the same algorithm with the line-breaking rules
// Chinese typesetting uses (the W3C's "Requirements for Chinese Text Layout", its prohibition rules for line start
// and line end):
//   - a line may break between two ideographs, and between an ideograph and a Latin letter or digit;
//   - never before closing punctuation (、。，．：；！？）」』】〕〉》”’…% and the like: 行首禁则);
//   - never after opening punctuation (（「『【〔〈《“‘ and the like: 行尾禁则).
// Text without wide characters wraps exactly as ImGui 1.86 wraps it (so English layouts do not move).
// web/CMakeLists.txt compiles ImGui's imgui_draw.cpp with its own CalcWordWrapPositionA cut out; the replacement
// (web/platform/imgui_word_wrap.cpp) calls wrap_position() below.
#pragma once

namespace pgweb {

struct WrapMetrics {
  // Decodes one UTF-8 character at s (s < end) into *c; returns the bytes used (at least 1).
  int (*decode)(unsigned int* c, const char* s, const char* end);
  // The character's advance in unscaled font units.
  float (*advance)(const void* font, unsigned int c);
  const void* font;
};

// The end of the first line of [text, text_end) when lines are at most wrap_width wide (unscaled units): the
// caller draws up to the returned pointer, then skips blanks and continues from there. Returns text itself when
// not even one character fits (the caller then forces one, as ImGui does).
const char* wrap_position(const char* text, const char* text_end, float wrap_width, const WrapMetrics& metrics);

// The character classes the rules use (exposed for tests).
bool is_wide_char(unsigned int c);     // ideographs, kana, hangul, CJK and full-width punctuation, “ ” ‘ ’ … ·
bool no_break_before(unsigned int c);  // closing punctuation: never starts a line next to a wide character
bool no_break_after(unsigned int c);   // opening punctuation: never ends a line next to a wide character

}  // namespace pgweb
