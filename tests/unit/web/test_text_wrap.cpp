// Line wrapping for the page's text (web/text_wrap.hpp): English wraps as Dear ImGui 1.86 wraps it; Chinese breaks
// between ideographs, never puts closing punctuation at a line's start or opening punctuation at a line's end.
#include <string>
#include <vector>

#include "tests/unit/test_support.hpp"
#include "web/text_wrap.hpp"

using namespace pgweb;

namespace {

// A plain UTF-8 decoder for the tests (valid input only).
int decode(unsigned int* c, const char* s, const char* end) {
  const unsigned char b = (unsigned char)*s;
  const int n = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (s + n > end) { *c = 0xFFFD; return 1; }
  unsigned int v = b & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
  for (int i = 1; i < n; ++i) v = (v << 6) | ((unsigned char)s[i] & 0x3F);
  *c = v;
  return n;
}

// Latin one unit wide, wide characters two.
float advance(const void*, unsigned int c) { return is_wide_char(c) ? 2.0f : 1.0f; }

const WrapMetrics metrics{decode, advance, nullptr};

// The lines ImGui would draw: wrap, then skip the blanks (and one newline) after each line's end.
std::vector<std::string> lines(const std::string& text, float width) {
  std::vector<std::string> out;
  const char* s = text.data();
  const char* end = s + text.size();
  while (s < end) {
    const char* eol = wrap_position(s, end, width, metrics);
    if (eol == s) ++eol;  // as ImGui does when nothing fits
    while (eol < end && (eol[0] & 0xC0) == 0x80) ++eol;
    out.emplace_back(s, eol);
    s = eol;
    while (s < end && (*s == ' ' || *s == '\t')) ++s;
    if (s < end && *s == '\n') ++s;
  }
  return out;
}

using Lines = std::vector<std::string>;

}  // namespace

TEST_CASE("English wraps at blanks and after punctuation, as ImGui 1.86 does", "[web][wrap]") {
  CHECK(lines("Hello world", 7) == Lines{"Hello", "world"});
  CHECK(lines("Hello world", 11) == Lines{"Hello world"});
  CHECK(lines("aaa bbb, ccc,ddd. eee", 13) == Lines{"aaa bbb, ccc,", "ddd. eee"});
  // A word longer than a line is cut where it overflows.
  CHECK(lines("abcdefghij", 4) == Lines{"abcd", "efgh", "ij"});
  // Blanks at a line's end are not counted.
  CHECK(lines("ab   cd", 2) == Lines{"ab", "cd"});
  // ASCII closing punctuation next to Latin keeps ImGui's rules (a break after '.', even before ')').
  CHECK(lines("aaaa.)bb", 5) == Lines{"aaaa.", ")bb"});
}

TEST_CASE("Chinese breaks between ideographs instead of moving the whole paragraph", "[web][wrap]") {
  // 12 ideographs, 5 to a line (10 units).
  CHECK(lines("一致性哈希环上的虚拟节点", 10) == Lines{"一致性哈希", "环上的虚拟", "节点"});
  // After an English word the Chinese text fills the rest of the line rather than starting a new one.
  CHECK(lines("Redis 分布式锁的租约", 10) == Lines{"Redis 分布", "式锁的租约"});
  // Between an ideograph and Latin the line may break too.
  CHECK(lines("使用Redis实现", 7) == Lines{"使用", "Redis实", "现"});
}

TEST_CASE("Closing punctuation never starts a line; opening punctuation never ends one", "[web][wrap]") {
  // 。 would start the second line: the ideograph before it moves down with it.
  CHECK(lines("分布式锁。租约", 8) == Lines{"分布式", "锁。租约"});
  CHECK(lines("缓存，数据库", 4) == Lines{"缓", "存，", "数据", "库"});
  // （ would end the first line: it moves down with what it opens.
  CHECK(lines("消息队列（可见", 10) == Lines{"消息队列", "（可见"});
  CHECK(lines("栅栏令牌“fencing”", 11) == Lines{"栅栏令牌", "“fencing”"});
  CHECK(lines("超卖”。好", 6) == Lines{"超", "卖”。", "好"});
}

TEST_CASE("Wrapped mixed text keeps every character, fits the width and obeys the punctuation rules", "[web][wrap]") {
  // No piece joins its neighbours into a run wider than 8 units, so with lines of 10 units or more every line fits.
  const std::vector<std::string> pieces = {"秒杀，", "超卖。", "（租约）", "“锁”", "lock ", "TTL ", "30 ms ",
                                           "消息队列", "订单、", "好！", "《订单》", "a "};
  pg::Rng rng = pg::Rng::for_stream(20261202, "wrap-test");
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int count = 1 + (int)rng.below(30);
    for (int i = 0; i < count; ++i) text += pieces[rng.below(pieces.size())];
    const float width = 10.0f + (float)rng.below(30);
    const Lines wrapped = lines(text, width);
    std::string joined, expected;
    for (char c : text)
      if (c != ' ') expected += c;
    for (size_t i = 0; i < wrapped.size(); ++i) {
      const std::string& line = wrapped[i];
      unsigned int first = 0, last = 0;
      float pen = 0.0f, line_width = 0.0f;
      const char* end = line.data() + line.size();
      for (const char* s = line.data(); s < end;) {
        unsigned int c = (unsigned char)*s;
        s += c < 0x80 ? 1 : decode(&c, s, end);
        if (first == 0) first = c;
        if (c != ' ') last = c;
        pen += advance(nullptr, c);
        if (c != ' ') line_width = pen;  // blanks at a line's end are not counted, as when wrapping
        if (c != ' ') joined += std::string(s - (c < 0x80 ? 1 : (c < 0x800 ? 2 : c < 0x10000 ? 3 : 4)), s);
      }
      INFO("text: " << text << "  width: " << width << "  line " << i << ": " << line);
      CHECK(line_width <= width);
      if (i > 0) CHECK_FALSE(no_break_before(first));
      if (i + 1 < wrapped.size()) CHECK_FALSE(no_break_after(last));
    }
    INFO("text: " << text << "  width: " << width);
    CHECK(joined == expected);
  }
}
