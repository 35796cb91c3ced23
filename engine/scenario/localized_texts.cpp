// A scenario's texts in one language (see localized_texts.hpp).
#include "engine/scenario/localized_texts.hpp"

#include "engine/classroom/exercise.hpp"

namespace pg {

namespace {
const std::string& either(const std::string& translated, const std::string& base) {
  return translated.empty() ? base : translated;
}
}  // namespace

ScenarioTexts localized_texts(const Scenario& scenario, std::string_view lang) {
  static const ScenarioTranslation none;
  auto found = scenario.i18n.find(std::string(lang));
  const ScenarioTranslation& t = found == scenario.i18n.end() ? none : found->second;
  ExerciseInfo exercise = exercise_info(scenario);
  ScenarioTexts out;
  out.name = either(t.name, scenario.name);
  out.description = either(t.description, scenario.description);
  out.task = either(t.task, exercise.task);
  for (size_t i = 0; i < exercise.hints.size(); ++i)
    out.hints.push_back(i < t.hints.size() ? either(t.hints[i], exercise.hints[i]) : exercise.hints[i]);
  for (size_t i = 0; i < scenario.goals.size(); ++i) {
    const std::string base = goal_label(scenario.goals[i]);
    out.goal_labels.push_back(i < t.goals.size() ? either(t.goals[i].label, base) : base);
  }
  return out;
}

}  // namespace pg
