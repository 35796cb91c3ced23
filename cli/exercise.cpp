// playground-cli check / grade: an exercise's goals, verified the same way the page verifies them.
#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "cli/cli.hpp"
#include "engine/classroom/exercise.hpp"
#include "engine/run/simulation.hpp"

namespace pg::cli {

namespace {

struct Verdict {
  bool valid = false;
  std::string problem;                 // why it is not valid (first error or first locked path)
  std::vector<std::string> locked;     // forbidden changes
  std::vector<GoalResult> goals;
  std::string stopped;                 // the work budget's message when the run stopped early
  bool passed() const {
    if (!valid || !stopped.empty()) return false;
    for (const GoalResult& g : goals)
      if (!g.passed) return false;
    return true;
  }
};

Verdict verdict(const Scenario& exercise, const std::string& submission_path, bool quiet) {
  Verdict v;
  std::optional<std::string> text = read_file(submission_path);
  if (!text) {
    v.problem = "cannot read the file";
    return v;
  }
  ScenarioParse parse = parse_scenario(*text);
  if (!parse.ok()) {
    if (!quiet)
      for (const ValidationError& e : parse.errors)
        std::fprintf(stderr, "%s: %s\n", submission_path.c_str(), e.to_string().c_str());
    v.problem = parse.errors[0].to_string();
    return v;
  }
  v.locked = forbidden_changes(exercise, parse.scenario);
  if (!v.locked.empty()) {
    if (!quiet)
      for (const std::string& path : v.locked)
        std::fprintf(stderr, "%s: %s: this parameter is locked by the exercise and may not be changed\n",
                     submission_path.c_str(), path.c_str());
    v.problem = v.locked[0] + " is locked";
    return v;
  }
  v.valid = true;
  Simulation simulation(parse.scenario);
  simulation.run_to_end();
  v.goals = evaluate_goals(exercise, simulation.report());
  if (simulation.stopped_by_budget()) v.stopped = simulation.budget_message();
  return v;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

bool read_exercise_argument(int argc, char** argv, std::string& submission, std::string& exercise_path,
                            const char* command) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--exercise" && i + 1 < argc) exercise_path = argv[++i];
    else if (submission.empty() && (arg.empty() || arg[0] != '-')) submission = arg;
    else {
      std::fprintf(stderr, "%s: unexpected argument \"%s\"\n", command, arg.c_str());
      return false;
    }
  }
  if (submission.empty() || exercise_path.empty()) {
    std::fprintf(stderr, "usage: playground-cli %s %s --exercise EXERCISE.json\n", command,
                 std::string(command) == "check" ? "SUBMISSION.json" : "DIR");
    return false;
  }
  return true;
}

}  // namespace

int cmd_check(int argc, char** argv) {
  std::string submission, exercise_path;
  if (!read_exercise_argument(argc, argv, submission, exercise_path, "check")) return exit_invalid;
  std::optional<Scenario> exercise = load_scenario(exercise_path);
  if (!exercise) return exit_invalid;
  if (exercise->goals.empty()) {
    std::fprintf(stderr, "%s: has no goals, so it is not an exercise\n", exercise_path.c_str());
    return exit_invalid;
  }
  Verdict v = verdict(*exercise, submission, false);
  if (!v.valid) return exit_invalid;
  for (const GoalResult& g : v.goals) {
    std::printf("%s  %s: %s = %s (goal %s %s)\n", g.passed ? "PASS" : "FAIL", g.label.c_str(), g.metric.c_str(),
                g.found ? number(g.value).c_str() : "missing", g.op.c_str(), number(g.target).c_str());
  }
  if (!v.stopped.empty()) {
    // Goals measured on a run cut short say nothing about the whole run.
    std::printf("the run stopped early, so the goals are not decided\n");
    std::fprintf(stderr, "%s: stopped by the work budget: %s\n", submission.c_str(), v.stopped.c_str());
    return exit_stopped;
  }
  bool passed = v.passed();
  std::printf("%s\n", passed ? "all goals passed" : "some goals failed");
  return passed ? exit_ok : exit_goals_failed;
}

int cmd_grade(int argc, char** argv) {
  std::string folder, exercise_path;
  if (!read_exercise_argument(argc, argv, folder, exercise_path, "grade")) return exit_invalid;
  std::optional<Scenario> exercise = load_scenario(exercise_path);
  if (!exercise) return exit_invalid;
  std::error_code error;
  std::vector<std::string> files;
  for (auto& entry : std::filesystem::directory_iterator(folder, error))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  if (error) {
    std::fprintf(stderr, "grade: cannot read the folder %s: %s\n", folder.c_str(), error.message().c_str());
    return exit_invalid;
  }
  std::sort(files.begin(), files.end());
  std::string header = "submission,status";
  for (const GoalSpec& g : exercise->goals) {
    std::string label = g.label.empty() ? g.metric : g.label;
    header += "," + csv_field(label) + "," + csv_field(label + " (value)");
  }
  std::printf("%s,passed\n", header.c_str());
  for (const std::string& file : files) {
    Verdict v = verdict(*exercise, file, true);
    std::string row = csv_field(std::filesystem::path(file).filename().string());
    row += "," + csv_field(!v.valid            ? (v.locked.empty() ? "invalid: " : "locked: ") + v.problem
                           : v.stopped.empty() ? std::string("ok")
                                               : "stopped: " + v.stopped);
    for (size_t i = 0; i < exercise->goals.size(); ++i) {
      if (v.valid) row += std::string(",") + (v.goals[i].passed ? "1" : "0") + "," + number(v.goals[i].value);
      else row += ",,";
    }
    std::printf("%s,%d\n", row.c_str(), v.passed() ? 1 : 0);
  }
  return exit_ok;
}

}  // namespace pg::cli
