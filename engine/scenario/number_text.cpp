// Strict parsing of numbers written as text: see number_text.hpp.
#include "engine/scenario/number_text.hpp"

#include <cerrno>
#include <cstdlib>
#include <string>

namespace pg {

namespace {
bool digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

std::optional<double> parse_decimal_text(std::string_view text, double min, double max) {
  // digits [. digits] [e|E [+|-] digits], with at least one digit before or after the point.
  size_t i = 0, n = text.size(), mantissa_digits = 0;
  while (i < n && digit(text[i])) ++i, ++mantissa_digits;
  if (i < n && text[i] == '.') {
    ++i;
    while (i < n && digit(text[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < n && digit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  if (i != n || n > 64) return std::nullopt;
  const std::string copy(text);
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || errno == ERANGE || !(value >= min && value <= max)) return std::nullopt;
  return value;
}

std::optional<uint64_t> parse_whole_text(std::string_view text, uint64_t min, uint64_t max) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  uint64_t value = 0;
  for (char c : text) {
    if (!digit(c)) return std::nullopt;
    const uint64_t d = (uint64_t)(c - '0');
    if (value > (UINT64_MAX - d) / 10) return std::nullopt;
    value = value * 10 + d;
  }
  if (value < min || value > max) return std::nullopt;
  return value;
}

}  // namespace pg
