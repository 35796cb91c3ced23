// What of a scenario's own text the page shows, and in which script.
#pragma once
#include <string_view>

#include "engine/scenario/scenario.hpp"

namespace pgweb {

// True when the text has a character of the CJK blocks (U+2E80 and above, below the surrogates): the page then
// needs its Chinese font even when it speaks English.
bool has_cjk(std::string_view utf8);
// The same over every text of a scenario the page draws: its name, description, exercise, goal labels and the names
// of its parts.
bool scenario_has_cjk(const pg::Scenario& scenario);

}  // namespace pgweb
