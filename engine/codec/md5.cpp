// MD5 (RFC 1321): 64-byte blocks, four rounds of sixteen operations over a 4-word state, little-endian words.
#include "engine/codec/md5.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace pg {
namespace {

// T[i] = floor(2^32 * |sin(i + 1)|), listed in RFC 1321 section 3.4; written out so no floating point is involved.
constexpr uint32_t sine_table[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};

// Left-rotation amounts per round (RFC 1321 S11..S44), four per round.
constexpr uint32_t rotations[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

constexpr uint32_t rotate_left(uint32_t x, uint32_t n) { return (x << n) | (x >> (32 - n)); }

uint32_t load_le32(const uint8_t* p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) | (uint32_t(p[3]) << 24);
}

}  // namespace

Md5::Md5() : state_{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476} {}

void Md5::process_block(const uint8_t* block) {
  uint32_t words[16];
  for (int i = 0; i < 16; ++i) words[i] = load_le32(block + 4 * i);
  uint32_t a = state_[0], b = state_[1], c = state_[2], d = state_[3];
  for (uint32_t i = 0; i < 64; ++i) {
    const uint32_t round = i / 16;
    uint32_t mixed = 0;
    uint32_t word_index = 0;
    switch (round) {
      case 0: mixed = (b & c) | (~b & d); word_index = i; break;                 // F, words in order
      case 1: mixed = (d & b) | (~d & c); word_index = (5 * i + 1) % 16; break;  // G
      case 2: mixed = b ^ c ^ d; word_index = (3 * i + 5) % 16; break;           // H
      default: mixed = c ^ (b | ~d); word_index = (7 * i) % 16; break;           // I
    }
    const uint32_t sum = a + mixed + sine_table[i] + words[word_index];
    a = d;
    d = c;
    c = b;
    b = b + rotate_left(sum, rotations[round][i % 4]);
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

void Md5::update(const void* data, size_t size) {
  if (finished_) {
    std::fprintf(stderr, "pg::Md5::update called after finish()\n");
    std::abort();
  }
  const auto* bytes = static_cast<const uint8_t*>(data);
  length_bytes_ += size;
  while (size > 0) {
    const size_t take = size < 64 - buffered_ ? size : 64 - buffered_;
    std::memcpy(buffer_ + buffered_, bytes, take);
    buffered_ += take;
    bytes += take;
    size -= take;
    if (buffered_ == 64) {
      process_block(buffer_);
      buffered_ = 0;
    }
  }
}

Md5Digest Md5::finish() {
  // Padding: one 0x80 byte, zeros up to 56 mod 64, then the message length in bits as a little-endian uint64.
  const uint64_t length_bits = length_bytes_ * 8;
  const uint8_t first_pad = 0x80;
  update(&first_pad, 1);
  const uint8_t zero = 0;
  while (buffered_ != 56) update(&zero, 1);
  uint8_t length_le[8];
  for (int i = 0; i < 8; ++i) length_le[i] = uint8_t(length_bits >> (8 * i));
  update(length_le, 8);
  finished_ = true;
  Md5Digest digest{};
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) digest[size_t(4 * i + j)] = uint8_t(state_[i] >> (8 * j));
  return digest;
}

Md5Digest md5(std::string_view text) {
  Md5 hasher;
  hasher.update(text);
  return hasher.finish();
}

std::string md5_hex(const Md5Digest& digest) {
  static constexpr char hex_digits[] = "0123456789abcdef";
  std::string text;
  text.reserve(32);
  for (uint8_t byte : digest) {
    text.push_back(hex_digits[byte >> 4]);
    text.push_back(hex_digits[byte & 15]);
  }
  return text;
}

}  // namespace pg
