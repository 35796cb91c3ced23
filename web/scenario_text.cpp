// A scenario's own text (see scenario_text.hpp).
#include "web/scenario_text.hpp"

namespace pgweb {

bool has_cjk(std::string_view utf8) {
  // U+2E80..U+D7FF and U+F900..U+FFEF are three-byte sequences led by 0xE2 (from U+2E80) to 0xED, or 0xEF.
  for (size_t i = 0; i + 2 < utf8.size(); ++i) {
    const unsigned char lead = (unsigned char)utf8[i], next = (unsigned char)utf8[i + 1];
    if (lead == 0xE2 && next >= 0xBA) return true;
    if (lead >= 0xE3 && lead <= 0xED) return true;
    if (lead == 0xEF && next >= 0xA4 && next <= 0xBF) return true;
  }
  return false;
}

bool scenario_has_cjk(const pg::Scenario& s) {
  if (has_cjk(s.name) || has_cjk(s.description)) return true;
  for (const pg::GoalSpec& goal : s.goals)
    if (has_cjk(goal.label)) return true;
  if (!s.exercise.is_null() && has_cjk(s.exercise.dump())) return true;
  for (const auto& item : s.services)
    if (has_cjk(item.name)) return true;
  for (const auto& item : s.requests)
    if (has_cjk(item.name)) return true;
  for (const auto& item : s.caches)
    if (has_cjk(item.name)) return true;
  for (const auto& item : s.locks)
    if (has_cjk(item.name)) return true;
  for (const auto& item : s.queues)
    if (has_cjk(item.name)) return true;
  return false;
}

}  // namespace pgweb
