// playground-cli run / validate.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/cli.hpp"
#include "engine/simulation.hpp"

namespace pg::cli {

std::optional<std::string> read_file(const std::string& path) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << std::cin.rdbuf();
    return buffer.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "%s: cannot open: %s\n", path.c_str(), std::strerror(errno));
    return std::nullopt;
  }
  buffer << in.rdbuf();
  return buffer.str();
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) {
    std::fprintf(stderr, "%s: cannot write\n", path.c_str());
    return false;
  }
  return true;
}

std::optional<Scenario> load_scenario(const std::string& path) {
  std::optional<std::string> text = read_file(path);
  if (!text) return std::nullopt;
  ScenarioParse parse = parse_scenario(*text);
  if (!parse.ok()) {
    for (const ValidationError& e : parse.errors) std::fprintf(stderr, "%s: %s\n", path.c_str(), e.to_string().c_str());
    return std::nullopt;
  }
  return parse.scenario;
}

namespace {

bool parse_number(const char* text, double& out) {
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text, &end);
  return end && *end == 0 && end != text && errno == 0;
}

}  // namespace

int cmd_run(int argc, char** argv) {
  std::string path, report_path;
  bool have_seed = false, with_series = false;
  uint64_t seed = 0;
  double duration_s = -1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      char* end = nullptr;
      errno = 0;
      seed = std::strtoull(argv[++i], &end, 10);
      if (!end || *end || errno || argv[i][0] == '-') {
        std::fprintf(stderr, "run: --seed must be a whole number from 0 to 18446744073709551615, got \"%s\"\n", argv[i]);
        return exit_invalid;
      }
      have_seed = true;
    } else if (arg == "--duration-s" && i + 1 < argc) {
      if (!parse_number(argv[++i], duration_s) || duration_s <= 0 || duration_s > limits::duration_s_max) {
        std::fprintf(stderr, "run: --duration-s must be a number of seconds in (0, 3600], got \"%s\"\n", argv[i]);
        return exit_invalid;
      }
    } else if (arg == "--report" && i + 1 < argc) {
      report_path = argv[++i];
    } else if (arg == "--series") {
      with_series = true;
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      std::fprintf(stderr, "run: unknown option \"%s\"\n", arg.c_str());
      return exit_invalid;
    } else if (path.empty()) {
      path = arg;
    } else {
      std::fprintf(stderr, "run: only one scenario file, got \"%s\" too\n", arg.c_str());
      return exit_invalid;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "run: give a scenario file (or - for standard input)\n");
    return exit_invalid;
  }
  std::optional<Scenario> scenario = load_scenario(path);
  if (!scenario) return exit_invalid;
  if (have_seed) scenario->seed = seed;
  if (duration_s > 0) scenario->duration_s = duration_s;
  Simulation simulation(*scenario);
  simulation.run_to_end();
  std::string text = simulation.report(with_series).dump(2) + "\n";
  if (!report_path.empty()) return write_file(report_path, text) ? exit_ok : exit_internal;
  std::fwrite(text.data(), 1, text.size(), stdout);
  return exit_ok;
}

int cmd_validate(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "validate: give exactly one scenario file\n");
    return exit_invalid;
  }
  std::optional<Scenario> scenario = load_scenario(argv[1]);
  if (!scenario) return exit_invalid;
  std::printf("%s: valid (\"%s\")\n", argv[1], scenario->name.c_str());
  return exit_ok;
}

}  // namespace pg::cli
