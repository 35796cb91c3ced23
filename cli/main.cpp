// playground-cli: runs scenarios headless and prints the same report the browser computes.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "cli/cli.hpp"
#include "cli/place.hpp"
#include "engine/scenario/schema.hpp"


namespace {

const char* usage =
    "playground-cli " PLAYGROUND_VERSION " - the shop architecture playground, headless\n"
    "\n"
    "usage:\n"
    "  playground-cli run SCENARIO.json [--seed N] [--duration-s S] [--report FILE] [--series]\n"
    "      runs the scenario and prints the report (JSON) on stdout, or writes it to FILE\n"
    "  playground-cli validate [--cost] SCENARIO.json\n"
    "      checks the scenario and prints every error with its JSON path; --cost also estimates the run's work\n"
    "  playground-cli check SUBMISSION.json --exercise EXERCISE.json [--format text|json|gradescope|junit]\n"
    "                       [--seeds N] [--out FILE]\n"
    "      verifies that only the exercise's allowed parameters changed, runs it and prints each goal\n"
    "      (--seeds N: a goal passes only when it holds on each of N seeds from the submission's own)\n"
    "  playground-cli grade DIR --exercise EXERCISE.json [--format csv|json] [--summary] [--seeds N] [--out FILE]\n"
    "      checks every DIR/*.json and prints a CSV of submissions x goals (--summary: passes per goal)\n"
    "  playground-cli grade --course COURSE.json DIR [--format csv|json] [--summary] [--out FILE]\n"
    "      grades DIR/<exercise>/*.json for every exercise of the course\n"
    "  playground-cli compare A.json B.json [--seeds N] [--seed-base S] [--metric PATH]... [--json]\n"
    "                         [--b-seed-offset K]\n"
    "      runs A and B under seeds S..S+N-1 (default 1..10; B under seed+K) and prints per metric both means and\n"
    "      the mean paired difference B-A with its 95% confidence half-width (default metrics: every request's\n"
    "      latency_ms.mean and latency_ms.p99)\n"
    "  playground-cli sweep SCENARIO.json --param PATH --values V1,V2,... [--seeds N] [--seed-base S]\n"
    "                       [--metric PATH]... [--jobs J] [--summary]\n"
    "      sets the field at PATH (/services/order/workers) to each value and prints CSV value,seed,<metric>...\n"
    "      (--summary: value,<metric>_mean,<metric>_ci95 per value; --jobs: runs in J threads, same output)\n"
    "  playground-cli autograder EXERCISE.json --out DIR [--cli-js PATH]\n"
    "      writes a Gradescope autograder folder and a GitHub Classroom workflow for the exercise\n"
    "  playground-cli link encode SCENARIO.json [--base URL] [--full]\n"
    "      prints the shortest share link for the scenario (a built-in plus changes, or #s=1.<data>;\n"
    "      --full: always #s=1.<data>; the full URL with --base)\n"
    "  playground-cli link decode LINK\n"
    "      prints the scenario a share link (either form) carries (canonical JSON); LINK may be a URL, a fragment or -\n"
    "  playground-cli link qr SCENARIO.json [--base URL] [--full] --out FILE.png [--scale N]   (or --text TEXT)\n"
    "      writes the QR code of the scenario's share link (or of TEXT) as a PNG\n"
    "  playground-cli place --algorithm A --nodes a,b,c [...]   (see place --help)\n"
    "      prints key<TAB>node for keys read from stdin, or balance tables with --stats\n"
    "  playground-cli schema\n"
    "      prints the scenario's JSON Schema (draft 2020-12), made from the engine's field tables\n"
    "  playground-cli --version | --help\n"
    "\n"
    "exit codes: 0 ok, 1 internal error, 2 invalid input, 3 goals failed, 4 stopped by the work budget\n";

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc < 2) {
      std::fputs(usage, stderr);
      return pg::cli::exit_invalid;
    }
    std::string command = argv[1];
    if (command == "--help" || command == "-h" || command == "help") {
      std::fputs(usage, stdout);
      return pg::cli::exit_ok;
    }
    if (command == "--version" || command == "version") {
      std::printf("playground-cli %s (scenario version %d)\n", PLAYGROUND_VERSION, pg::scenario_version);
      return pg::cli::exit_ok;
    }
    if (command == "run") return pg::cli::cmd_run(argc - 1, argv + 1);
    if (command == "validate") return pg::cli::cmd_validate(argc - 1, argv + 1);
    if (command == "check") return pg::cli::cmd_check(argc - 1, argv + 1);
    if (command == "grade") return pg::cli::cmd_grade(argc - 1, argv + 1);
    if (command == "autograder") return pg::cli::cmd_autograder(argc - 1, argv + 1);
    if (command == "compare") return pg::cli::cmd_compare(argc - 1, argv + 1);
    if (command == "sweep") return pg::cli::cmd_sweep(argc - 1, argv + 1);
    if (command == "link") return pg::cli::cmd_link(argc - 1, argv + 1);
    if (command == "place") return cli_place(argc - 1, argv + 1);
    if (command == "schema") {
      std::fputs((pg::scenario_schema().dump(2) + "\n").c_str(), stdout);
      return pg::cli::exit_ok;
    }
    std::fprintf(stderr, "playground-cli: unknown command \"%s\"\n\n%s", command.c_str(), usage);
    return pg::cli::exit_invalid;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "playground-cli: internal error: %s\n", e.what());
    return pg::cli::exit_internal;
  }
}
