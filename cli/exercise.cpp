// playground-cli check / grade: an exercise's goals, verified the same way the page verifies them. The output
// formats are in cli/exercise_formats.cpp; grade --course reads a course file (engine/classroom/course.hpp).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli/cli.hpp"
#include "cli/exercise.hpp"
#include "engine/scenario/number_text.hpp"
#include "engine/classroom/course.hpp"
#include "engine/run/simulation.hpp"

namespace pg::cli {

namespace {

Verdict checked(const Scenario& exercise, const std::string& submission_path, bool quiet, int seeds) {
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
  // Seeds s, s+1, ... from the submission's own seed, so one seed is exactly today's single run.
  v.seeds = seeds > 0 ? seeds : exercise_info(exercise).seeds;
  v.first_seed = parse.scenario.seed;
  std::vector<std::vector<GoalResult>> per_seed;
  for (int i = 0; i < v.seeds; ++i) {
    Scenario run = parse.scenario;
    run.seed = v.first_seed + static_cast<uint64_t>(i);
    Simulation simulation(run);
    simulation.run_to_end();
    per_seed.push_back(evaluate_goals(exercise, simulation.report()));
    if (simulation.stopped_by_budget()) {
      v.stopped = simulation.budget_message();
      break;
    }
  }
  v.goals = v.seeds == 1 ? per_seed[0] : goals_over_seeds(per_seed);
  return v;
}

}  // namespace

Verdict verdict(const Scenario& exercise, const std::string& submission_path, bool quiet, int seeds) {
  auto start = std::chrono::steady_clock::now();
  Verdict v = checked(exercise, submission_path, quiet, seeds);
  v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return v;
}

namespace {

constexpr int check_seeds_max = 100;   // each seed is a whole run of the submission

struct Arguments {
  std::string target;     // check: the submission; grade: the folder
  std::string exercise;   // --exercise
  std::string course;     // --course (grade only)
  std::string format;     // --format; empty means the command's default
  std::string out;        // --out FILE instead of stdout
  bool summary = false;   // --summary (grade only)
  int seeds = 0;          // --seeds N; 0: the exercise's own (1 unless it sets exercise.seeds)
};

bool read_arguments(int argc, char** argv, const char* command, Arguments& a) {
  bool grade = std::string(command) == "grade";
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    bool has_value = i + 1 < argc;
    if (arg == "--exercise" && has_value) a.exercise = argv[++i];
    else if (arg == "--format" && has_value) a.format = argv[++i];
    else if (arg == "--out" && has_value) a.out = argv[++i];
    else if (grade && arg == "--course" && has_value) a.course = argv[++i];
    else if (grade && arg == "--summary") a.summary = true;
    else if (arg == "--seeds" && has_value) {
      std::optional<uint64_t> n = parse_whole_text(argv[++i], 1, check_seeds_max);
      if (!n) {
        std::fprintf(stderr, "%s: --seeds must be a whole number from 1 to %d, got \"%s\"\n", command,
                     check_seeds_max, argv[i]);
        return false;
      }
      a.seeds = static_cast<int>(*n);
    }
    else if (a.target.empty() && (arg.empty() || arg[0] != '-')) a.target = arg;
    else {
      std::fprintf(stderr, "%s: unexpected argument \"%s\"\n", command, arg.c_str());
      return false;
    }
  }
  bool one_source = grade ? a.exercise.empty() != a.course.empty() : !a.exercise.empty();
  if (a.target.empty() || !one_source) {
    std::fprintf(stderr, "usage: playground-cli %s\n",
                 grade ? "grade DIR --exercise EXERCISE.json [--format csv|json] [--summary] [--out FILE]\n"
                         "       playground-cli grade --course COURSE.json DIR [--format csv|json] [--summary] "
                         "[--out FILE]"
                       : "check SUBMISSION.json --exercise EXERCISE.json [--format text|json|gradescope|junit] "
                         "[--seeds N] [--out FILE]");
    return false;
  }
  const std::vector<std::string> formats = grade ? std::vector<std::string>{"csv", "json"}
                                                 : std::vector<std::string>{"text", "json", "gradescope", "junit"};
  if (a.format.empty()) a.format = formats[0];
  if (std::find(formats.begin(), formats.end(), a.format) == formats.end()) {
    std::string list;
    for (const std::string& f : formats) list += (list.empty() ? "" : ", ") + f;
    std::fprintf(stderr, "%s: --format must be one of %s, got \"%s\"\n", command, list.c_str(), a.format.c_str());
    return false;
  }
  return true;
}

// Standard output, or the file --out names.
bool emit(const Arguments& a, const std::string& text) {
  if (a.out.empty()) {
    std::fputs(text.c_str(), stdout);
    return true;
  }
  return write_file(a.out, text);
}

std::optional<Scenario> load_exercise(const std::string& path) {
  std::optional<Scenario> exercise = load_scenario(path);
  if (exercise && exercise->goals.empty()) {
    std::fprintf(stderr, "%s: has no goals, so it is not an exercise\n", path.c_str());
    return std::nullopt;
  }
  return exercise;
}

// A course's inline exercise (already validated by parse_course); an exercise needs goals, as a file does.
std::optional<Scenario> inline_exercise(const std::string& course_path, const CourseExercise& entry) {
  ScenarioParse parsed = parse_scenario(entry.scenario);
  if (!parsed.ok() || parsed.scenario.goals.empty()) {
    std::fprintf(stderr, "%s: exercise \"%s\": its inline scenario has no goals, so it is not an exercise\n",
                 course_path.c_str(), entry.stem().c_str());
    return std::nullopt;
  }
  return std::move(parsed.scenario);
}

std::string check_output(const Arguments& a, const Scenario& exercise, const Verdict& v) {
  if (a.format == "json") return json_text(check_json(exercise, v, a.target));
  if (a.format == "gradescope") return json_text(check_gradescope(exercise, v));
  if (a.format == "junit") return check_junit(exercise, v, a.target);
  return v.valid ? check_text(v) : "";   // today's text: nothing on stdout for a refused submission
}

}  // namespace

int cmd_check(int argc, char** argv) {
  Arguments a;
  if (!read_arguments(argc, argv, "check", a)) return exit_invalid;
  std::optional<Scenario> exercise = load_exercise(a.exercise);
  if (!exercise) return exit_invalid;
  Verdict v = verdict(*exercise, a.target, false, a.seeds);
  if (!emit(a, check_output(a, *exercise, v))) return exit_internal;
  if (!v.valid) return exit_invalid;
  if (!v.stopped.empty()) {
    // Goals measured on a run cut short say nothing about the whole run.
    std::fprintf(stderr, "%s: stopped by the work budget: %s\n", a.target.c_str(), v.stopped.c_str());
    return exit_stopped;
  }
  return v.passed() ? exit_ok : exit_goals_failed;
}

namespace {

struct Graded {
  std::string file;   // the submission's file name, without its folder
  Verdict verdict;
};

// Every FOLDER/*.json, sorted by name, checked against the exercise. False when the folder cannot be read.
bool grade_folder(const Scenario& exercise, const std::string& folder, int seeds, std::vector<Graded>& out) {
  std::error_code error;
  std::vector<std::string> files;
  for (auto& entry : std::filesystem::directory_iterator(folder, error))
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
  if (error) {
    std::fprintf(stderr, "grade: cannot read the folder %s: %s\n", folder.c_str(), error.message().c_str());
    return false;
  }
  std::sort(files.begin(), files.end());
  for (const std::string& file : files)
    out.push_back({std::filesystem::path(file).filename().string(), verdict(exercise, file, true, seeds)});
  return true;
}

std::string status_cell(const Verdict& v) {
  if (!v.valid) return (v.locked.empty() ? "invalid: " : "locked: ") + v.problem;
  return v.stopped.empty() ? std::string("ok") : "stopped: " + v.stopped;
}

std::string goal_name(const GoalSpec& g) { return g.label.empty() ? g.metric : g.label; }

// Today's table: one row per submission, a verdict and a value column per goal, passed last.
std::string grade_csv(const Scenario& exercise, const std::vector<Graded>& graded) {
  std::string out = "submission,status";
  for (const GoalSpec& g : exercise.goals) out += "," + csv_field(goal_name(g)) + "," + csv_field(goal_name(g) + " (value)");
  out += ",passed\n";
  for (const Graded& s : graded) {
    const Verdict& v = s.verdict;
    std::string row = csv_field(s.file) + "," + csv_field(status_cell(v));
    for (size_t i = 0; i < exercise.goals.size(); ++i) {
      if (v.valid) row += std::string(",") + (v.goals[i].passed ? "1" : "0") + "," + number(v.goals[i].value);
      else row += ",,";
    }
    out += row + "," + (v.passed() ? "1" : "0") + "\n";
  }
  return out;
}

// How many submissions passed each goal (and all of them), over those checked to the end.
nlohmann::json grade_summary(const Scenario& exercise, const std::vector<Graded>& graded) {
  std::vector<size_t> passed(exercise.goals.size(), 0);
  size_t checked = 0, all = 0;
  for (const Graded& s : graded) {
    const Verdict& v = s.verdict;
    if (!v.valid || !v.stopped.empty()) continue;
    ++checked;
    all += v.passed() ? 1 : 0;
    for (size_t i = 0; i < v.goals.size() && i < passed.size(); ++i) passed[i] += v.goals[i].passed ? 1 : 0;
  }
  nlohmann::json goals = nlohmann::json::array();
  for (size_t i = 0; i < exercise.goals.size(); ++i)
    goals.push_back({{"label", goal_name(exercise.goals[i])}, {"metric", exercise.goals[i].metric},
                     {"points", exercise.goals[i].points}, {"passed", passed[i]}});
  return {{"submissions", graded.size()}, {"checked", checked}, {"passed_all", all}, {"goals", goals}};
}

// --summary's table: one row per goal and a last row for all goals together.
std::string summary_csv_rows(const nlohmann::json& summary, const std::string& prefix) {
  std::string counts = "," + std::to_string(summary["checked"].get<size_t>()) + "," +
                       std::to_string(summary["submissions"].get<size_t>()) + "\n";
  std::string out;
  double total = 0;
  for (const nlohmann::json& g : summary["goals"]) {
    total += g["points"].get<double>();
    out += prefix + csv_field(g["label"].get<std::string>()) + "," + csv_field(g["metric"].get<std::string>()) + "," +
           number(g["points"].get<double>()) + "," + std::to_string(g["passed"].get<size_t>()) + counts;
  }
  return out + prefix + "all goals,," + number(total) + "," + std::to_string(summary["passed_all"].get<size_t>()) +
         counts;
}

nlohmann::json submissions_json(const Scenario& exercise, const std::vector<Graded>& graded) {
  nlohmann::json list = nlohmann::json::array();
  for (const Graded& s : graded) list.push_back(check_json(exercise, s.verdict, s.file));
  return list;
}

}  // namespace

namespace {

int grade_exercise(const Arguments& a) {
  std::optional<Scenario> exercise = load_exercise(a.exercise);
  if (!exercise) return exit_invalid;
  std::vector<Graded> graded;
  if (!grade_folder(*exercise, a.target, a.seeds, graded)) return exit_invalid;
  nlohmann::json summary = grade_summary(*exercise, graded);
  std::string text;
  if (a.format == "json")
    text = json_text({{"grade", 1}, {"exercise", a.exercise}, {"name", exercise->name},
                      {"max_score", max_score(*exercise)}, {"submissions", submissions_json(*exercise, graded)},
                      {"summary", summary}});
  else if (a.summary)
    text = "goal,metric,points,passed,checked,submissions\n" + summary_csv_rows(summary, "");
  else
    text = grade_csv(*exercise, graded);
  return emit(a, text) ? exit_ok : exit_internal;
}

// One exercise of a course: its file beside the course file, its submissions in DIR/<stem>/.
struct CourseItem {
  CourseExercise entry;
  Scenario exercise;
  std::vector<Graded> graded;
};

bool grade_course_items(const Arguments& a, const Course& course, std::vector<CourseItem>& items) {
  std::filesystem::path base = std::filesystem::path(a.course).parent_path();
  for (const CourseExercise& entry : course.exercises) {
    std::optional<Scenario> exercise = entry.scenario.empty() ? load_exercise((base / entry.file).string())
                                                              : inline_exercise(a.course, entry);
    if (!exercise) return false;
    CourseItem item{entry, *exercise, {}};
    std::filesystem::path folder = std::filesystem::path(a.target) / entry.stem();
    std::error_code error;
    if (std::filesystem::is_directory(folder, error)) {
      if (!grade_folder(*exercise, folder.string(), a.seeds, item.graded)) return false;
    } else {
      std::fprintf(stderr, "grade: %s: no folder %s, so no submissions for this exercise\n", a.course.c_str(),
                   folder.string().c_str());
    }
    items.push_back(std::move(item));
  }
  return true;
}

std::string course_csv(const std::vector<CourseItem>& items, bool summary) {
  std::string out = summary ? "exercise,goal,metric,points,passed,checked,submissions\n"
                            : "exercise,submission,status,score,max_score,passed\n";
  for (const CourseItem& item : items) {
    std::string stem = csv_field(item.entry.stem()) + ",";
    if (summary) {
      out += summary_csv_rows(grade_summary(item.exercise, item.graded), stem);
      continue;
    }
    for (const Graded& s : item.graded)
      out += stem + csv_field(s.file) + "," + csv_field(status_cell(s.verdict)) + "," + number(s.verdict.score()) +
             "," + number(max_score(item.exercise)) + "," + (s.verdict.passed() ? "1" : "0") + "\n";
  }
  return out;
}

nlohmann::json course_json(const Course& course, const std::vector<CourseItem>& items) {
  nlohmann::json exercises = nlohmann::json::array();
  for (const CourseItem& item : items)
    exercises.push_back({{"file", item.entry.file}, {"id", item.entry.stem()},
                         {"title", item.entry.title.empty() ? item.exercise.name : item.entry.title},
                         {"max_score", max_score(item.exercise)},
                         {"submissions", submissions_json(item.exercise, item.graded)},
                         {"summary", grade_summary(item.exercise, item.graded)}});
  return {{"grade", 1}, {"course", course.name}, {"exercises", exercises}};
}

int grade_course(const Arguments& a) {
  std::optional<std::string> text = read_file(a.course);
  if (!text) return exit_invalid;
  CourseParse parse = parse_course(*text);
  if (!parse.ok()) {
    for (const ValidationError& e : parse.errors)
      std::fprintf(stderr, "%s: %s\n", a.course.c_str(), e.to_string().c_str());
    return exit_invalid;
  }
  std::vector<CourseItem> items;
  if (!grade_course_items(a, parse.course, items)) return exit_invalid;
  std::string out = a.format == "json" ? json_text(course_json(parse.course, items)) : course_csv(items, a.summary);
  return emit(a, out) ? exit_ok : exit_internal;
}

}  // namespace

int cmd_grade(int argc, char** argv) {
  Arguments a;
  if (!read_arguments(argc, argv, "grade", a)) return exit_invalid;
  return a.course.empty() ? grade_exercise(a) : grade_course(a);
}

}  // namespace pg::cli
