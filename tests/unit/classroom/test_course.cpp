// Course files (engine/classroom/course.hpp): a valid course reads in order with its ids; every mistake is named by
// its JSON path; hostile text gives an error, never a crash.
#include <catch2/catch.hpp>

#include <string>

#include "engine/classroom/course.hpp"
#include "engine/scenario/scenario.hpp"
#include "tests/unit/test_support.hpp"

namespace {

bool has_error(const pg::CourseParse& parse, const std::string& fragment) {
  for (const pg::ValidationError& e : parse.errors)
    if (e.to_string().find(fragment) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a course reads its exercises in order, each with an id from its file name", "[classroom]") {
  pg::CourseParse parse = pg::parse_course(
      R"({"course": 1, "name": "Week 3", "exercises": [{"file": "b/exercise-two.json", "title": "Two"},
          {"file": "../../scenarios/exercise-one.json"}]})");
  for (const pg::ValidationError& e : parse.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(parse.ok());
  REQUIRE(parse.course.name == "Week 3");
  REQUIRE(parse.course.exercises.size() == 2);
  CHECK(parse.course.exercises[0].stem() == "exercise-two");
  CHECK(parse.course.exercises[0].title == "Two");
  CHECK(parse.course.exercises[1].stem() == "exercise-one");
}

TEST_CASE("course mistakes are named by their paths", "[classroom]") {
  CHECK(has_error(pg::parse_course(R"({"name": "x", "exercises": [{"file": "a.json"}]})"), "/course: is required"));
  CHECK(has_error(pg::parse_course(R"({"course": 2, "name": "x", "exercises": [{"file": "a.json"}]})"),
                  "/course: is a newer course format"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "exercises": [{"file": "a.json"}]})"), "/name: is required"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": []})"),
                  "/exercises: must list at least one exercise"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "/etc/a.json"}]})"),
                  "/exercises/0/file: must be a relative path"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "a//b.json"}]})"),
                  "/exercises/0/file: must be a relative path"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "a.txt"}]})"),
                  "/exercises/0/file: must name a .json file"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "a.json"}, {"file": "b/a.json"}]})"),
                  "/exercises/1/file: another exercise already has the name \"a\""));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "a.json", "titel": "y"}]})"),
                  "/exercises/0/titel: unknown field; did you mean \"title\"?"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "course": 1, "name": "x", "exercises": [{"file": "a.json"}]})"),
                  "duplicate"));
}

TEST_CASE("hostile course text gives errors, not crashes", "[classroom]") {
  CHECK(!pg::parse_course("").ok());
  CHECK(!pg::parse_course("[1, 2]").ok());
  CHECK(!pg::parse_course(std::string(100000, '[')).ok());
  CHECK(!pg::parse_course(R"({"course": 1, "name": "x", "exercises": [3]})").ok());
  std::string many = R"({"course": 1, "name": "x", "exercises": [)";
  for (int i = 0; i < 65; ++i) {   // one more than course_exercises_max
    if (i) many += ",";
    many += R"({"file": "e)";
    many += std::to_string(i);
    many += R"(.json"})";
  }
  CHECK(!pg::parse_course(many + "]}").ok());
}

TEST_CASE("an exercise's inline scenario is validated where it sits, and a course round-trips as text", "[classroom]") {
  const std::string scenario = R"({"version": 1, "name": "Tiny", "duration_s": 1,
      "workload": {"arrivals": {"rate_per_s": 10}},
      "requests": [{"name": "get", "steps": [{"call": "web"}]}],
      "services": [{"name": "web", "instances": 1, "workers": 1, "service_time": {"dist": "constant", "mean_ms": 1}}],
      "goals": [{"label": "done", "metric": "requests.get.completed", "op": ">=", "value": 1}]})";
  pg::CourseParse parse = pg::parse_course(R"({"course": 1, "name": "Own", "description": "d", "exercises": [
      {"file": "tiny.json", "title": "T", "scenario": )" + scenario + R"(}, {"file": "b.json"}]})");
  for (const pg::ValidationError& e : parse.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(parse.ok());
  REQUIRE(!parse.course.exercises[0].scenario.empty());
  CHECK(pg::parse_scenario(parse.course.exercises[0].scenario).ok());
  CHECK(parse.course.exercises[1].scenario.empty());

  // Written and read again: the same course, and the same text once more.
  const std::string text = pg::course_to_text(parse.course);
  pg::CourseParse again = pg::parse_course(text);
  REQUIRE(again.ok());
  CHECK(pg::course_to_text(again.course) == text);
  CHECK(again.course.exercises[0].scenario == parse.course.exercises[0].scenario);
  CHECK(again.course.description == "d");
  CHECK(text.find("\"course\": 1") < text.find("\"name\""));   // the members in the documented order

  // A mistake inside the inline scenario is named under the exercise.
  std::string broken = scenario;
  broken.replace(broken.find("\"workers\": 1"), 12, "\"workers\": 0");
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "t.json", "scenario": )" +
                                   broken + "}]}"),
                  "/exercises/0/scenario/services/0/workers"));
  CHECK(has_error(pg::parse_course(R"({"course": 1, "name": "x", "exercises": [{"file": "t.json", "scenario": 3}]})"),
                  "/exercises/0/scenario: must be an object"));
}

TEST_CASE("the sample course file is in canonical form: read and written again, the same bytes", "[classroom]") {
  const std::string file = pg::test::read_text("tests/exercises/courses/shop-basics.json");
  pg::CourseParse parse = pg::parse_course(file);
  REQUIRE(parse.ok());
  CHECK(pg::course_to_text(parse.course) == file);
}
