// Helpers shared by the unit tests: loading scenarios from the repository, running them, reading JSON paths.
#pragma once
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/scenario/scenario.hpp"
#include "engine/run/simulation.hpp"

namespace pg::test {

// Every scenario file of the repository (the built-in library and tests/scenarios), as relative paths, sorted.
inline std::vector<std::string> repository_scenarios() {
  std::vector<std::string> files;
  for (const char* folder : {"scenarios", "tests/scenarios"}) {
    std::filesystem::path dir = std::filesystem::path(PLAYGROUND_SOURCE_DIR) / folder;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
      if (entry.path().extension() == ".json" && entry.path().filename() != "index.json")
        files.push_back(std::string(folder) + "/" + entry.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline std::string read_text(const std::string& relative_path) {
  std::ifstream in(std::string(PLAYGROUND_SOURCE_DIR) + "/" + relative_path, std::ios::binary);
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

inline Scenario parse_or_fail(const std::string& text) {
  ScenarioParse parse = parse_scenario(text);
  for (const ValidationError& e : parse.errors) UNSCOPED_INFO(e.to_string());
  REQUIRE(parse.ok());
  return parse.scenario;
}

inline Scenario load(const std::string& relative_path) {
  INFO(relative_path);
  return parse_or_fail(read_text(relative_path));
}

// Mean and standard error of a set of replication results.
struct Replications {
  std::vector<double> values;
  void add(double v) { values.push_back(v); }
  double mean() const {
    double s = 0;
    for (double v : values) s += v;
    return s / (double)values.size();
  }
  double standard_error() const {
    double m = mean(), s = 0;
    for (double v : values) s += (v - m) * (v - m);
    return std::sqrt(s / (double)(values.size() - 1) / (double)values.size());
  }
};

inline double factorial(int n) {
  double f = 1;
  for (int i = 2; i <= n; ++i) f *= i;
  return f;
}

// Erlang C: the probability that an arrival waits in M/M/c, with offered load a = lambda / mu (a < c).
inline double erlang_c(int c, double a) {
  double sum = 0;
  for (int k = 0; k < c; ++k) sum += std::pow(a, k) / factorial(k);
  double top = std::pow(a, c) / factorial(c) * c / (c - a);
  return top / (sum + top);
}

}  // namespace pg::test
