// playground-cli check / grade / autograder: what one submission's check found, and the formats it is written in
// (text, our JSON, Gradescope's results.json, JUnit XML). Shared by cli/exercise.cpp, cli/exercise_formats.cpp and
// cli/autograder.cpp.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/classroom/exercise.hpp"

namespace pg::cli {

struct Verdict {
  bool valid = false;
  std::string problem;                 // why it is not valid (first error or first locked path)
  std::vector<std::string> locked;     // forbidden changes
  std::vector<GoalResult> goals;
  std::string stopped;                 // the work budget's message when the run stopped early
  double seconds = 0;                  // wall-clock time of the check (only Gradescope's and JUnit's time fields)
  int seeds = 1;                       // runs under seeds first_seed, first_seed + 1, ...; a goal holds on all
  uint64_t first_seed = 0;
  bool passed() const;
  // "passed", "failed", "invalid", "locked" or "stopped".
  std::string status() const;
  double score() const;                // points of the passed goals; 0 unless valid and run to the end
};

// Reads, validates, compares with the exercise and runs the submission, under `seeds` seeds from its own (0: the
// exercise's exercise.seeds, 1 unless set). Messages go to stderr unless quiet.
Verdict verdict(const Scenario& exercise, const std::string& submission_path, bool quiet, int seeds = 0);
double max_score(const Scenario& exercise);

std::string number(double v);          // six significant digits, as the text and CSV outputs print values
std::string csv_field(const std::string& text);
// The one-line description of a goal's outcome: "metric = value (goal op target)".
std::string goal_line(const GoalResult& g);

// check's outputs. The text is today's PASS/FAIL lines; exit codes are the caller's.
std::string check_text(const Verdict& v);
nlohmann::json check_json(const Scenario& exercise, const Verdict& v, const std::string& submission);
nlohmann::json check_gradescope(const Scenario& exercise, const Verdict& v);
std::string check_junit(const Scenario& exercise, const Verdict& v, const std::string& submission);
// JSON text that never throws on bytes that are not UTF-8 (a file name): they become U+FFFD.
std::string json_text(const nlohmann::json& value);

}  // namespace pg::cli
