// playground-cli: sub-commands share these helpers. Exit codes: 0 ok, 1 internal error, 2 invalid input,
// 3 an exercise's goals failed, 4 the run stopped at the work budget (engine/run/budget.hpp).
#pragma once
#include <optional>
#include <string>

#include "engine/scenario/scenario.hpp"

namespace pg::cli {

constexpr int exit_ok = 0;
constexpr int exit_internal = 1;
constexpr int exit_invalid = 2;
constexpr int exit_goals_failed = 3;
constexpr int exit_stopped = 4;

// Reads a whole file ("-" is standard input), at most `limit` bytes: a longer input, a directory or an unreadable
// file gives nullopt with a message on stderr.
std::optional<std::string> read_file(const std::string& path, size_t limit = limits::document_bytes_max);
bool write_file(const std::string& path, const std::string& text);
// Parses and validates; prints every error as "FILE: /path: message" on stderr; nullopt when invalid.
std::optional<Scenario> load_scenario(const std::string& path);

int cmd_run(int argc, char** argv);
int cmd_validate(int argc, char** argv);
int cmd_check(int argc, char** argv);   // cli/exercise.cpp
int cmd_grade(int argc, char** argv);   // grade DIR --exercise EX | grade --course COURSE.json DIR
int cmd_autograder(int argc, char** argv);   // cli/autograder.cpp
int cmd_link(int argc, char** argv);   // link encode FILE [--base URL] | link decode LINK
int link_qr(int argc, char** argv);
int cmd_compare(int argc, char** argv);
int cmd_sweep(int argc, char** argv);    // cli/compare.cpp: sweep FILE --param PATH --values V1,V2 [--seeds N]  // cli/compare.cpp: compare A.json B.json [--seeds N] [--metric PATH]...    // cli/link_qr.cpp: link qr FILE|--text TEXT --out PNG

}  // namespace pg::cli
