// Composing on the Architecture view (docs/editor.md, "Composing"): the palette over the canvas, the side panel with
// the selection's fields (the generic field editor, web/panels/field_editor.hpp) and the request types' step lists,
// the keys, and File > New. The edits themselves are web/editor/compose.hpp; each one is applied through the session
// like every other edit (App::apply_scenario), so an edit that does not validate is refused and shown, and the
// scenario stays as it was. Field edits go to the pending copy the parameters panel uses (applied on release).
#include <algorithm>
#include <map>
#include <string>

#include <imgui.h>

#include "engine/scenario/scenario_fields.hpp"
#include "web/app.hpp"
#include "web/editor/compose.hpp"
#include "web/library.hpp"
#include "web/panels/field_editor.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {
namespace {

const StrId kind_labels[] = {StrId::compose_kind_service, StrId::compose_kind_cache, StrId::compose_kind_lock,
                             StrId::compose_kind_queue, StrId::compose_kind_request};
const StrId step_labels[] = {StrId::compose_step_call, StrId::compose_step_cache, StrId::compose_step_lock,
                             StrId::compose_step_publish, StrId::compose_step_parallel};

int grow_string(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag == ImGuiInputTextFlags_CallbackResize) {
    std::string* s = (std::string*)data->UserData;
    s->resize((size_t)data->BufTextLen);
    data->Buf = s->data();
  }
  return 0;
}

// The rectangle of the editor just drawn, under "edit:<prefix><row path>" (tests click editors by it).
struct RowRects {
  std::map<std::string, WidgetRect>* rects;
  std::string prefix;
};
void remember_row(void* context, const pg::FieldInfo& row) {
  RowRects& r = *(RowRects*)context;
  const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  (*r.rects)[r.prefix + row.path] = WidgetRect{min.x, min.y, size.x, size.y};
}

// Names a step of this kind may target.
std::vector<std::string> targets_of(const pg::Scenario& s, pg::StepKind kind) {
  std::vector<std::string> out;
  auto add = [&](const auto& list) {
    for (const auto& item : list) out.push_back(item.name);
  };
  switch (kind) {
    case pg::StepKind::call: add(s.services); break;
    case pg::StepKind::cache: add(s.caches); break;
    case pg::StepKind::lock: add(s.locks); break;
    case pg::StepKind::publish: add(s.queues); break;
    case pg::StepKind::parallel: break;
  }
  return out;
}

// What a click in a step list asks for.
struct StepAction {
  enum { none, add, remove, up, down } what = none;
  std::string list;
  size_t index = 0;
};

void step_button(const char* label, StrId tip, StepAction& action, decltype(StepAction::what) what,
                 const std::string& list, size_t index) {
  if (ImGui::SmallButton(label)) action = {what, list, index};
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(tip));
}

// One step list, nested lists indented under their step; every list ends with a "+" that adds the chosen step.
void draw_steps(const std::vector<pg::StepSpec>& steps, const std::string& list, StepAction& action,
                std::map<std::string, WidgetRect>& rects) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const pg::StepSpec& step = steps[i];
    ImGui::PushID((int)i);
    step_button("\u2191", StrId::compose_move_up, action, StepAction::up, list, i);
    ImGui::SameLine(0, 2);
    step_button("\u2193", StrId::compose_move_down, action, StepAction::down, list, i);
    ImGui::SameLine(0, 2);
    step_button("\u2715", StrId::compose_remove_step, action, StepAction::remove, list, i);
    ImGui::SameLine();
    ImGui::Text("%s %s", text(step_labels[(int)step.kind]), step.target.c_str());
    const std::string here = list + "/" + std::to_string(i);
    ImGui::Indent();
    if (step.kind == pg::StepKind::cache) {
      ImGui::TextDisabled("%s", text(StrId::compose_on_miss));
      draw_steps(step.on_miss, here + "/on_miss", action, rects);
    } else if (step.kind == pg::StepKind::lock) {
      ImGui::TextDisabled("%s", text(StrId::compose_inside));
      draw_steps(step.inside, here + "/inside", action, rects);
    } else if (step.kind == pg::StepKind::parallel) {
      for (size_t b = 0; b < step.branches.size(); ++b) {
        ImGui::PushID((int)b);
        ImGui::TextDisabled(text(StrId::compose_branch), (int)b + 1);
        draw_steps(step.branches[b], here + "/parallel/" + std::to_string(b), action, rects);
        ImGui::PopID();
      }
    }
    ImGui::Unindent();
    ImGui::PopID();
  }
  ImGui::PushID(list.c_str());
  if (ImGui::SmallButton(text(StrId::compose_add_here))) action = {StepAction::add, list, 0};
  const ImVec2 min = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  rects["add_step:" + list] = WidgetRect{min.x, min.y, size.x, size.y};
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::compose_add_here_tip));
  ImGui::PopID();
}

void heading(StrId id) {
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text(id));
  ImGui::Separator();
}

}  // namespace

bool App::compose_apply(const compose::Edit& edit) {
  if (!edit.ok()) {
    std::string lines;   // the validator's lines, each translated
    for (size_t at = 0; at <= edit.problem.size();) {
      const size_t end = std::min(edit.problem.find('\n', at), edit.problem.size());
      lines += (lines.empty() ? "" : "\n") + translate(edit.problem.substr(at, end - at));
      at = end + 1;
    }
    set_message(text_format(StrId::compose_refused, lines.c_str()), true);
    return false;
  }
  compose_.staged = std::make_unique<pg::Scenario>(edit.scenario);
  compose_.staged_pointer = edit.pointer;
  return true;
}

void App::compose_commit() {
  const std::unique_ptr<pg::Scenario> staged = std::move(compose_.staged);
  const std::string pointer = compose_.staged_pointer;
  pending_edit_.reset();
  if (!apply_scenario(*staged).empty()) return;
  if (compose::kind_of(pointer) != compose::Kind::none) editor_selection_ = pointer;
  if (compose::kind_of(pointer) == compose::Kind::request) compose_.request = pointer;
  if (pointer.empty()) {   // a deletion: what was selected is gone (another element now has its number)
    if (editor_selection_ == compose_.request) compose_.request.clear();
    editor_selection_.clear();
  }
  if (compose::name_of(scenario(), compose_.request).empty()) compose_.request.clear();
}

void App::new_scenario(int builtin) {
  if (builtin < 0) load_scenario_text(pg::scenario_to_text(compose::blank_scenario()), text(StrId::menu_new_blank));
  else load_builtin((size_t)builtin);
  compose_.active = true;
  editor_selection_.clear();
  compose_.request = scenario().requests.empty() ? "" : "/requests/0";
  select_view("Architecture");
}

void App::draw_compose_palette() {
  ImGui::TextUnformatted(text(StrId::compose_palette));
  for (int k = 0; k < 5; ++k) {
    ImGui::SameLine();
    ImGui::PushID(k);
    const bool clicked = ImGui::Button(text(kind_labels[k]));
    remember_rect((std::string("palette:") + std::to_string(k)).c_str());
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0, 4.0f)) compose_.palette_drag = k;
    if (ImGui::IsItemHovered() && compose_.palette_drag < 0) ImGui::SetTooltip("%s", text(StrId::compose_palette_tip));
    if (clicked && compose_.palette_drag < 0) compose_apply(compose::add_element(scenario(), (compose::Kind)k));
    ImGui::PopID();
  }
  // What is being dragged follows the pointer; the canvas adds it where it is let go (views/architecture.cpp).
  if (compose_.palette_drag >= 0) {
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    ImGui::GetForegroundDrawList()->AddText(ImVec2(mouse.x + 12, mouse.y + 4), IM_COL32(255, 230, 150, 255),
                                            text(kind_labels[compose_.palette_drag]));
  }
}

bool App::compose_keys() {
  if (!compose_.active || active_view_ != "Architecture" || compose_.keys_frame < ImGui::GetFrameCount() - 2 ||
      ImGui::GetIO().WantTextInput || editor_selection_.empty())
    return false;
  auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key), true); };
  if (pressed(ImGuiKey_Escape)) {
    editor_selection_.clear();
    return true;
  }
  if (pressed(ImGuiKey_Delete)) {
    compose_apply(compose::remove_element(scenario(), editor_selection_));
    return true;
  }
  // The arrows: the nearest box in that direction (within 45 degrees either side of it).
  const ImGuiKey keys[] = {ImGuiKey_LeftArrow, ImGuiKey_RightArrow, ImGuiKey_UpArrow, ImGuiKey_DownArrow};
  const float dirs[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
  for (int d = 0; d < 4; ++d) {
    if (!pressed(keys[d])) continue;
    const ComposeUi::Box* from = nullptr;
    for (const ComposeUi::Box& b : compose_.boxes)
      if (b.pointer == editor_selection_) from = &b;
    if (!from) return true;
    const ComposeUi::Box* best = nullptr;
    float best_distance = 1e30f;
    for (const ComposeUi::Box& b : compose_.boxes) {
      const float dx = b.x - from->x, dy = b.y - from->y;
      const float along = dx * dirs[d][0] + dy * dirs[d][1], across = std::abs(dx * dirs[d][1] + dy * dirs[d][0]);
      if (&b == from || along <= 0 || across > along) continue;
      if (along + across * 2 < best_distance) best_distance = along + across * 2, best = &b;
    }
    if (best) editor_selection_ = best->pointer;
    return true;
  }
  return false;
}

void App::draw_compose_panel() {
  pg::Scenario edit = pending_edit_ ? *pending_edit_ : scenario();
  bool changed = false;
  const float unit = ImGui::GetFontSize();
  // Editors take half the panel (less when narrow) and the labels the rest: "Health check (ms)" fits beside them.
  const float avail = ImGui::GetContentRegionAvail().x;
  const float width = std::max(std::min(avail * 0.5f, avail - unit * 11), unit * 5);
  ImGui::PushTextWrapPos(0);
  size_t index = 0;
  const compose::Kind kind = compose::kind_of(editor_selection_, &index);
  const std::string name = compose::name_of(edit, editor_selection_);
  RowRects rows{&widget_rects_, ""};
  // A box's fields scroll in the upper part of the panel, so the request types stay in view below them.
  const bool box = editor_selection_ == "/workload" || (!name.empty() && kind != compose::Kind::request);
  if (box) ImGui::BeginChild("compose_selection", ImVec2(0, ImGui::GetContentRegionAvail().y * 0.6f), false);

  if (editor_selection_ == "/workload") {
    ImGui::TextUnformatted(text(StrId::compose_clients));
    for (const pg::FieldAddress& field : pg::field_addresses(edit))
      if (field.ref.kind == pg::ItemKind::workload && field_editable(*field.ref.info)) {
        ImGui::SetNextItemWidth(width);
        changed |= edit_field(edit, field, param_locked(field.path));
        remember_rect(("edit:" + field.path).c_str());
        ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::TextUnformatted(field_label(*field.ref.info).c_str());
      }
    heading(StrId::compose_schedule);
    std::vector<pg::RatePoint>& schedule = edit.workload.schedule;
    for (size_t k = 0; k < schedule.size(); ++k) {
      ImGui::PushID((int)k);
      rows.prefix = "edit:/workload/arrivals/schedule/" + std::to_string(k) + "/";
      changed |= edit_rows(schedule[k], width, remember_row, &rows);
      if (ImGui::SmallButton(text(StrId::compose_remove_point))) {
        schedule.erase(schedule.begin() + (std::ptrdiff_t)k);
        changed = true;
        ImGui::PopID();
        break;
      }
      ImGui::PopID();
    }
    if (schedule.size() < pg::limits::schedule_max && ImGui::SmallButton(text(StrId::compose_add_point))) {
      pg::RatePoint point;
      point.at_s = schedule.empty() ? std::min(10.0, edit.duration_s) : std::min(schedule.back().at_s + 10, edit.duration_s);
      point.rate_per_s = schedule.empty() ? edit.workload.rate_per_s : schedule.back().rate_per_s;
      schedule.push_back(point);
      changed = true;
    }
    remember_rect("compose_add_point");
    heading(StrId::compose_mix);
    for (size_t r = 0; r < edit.requests.size(); ++r) {
      double weight = 1;
      for (const pg::MixEntry& m : edit.workload.mix)
        if (m.request == edit.requests[r].name) weight = m.weight;
      const double low = 0, high = 1e6;
      ImGui::PushID((int)r);
      ImGui::SetNextItemWidth(width);
      if (ImGui::DragScalar("##w", ImGuiDataType_Double, &weight, 0.2f, &low, &high, "%.4g", ImGuiSliderFlags_AlwaysClamp)) {
        const compose::Edit e = compose::set_mix_weight(edit, edit.requests[r].name, weight);
        if (e.ok()) edit = e.scenario, changed = true;
      }
      remember_rect(("edit:mix/" + edit.requests[r].name).c_str());
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      ImGui::TextUnformatted(edit.requests[r].name.c_str());
      ImGui::PopID();
    }
  } else if (!name.empty() && kind != compose::Kind::request) {
    ImGui::Text("%s: %s", text(kind_labels[(int)kind]), name.c_str());
    if (compose_.name_for != editor_selection_ + "\n" + name) {
      compose_.name = name;
      compose_.name_for = editor_selection_ + "\n" + name;
    }
    ImGui::SetNextItemWidth(width);
    if (ImGui::InputText("##name", compose_.name.data(), compose_.name.capacity() + 1,
                         ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackResize, grow_string,
                         &compose_.name))
      compose_apply(compose::rename_element(scenario(), editor_selection_, compose_.name));
    remember_rect("compose_name");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::compose_rename_tip));
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    if (ImGui::SmallButton(text(StrId::compose_delete)))
      compose_apply(compose::remove_element(scenario(), editor_selection_));
    remember_rect("compose_delete");
    const pg::ItemKind item_kind = kind == compose::Kind::service ? pg::ItemKind::service
                                   : kind == compose::Kind::cache ? pg::ItemKind::cache
                                   : kind == compose::Kind::lock  ? pg::ItemKind::lock
                                                                  : pg::ItemKind::queue;
    for (const pg::FieldAddress& field : pg::field_addresses(edit))
      if (field.ref.kind == item_kind && field.ref.item == index && field_editable(*field.ref.info)) {
        ImGui::SetNextItemWidth(width);
        changed |= edit_field(edit, field, param_locked(field.path));
        remember_rect(("edit:" + field.path).c_str());
        ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
        ImGui::TextUnformatted(field_label(*field.ref.info).c_str());
      }
    if (kind == compose::Kind::service || kind == compose::Kind::cache) {
      heading(StrId::compose_service_time);
      pg::Distribution& d = kind == compose::Kind::service ? edit.services[index].service_time
                                                           : edit.caches[index].service_time;
      rows.prefix = "edit:" + editor_selection_ + "/service_time/";
      changed |= edit_rows(d, width, remember_row, &rows);
    }
  } else if (kind != compose::Kind::request) {
    ImGui::TextUnformatted(text(StrId::compose_hint));
  }
  if (changed) pending_edit_ = std::make_unique<pg::Scenario>(edit);

  // The step lists: the selected box's own (a service's call tree, a queue's consumers), then the request types.
  StepAction action;
  if (kind == compose::Kind::service && !name.empty()) {
    heading(StrId::compose_own_steps);
    draw_steps(scenario().services[index].steps, editor_selection_ + "/steps", action, widget_rects_);
  } else if (kind == compose::Kind::queue && !name.empty()) {
    heading(StrId::compose_consumer_steps);
    draw_steps(scenario().queues[index].consumers.steps, editor_selection_ + "/consumers/steps", action, widget_rects_);
  }
  if (box) ImGui::EndChild();
  heading(StrId::compose_requests);
  const pg::Scenario& s = scenario();
  for (size_t r = 0; r < s.requests.size(); ++r) {
    const std::string pointer = "/requests/" + std::to_string(r);
    ImGui::PushID((int)r);
    if (ImGui::Selectable(s.requests[r].name.c_str(), compose_.request == pointer)) {
      compose_.request = pointer;
      editor_selection_ = pointer;
    }
    remember_rect(("request:" + s.requests[r].name).c_str());
    ImGui::PopID();
  }
  if (ImGui::SmallButton(text(StrId::compose_add_request))) compose_apply(compose::add_element(s, compose::Kind::request));
  remember_rect("compose_add_request");
  size_t r = 0;
  if (compose::kind_of(compose_.request, &r) == compose::Kind::request && r < s.requests.size()) {
    heading(StrId::compose_request_steps);
    if (kind == compose::Kind::request && compose_.name_for != compose_.request + "\n" + s.requests[r].name) {
      compose_.name = s.requests[r].name;
      compose_.name_for = compose_.request + "\n" + s.requests[r].name;
    }
    if (kind == compose::Kind::request) {   // its name is editable while it is the selection
      ImGui::SetNextItemWidth(width);
      if (ImGui::InputText("##request_name", compose_.name.data(), compose_.name.capacity() + 1,
                           ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_CallbackResize, grow_string,
                           &compose_.name))
        compose_apply(compose::rename_element(s, compose_.request, compose_.name));
      remember_rect("compose_request_name");
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text(StrId::compose_rename_tip));
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      if (ImGui::SmallButton(text(StrId::compose_delete))) {
        compose_apply(compose::remove_element(s, compose_.request));
        ImGui::PopTextWrapPos();
        return;
      }
      remember_rect("compose_request_delete");
    }
    ImGui::TextDisabled("%s", text(StrId::compose_flow_hint));
    draw_steps(s.requests[r].steps, compose_.request + "/steps", action, widget_rects_);
  }
  // The step the "+" buttons add: a kind and, unless parallel, its target.
  heading(StrId::compose_step_to_add);
  ImGui::SetNextItemWidth(unit * 6);
  const char* kinds[5];
  for (int k = 0; k < 5; ++k) kinds[k] = text(step_labels[k]);
  if (ImGui::Combo("##step_kind", &compose_.step_kind, kinds, 5)) compose_.step_target = 0;
  remember_rect("compose_step_kind");
  const pg::StepKind step_kind = (pg::StepKind)compose_.step_kind;
  const std::vector<std::string> targets = targets_of(s, step_kind);
  if (step_kind != pg::StepKind::parallel) {
    ImGui::SameLine();
    std::vector<const char*> names;
    for (const std::string& t : targets) names.push_back(t.c_str());
    ImGui::SetNextItemWidth(unit * 8);
    ImGui::Combo("##step_target", &compose_.step_target, names.data(), (int)names.size());
    remember_rect("compose_step_target");
  }
  ImGui::PopTextWrapPos();

  switch (action.what) {
    case StepAction::none: break;
    case StepAction::add:
      if (step_kind != pg::StepKind::parallel && (compose_.step_target < 0 || compose_.step_target >= (int)targets.size()))
        set_message(text(StrId::compose_no_target), true);
      else
        compose_apply(compose::add_step(s, action.list, step_kind,
                                        step_kind == pg::StepKind::parallel ? "" : targets[(size_t)compose_.step_target]));
      break;
    case StepAction::remove: compose_apply(compose::remove_step(s, action.list, action.index)); break;
    case StepAction::up: compose_apply(compose::move_step(s, action.list, action.index, -1)); break;
    case StepAction::down: compose_apply(compose::move_step(s, action.list, action.index, +1)); break;
  }
}

}  // namespace pgweb
