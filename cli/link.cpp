// playground-cli link encode / decode: the share links of engine/codec/link.hpp from the command line, so links can be
// made from scenario files (docs, issues) and checked without a browser.
#include <cstdio>
#include <cstring>
#include <string>

#include "cli/builtin.hpp"
#include "cli/cli.hpp"
#include "engine/codec/link.hpp"

namespace pg::cli {
namespace {

const char* link_usage =
    "usage:\n"
    "  playground-cli link encode SCENARIO.json [--base URL] [--full]\n"
    "      prints the shortest share link fragment: #s=b1.<id>.<hash>.<changes> from a built-in scenario when\n"
    "      that is shorter, else #s=1.<data>; --full always prints the self-contained #s=1.<data>\n"
    "      (the full URL with --base)\n"
    "  playground-cli link decode LINK\n"
    "      prints the scenario a link (either form) carries as canonical JSON (LINK may be a URL, a fragment,\n"
    "      or - for stdin)\n"
    "  playground-cli link qr SCENARIO.json [--base URL] [--full] --out FILE.png [--scale N]   (or --text TEXT)\n"
    "      writes the QR code of the share link as a PNG\n";

int link_encode(int argc, char** argv) {
  std::string path, base;
  bool have_base = false, full = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--full") {
      full = true;
    } else if (arg == "--base" && i + 1 < argc) {
      base = argv[++i];
      have_base = true;
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      std::fprintf(stderr, "link encode: unknown option \"%s\"\n%s", arg.c_str(), link_usage);
      return exit_invalid;
    } else if (path.empty()) {
      path = arg;
    } else {
      std::fprintf(stderr, "link encode: only one scenario file, got \"%s\" too\n", arg.c_str());
      return exit_invalid;
    }
  }
  if (path.empty()) {
    std::fprintf(stderr, "link encode: give a scenario file (or - for standard input)\n%s", link_usage);
    return exit_invalid;
  }
  std::optional<Scenario> scenario = load_scenario(path);
  if (!scenario) return exit_invalid;
  LinkEncode link = full ? encode_link(*scenario) : encode_shortest_link(*scenario, builtin_link_bases());
  if (!link.ok()) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), link.error.c_str());
    return exit_invalid;
  }
  std::string text = (have_base ? link_url(base, link.fragment) : link.fragment) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  return exit_ok;
}

int link_decode(int argc, char** argv) {
  if (argc != 1) {
    std::fprintf(stderr, "link decode: give exactly one link\n%s", link_usage);
    return exit_invalid;
  }
  std::string text = argv[0];
  if (text == "-") {
    std::optional<std::string> input = read_file("-");
    if (!input) return exit_invalid;
    text = *input;
  }
  LinkDecode decoded = decode_link(text, &builtin_link_bases());
  if (!decoded.ok()) {
    for (const ValidationError& e : decoded.errors)
      std::fprintf(stderr, "link: %s\n", e.path.empty() ? e.message.c_str() : e.to_string().c_str());
    return exit_invalid;
  }
  std::string out = scenario_to_text(decoded.scenario, 2) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return exit_ok;
}

}  // namespace

const LinkBases& builtin_link_bases() {
  static const LinkBases bases =
      build_link_bases(embedded_scenarios, embedded_scenario_count, embedded_link_files, embedded_link_file_count).bases;
  return bases;
}

int cmd_link(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(link_usage, stderr);
    return exit_invalid;
  }
  std::string sub = argv[1];
  if (sub == "encode") return link_encode(argc - 2, argv + 2);
  if (sub == "decode") return link_decode(argc - 2, argv + 2);
  if (sub == "qr") return link_qr(argc - 2, argv + 2);
  if (sub == "--help" || sub == "-h") {
    std::fputs(link_usage, stdout);
    return exit_ok;
  }
  std::fprintf(stderr, "link: unknown sub-command \"%s\"\n%s", sub.c_str(), link_usage);
  return exit_invalid;
}

}  // namespace pg::cli
