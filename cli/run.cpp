// playground-cli run / validate.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include <sys/stat.h>

#include "cli/cli.hpp"
#include "engine/scenario/number_text.hpp"
#include "engine/scenario/cost.hpp"
#include "engine/run/simulation.hpp"

namespace pg::cli {

std::optional<std::string> read_file(const std::string& path, size_t limit) {
  // At most limit + 1 bytes are read, so /dev/zero, a pipe that never ends or a huge file ends promptly.
  const bool is_stdin = path == "-";
  const char* name = is_stdin ? "standard input" : "the file";
  if (!is_stdin) {
    struct stat info;
    if (stat(path.c_str(), &info) != 0) {
      std::fprintf(stderr, "%s: cannot open: %s\n", path.c_str(), std::strerror(errno));
      return std::nullopt;
    }
    if (S_ISDIR(info.st_mode)) {
      std::fprintf(stderr, "%s: is a directory, not a scenario file\n", path.c_str());
      return std::nullopt;
    }
  }
  std::FILE* in = is_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (!in) {
    std::fprintf(stderr, "%s: cannot open: %s\n", path.c_str(), std::strerror(errno));
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  bool failed = false;
  while (text.size() <= limit) {
    size_t want = std::min(sizeof buffer, limit + 1 - text.size());
    size_t got = std::fread(buffer, 1, want, in);
    text.append(buffer, got);
    if (got < want) {
      failed = std::ferror(in) != 0;
      break;
    }
  }
  int read_errno = errno;
  if (!is_stdin) std::fclose(in);
  if (failed) {
    std::fprintf(stderr, "%s: cannot read: %s\n", path.c_str(), std::strerror(read_errno));
    return std::nullopt;
  }
  if (text.size() > limit) {
    std::fprintf(stderr, "%s: %s is larger than %zu bytes, the limit for a scenario document\n", path.c_str(), name,
                 limit);
    return std::nullopt;
  }
  return text;
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

int cmd_run(int argc, char** argv) {
  std::string path, report_path;
  bool have_seed = false, with_series = false;
  uint64_t seed = 0;
  double duration_s = -1;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--seed" && i + 1 < argc) {
      std::optional<uint64_t> value = parse_whole_text(argv[++i], 0, UINT64_MAX);
      if (!value) {
        std::fprintf(stderr, "run: --seed must be a whole number from 0 to 18446744073709551615, got \"%s\"\n", argv[i]);
        return exit_invalid;
      }
      seed = *value;
      have_seed = true;
    } else if (arg == "--duration-s" && i + 1 < argc) {
      // The same range as the scenario's duration_s.
      std::optional<double> value = parse_decimal_text(argv[++i], 0.001, limits::duration_s_max);
      if (!value) {
        std::fprintf(stderr, "run: --duration-s must be a decimal number of seconds from 0.001 to 3600, got \"%s\"\n",
                     argv[i]);
        return exit_invalid;
      }
      duration_s = *value;
    } else if ((arg == "--seed" || arg == "--duration-s" || arg == "--report") && i + 1 >= argc) {
      std::fprintf(stderr, "run: %s needs a value\n", arg.c_str());
      return exit_invalid;
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
  if (!report_path.empty()) {
    if (!write_file(report_path, text)) return exit_internal;
  } else {
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  if (simulation.stopped_by_budget()) {
    // The report (with its "stopped" field) is still printed: it is what the run did up to that event.
    std::fprintf(stderr, "%s: stopped by the work budget: %s\n", path.c_str(), simulation.budget_message().c_str());
    return exit_stopped;
  }
  return exit_ok;
}

int cmd_validate(int argc, char** argv) {
  std::string path;
  bool cost = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--cost") cost = true;
    else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      std::fprintf(stderr, "validate: unknown option \"%s\"\n", arg.c_str());
      return exit_invalid;
    } else if (path.empty()) path = arg;
    else {
      std::fprintf(stderr, "validate: give exactly one scenario file\n");
      return exit_invalid;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "validate: give exactly one scenario file (or - for standard input)\n");
    return exit_invalid;
  }
  std::optional<Scenario> scenario = load_scenario(path);
  if (!scenario) return exit_invalid;
  std::printf("%s: valid (\"%s\")\n", path.c_str(), scenario->name.c_str());
  if (cost) {
    CostEstimate estimate = estimate_cost(*scenario);
    for (const std::string& line : estimate.summary) std::printf("%s: cost: %s\n", path.c_str(), line.c_str());
    for (const std::string& line : estimate.warnings) std::printf("%s: warning: %s\n", path.c_str(), line.c_str());
  }
  return exit_ok;
}

}  // namespace pg::cli
