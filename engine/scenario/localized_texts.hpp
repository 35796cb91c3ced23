// The texts a person reads about a scenario (its name, description, exercise task and hints, goal labels) in one
// language, from the document's `i18n` translations with each text falling back on its own to the base text (the
// English one in the built-in scenarios). The page shows these; the simulation never reads them.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pg {

struct ScenarioTexts {
  std::string name;
  std::string description;
  std::string task;                       // empty when the scenario has no exercise task
  std::vector<std::string> hints;         // one per /exercise/hints item
  std::vector<std::string> goal_labels;   // one per /goals item, as evaluate_goals labels it
};

// `lang` is matched exactly against the tags of /i18n ("zh-CN"); a language without a translation ("en", "", or
// one the scenario does not have) gives the base texts.
ScenarioTexts localized_texts(const Scenario& scenario, std::string_view lang);

}  // namespace pg
