// A course (an exercise pack): a name and an ordered list of exercise files, each a scenario with goals.
//   {"course": 1, "name": "Shop architecture", "description": "...",
//    "exercises": [{"file": "exercise-spike-capacity.json", "title": "Survive the spike"}, ...]}
// `file` is relative to the course file's folder; its stem ("exercise-spike-capacity") names the exercise in a
// submissions folder (grade --course) and wherever a status is kept per exercise. An exercise may also carry its
// scenario inline ("scenario": {...}), which then wins over the file: that is how a course travels as one file (the
// page cannot read files beside it). docs/classroom.md has the rules.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "engine/scenario/scenario.hpp"

namespace pg {

constexpr int course_version = 1;
constexpr size_t course_exercises_max = 64;

struct CourseExercise {
  std::string file;    // a relative path to a .json file from the course file's folder, "/" between folders
  std::string title;   // optional; the exercise scenario's name is shown when empty
  std::string scenario;   // optional inline scenario, canonical compact JSON ("" when the file is to be read)
  std::string stem() const;   // the file's name without folders and ".json"
};

struct Course {
  std::string name;
  std::string description;
  std::vector<CourseExercise> exercises;
};

struct CourseParse {
  Course course;
  std::vector<ValidationError> errors;   // empty when valid
  bool ok() const { return errors.empty(); }
};

// Parses and validates untrusted text; never throws. Errors name their JSON paths (/exercises/2/file).
CourseParse parse_course(std::string_view text);

// The course as canonical JSON text (the members in the order above, empty optional ones left out, one exercise a
// line, inline scenarios in their canonical compact form): parse_course(course_to_text(c)) gives c back, and a file
// written this way round-trips byte for byte.
std::string course_to_text(const Course& course);

}  // namespace pg
