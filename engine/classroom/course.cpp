// Course files: see course.hpp.
#include "engine/classroom/course.hpp"

#include <algorithm>

#include "engine/scenario/json_reader.hpp"
#include "engine/scenario/json_text.hpp"

namespace pg {

std::string CourseExercise::stem() const {
  size_t slash = file.rfind('/');
  std::string name = slash == std::string::npos ? file : file.substr(slash + 1);
  return name.size() > 5 ? name.substr(0, name.size() - 5) : name;
}

namespace {

// A relative path from the course file's folder: "/" separated, no empty or "." part, ends .json. ".." parts are
// allowed so a course can list the built-in library's exercises from elsewhere.
std::string file_problem(const std::string& file) {
  if (file.size() < 6 || file.compare(file.size() - 5, 5, ".json") != 0) return "must name a .json file";
  if (file.find('\\') != std::string::npos) return "must use \"/\" between folders";
  size_t start = 0;
  while (start <= file.size()) {
    size_t slash = std::min(file.find('/', start), file.size());
    std::string part = file.substr(start, slash - start);
    if (part.empty() || part == ".")
      return "must be a relative path from the course file's folder (no leading \"/\", no empty or \".\" parts)";
    start = slash + 1;
  }
  return "";
}

// An inline scenario is validated as a scenario file is, its errors named under /exercises/N/scenario.
void read_inline_scenario(ObjectReader& item, CourseExercise& e, std::vector<ValidationError>& errors) {
  const json* inline_scenario = item.object("scenario");
  if (!inline_scenario) return;
  ScenarioParse parsed = parse_scenario_json(*inline_scenario);
  for (ValidationError& error : parsed.errors) errors.push_back({item.child("scenario") + error.path, error.message});
  if (parsed.ok()) e.scenario = scenario_to_text(parsed.scenario, -1);
}

void read_exercises(ObjectReader& r, Course& course, std::vector<ValidationError>& errors) {
  const json* list = r.array("exercises", course_exercises_max);
  if (!list) return;
  if (list->empty()) r.error(r.child("exercises"), "must list at least one exercise");
  for (size_t i = 0; i < list->size(); ++i) {
    ObjectReader item((*list)[i], r.child("exercises") + "/" + std::to_string(i), errors);
    CourseExercise e;
    if (item.valid()) {
      item.string("file", e.file, 256, /*required=*/true);
      item.string("title", e.title, 256);
      read_inline_scenario(item, e, errors);
      if (!e.file.empty() && !file_problem(e.file).empty())
        item.error(item.child("file"), file_problem(e.file) + ", got " + describe_json_value(e.file));
      for (const CourseExercise& before : course.exercises)
        if (!e.file.empty() && before.stem() == e.stem())
          item.error(item.child("file"), "another exercise already has the name \"" + e.stem() + "\"");
      item.finish();
    }
    course.exercises.push_back(e);
  }
}

}  // namespace

CourseParse parse_course(std::string_view text) {
  CourseParse result;
  int depth = 0;
  for (char c : text) {   // a course is shallow; a hostile "[[[[..." must not reach the recursive parser
    if (c == '{' || c == '[') ++depth;
    else if (c == '}' || c == ']') --depth;
    if (depth > limits::json_depth_max) {
      result.errors.push_back({"", "the document is nested too deeply"});
      return result;
    }
  }
  result.errors = check_json_text(text);
  if (!result.errors.empty()) return result;
  json document = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  ObjectReader r(document, "", result.errors);
  if (!r.valid()) return result;
  int version = 0;
  r.require("course");
  r.integer("course", version, 1, 1000000);
  if (version > course_version)
    r.error(r.child("course"), "is a newer course format (" + std::to_string(version) + ") than this build reads (" +
                                   std::to_string(course_version) + ")");
  r.string("name", result.course.name, 256, /*required=*/true);
  r.string("description", result.course.description, limits::text_length_max);
  r.require("exercises");
  read_exercises(r, result.course, result.errors);
  r.finish();
  return result;
}

std::string course_to_text(const Course& course) {
  // Written by hand rather than through a JSON object, whose members would come out sorted: the course's members
  // in the documented order, one exercise a line, an inline scenario as its canonical compact text.
  auto quoted = [](const std::string& text) { return json(text).dump(); };
  std::string out = "{\n  \"course\": " + std::to_string(course_version) + ",\n  \"name\": " + quoted(course.name) + ",\n";
  if (!course.description.empty()) out += "  \"description\": " + quoted(course.description) + ",\n";
  out += "  \"exercises\": [";
  for (size_t i = 0; i < course.exercises.size(); ++i) {
    const CourseExercise& e = course.exercises[i];
    out += std::string(i ? "," : "") + "\n    {\"file\": " + quoted(e.file);
    if (!e.title.empty()) out += ", \"title\": " + quoted(e.title);
    if (!e.scenario.empty()) out += ", \"scenario\": " + e.scenario;
    out += "}";
  }
  return out + "\n  ]\n}\n";
}

}  // namespace pg
