// The PNG writer (engine/codec/png.hpp): its checksums against published values, its chunks read back (length,
// type, CRC), and its image data inflated back to the rows it was given.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "engine/codec/deflate.hpp"
#include "engine/codec/png.hpp"

namespace {

uint32_t be32(const std::string& bytes, size_t at) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | (uint8_t)bytes[at + i];
  return value;
}

struct Chunk {
  std::string type, data;
  uint32_t crc = 0;
};

std::vector<Chunk> chunks_of(const std::string& png) {
  std::vector<Chunk> out;
  for (size_t at = 8; at + 12 <= png.size();) {
    const uint32_t length = be32(png, at);
    Chunk chunk{png.substr(at + 4, 4), png.substr(at + 8, length), be32(png, at + 8 + length)};
    out.push_back(chunk);
    at += 12 + length;
  }
  return out;
}

}  // namespace

TEST_CASE("png checksums match published values", "[png]") {
  CHECK(pg::crc32("") == 0u);
  CHECK(pg::crc32("123456789") == 0xCBF43926u);   // the CRC-32 check value (ITU-T V.42, zlib)
  CHECK(pg::crc32("IEND") == 0xAE426082u);        // the CRC every PNG's IEND chunk ends with
  CHECK(pg::crc32("6789", pg::crc32("12345")) == 0xCBF43926u);   // continued over two pieces
  CHECK(pg::adler32("") == 1u);
  CHECK(pg::adler32("Wikipedia") == 0x11E60398u);   // RFC 1950's checksum, the worked example on Wikipedia
  CHECK(pg::adler32("123456789") == 0x091E01DEu);
}

TEST_CASE("png_1bit writes a valid grayscale PNG whose rows inflate back", "[png]") {
  const int width = 13, height = 3;   // not a multiple of 8: the last byte of each row is padded
  std::vector<uint8_t> white((size_t)(width * height), 0);
  for (int x = 0; x < width; ++x) white[(size_t)x] = 1;                 // row 0 white
  for (int x = 0; x < width; x += 2) white[(size_t)(2 * width + x)] = 1;   // row 2 alternating
  const std::string png = pg::png_1bit(white, width, height);
  REQUIRE(png.substr(0, 8) == std::string("\x89PNG\r\n\x1a\n", 8));
  const std::vector<Chunk> chunks = chunks_of(png);
  REQUIRE(chunks.size() == 3);
  CHECK(chunks[0].type == "IHDR");
  CHECK(chunks[1].type == "IDAT");
  CHECK(chunks[2].type == "IEND");
  for (const Chunk& chunk : chunks) CHECK(chunk.crc == pg::crc32(chunk.type + chunk.data));
  CHECK(be32(chunks[0].data, 0) == (uint32_t)width);
  CHECK(be32(chunks[0].data, 4) == (uint32_t)height);
  CHECK(chunks[0].data.substr(8) == std::string("\x01\x00\x00\x00\x00", 5));   // 1 bit, grayscale
  const std::string& zlib = chunks[1].data;
  CHECK(((uint8_t)zlib[0] * 256 + (uint8_t)zlib[1]) % 31 == 0);   // the zlib header's check bits
  const pg::InflateResult rows = pg::inflate_raw(zlib.substr(2, zlib.size() - 6), 1 << 20);
  REQUIRE(rows.ok());
  CHECK(rows.output == std::string("\x00\xff\xf8\x00\x00\x00\x00\xaa\xa8", 9));
  CHECK(be32(zlib, zlib.size() - 4) == pg::adler32(rows.output));
}

TEST_CASE("qr_png draws the modules black on white inside a 4-module quiet zone", "[png][qr]") {
  const pg::QrEncode encoded = pg::qr_encode("https://example.org/", pg::QrEcc::M);
  REQUIRE(encoded.ok);
  const pg::QrCode& code = encoded.code;
  const int scale = pg::qr_png_scale(code);
  CHECK(scale >= 4);
  const int side = (code.size + 8) * scale;
  CHECK(side <= 1024);
  const std::vector<Chunk> chunks = chunks_of(pg::qr_png(code, scale));
  REQUIRE(chunks.size() == 3);
  CHECK(be32(chunks[0].data, 0) == (uint32_t)side);
  const std::string& zlib = chunks[1].data;
  const pg::InflateResult rows = pg::inflate_raw(zlib.substr(2, zlib.size() - 6), 1 << 22);
  REQUIRE(rows.ok());
  const size_t row_bytes = ((size_t)side + 7) / 8 + 1;
  REQUIRE(rows.output.size() == row_bytes * (size_t)side);
  auto white = [&](int x, int y) { return ((uint8_t)rows.output[(size_t)y * row_bytes + 1 + (size_t)x / 8] >> (7 - x % 8)) & 1; };
  for (int my = -4; my < code.size + 4; ++my)
    for (int mx = -4; mx < code.size + 4; ++mx) {
      const bool dark = mx >= 0 && my >= 0 && mx < code.size && my < code.size && code.dark(mx, my);
      const int px = (mx + 4) * scale + scale / 2, py = (my + 4) * scale + scale / 2;
      CHECK(white(px, py) == (dark ? 0 : 1));
    }
}
