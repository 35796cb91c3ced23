// check's output formats: see exercise.hpp. Gradescope's results.json follows its autograder specification
// (top-level score, execution_time, output and tests[], each test with name, score, max_score, status, output and
// visibility); the JUnit XML is one <testsuite> with a <testcase> per goal. docs/classroom.md describes all four.
#include <cstdio>

#include "cli/exercise.hpp"

namespace pg::cli {

using nlohmann::json;

bool Verdict::passed() const {
  if (!valid || !stopped.empty()) return false;
  for (const GoalResult& g : goals)
    if (!g.passed) return false;
  return true;
}

std::string Verdict::status() const {
  if (!valid) return locked.empty() ? "invalid" : "locked";
  if (!stopped.empty()) return "stopped";
  return passed() ? "passed" : "failed";
}

double Verdict::score() const {
  if (!valid || !stopped.empty()) return 0;
  double total = 0;
  for (const GoalResult& g : goals)
    if (g.passed) total += g.points;
  return total;
}

double max_score(const Scenario& exercise) {
  double total = 0;
  for (const GoalSpec& g : exercise.goals) total += g.points;
  return total;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string goal_line(const GoalResult& g) {
  return g.metric + " = " + (g.found ? number(g.value) : std::string("missing")) + " (goal " + g.op + " " +
         number(g.target) + ")";
}

std::string json_text(const json& value) { return value.dump(2, ' ', false, json::error_handler_t::replace) + "\n"; }

// Over several seeds each goal line says on how many it held, and a first line names the seeds.
std::string seeds_note(const Verdict& v, const GoalResult& g) {
  if (v.seeds <= 1) return "";
  return ", held on " + std::to_string(g.held_on) + " of " + std::to_string(v.seeds) + " seeds";
}

std::string check_text(const Verdict& v) {
  std::string out;
  if (v.seeds > 1)
    out = "over seeds " + std::to_string(v.first_seed) + ".." + std::to_string(v.first_seed + v.seeds - 1) +
          ": a goal passes only when it holds on every seed\n";
  for (const GoalResult& g : v.goals)
    out += std::string(g.passed ? "PASS" : "FAIL") + "  " + g.label + ": " + goal_line(g) + seeds_note(v, g) + "\n";
  if (!v.stopped.empty()) return out + "the run stopped early, so the goals are not decided\n";
  return out + (v.passed() ? "all goals passed\n" : "some goals failed\n");
}

namespace {

// Why no goal was decided, for people: empty when the goals were decided.
std::string undecided_reason(const Verdict& v) {
  if (!v.valid && !v.locked.empty()) {
    std::string paths;
    for (const std::string& p : v.locked) paths += (paths.empty() ? "" : ", ") + p;
    return "the submission changes parameters the exercise locks: " + paths;
  }
  if (!v.valid) return "the submission is not a valid scenario: " + v.problem;
  if (!v.stopped.empty()) return "the run stopped at the work budget, so the goals are not decided: " + v.stopped;
  return "";
}

std::string summary_line(const Verdict& v) {
  std::string reason = undecided_reason(v);
  if (!reason.empty()) return "Not graded: " + reason + ".";
  size_t passed = 0;
  for (const GoalResult& g : v.goals) passed += g.passed ? 1 : 0;
  return std::to_string(passed) + " of " + std::to_string(v.goals.size()) + " goals passed.";
}

json goal_json(const GoalSpec& spec, const GoalResult* result) {
  json g = {{"label", goal_label(spec)}, {"metric", spec.metric}, {"op", spec.op}, {"target", spec.value},
            {"points", spec.points}};
  if (result) {
    g["value"] = result->found ? json(result->value) : json(nullptr);
    g["passed"] = result->passed;
    g["score"] = result->passed ? result->points : 0.0;
  }
  return g;
}

}  // namespace

json check_json(const Scenario& exercise, const Verdict& v, const std::string& submission) {
  json out = {{"check", 1}, {"submission", submission}, {"status", v.status()}, {"score", v.score()},
              {"max_score", max_score(exercise)}};
  std::string reason = undecided_reason(v);
  if (!reason.empty()) out["problem"] = reason;
  if (!v.locked.empty()) out["locked"] = v.locked;
  json goals = json::array();
  for (size_t i = 0; i < exercise.goals.size(); ++i) {
    bool decided = v.valid && v.stopped.empty() && i < v.goals.size();
    goals.push_back(goal_json(exercise.goals[i], decided ? &v.goals[i] : nullptr));
  }
  out["goals"] = goals;
  if (v.valid && v.seeds > 1) {
    out["seeds"] = v.seeds;
    out["first_seed"] = v.first_seed;
    for (size_t i = 0; i < v.goals.size() && i < out["goals"].size(); ++i) out["goals"][i]["held_on"] = v.goals[i].held_on;
  }
  return out;
}

json check_gradescope(const Scenario& exercise, const Verdict& v) {
  bool decided = v.valid && v.stopped.empty();
  std::string reason = undecided_reason(v);
  json tests = json::array();
  for (size_t i = 0; i < exercise.goals.size(); ++i) {
    const GoalSpec& spec = exercise.goals[i];
    const GoalResult* r = decided && i < v.goals.size() ? &v.goals[i] : nullptr;
    std::string name = goal_label(spec);
    bool passed = r && r->passed;
    tests.push_back({{"name", name},
                     {"score", passed ? spec.points : 0.0},
                     {"max_score", spec.points},
                     {"status", passed ? "passed" : "failed"},
                     {"output", r ? goal_line(*r) + seeds_note(v, *r) : "not checked: " + reason},
                     {"visibility", "visible"}});
  }
  return {{"score", v.score()},
          {"execution_time", (double)(long long)(v.seconds * 1000 + 0.5) / 1000},
          {"output", summary_line(v)},
          {"tests", tests}};
}

namespace {

// Text and attribute content: the five markup characters escaped; control characters XML 1.0 cannot carry at all
// (everything below 0x20 except tab, newline and carriage return) become a space.
std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if ((unsigned char)c < 0x20 && c != '\t' && c != '\n' && c != '\r') out += ' ';
        else out += c;
    }
  }
  return out;
}

std::string junit_case(const std::string& suite, const std::string& name, const std::string& body) {
  std::string out = "  <testcase classname=\"" + xml_escape(suite) + "\" name=\"" + xml_escape(name) + "\"";
  return body.empty() ? out + "/>\n" : out + ">\n" + body + "  </testcase>\n";
}

}  // namespace

std::string check_junit(const Scenario& exercise, const Verdict& v, const std::string& submission) {
  bool decided = v.valid && v.stopped.empty();
  std::string reason = undecided_reason(v);
  std::string cases;
  size_t failures = 0, errors = 0;
  for (size_t i = 0; i < exercise.goals.size(); ++i) {
    const GoalSpec& spec = exercise.goals[i];
    const GoalResult* r = decided && i < v.goals.size() ? &v.goals[i] : nullptr;
    std::string name = goal_label(spec);
    std::string body;
    if (!r) {
      ++errors;
      body = "    <error type=\"" + v.status() + "\" message=\"" + xml_escape(reason) + "\"/>\n";
    } else if (!r->passed) {
      ++failures;
      body = "    <failure type=\"goal\" message=\"" + xml_escape(goal_line(*r)) + "\"/>\n";
    }
    cases += junit_case(exercise.name, name, body);
  }
  char time[32];
  std::snprintf(time, sizeof time, "%.3f", v.seconds);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"" + xml_escape(exercise.name) +
         "\" tests=\"" + std::to_string(exercise.goals.size()) + "\" failures=\"" + std::to_string(failures) +
         "\" errors=\"" + std::to_string(errors) + "\" skipped=\"0\" time=\"" + time + "\">\n" +
         "  <properties>\n    <property name=\"submission\" value=\"" + xml_escape(submission) + "\"/>\n" +
         "  </properties>\n" + cases + "  <system-out>" + xml_escape(summary_line(v)) + "</system-out>\n" +
         "</testsuite>\n";
}

}  // namespace pg::cli
