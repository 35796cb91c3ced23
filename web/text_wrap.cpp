#include "web/text_wrap.hpp"

namespace pgweb {
namespace {

bool in(unsigned int c, const char32_t* list) {
  for (; *list; ++list)
    if (c == *list) return true;
  return false;
}

bool is_blank(unsigned int c) { return c == ' ' || c == '\t' || c == 0x3000; }

// After these ImGui allows a break, even inside a word ("a,b").
bool ends_word(unsigned int c) { return c == '.' || c == ',' || c == ';' || c == '!' || c == '?' || c == '"'; }

// Between two non-blank characters of which at least one is wide: may the line break there?
bool may_break_between(unsigned int before, unsigned int after) {
  return !no_break_before(after) && !no_break_after(before);
}

}  // namespace

bool is_wide_char(unsigned int c) {
  // Curly quotes, the ellipsis and the middle dot are narrow in Latin fonts but full-width in Chinese text, where
  // a line may break between ” and “ like between any two full-width marks.
  if (c == 0x2018 || c == 0x2019 || c == 0x201C || c == 0x201D || c == 0x2026 || c == 0x00B7) return true;
  return (c >= 0x2E80 && c <= 0x9FFF)      // radicals, CJK symbols and punctuation, kana, bopomofo, ideographs
         || (c >= 0xAC00 && c <= 0xD7AF)   // hangul syllables
         || (c >= 0xF900 && c <= 0xFAFF)   // compatibility ideographs
         || (c >= 0xFE30 && c <= 0xFE4F)   // CJK compatibility forms
         || (c >= 0xFF00 && c <= 0xFFEF)   // full-width forms
         || (c >= 0x20000 && c <= 0x3FFFF);  // supplementary ideographs
}

bool no_break_before(unsigned int c) {
  static const char32_t closing[] = U"、。，．：；！？）］｝」』】〕〗〙〛〉》〞〟”’…‥·・ー々〃〜～％"
                                    U".,;:!?)]}%";
  return in(c, closing);
}

bool no_break_after(unsigned int c) {
  static const char32_t opening[] = U"（［｛「『【〔〖〘〚〈《〝“‘([{";
  return in(c, opening);
}

// ImGui 1.86's loop (ImFont::CalcWordWrapPositionA), restated: words are runs of non-blank characters, also ended
// after . , ; ! ? "; a line ends at the last word end that fits; a word longer than a line is cut where it
// overflows. Added: next to a wide character the pair rules above decide whether a new word starts.
const char* wrap_position(const char* text, const char* text_end, float wrap_width, const WrapMetrics& metrics) {
  float line_width = 0.0f;   // width of the words before the current one, with the blanks between them
  float word_width = 0.0f;   // width of the current word
  float blank_width = 0.0f;  // width of the blanks after the current word
  const char* word_end = text;
  const char* prev_word_end = nullptr;
  bool inside_word = true;
  unsigned int prev = 0;     // the previous character when it was not blank; 0 at a line's start or after a blank

  const char* s = text;
  while (s < text_end) {
    unsigned int c = (unsigned char)*s;
    const char* next_s = c < 0x80 ? s + 1 : s + metrics.decode(&c, s, text_end);
    if (c == 0) break;
    if (c == '\n') {
      line_width = word_width = blank_width = 0.0f;
      inside_word = true;
      prev = 0;
      s = next_s;
      continue;
    }
    if (c == '\r') {
      s = next_s;
      continue;
    }
    const float char_width = metrics.advance(metrics.font, c);
    if (is_blank(c)) {
      if (inside_word) {
        line_width += blank_width;
        blank_width = 0.0f;
        word_end = s;
      }
      blank_width += char_width;
      inside_word = false;
      prev = 0;
    } else {
      const bool wide_pair = prev != 0 && (is_wide_char(prev) || is_wide_char(c));
      if (wide_pair) inside_word = !may_break_between(prev, c);
      word_width += char_width;
      if (inside_word) {
        word_end = next_s;
      } else {
        prev_word_end = word_end;
        line_width += word_width + blank_width;
        word_width = blank_width = 0.0f;
        if (wide_pair) word_end = next_s;   // this character is a word of its own so far
      }
      inside_word = !ends_word(c);
      prev = c;
    }
    // Blanks at the end of a line are not counted: they are skipped.
    if (line_width + word_width > wrap_width) {
      if (word_width < wrap_width) s = prev_word_end ? prev_word_end : word_end;
      break;
    }
    s = next_s;
  }
  return s;
}

}  // namespace pgweb
