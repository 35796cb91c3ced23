// The scenario panel: the built-in library (every embedded scenarios/*.json, with its description), the editable
// parameters of the loaded scenario (every field of the workload, services, caches, locks and queues, drawn by the
// generic field editor with the validator's ranges and help in tooltips), and the list of recorded interventions.
// Edits go to a pending copy of the scenario that App::frame applies once no widget is held: the run is rebuilt
// from the edited scenario and replayed to the current time.
#include <algorithm>
#include <cstdio>

#include <imgui.h>

#include "engine/run/world.hpp"
#include "engine/scenario/localized_texts.hpp"
#include "web/app.hpp"
#include "web/panels/field_editor.hpp"
#include "web/library.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

namespace {

// A dimmed note that wraps at the panel's edge (Chinese notes run longer than the panel is wide).
void disabled_wrapped(const char* note) {
  ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
  ImGui::TextWrapped("%s", note);
  ImGui::PopStyleColor();
}

void section_header(StrId title) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text(title));
  ImGui::Separator();
}

// The tooltip of the last widget; a parameter an exercise locks says so first (disabled widgets still get it).
void help_marker(StrId help, bool locked = false) {
  if (!ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
  if (locked) ImGui::TextColored(ImVec4(0.93f, 0.62f, 0.36f, 1.0f), "%s", text(StrId::locked_by_exercise));
  ImGui::TextUnformatted(text(help));
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

const char* fault_kind_name(pg::FaultKind kind) {
  switch (kind) {
    case pg::FaultKind::crash: return text(StrId::fault_crash);
    case pg::FaultKind::pause: return text(StrId::fault_pause);
    case pg::FaultKind::slow: return text(StrId::fault_slow);
    case pg::FaultKind::partition: return text(StrId::fault_partition);
    case pg::FaultKind::clock_drift: return text(StrId::fault_clock_drift);
    case pg::FaultKind::add_node: return text(StrId::fault_add_node);
    case pg::FaultKind::remove_node: return text(StrId::fault_remove_node);
    case pg::FaultKind::set: break;   // written by describe_fault with its path and value
  }
  return "?";
}

// A library group's heading: the index's mechanism words, named in the page's language.
const char* group_title(const std::string& group) {
  static const struct { const char* word; StrId id; } groups[] = {
      {"all", StrId::group_all},       {"services", StrId::group_services}, {"ring", StrId::group_ring},
      {"locks", StrId::group_locks},   {"queues", StrId::group_queues},     {"exercise", StrId::group_exercise},
      {"article", StrId::group_article},
  };
  for (const auto& g : groups)
    if (group == g.word) return text(g.id);
  return group.c_str();
}

}  // namespace

std::string describe_fault(const pg::FaultSpec& f);

std::string describe_fault(const pg::FaultSpec& f) {
  const std::string what = f.kind == pg::FaultKind::set ? f.path : f.target;
  const std::string lasting = f.for_ms > 0 ? text_format(StrId::fault_for, format_seconds(f.for_ms / 1000).c_str()) : "";
  if (f.kind == pg::FaultKind::set) return text_format(StrId::fault_set_line, f.at_s, what.c_str(), f.value);
  if (f.kind == pg::FaultKind::slow)
    return text_format(StrId::fault_slow_line, f.at_s, what.c_str(), f.factor, lasting.c_str());
  return text_format(StrId::fault_line, f.at_s, fault_kind_name(f.kind), what.c_str(), lasting.c_str());
}

void App::draw_scenario_panel() {
  draw_course_list();
  section_header(StrId::section_scenarios);
  const std::vector<LibraryEntry>& library = scenario_library();
  const float list_height = std::min(ImGui::GetTextLineHeightWithSpacing() * (float)(library.size() + 1) + 8,
                                     ImGui::GetContentRegionAvail().y * 0.45f);
  if (ImGui::BeginChild("library", ImVec2(0, list_height), false)) {
    std::string group;
    for (size_t i = 0; i < library.size(); ++i) {
      const LibraryEntry& entry = library[i];
      if (!entry.group.empty() && entry.group != group) {
        group = entry.group;
        ImGui::TextDisabled("%s", group_title(group));
      }
      const LibraryTexts shown = library_texts(entry, lang_code(language()));
      const bool translated = language() != Lang::en;
      ImGui::PushID((int)i);
      ImGui::BeginDisabled(!entry.valid);
      if (ImGui::Selectable(translated ? shown.title.c_str() : entry.name.c_str(), (int)i == session_->library_index()))
        load_builtin(i);
      ImGui::EndDisabled();
      if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26);
        ImGui::TextUnformatted(translated ? shown.title.c_str() : entry.name.c_str());   // the whole title, never cut
        ImGui::Separator();
        if (entry.valid) {
          ImGui::TextUnformatted(translated && !shown.summary.empty() ? shown.summary.c_str() : entry.description.c_str());
        } else {
          const std::string error = text_format(StrId::label_detail, entry.error_path.c_str(),
                                                translate(entry.error_message).c_str());
          ImGui::TextUnformatted(text_format(StrId::not_loadable, error.c_str()).c_str());
        }
        const std::string path = "scenarios/" + entry.file;   // a path in the repository, the same in every language
        if (!entry.file.empty()) ImGui::TextDisabled("%s", path.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      ImGui::PopID();
    }
  }
  ImGui::EndChild();
  draw_scenario_texts();

  // The loaded scenario: name and what to look at.
  ImGui::Spacing();
  ImGui::PushTextWrapPos(0);
  const pg::ScenarioTexts texts = pg::localized_texts(scenario(), lang_code(language()));
  ImGui::TextUnformatted(texts.name.c_str());
  if (!texts.description.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    ImGui::TextUnformatted(texts.description.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopTextWrapPos();

  draw_interventions_list();
  draw_parameters();
}

void App::draw_parameters() {
  section_header(StrId::section_parameters);
  // Comparing, the same editors change B when asked to (web/panels/compare.cpp); B's values are shown then.
  const bool editing_b = compare_.active() && compare_ui_.editing_b;
  if (editing_b) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextColored(ImVec4(0.95f, 0.75f, 0.35f, 1), "%s", text(StrId::compare_editing_b));
    ImGui::PopTextWrapPos();
  }
  std::unique_ptr<pg::Scenario>& pending = editing_b ? pending_edit_b_ : pending_edit_;
  pg::Scenario edit = pending ? *pending : editing_b ? compare_.b() : scenario();
  bool changed = false;
  const float label_room = ImGui::GetFontSize() * 8.5f;
  const float width = std::max(ImGui::GetContentRegionAvail().x - label_room, ImGui::GetFontSize() * 6);
  // Every editable field of every item, each drawn by the generic editor from its row (web/panels/field_editor.hpp).
  // With an exercise loaded, only the parameters it allows stay editable; the others are shown, disabled.
  const std::vector<pg::FieldAddress> fields = pg::field_addresses(edit);
  auto row = [&](const pg::FieldAddress& field) {
    ImGui::SetNextItemWidth(width);
    ImGui::BeginDisabled(author_marking());   // marking parameters for an exercise: a click marks, not edits
    changed |= edit_field(edit, field, param_locked(field.path));
    ImGui::EndDisabled();
    remember_rect(("field:" + field.path).c_str());   // tests click an editor by its path
    author_mark(field.path);
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::TextUnformatted(field_label(*field.ref.info).c_str());
    if (Term term; term_for_field(field.ref.info->path, term)) mark_term(term);
  };
  auto rows_of = [&](pg::ItemKind kind, uint32_t item, bool (*shown)(const pg::FieldInfo&)) {
    for (const pg::FieldAddress& field : fields)
      if (field.ref.kind == kind && field.ref.item == item && field_editable(*field.ref.info) && shown(*field.ref.info))
        row(field);
  };
  // First the three a person turns most: seed, duration and the arrival rate; the rest of the workload below them.
  auto headline = [](const pg::FieldInfo& info) {
    const std::string_view path = info.path;
    return path == "seed" || path == "duration_s" || path == "arrivals/rate_per_s";
  };
  rows_of(pg::ItemKind::scenario, 0, headline);
  rows_of(pg::ItemKind::workload, 0, headline);
  if (ImGui::CollapsingHeader(labelled(StrId::header_workload, "workload").c_str()))
    rows_of(pg::ItemKind::workload, 0, [](const pg::FieldInfo& info) {
      return std::string_view(info.path) != "arrivals/rate_per_s";
    });
  auto all = [](const pg::FieldInfo&) { return true; };
  // Each header's id is the item's kind and number, so its open state stays when the language changes.
  auto items = [&](pg::ItemKind kind, const char* id, StrId noun, const auto& list) {
    for (uint32_t i = 0; i < list.size(); ++i) {
      ImGui::PushID(id);
      ImGui::PushID((int)i);
      const std::string title = list[i].name + "  \u00b7 " + text(noun) + "###header";
      const bool open = ImGui::CollapsingHeader(title.c_str(), kind == pg::ItemKind::service && i == 0 ? ImGuiTreeNodeFlags_DefaultOpen : 0);
      remember_rect((std::string("header:") + id + "/" + list[i].name).c_str());   // tests open an item by its name
      if (open) rows_of(kind, i, all);
      ImGui::PopID();
      ImGui::PopID();
    }
  };
  items(pg::ItemKind::service, "service", StrId::noun_service, edit.services);
  items(pg::ItemKind::cache, "cache", StrId::noun_cache, edit.caches);
  items(pg::ItemKind::lock, "lock", StrId::noun_lock, edit.locks);
  items(pg::ItemKind::queue, "queue", StrId::noun_queue, edit.queues);
  if (changed) pending = std::make_unique<pg::Scenario>(edit);
  disabled_wrapped(text(StrId::changes_replay));
}

std::string App::editors_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const pg::FieldAddress& field : pg::field_addresses(scenario()))
    if (field_editable(*field.ref.info)) {
      nlohmann::json spec = editor_spec(field);
      spec["locked"] = param_locked(field.path);
      out.push_back(spec);
    }
  return out.dump();
}

void App::draw_interventions_list() {
  section_header(StrId::section_interventions);
  // Set the arrival rate from now on: a timed "set" intervention.
  if (rate_now_ < 0) rate_now_ = sim() ? (float)sim()->world().rate_per_s : 0;
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
  ImGui::DragFloat("##rate_now", &rate_now_, std::max(1.0f, rate_now_ * 0.01f), 0.0f,
                   (float)pg::limits::rate_per_s_max, text(StrId::rate_per_s_format), ImGuiSliderFlags_AlwaysClamp);
  ImGui::SameLine();
  const bool interventions_locked = param_locked("/interventions");
  ImGui::BeginDisabled(!sim() || interventions_locked);
  if (ImGui::Button(text(StrId::set_rate_now))) {
    pg::FaultSpec fault;
    fault.kind = pg::FaultKind::set;
    fault.path = "/workload/rate_per_s";
    fault.value = (double)rate_now_;
    intervene(fault);
  }
  remember_rect("set_rate");
  ImGui::EndDisabled();
  help_marker(StrId::set_rate_tooltip, interventions_locked);

  if (scenario().interventions.empty()) {
    disabled_wrapped(text(StrId::no_interventions));
    return;
  }
  int remove = -1;
  for (size_t i = 0; i < scenario().interventions.size(); ++i) {
    ImGui::PushID((int)i);
    if (ImGui::SmallButton("\u2715")) remove = (int)i;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::remove_intervention_tooltip));
    ImGui::SameLine();
    ImGui::TextUnformatted(describe_fault(scenario().interventions[i]).c_str());
    ImGui::PopID();
  }
  if (remove >= 0) {
    pg::Scenario edit = scenario();
    edit.interventions.erase(edit.interventions.begin() + remove);
    apply_scenario(edit);
  }
}

}  // namespace pgweb
