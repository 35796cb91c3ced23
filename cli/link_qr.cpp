// playground-cli link qr: the QR code of a scenario's share link (or of any text) as a PNG, with the page's encoder
// (engine/codec/qr.hpp: level M, L when M cannot hold it) and PNG writer, so a handout or a slide can carry the code.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/builtin.hpp"
#include "cli/cli.hpp"
#include "engine/codec/link.hpp"
#include "engine/codec/png.hpp"
#include "engine/codec/qr.hpp"

namespace pg::cli {

namespace {

const char* qr_usage =
    "usage: playground-cli link qr SCENARIO.json [--base URL] [--full] --out FILE.png [--scale N]\n"
    "       playground-cli link qr --text TEXT --out FILE.png [--scale N]\n"
    "  writes the QR code of the scenario's share link (the shortest, as link encode prints it; --full: the\n"
    "  self-contained one) or of TEXT as a PNG, N pixels per module (default: about\n"
    "  1,000 pixels wide), and prints its version, level and size\n";

struct QrOptions {
  std::string path, base, text, out;
  bool have_base = false, have_text = false, full = false;
  int scale = 0;
};

// Fills `options` from the arguments; false (with a message) on an unknown or missing one.
bool parse_qr_options(int argc, char** argv, QrOptions& options) {
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--full") {
      options.full = true;
    } else if (arg == "--base" && has_value) {
      options.base = argv[++i];
      options.have_base = true;
    } else if (arg == "--text" && has_value) {
      options.text = argv[++i];
      options.have_text = true;
    } else if (arg == "--out" && has_value) {
      options.out = argv[++i];
    } else if (arg == "--scale" && has_value) {
      options.scale = std::atoi(argv[++i]);
    } else if (!arg.empty() && arg[0] == '-' && arg != "-") {
      std::fprintf(stderr, "link qr: unknown option \"%s\"\n%s", arg.c_str(), qr_usage);
      return false;
    } else if (options.path.empty()) {
      options.path = arg;
    } else {
      std::fprintf(stderr, "link qr: only one scenario file, got \"%s\" too\n", arg.c_str());
      return false;
    }
  }
  const char* problem = options.out.empty()                       ? "give the PNG file to write with --out"
                        : options.path.empty() == !options.have_text ? "give a scenario file or --text, one of them"
                        : options.scale < 0 || options.scale > 64   ? "--scale must be 1..64 pixels per module"
                                                                    : nullptr;
  if (problem) std::fprintf(stderr, "link qr: %s\n%s", problem, qr_usage);
  return problem == nullptr;
}

}  // namespace

int link_qr(int argc, char** argv) {
  QrOptions options;
  if (!parse_qr_options(argc, argv, options)) return exit_invalid;
  std::string text = options.text;
  if (!options.have_text) {
    std::optional<Scenario> scenario = load_scenario(options.path);
    if (!scenario) return exit_invalid;
    const LinkEncode link =
        options.full ? encode_link(*scenario) : encode_shortest_link(*scenario, builtin_link_bases());
    if (!link.ok()) {
      std::fprintf(stderr, "%s: %s\n", options.path.c_str(), link.error.c_str());
      return exit_invalid;
    }
    text = options.have_base ? link_url(options.base, link.fragment) : link.fragment;
  }
  const QrEncode encoded = qr_encode_link(text);
  if (!encoded.ok) {
    std::fprintf(stderr, "link qr: %s\n", encoded.message.c_str());
    return exit_invalid;
  }
  const QrCode& code = encoded.code;
  const int scale = options.scale > 0 ? options.scale : qr_png_scale(code);
  if (!write_file(options.out, qr_png(code, scale))) return exit_internal;
  std::printf("%s: version %d-%s, mask %d, %dx%d modules, %d pixels wide, %zu characters\n", options.out.c_str(),
              code.version, qr_ecc_name(code.ecc), code.mask, code.size, code.size, (code.size + 8) * scale,
              text.size());
  return exit_ok;
}

}  // namespace pg::cli
