// The editor's core in the page (docs/editor.md): Edit > Undo and Redo (the history is the session's,
// web/session.hpp), and the JSON editor: the scenario as canonical text in a window, editable, checked as you type
// (once the text has been still for check_idle_s, so typing never waits for the parser), each problem listed with
// its JSON path (a click selects it: App::editor_selection_). Apply goes through Session::apply_document, so it is
// refused while the text is invalid, never loses the scenario the page has, and can be undone; Revert takes the
// scenario's text again. While the text has not been edited it follows the scenario (an edit elsewhere, an undo).
#include <algorithm>
#include <cstring>
#include <string>

#include <imgui.h>

#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"
#include "web/views/views.hpp"

namespace pgweb {

namespace {

// The buffer grows with the text (ImGui asks); beyond this it stops, which is well past what Apply takes.
constexpr size_t buffer_max = 4 * pg::limits::document_bytes_max;

int grow_buffer(ImGuiInputTextCallbackData* data) {
  if (data->EventFlag != ImGuiInputTextFlags_CallbackResize) return 0;
  auto* buffer = static_cast<std::vector<char>*>(data->UserData);
  const size_t wanted = (size_t)data->BufSize;
  if (wanted > buffer->size()) buffer->resize(std::min(wanted + wanted / 2, buffer_max));
  data->Buf = buffer->data();
  data->BufSize = (int)buffer->size();   // at buffer_max, less than asked: ImGui cuts the text there
  return 0;
}

void fill(std::vector<char>& buffer, const std::string& text) {
  buffer.assign(text.begin(), text.end());
  buffer.push_back('\0');
  buffer.resize(std::max(buffer.size(), (size_t)4096));
}

}  // namespace

bool App::undo() {
  if (options_.readonly) {
    set_message(text(StrId::readonly_refused), true);
    return false;
  }
  playing_ = false;
  return session_->undo();
}

bool App::redo() {
  if (options_.readonly) {
    set_message(text(StrId::readonly_refused), true);
    return false;
  }
  playing_ = false;
  return session_->redo();
}

void App::open_json_editor(bool open) {
  json_.open = open;
  if (!open) return;
  json_.base = scenario_json();
  fill(json_.buffer, json_.base);
  json_.dirty = false;
  json_.checked = true;
  json_.problems.clear();
  json_.looked_s = real_time_s_;
}

std::string App::json_editor_json() const {
  nlohmann::json out = nlohmann::json::object();
  out["open"] = json_.open;
  out["dirty"] = json_.dirty;
  out["checked"] = json_.checked;
  out["valid"] = json_.checked && json_.problems.empty();
  nlohmann::json problems = nlohmann::json::array();
  for (const pg::ValidationError& problem : json_.problems) {
    nlohmann::json row = nlohmann::json::object();
    row["path"] = problem.path;
    row["message"] = problem.message;
    problems.push_back(std::move(row));
  }
  out["problems"] = std::move(problems);
  out["selection"] = editor_selection_;
  out["text"] = json_.open ? std::string(json_.buffer.data()) : std::string();
  return out.dump();
}

void App::draw_json_editor() {
  JsonEditorUi& j = json_;
  if (!j.open) return;
  // Not edited: the text follows the scenario (looked at a few times a second: writing a large scenario costs).
  if (!j.dirty && real_time_s_ - j.looked_s >= 0.25) {
    j.looked_s = real_time_s_;
    if (std::string now = scenario_json(); now != j.base) {
      j.base = std::move(now);
      fill(j.buffer, j.base);
      j.problems.clear();
    }
  }
  // The check, once the text has been still for a moment.
  const size_t length = std::strlen(j.buffer.data());
  if (!j.checked && real_time_s_ - j.edited_s >= JsonEditorUi::check_idle_s) {
    j.checked = true;
    j.problems.clear();
    if (length <= pg::limits::document_bytes_max) j.problems = pg::parse_scenario(std::string_view(j.buffer.data(), length)).errors;
  }
  const bool too_large = length > pg::limits::document_bytes_max;

  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float unit = ImGui::GetFontSize();
  ImGui::SetNextWindowSize(ImVec2(std::min(display.x - 40, unit * 46), std::min(display.y - 60, unit * 40)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f + unit), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowBgAlpha(1.0f);
  if (!ImGui::Begin(labelled(StrId::json_title, "json_editor").c_str(), &j.open, ImGuiWindowFlags_NoCollapse)) {
    ImGui::End();
    return;
  }
  remember_rect("json_window");
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", text(StrId::json_help));

  // The status line and the problems, above the text so they are seen while typing.
  const bool valid = j.checked && j.problems.empty() && !too_large;
  if (too_large)
    ImGui::TextColored(ImVec4(1.0f, 0.55f, 0.45f, 1), "%s",
                       text_format(StrId::json_too_large, (int)(length / 1024), (int)(pg::limits::document_bytes_max / 1024)).c_str());
  else if (!j.checked) ImGui::TextDisabled("%s", text(StrId::json_checking));
  else if (!j.problems.empty())
    ImGui::TextColored(ImVec4(1.0f, 0.55f, 0.45f, 1), "%s",
                       j.problems.size() == 1 ? text(StrId::json_problem_one)
                                              : text_format(StrId::json_problems, (int)j.problems.size()).c_str());
  else ImGui::TextUnformatted(text(j.dirty ? StrId::json_valid : StrId::json_unchanged));
  ImGui::PopTextWrapPos();
  remember_rect("json_status");
  const float problems_height =
      j.problems.empty() ? 0 : std::min((float)j.problems.size(), 5.0f) * ImGui::GetTextLineHeightWithSpacing() + 8;
  if (problems_height > 0 && ImGui::BeginChild("json_problems", ImVec2(0, problems_height), true)) {
    for (size_t i = 0; i < j.problems.size(); ++i) {
      const pg::ValidationError& problem = j.problems[i];
      const std::string line = (problem.path.empty() ? std::string("/") : problem.path) + "  " + translate(problem.message);
      ImGui::PushID((int)i);
      if (ImGui::Selectable(line.c_str(), editor_selection_ == problem.path && !problem.path.empty()))
        editor_selection_ = problem.path;
      remember_rect(("json_problem:" + std::to_string(i)).c_str());
      ImGui::PopID();
    }
  }
  if (problems_height > 0) ImGui::EndChild();

  // The buttons, then the text filling the rest of the window.
  ImGui::BeginDisabled(!valid || !j.dirty || options_.readonly);
  if (ImGui::Button(text(StrId::json_apply))) {
    const nlohmann::json doc = nlohmann::json::parse(j.buffer.data(), nullptr, false);
    if (!doc.is_discarded() && session_ && (options_.readonly ? false : session_->apply_document(doc).empty())) {
      playing_ = false;
      set_message(text(StrId::json_applied), false);
      j.base = scenario_json();
      fill(j.buffer, j.base);
      j.dirty = false;
      j.looked_s = real_time_s_;
    }
  }
  ImGui::EndDisabled();
  remember_rect("json_apply");
  ImGui::SameLine();
  ImGui::BeginDisabled(!j.dirty);
  if (ImGui::Button(text(StrId::json_revert))) {
    j.base = scenario_json();
    fill(j.buffer, j.base);
    j.dirty = false;
    j.checked = true;
    j.problems.clear();
  }
  ImGui::EndDisabled();
  remember_rect("json_revert");
  if (!editor_selection_.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s %s", text(StrId::json_selected), editor_selection_.c_str());
  }
  const ImGuiInputTextFlags flags = ImGuiInputTextFlags_AllowTabInput | ImGuiInputTextFlags_CallbackResize |
                                    (options_.readonly ? ImGuiInputTextFlags_ReadOnly : 0);
  if (ImGui::InputTextMultiline("##json_text", j.buffer.data(), j.buffer.size(), ImVec2(-1, -1), flags, grow_buffer,
                                &j.buffer)) {
    j.dirty = j.base != j.buffer.data();
    j.checked = false;
    j.edited_s = real_time_s_;
  }
  remember_rect("json_text");
  ImGui::End();
}

}  // namespace pgweb
