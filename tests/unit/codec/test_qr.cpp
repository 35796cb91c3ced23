// The QR code encoder (engine/codec/qr.hpp) against published facts of ISO/IEC 18004: the format and version
// information words, the alignment pattern table, the byte-mode capacity table, a Reed-Solomon example, and the
// structure every symbol must have (finders, timing, the dark module, the format words read back).
#include <catch2/catch.hpp>

#include <bitset>
#include <string>
#include <vector>

#include "engine/codec/qr.hpp"

namespace {

uint32_t bits_of(const char* text) { return (uint32_t)std::stoul(text, nullptr, 2); }

// The link-like text of n characters the capacity tests encode (the characters of a share link's payload).
std::string link_text(size_t n) {
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out = "https://example.org/#s=1.";
  for (size_t i = 0; out.size() < n; ++i) out += alphabet[(i * 37 + i / 64) % alphabet.size()];
  out.resize(n);
  return out;
}

// The 15 format bits as a reader finds them: around the top-left finder, and in the second copy.
uint32_t read_format(const pg::QrCode& code, bool second_copy) {
  uint32_t bits = 0;
  auto put = [&](int i, int x, int y) { bits |= (code.dark(x, y) ? 1u : 0u) << i; };
  const int size = code.size;
  if (!second_copy) {
    for (int i = 0; i <= 5; ++i) put(i, 8, i);
    put(6, 8, 7);
    put(7, 8, 8);
    put(8, 7, 8);
    for (int i = 9; i < 15; ++i) put(i, 14 - i, 8);
  } else {
    for (int i = 0; i < 8; ++i) put(i, size - 1 - i, 8);
    for (int i = 8; i < 15; ++i) put(i, 8, size - 15 + i);
  }
  return bits;
}

}  // namespace

TEST_CASE("qr format information words match the standard's table", "[qr]") {
  // ISO/IEC 18004 Annex C, Table C.1: the 32 format words (level and mask, after the XOR with 101010000010010).
  const char* table[4][8] = {
      {"111011111000100", "111001011110011", "111110110101010", "111100010011101", "110011000101111",
       "110001100011000", "110110001000001", "110100101110110"},
      {"101010000010010", "101000100100101", "101111001111100", "101101101001011", "100010111111001",
       "100000011001110", "100111110010111", "100101010100000"},
      {"011010101011111", "011000001101000", "011111100110001", "011101000000110", "010010010110100",
       "010000110000011", "010111011011010", "010101111101101"},
      {"001011010001001", "001001110111110", "001110011100111", "001100111010000", "000011101100010",
       "000001001010101", "000110100001100", "000100000111011"}};
  const pg::QrEcc levels[] = {pg::QrEcc::L, pg::QrEcc::M, pg::QrEcc::Q, pg::QrEcc::H};
  for (int l = 0; l < 4; ++l)
    for (int mask = 0; mask < 8; ++mask) {
      INFO(pg::qr_ecc_name(levels[l]) << " mask " << mask);
      CHECK(pg::qr_format_bits(levels[l], mask) == bits_of(table[l][mask]));
    }
  // BCH(15,5): any two of the 32 words differ in at least 7 bits, which is what lets a reader correct 3.
  std::vector<uint32_t> words;
  for (pg::QrEcc ecc : {pg::QrEcc::L, pg::QrEcc::M, pg::QrEcc::Q, pg::QrEcc::H})
    for (int mask = 0; mask < 8; ++mask) words.push_back(pg::qr_format_bits(ecc, mask));
  for (size_t a = 0; a < words.size(); ++a)
    for (size_t b = a + 1; b < words.size(); ++b) CHECK(std::bitset<15>(words[a] ^ words[b]).count() >= 7);
}

TEST_CASE("qr version information words match the standard's table", "[qr]") {
  // ISO/IEC 18004 Annex D, Table D.1.
  CHECK(pg::qr_version_bits(7) == bits_of("000111110010010100"));
  CHECK(pg::qr_version_bits(8) == bits_of("001000010110111100"));
  CHECK(pg::qr_version_bits(9) == bits_of("001001101010011001"));
  CHECK(pg::qr_version_bits(40) == bits_of("101000110001101001"));
}

TEST_CASE("qr alignment pattern centres match the standard's table", "[qr]") {
  // ISO/IEC 18004 Annex E, Table E.1.
  CHECK(pg::qr_alignment_positions(1).empty());
  CHECK(pg::qr_alignment_positions(2) == std::vector<int>{6, 18});
  CHECK(pg::qr_alignment_positions(7) == std::vector<int>{6, 22, 38});
  CHECK(pg::qr_alignment_positions(15) == std::vector<int>{6, 26, 48, 70});
  CHECK(pg::qr_alignment_positions(22) == std::vector<int>{6, 26, 50, 74, 98});
  CHECK(pg::qr_alignment_positions(32) == std::vector<int>{6, 34, 60, 86, 112, 138});
  CHECK(pg::qr_alignment_positions(36) == std::vector<int>{6, 24, 50, 76, 102, 128, 154});
  CHECK(pg::qr_alignment_positions(40) == std::vector<int>{6, 30, 58, 86, 114, 142, 170});
}

TEST_CASE("qr Reed-Solomon codewords match a published example", "[qr]") {
  // "HELLO WORLD" at 1-M: its 16 data codewords and the 10 error correction codewords a published tutorial gives
  // (thonky.com's QR code tutorial, "Error Correction Coding").
  const std::vector<uint8_t> data = {32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17};
  CHECK(pg::qr_reed_solomon(data, 10) == std::vector<uint8_t>{196, 35, 39, 119, 235, 215, 231, 226, 93, 23});
}

TEST_CASE("qr byte capacities match the standard's table", "[qr]") {
  // ISO/IEC 18004 Table 7, 8-bit byte column.
  struct Row { int version; pg::QrEcc ecc; size_t bytes; };
  const Row rows[] = {{1, pg::QrEcc::L, 17},    {1, pg::QrEcc::M, 14},    {1, pg::QrEcc::Q, 11},
                      {1, pg::QrEcc::H, 7},     {9, pg::QrEcc::M, 180},   {10, pg::QrEcc::L, 271},
                      {10, pg::QrEcc::M, 213},  {10, pg::QrEcc::Q, 151},  {10, pg::QrEcc::H, 119},
                      {40, pg::QrEcc::L, 2953}, {40, pg::QrEcc::M, 2331},
                      {40, pg::QrEcc::Q, 1663}, {40, pg::QrEcc::H, 1273}};
  for (const Row& row : rows) {
    INFO("version " << row.version << "-" << pg::qr_ecc_name(row.ecc));
    CHECK(pg::qr_byte_capacity(row.version, row.ecc) == row.bytes);
  }
}

TEST_CASE("qr chooses the smallest version that holds the data, up to 40", "[qr]") {
  for (pg::QrEcc ecc : {pg::QrEcc::L, pg::QrEcc::M}) {
    for (int version : {1, 9, 10, 39, 40}) {
      const size_t capacity = pg::qr_byte_capacity(version, ecc);
      INFO("version " << version << "-" << pg::qr_ecc_name(ecc) << ", capacity " << capacity);
      const pg::QrEncode full = pg::qr_encode(link_text(capacity), ecc);
      REQUIRE(full.ok);
      CHECK(full.code.version == version);
      CHECK(full.code.size == 17 + 4 * version);
      const pg::QrEncode over = pg::qr_encode(link_text(capacity + 1), ecc);
      CHECK(over.ok == (version < 40));
      if (over.ok) CHECK(over.code.version == version + 1);
      else CHECK(over.message.find("at most " + std::to_string(capacity)) != std::string::npos);
    }
  }
  CHECK(pg::qr_encode("", pg::QrEcc::M).code.version == 1);
}

TEST_CASE("qr links use level M, and L only when M cannot hold them", "[qr]") {
  CHECK(pg::qr_encode_link(link_text(2331)).code.ecc == pg::QrEcc::M);
  const pg::QrEncode l = pg::qr_encode_link(link_text(2332));
  REQUIRE(l.ok);
  CHECK(l.code.ecc == pg::QrEcc::L);
  CHECK(pg::qr_byte_capacity(l.code.version - 1, pg::QrEcc::L) < 2332);   // the smallest L version that holds it
  CHECK(pg::qr_byte_capacity(l.code.version, pg::QrEcc::L) >= 2332);
  CHECK(pg::qr_encode_link(link_text(2953)).ok);
  CHECK_FALSE(pg::qr_encode_link(link_text(2954)).ok);
}

TEST_CASE("qr symbols carry the function patterns and their format words", "[qr]") {
  for (int version : {1, 2, 7, 21, 40}) {
    const pg::QrEncode encoded = pg::qr_encode(link_text(pg::qr_byte_capacity(version, pg::QrEcc::M)), pg::QrEcc::M);
    REQUIRE(encoded.ok);
    const pg::QrCode& code = encoded.code;
    INFO("version " << version << ", mask " << code.mask);
    // Finder corners and centres, the separators, the timing patterns, the dark module.
    for (auto [x, y] : {std::pair{0, 0}, {code.size - 1, 0}, {0, code.size - 1}, {3, 3}, {code.size - 4, 3}}) CHECK(code.dark(x, y));
    CHECK_FALSE(code.dark(7, 7));
    CHECK_FALSE(code.dark(1, 1));
    for (int i = 8; i < code.size - 8; ++i) {
      CHECK(code.dark(i, 6) == (i % 2 == 0));
      CHECK(code.dark(6, i) == (i % 2 == 0));
    }
    CHECK(code.dark(8, code.size - 8));
    CHECK(read_format(code, false) == pg::qr_format_bits(pg::QrEcc::M, code.mask));
    CHECK(read_format(code, true) == pg::qr_format_bits(pg::QrEcc::M, code.mask));
  }
}

TEST_CASE("qr mask choice keeps the lowest penalty and is deterministic", "[qr]") {
  const std::string text = link_text(300);
  const pg::QrEncode chosen = pg::qr_encode(text, pg::QrEcc::M);
  REQUIRE(chosen.ok);
  for (int mask = 0; mask < 8; ++mask) {
    const pg::QrEncode forced = pg::qr_encode(text, pg::QrEcc::M, mask);
    REQUIRE(forced.ok);
    CHECK(forced.code.mask == mask);
    CHECK(pg::qr_penalty(chosen.code) <= pg::qr_penalty(forced.code));
    if (mask == chosen.code.mask) CHECK(forced.code.modules == chosen.code.modules);
    else CHECK(forced.code.modules != chosen.code.modules);
  }
  CHECK(pg::qr_encode(text, pg::QrEcc::M).code.modules == chosen.code.modules);
}
