// The scenario's JSON Schema (draft 2020-12), made from the field tables (engine/scenario/scenario_fields.hpp) and the
// document's structure (lists, steps, fault rules). schema/scenario.schema.json is this function's output,
// committed for editors; a test checks that they are equal.
#pragma once
#include <nlohmann/json.hpp>

namespace pg {

nlohmann::json scenario_schema();

}  // namespace pg
