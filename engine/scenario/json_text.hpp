// Checks of JSON text before it becomes a document: syntax errors with their line, column and reason, and object
// keys that appear twice in one object (a JSON parser keeps one of them silently; a scenario must not mean two
// things). One pass of nlohmann's SAX parser, which keeps its own explicit stack, so nothing here recurses.
#pragma once
#include <string_view>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pg {

// Errors found in the text: at most one syntax error ("not valid JSON: line 3 column 18: number out of range
// (1e400)"), or the duplicate keys, each with its JSON pointer ("/services/0/workers: duplicate key ...", at most
// 20 of them). Empty when the text is one well-formed JSON value with unique keys in every object.
std::vector<ValidationError> check_json_text(std::string_view text);

}  // namespace pg
