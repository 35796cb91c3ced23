// QR codes decode back to their text with an independent reader: zbar's zbarimg (Debian's zbar-tools, installed by
// scripts/install-deps.sh) reads the PNGs our encoder and PNG writer make, for links from a few characters up to
// what version 40 holds at levels M and L, and for every version and every mask once.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "engine/codec/png.hpp"
#include "engine/codec/qr.hpp"

namespace {

bool have_zbarimg() { return std::system("command -v zbarimg >/dev/null 2>&1") == 0; }

// A share-link-like text of exactly n characters, different for every n.
std::string link_of_length(size_t n) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "http://127.0.0.1:8080/#s=1.";
  uint32_t state = (uint32_t)n * 2654435761u + 1;
  while (out.size() < n) {
    state = state * 1103515245u + 12345u;
    out += alphabet[(state >> 16) % alphabet.size()];
  }
  out.resize(n);
  return out;
}

// What zbarimg reads from the PNG (its trailing newline removed); "" when it finds no code.
std::string zbar_read(const std::string& png, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "playground-qr-test";
  std::filesystem::create_directories(dir);
  const std::filesystem::path file = dir / (name + ".png");
  std::ofstream(file, std::ios::binary) << png;
  const std::string command = "zbarimg --raw -q -Sdisable -Sqrcode.enable '" + file.string() + "' 2>/dev/null";
  std::string out;
  if (FILE* pipe = popen(command.c_str(), "r")) {
    char buffer[4096];
    for (size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, got);
    pclose(pipe);
  }
  std::filesystem::remove(file);
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace

TEST_CASE("qr links of every length class decode with zbarimg", "[qr][zbar]") {
  if (!have_zbarimg()) {
    WARN("SKIPPED: zbarimg not found (Debian package zbar-tools; scripts/install-deps.sh installs it)");
    return;
  }
  for (size_t length : {1u, 30u, 120u, 1000u, 2000u, 2331u, 2332u, 2600u, 2953u}) {
    const std::string text = link_of_length(length);
    const pg::QrEncode encoded = pg::qr_encode_link(text);
    REQUIRE(encoded.ok);
    INFO(length << " characters: version " << encoded.code.version << "-" << pg::qr_ecc_name(encoded.code.ecc)
                << ", mask " << encoded.code.mask);
    CHECK(zbar_read(pg::qr_png(encoded.code, pg::qr_png_scale(encoded.code)), "length-" + std::to_string(length)) ==
          text);
  }
}

TEST_CASE("qr symbols of every version at M and L, and every mask, decode with zbarimg", "[qr][zbar]") {
  if (!have_zbarimg()) {
    WARN("SKIPPED: zbarimg not found (Debian package zbar-tools; scripts/install-deps.sh installs it)");
    return;
  }
  for (pg::QrEcc ecc : {pg::QrEcc::M, pg::QrEcc::L}) {
    for (int version = 1; version <= 40; ++version) {
      // Full to the last byte, with the mask cycling through all eight as the versions go up.
      const std::string text = link_of_length(pg::qr_byte_capacity(version, ecc));
      const pg::QrEncode encoded = pg::qr_encode(text, ecc, (version + (int)ecc) % 8);
      REQUIRE(encoded.ok);
      REQUIRE(encoded.code.version == version);
      INFO("version " << version << "-" << pg::qr_ecc_name(ecc) << ", mask " << encoded.code.mask);
      std::string name = "version-";
      name += std::to_string(version);
      CHECK(zbar_read(pg::qr_png(encoded.code, 3), name) == text);
    }
  }
}
