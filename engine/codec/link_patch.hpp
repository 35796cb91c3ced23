// The changes a short link carries: a patch from one JSON document (a built-in scenario's canonical form) to
// another, written in a compact text that needs no escaping in a URL fragment (docs/links-and-schema.md, "Short
// links"). Three kinds of change, applied in order:
//   path=value   set a member or an array item (adds the member when it is missing)
//   path+value   insert an item into an array before the index the path ends with (index = length appends)
//   path!        remove a member or an array item
// joined by "~". A path is its members and indexes joined by "."; values are numbers, !t !f !n (true, false,
// null), strings (bare like `order` or quoted like 'two words' with !' !! and *XX escapes), objects (a:1,b:x) and
// arrays !(1,2).
// Invariants: diff then apply gives back the target exactly (the caller checks); parsing and applying untrusted
// text never throws and never recurses deeper than patch_depth_max; every failure is a sentence naming the change.
#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pg {

namespace limits {
constexpr size_t patch_text_bytes_max = 64 * 1024;
constexpr int patch_depth_max = 64;
}  // namespace limits

// The patch text that turns base into target ("" when they are equal). Both are objects or arrays at the root.
std::string json_patch_diff(const nlohmann::json& base, const nlohmann::json& target);

struct PatchApply {
  nlohmann::json document;
  std::string error;  // empty when ok
  bool malformed = false;  // the text itself is not a patch (rather than a change that does not fit)
  bool ok() const { return error.empty(); }
};

// Applies a patch text to a copy of base. A malformed text or a change that does not fit the document is an error
// naming the change by its number (from 1) and the path it names.
PatchApply json_patch_apply(const nlohmann::json& base, std::string_view patch_text);

}  // namespace pg
