// playground-cli autograder EXERCISE.json --out DIR: a folder a teacher zips and uploads to Gradescope (setup.sh,
// run_autograder, the exercise and the WebAssembly CLI), which is also a GitHub Classroom template (a workflow that
// runs check and fails on its exit code). The scripts are fixed text: nothing from the exercise goes into them.
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "cli/cli.hpp"

namespace pg::cli {

namespace fs = std::filesystem;

namespace {

const char* setup_sh = R"(#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image. The grader is playground-cli built
# to WebAssembly, so Node.js is all it needs (Debian/Ubuntu package nodejs).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends nodejs
node --version
)";

const char* run_autograder = R"(#!/usr/bin/env bash
# Gradescope runs this for every submission: the first .json file in submission/ (by name) is checked against
# the exercise and results/results.json receives Gradescope's format (score, execution_time, output, tests).
# AUTOGRADER_ROOT replaces /autograder, so the same script runs in a folder laid out the same way.
set -u
root="${AUTOGRADER_ROOT:-/autograder}"
source_dir="$root/source"
results="$root/results"
mkdir -p "$results"

fail() {   # results.json for a submission that could not be checked at all (fixed text: always valid JSON)
  printf '{"score": 0, "output": "%s", "tests": []}\n' "$1" > "$results/results.json"
  exit 0
}

submission=""
for file in "$root"/submission/*.json; do
  if [ -f "$file" ]; then submission="$file"; break; fi   # the glob is sorted, so "first" is by name
done
[ -n "$submission" ] || fail "No .json file was found in the submission: upload your scenario file."

# Node 18 and later must not hand the .wasm file to fetch(); older Node has no fetch and no such option.
flags=""
if node --no-experimental-fetch -e 0 2>/dev/null; then flags="--no-experimental-fetch"; fi
rm -f "$results/results.json"
node $flags "$source_dir/playground-cli.js" check "$submission" \
  --exercise "$source_dir/exercise.json" --format gradescope --out "$results/results.json"
status=$?
# 0 all goals passed, 3 some failed, 2 refused (invalid or a locked change), 4 stopped: results.json says which.
[ -s "$results/results.json" ] || fail "The grader failed (exit code $status); please tell your teacher."
exit 0
)";

const char* workflow = R"(# GitHub Classroom: checks the student's scenario on every push. The step fails (and the autograding check is red)
# unless every goal passes: playground-cli check exits 0 when all pass, 3 when some fail, 2 when the file is invalid
# or changes a locked parameter, 4 when the run stopped at the work budget.
name: Classroom check
on:
  push:
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  check:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@v4
      - name: Check the submission against the exercise's goals
        run: |
          submission=""
          for file in submission/*.json; do
            if [ -f "$file" ]; then submission="$file"; break; fi
          done
          if [ -z "$submission" ]; then echo "Put your scenario in submission/ (a .json file)."; exit 2; fi
          flags=""
          if node --no-experimental-fetch -e 0 2>/dev/null; then flags="--no-experimental-fetch"; fi
          node $flags playground-cli.js check "$submission" --exercise exercise.json
)";

const char* folder_readme = R"(# Autograder for one playground exercise

Written by `playground-cli autograder`.

- Gradescope: zip the *contents* of this folder (setup.sh and run_autograder at the zip's root) and upload it as a
  programming assignment's autograder. Students upload their scenario (.json); the first .json file is graded.
  Each goal of the exercise is one test, worth its `points` (1 when the goal gives none).
- GitHub Classroom: use this folder as the assignment's template repository. Students put their scenario in
  `submission/`; `.github/workflows/classroom.yml` runs `playground-cli check` on every push.
- Locally: `AUTOGRADER_ROOT=/tmp/ag ./run_autograder` with this folder copied to /tmp/ag/source and a submission
  in /tmp/ag/submission/ writes /tmp/ag/results/results.json.
)";

// The WebAssembly CLI beside this executable's build (build/native -> build/wasm), beside the executable itself,
// or in build/wasm under the working folder. Empty when none is there.
std::string find_cli_js() {
  std::error_code error;
  std::vector<fs::path> candidates;
  fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    candidates.push_back(exe.parent_path().parent_path() / "wasm" / "playground-cli.js");
    candidates.push_back(exe.parent_path() / "playground-cli.js");
  }
  candidates.push_back(fs::path("build") / "wasm" / "playground-cli.js");
  for (const fs::path& c : candidates)
    if (fs::is_regular_file(c, error) && fs::is_regular_file(fs::path(c).replace_extension(".wasm"), error))
      return c.string();
  return "";
}

bool write_script(const fs::path& path, const char* text, bool executable) {
  if (!write_file(path.string(), text)) return false;
  if (!executable) return true;
  std::error_code error;
  fs::permissions(path, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                            fs::perms::others_read | fs::perms::others_exec, error);
  if (error) std::fprintf(stderr, "%s: cannot make it executable: %s\n", path.string().c_str(), error.message().c_str());
  return !error;
}

bool copy_cli(const std::string& cli_js, const fs::path& out) {
  std::error_code error;
  fs::path wasm = fs::path(cli_js).replace_extension(".wasm");
  for (const auto& [from, to] : {std::pair{fs::path(cli_js), out / "playground-cli.js"},
                                 std::pair{wasm, out / "playground-cli.wasm"}}) {
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
    if (error) {
      std::fprintf(stderr, "autograder: cannot copy %s to %s: %s\n", from.string().c_str(), to.string().c_str(),
                   error.message().c_str());
      return false;
    }
  }
  return true;
}

bool read_autograder_arguments(int argc, char** argv, std::string& exercise, std::string& out, std::string& cli_js) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--out" && i + 1 < argc) out = argv[++i];
    else if (arg == "--cli-js" && i + 1 < argc) cli_js = argv[++i];
    else if (exercise.empty() && (arg.empty() || arg[0] != '-')) exercise = arg;
    else {
      std::fprintf(stderr, "autograder: unexpected argument \"%s\"\n", arg.c_str());
      return false;
    }
  }
  if (exercise.empty() || out.empty()) {
    std::fprintf(stderr, "usage: playground-cli autograder EXERCISE.json --out DIR [--cli-js PATH]\n");
    return false;
  }
  return true;
}

}  // namespace

int cmd_autograder(int argc, char** argv) {
  std::string exercise_path, out, cli_js;
  if (!read_autograder_arguments(argc, argv, exercise_path, out, cli_js)) return exit_invalid;
  std::optional<Scenario> exercise = load_scenario(exercise_path);
  if (!exercise) return exit_invalid;
  if (exercise->goals.empty()) {
    std::fprintf(stderr, "%s: has no goals, so it is not an exercise\n", exercise_path.c_str());
    return exit_invalid;
  }
  if (cli_js.empty()) cli_js = find_cli_js();
  std::error_code error;
  if (cli_js.empty() || !fs::is_regular_file(cli_js, error) ||
      !fs::is_regular_file(fs::path(cli_js).replace_extension(".wasm"), error)) {
    std::fprintf(stderr, "autograder: the WebAssembly CLI (playground-cli.js and its .wasm) was not found%s%s; build "
                 "it (./test builds build/wasm) or give --cli-js PATH\n", cli_js.empty() ? "" : " at ", cli_js.c_str());
    return exit_invalid;
  }
  fs::path dir(out);
  fs::create_directories(dir / ".github" / "workflows", error);
  if (error) {
    std::fprintf(stderr, "autograder: cannot create %s: %s\n", out.c_str(), error.message().c_str());
    return exit_invalid;
  }
  std::optional<std::string> text = read_file(exercise_path);
  bool ok = text && write_file((dir / "exercise.json").string(), *text) && copy_cli(cli_js, dir) &&
            write_script(dir / "setup.sh", setup_sh, true) && write_script(dir / "run_autograder", run_autograder, true) &&
            write_script(dir / "README.md", folder_readme, false) &&
            write_script(dir / ".github" / "workflows" / "classroom.yml", workflow, false);
  if (!ok) return exit_internal;
  std::printf("wrote %s: setup.sh, run_autograder, exercise.json, playground-cli.js, playground-cli.wasm, README.md, "
              ".github/workflows/classroom.yml\n", out.c_str());
  return exit_ok;
}

}  // namespace pg::cli
