// One generic editor for any scenario field, made from the field's row in the engine's table (engine/scenario/field.hpp):
// the widget follows the row's type, its range is the validator's range, its tooltip the row's help. The
// parameters panel and the exercise panel both draw their editors with it, so an exercise's allowed path always
// gets an editor and no editor can offer a value the validator refuses.
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/scenario/parameter_path.hpp"
#include "engine/scenario/scenario.hpp"
#include "web/strings.hpp"

namespace pgweb {

// Whether the generic editor has a widget for this field (numbers, switches, word lists, the seed, node lists).
bool field_editable(const pg::FieldInfo& info);

// "Timeout (ms)": the row's label (or the last part of its path) and its unit, in `lang` (the page's language when
// not given; window.playground.editors() reports the English).
std::string field_label(const pg::FieldInfo& info, Lang lang);
inline std::string field_label(const pg::FieldInfo& info) { return field_label(info, language()); }

// Draws the editor of the field at `address` in `scenario` (label drawn by the caller); true when it changed.
// `locked` shows it disabled with "locked by the exercise" in its tooltip.
bool edit_field(pg::Scenario& scenario, const pg::FieldAddress& address, bool locked);

// The editable rows of a distribution, a rate point or a request type (items the parameter paths do not name),
// each drawn by the same editor, width `width`, with its label after it; `after(row)` runs after each row's editor
// (the composer remembers its rectangle for tests). True when one changed.
using RowHook = void (*)(void* context, const pg::FieldInfo& row);
bool edit_rows(pg::Distribution& spec, float width, RowHook after, void* context);
bool edit_rows(pg::RatePoint& spec, float width, RowHook after, void* context);
bool edit_rows(pg::RequestSpec& spec, float width, RowHook after, void* context);

// Called after each item of an open choice list with "choice:<word>" (the app remembers its rectangle for tests).
using ItemRectHook = void (*)(void* context, const char* name);
void set_item_rect_hook(ItemRectHook hook, void* context);

// What the editors offer, for window.playground.editors() and its test: path, type, min, max, words.
nlohmann::json editor_spec(const pg::FieldAddress& address);

}  // namespace pgweb
