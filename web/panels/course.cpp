// A course (an exercise pack) in the page: opened from a course file (the file picker, a dropped file, or
// window.playground.loadScenario), listed at the top of the scenario panel with each exercise's status, and kept in
// the browser (localStorage) with those statuses, so a student who comes back next week finds where they were.
//
// A course file names its exercises by relative paths (engine/classroom/course.hpp), but a page cannot read files
// beside the one it was given. So each exercise is its inline scenario ("scenario" in the course file), or the
// built-in scenario whose file name the path ends with (the sample course lists the built-in library that way);
// any other exercise makes the course refused, with the exercise's path named.
//
// An exercise counts as passed when the exercise panel shows it solved (the run at its end, every goal met, only
// allowed changes): the same verdict as playground-cli check. Statuses never go back from passed to tried.
#include <algorithm>
#include <string>
#include <vector>

#include <imgui.h>

#include "engine/scenario/localized_texts.hpp"
#include "web/app.hpp"
#include "web/library.hpp"
#include "web/session.hpp"
#include "web/strings.hpp"

namespace pgweb {

namespace {

constexpr const char* course_key = "playground.course";
std::string status_key(const std::string& course_name) { return "playground.course-status." + course_name; }

// The last part of a course's relative path: the file name a built-in would have.
std::string file_name(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// A course file's text, rather than a scenario's: it parses as a course, or its errors are about a course's
// members. A document without a top-level "course" member (or not a JSON object at all) goes to the scenario parser.
bool names_a_course(const pg::CourseParse& parsed) {
  for (const pg::ValidationError& e : parsed.errors)
    if (e.path.empty() || (e.path == "/course" && e.message == "is required")) return false;
  return true;
}

const char* status_text(const std::string& status) {
  if (status == "passed") return text(StrId::course_status_passed);
  if (status == "tried") return text(StrId::course_status_tried);
  return text(StrId::course_status_new);
}

}  // namespace

std::vector<pg::ValidationError> App::resolve_course(const pg::Course& course, std::vector<std::string>& scenarios) const {
  std::vector<pg::ValidationError> problems;
  for (size_t i = 0; i < course.exercises.size(); ++i) {
    const pg::CourseExercise& e = course.exercises[i];
    std::string found = e.scenario;
    for (const LibraryEntry& entry : scenario_library())
      if (found.empty() && entry.valid && !entry.file.empty() && entry.file == file_name(e.file)) found = entry.json_text;
    if (found.empty())
      problems.push_back({"/exercises/" + std::to_string(i) + "/file", text_format(StrId::course_file_unknown, e.file.c_str())});
    scenarios.push_back(found);
  }
  return problems;
}

bool looks_like_course(const std::string& text) {
  return text.find("\"course\"") != std::string::npos && names_a_course(pg::parse_course(text));
}

std::vector<std::string> App::install_course(const std::string& course_text_in) {
  pg::CourseParse parsed = pg::parse_course(course_text_in);
  std::vector<std::string> scenarios;
  const std::vector<pg::ValidationError> problems = parsed.ok() ? resolve_course(parsed.course, scenarios) : parsed.errors;
  if (!problems.empty()) {
    set_message(text_format(StrId::course_not_opened, parsed.course.name.c_str()) + "\n" + banner_lines(problems), true);
    return error_lines(problems);
  }
  course_ = CourseUi();
  course_.active = true;
  course_.course = std::move(parsed.course);
  for (const std::string& s : scenarios) course_.exercises.push_back(pg::parse_scenario(s).scenario);
  course_.scenarios = std::move(scenarios);
  const std::string kept = host_.stored ? host_.stored(status_key(course_.course.name)) : "";
  const nlohmann::json statuses = nlohmann::json::parse(kept, nullptr, /*allow_exceptions=*/false);
  for (const pg::CourseExercise& e : course_.course.exercises) {
    if (!statuses.is_object() || !statuses.contains(e.stem()) || !statuses[e.stem()].is_string()) continue;
    const std::string status = statuses[e.stem()].get<std::string>();
    if (status == "passed" || status == "tried") course_.status[e.stem()] = status;
  }
  course_scenario_loaded();
  if (host_.store) host_.store(course_key, course_text());
  return {};
}

std::vector<std::string> App::load_course_text(const std::string& course_text_in) {
  std::vector<std::string> errors = install_course(course_text_in);
  if (!errors.empty()) return errors;
  // The first exercise not passed yet (a student reopening the course goes on where they stopped).
  auto passed = [this](size_t i) {
    const auto found = course_.status.find(course_.course.exercises[i].stem());
    return found != course_.status.end() && found->second == "passed";
  };
  size_t first = 0;
  while (first + 1 < course_.exercises.size() && passed(first)) ++first;
  errors = open_course_exercise(first);
  if (errors.empty())
    set_message(text_format(StrId::course_opened, course_.course.name.c_str(), (int)course_.exercises.size()), false);
  return errors;
}

// Which exercise the loaded scenario is: the one of its name (a student's answer, loaded from a file, counts).
void App::course_scenario_loaded() {
  course_.current = -1;
  for (size_t i = 0; i < course_.exercises.size() && course_.current < 0; ++i)
    if (course_.exercises[i].name == scenario().name) course_.current = (int)i;
}

void App::restore_course() {
  const std::string kept = host_.stored ? host_.stored(course_key) : "";
  if (!kept.empty() && !install_course(kept).empty()) {   // unreadable by this build: dropped without a word
    course_ = CourseUi();
    set_message("", false);
  }
}

std::vector<std::string> App::open_course_exercise(size_t index) {
  if (!course_.active || index >= course_.scenarios.size()) return {"no such exercise in the course"};
  std::vector<std::string> errors = load_scenario_text(
      course_.scenarios[index], text_format(StrId::source_course, course_.course.name.c_str(), (int)index + 1));
  if (errors.empty()) course_.current = (int)index;
  return errors;
}

void App::close_course() {
  course_ = CourseUi();
  if (host_.store) host_.store(course_key, "");
}

void App::forget_course_progress() {
  course_.status.clear();
  if (host_.store && course_.active) host_.store(status_key(course_.course.name), "");
}

void App::course_exercise_seen(bool finished, bool solved) {
  if (!course_.active || course_.current < 0 || !finished) return;
  const std::string id = course_.course.exercises[(size_t)course_.current].stem();
  std::string& status = course_.status[id];
  const std::string before = status;
  if (solved) status = "passed";
  else if (status.empty()) status = "tried";
  if (status == before || !host_.store) return;
  nlohmann::json kept = nlohmann::json::object();
  for (const auto& [key, value] : course_.status) kept[key] = value;
  host_.store(status_key(course_.course.name), kept.dump());
}

std::string App::course_text() const { return course_.active ? pg::course_to_text(course_.course) : ""; }

void App::download_course() {
  if (course_.active && host_.download)
    host_.download(file_stem(course_.course.name) + ".json", "application/json", course_text());
}

std::string App::course_json() const {
  nlohmann::json out = {{"active", course_.active}};
  if (!course_.active) return out.dump();
  nlohmann::json list = nlohmann::json::array();
  int passed = 0;
  for (const pg::CourseExercise& e : course_.course.exercises) {
    const auto found = course_.status.find(e.stem());
    const std::string status = found == course_.status.end() ? "new" : found->second;
    passed += status == "passed" ? 1 : 0;
    list.push_back({{"id", e.stem()}, {"title", e.title}, {"status", status}});
  }
  out["name"] = course_.course.name;
  out["current"] = course_.current;
  out["passed"] = passed;
  out["exercises"] = list;
  return out.dump();
}

void App::draw_course_list() {
  if (!course_.active) return;
  ImGui::Spacing();
  ImGui::TextDisabled("%s", text(StrId::course_heading));
  ImGui::Separator();
  int passed = 0;
  for (const auto& [id, status] : course_.status) passed += status == "passed" ? 1 : 0;
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted(text_format(StrId::course_progress, course_.course.name.c_str(), passed,
                                     (int)course_.exercises.size()).c_str());
  ImGui::PopTextWrapPos();
  for (size_t i = 0; i < course_.exercises.size(); ++i) {
    const pg::CourseExercise& e = course_.course.exercises[i];
    const auto found = course_.status.find(e.stem());
    const std::string status = found == course_.status.end() ? "" : found->second;
    const char* mark = status == "passed" ? "\u2714" : status == "tried" ? "\u25D0" : "\u25CB";   // ✔ ◐ ○
    const std::string title = e.title.empty() ? pg::localized_texts(course_.exercises[i], lang_code(language())).name : e.title;
    const std::string label = std::string(mark) + " " + std::to_string(i + 1) + ". " + title;
    ImGui::PushID((int)i);
    const ImVec4 colour = status == "passed" ? ImVec4(0.45f, 0.85f, 0.55f, 1) : ImGui::GetStyleColorVec4(ImGuiCol_Text);
    ImGui::PushStyleColor(ImGuiCol_Text, colour);
    if (ImGui::Selectable(label.c_str(), course_.current == (int)i)) open_course_exercise(i);
    ImGui::PopStyleColor();
    remember_rect(("course_exercise_" + std::to_string(i)).c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      ImGui::PushTextWrapPos(ImGui::GetFontSize() * 24);
      ImGui::TextUnformatted(title.c_str());
      ImGui::TextUnformatted(status_text(status));
      ImGui::TextDisabled("%s", text(StrId::course_status_tooltip));
      ImGui::PopTextWrapPos();
      ImGui::EndTooltip();
    }
    ImGui::PopID();
  }
  // The three buttons in a row while they fit the panel, the rest on the next line (Chinese and English differ).
  const float right = ImGui::GetWindowContentRegionMax().x;
  const StrId buttons[] = {StrId::course_save, StrId::course_reset_progress, StrId::course_close};
  for (size_t i = 0; i < 3; ++i) {
    const float width = ImGui::CalcTextSize(text(buttons[i])).x + ImGui::GetStyle().FramePadding.x * 2;
    if (i > 0) {
      ImGui::SameLine();
      if (ImGui::GetCursorPosX() + width > right) ImGui::NewLine();
    }
    if (!ImGui::SmallButton(text(buttons[i]))) continue;
    if (i == 0) download_course();
    else if (i == 1) forget_course_progress();
    else close_course();
  }
}

}  // namespace pgweb
