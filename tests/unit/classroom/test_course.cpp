// Course files (engine/classroom/course.hpp): a valid course reads in order with its ids; every mistake is named by
// its JSON path; hostile text gives an error, never a crash.
#include <catch2/catch.hpp>

#include <string>

#include "engine/classroom/course.hpp"

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
