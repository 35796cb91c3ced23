// The generic field editor: see field_editor.hpp.
#include "web/panels/field_editor.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <type_traits>

#include <imgui.h>

#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {
namespace {

std::string range_text(const pg::FieldInfo& info) {
  const std::string unit = *info.unit ? " " + translate(info.unit) : std::string();
  return text_format(StrId::field_range, info.min, info.max, unit.c_str());
}

void tooltip(const pg::FieldInfo& info, bool locked) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
  if (locked) ImGui::TextColored(ImVec4(0.93f, 0.62f, 0.36f, 1.0f), "%s", text(StrId::field_locked));
  if (*info.help) ImGui::TextUnformatted(translate(info.help).c_str());
  if (info.type == pg::FieldType::integer || info.type == pg::FieldType::count || info.type == pg::FieldType::number)
    ImGui::TextDisabled("%s", range_text(info).c_str());
  if (info.settable) ImGui::TextDisabled("%s", text(StrId::field_settable));
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

// Nodes of a cache by name: remove one, or add one named after the last ("cache-c" -> "cache-d").
bool edit_nodes(std::vector<std::string>& nodes) {
  bool changed = false;
  for (size_t k = 0; k < nodes.size(); ++k) {
    if (k) ImGui::SameLine();
    ImGui::PushID((int)k);
    ImGui::TextUnformatted(nodes[k].c_str());
    if (nodes.size() > 1) {
      ImGui::SameLine(0, 2);
      if (ImGui::SmallButton("\u2715")) {
        nodes.erase(nodes.begin() + static_cast<std::ptrdiff_t>(k));
        ImGui::PopID();
        return true;
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::field_remove_node));
    }
    ImGui::PopID();
  }
  ImGui::SameLine();
  if (nodes.size() < pg::limits::cache_nodes_max && ImGui::SmallButton(text(StrId::field_add_node))) {
    std::string name = nodes.empty() ? "node-a" : nodes.back();
    if (!name.empty() && name.back() >= 'a' && name.back() < 'z') ++name.back();
    else name += "-2";
    while (std::find(nodes.begin(), nodes.end(), name) != nodes.end()) name += "x";
    nodes.push_back(name);
    changed = true;
  }
  return changed;
}

ItemRectHook item_rect_hook = nullptr;
void* item_rect_context = nullptr;

// A combo of the row's words; each item, while the list is open, is reported to the hook.
bool choice(int& index, const pg::WordList& words) {
  bool changed = false;
  if (!ImGui::BeginCombo("##v", index < words.count ? words[index] : "")) return false;
  for (int i = 0; i < words.count; ++i) {
    if (ImGui::Selectable(words[i], i == index)) index = i, changed = true;
    if (item_rect_hook) item_rect_hook(item_rect_context, (std::string("choice:") + words[i]).c_str());
  }
  ImGui::EndCombo();
  return changed;
}

// Drag speed: about a hundredth of the value, at least a step that suits the range.
float drag_speed(double value, const pg::FieldInfo& info) {
  double floor = info.max - info.min <= 10 ? 0.005 : info.type == pg::FieldType::number ? 0.5 : 0.2;
  return (float)std::max(std::abs(value) * 0.01, floor);
}

template <class Spec>
bool edit_row(const pg::Field<Spec>& f, Spec& spec) {
  using pg::FieldType;
  switch (f.type) {
    case FieldType::integer:
    case FieldType::count: {
      int value = (int)pg::field_number(f, spec);
      if (!ImGui::DragInt("##v", &value, drag_speed(value, f), (int)f.min, (int)f.max, "%d",
                          ImGuiSliderFlags_AlwaysClamp))
        return false;
      return pg::set_field_number(f, spec, value);
    }
    case FieldType::number: {
      double value = pg::field_number(f, spec), low = f.min, high = f.max;
      const char* format = value == 0 && f.min == 0 && std::string_view(f.path).find("timeout") != std::string_view::npos
                               ? text(StrId::field_timeout_none)
                               : "%.4g";
      if (!ImGui::DragScalar("##v", ImGuiDataType_Double, &value, drag_speed(value, f), &low, &high, format,
                             ImGuiSliderFlags_AlwaysClamp))
        return false;
      return pg::set_field_number(f, spec, value);
    }
    case FieldType::boolean: {
      bool value = pg::field_number(f, spec) != 0;
      return ImGui::Checkbox("##v", &value) && pg::set_field_number(f, spec, value ? 1 : 0);
    }
    case FieldType::choice:
    case FieldType::word: {
      int index = std::max(0, (int)pg::field_number(f, spec));
      return choice(index, f.words) && pg::set_field_number(f, spec, index);
    }
    case FieldType::seed: {
      uint64_t& seed = f.template ref<uint64_t>(spec);
      return ImGui::InputScalar("##v", ImGuiDataType_U64, &seed, nullptr, nullptr, "%llu",
                                ImGuiInputTextFlags_EnterReturnsTrue);
    }
    case FieldType::custom:
      if constexpr (std::is_same_v<Spec, pg::CacheSpec>)
        if (std::string_view(f.path) == "nodes") return edit_nodes(spec.nodes);
      return false;
    case FieldType::text: return false;
  }
  return false;
}

template <class Spec>
bool edit_table(const pg::FieldTable<Spec>& table, Spec& spec, float width, RowHook after, void* context) {
  bool changed = false;
  for (const pg::Field<Spec>& row : table) {
    if (!field_editable(row) || row.type == pg::FieldType::custom) continue;
    ImGui::PushID(row.path);
    ImGui::SetNextItemWidth(width);
    changed |= edit_row(row, spec);
    tooltip(row, false);
    if (after) after(context, row);
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::TextUnformatted(field_label(row).c_str());
    ImGui::PopID();
  }
  return changed;
}

}  // namespace

void set_item_rect_hook(ItemRectHook hook, void* context) {
  item_rect_hook = hook;
  item_rect_context = context;
}

bool edit_rows(pg::Distribution& spec, float width, RowHook after, void* context) {
  return edit_table(pg::distribution_fields(), spec, width, after, context);
}
bool edit_rows(pg::RatePoint& spec, float width, RowHook after, void* context) {
  return edit_table(pg::rate_point_fields(), spec, width, after, context);
}
bool edit_rows(pg::RequestSpec& spec, float width, RowHook after, void* context) {
  return edit_table(pg::request_fields(), spec, width, after, context);
}

bool field_editable(const pg::FieldInfo& info) {
  if (info.type == pg::FieldType::text) return false;
  if (info.type == pg::FieldType::custom) return std::string_view(info.path) == "nodes";
  return true;
}

std::string field_label(const pg::FieldInfo& info, Lang lang) {
  std::string label = translate(field_name(info), lang);
  if (*info.unit) label += std::string(" (") + translate(info.unit, lang) + ")";
  return label;
}

bool edit_field(pg::Scenario& scenario, const pg::FieldAddress& address, bool locked) {
  ImGui::PushID(address.path.c_str());
  ImGui::BeginDisabled(locked);
  // A number field is a drag box that one click (without moving) turns into a text box with its value selected, so
  // typing replaces the value; Enter (or a click elsewhere) ends it, and the edit is applied once no widget is held.
  // Without this ImGui takes the click for the start of a drag and ignores the typing (docs/editor.md).
  ImGuiIO& io = ImGui::GetIO();
  const bool click_to_input = io.ConfigDragClickToInputText;
  io.ConfigDragClickToInputText = true;
  bool changed = pg::visit_field(scenario, address.ref, [](const auto& row, auto& spec) { return edit_row(row, spec); });
  io.ConfigDragClickToInputText = click_to_input;
  ImGui::EndDisabled();
  tooltip(*address.ref.info, locked);
  ImGui::PopID();
  return changed;
}

nlohmann::json editor_spec(const pg::FieldAddress& address) {
  const pg::FieldInfo& info = *address.ref.info;
  static const char* const types[] = {"integer", "count", "seed", "number", "boolean", "choice", "word", "text", "custom"};
  nlohmann::json out = {{"path", address.path}, {"type", types[(int)info.type]}, {"label", field_label(info, Lang::en)}};
  if (info.type == pg::FieldType::integer || info.type == pg::FieldType::count || info.type == pg::FieldType::number) {
    out["min"] = info.min;
    out["max"] = info.max;
  }
  if (info.words.count > 0) {
    nlohmann::json words = nlohmann::json::array();
    for (int i = 0; i < info.words.count; ++i) words.push_back(info.words[i]);
    out["words"] = words;
  }
  return out;
}

}  // namespace pgweb
