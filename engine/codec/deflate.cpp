// Raw DEFLATE decoder and encoder (RFC 1951); see deflate.hpp. The decoder follows the structure of Mark Adler's
// puff.c (the zlib distribution's reference inflater): canonical Huffman codes decoded bit by bit from per-length
// counts, which is slow-ish but short, and its acceptance rules match zlib's (an incomplete literal/length or
// distance code is allowed only when it has a single one-bit code; the code-length code must be complete).
#include "engine/codec/deflate.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace pg {
namespace {

constexpr int bits_max = 15;              // longest Huffman code
constexpr int literal_length_codes_max = 286;
constexpr int distance_codes_max = 30;
constexpr int fixed_literal_length_codes = 288;
constexpr size_t window_size = 32768;

// Base values and extra bits of the length codes 257..285 and the distance codes 0..29 (RFC 1951 3.2.5).
constexpr std::array<uint16_t, 29> length_base = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<uint8_t, 29> length_extra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                                  2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<uint16_t, 30> distance_base = {1,    2,    3,    4,    5,    7,     9,     13,    17,  25,
                                                    33,   49,   65,   97,   129,  193,   257,   385,   513, 769,
                                                    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<uint8_t, 30> distance_extra = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                                    6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
// Order in which the code-length code's lengths are sent (RFC 1951 3.2.7).
constexpr std::array<uint8_t, 19> code_length_order = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

// A canonical Huffman code: how many codes of each length, and the symbols ordered by code.
struct Huffman {
  std::array<uint16_t, bits_max + 1> count{};
  std::array<uint16_t, fixed_literal_length_codes> symbol{};
};

// Builds the code from symbol lengths. Returns 0 for a complete code (or one with no codes at all), a positive
// number for an incomplete code and a negative number for an over-subscribed one.
int build_huffman(Huffman& h, const uint8_t* lengths, int n) {
  h.count.fill(0);
  for (int s = 0; s < n; ++s) h.count[lengths[s]]++;
  if (h.count[0] == n) return 0;
  int left = 1;
  for (int len = 1; len <= bits_max; ++len) {
    left <<= 1;
    left -= h.count[len];
    if (left < 0) return left;
  }
  std::array<uint16_t, bits_max + 1> offsets{};
  for (int len = 1; len < bits_max; ++len) offsets[len + 1] = (uint16_t)(offsets[len] + h.count[len]);
  for (int s = 0; s < n; ++s)
    if (lengths[s] != 0) h.symbol[offsets[lengths[s]]++] = (uint16_t)s;
  return left;
}

class Inflater {
 public:
  Inflater(std::string_view input, size_t output_max, InflateResult& result)
      : input_(input), output_max_(output_max), result_(result) {}

  void run() {
    int last = 0;
    do {
      if (!bits(1, last)) return;
      int type = 0;
      if (!bits(2, type)) return;
      bool ok = type == 0 ? stored() : type == 1 ? fixed() : type == 2 ? dynamic() : fail_invalid("invalid block type");
      if (!ok) return;
    } while (!last);
    result_.status = InflateStatus::ok;
    result_.input_used = position_;
  }

 private:
  // Every failing path returns false after setting the status once.
  bool fail(InflateStatus status, const char* message) {
    if (result_.message.empty()) {
      result_.status = status;
      result_.message = message;
    }
    return false;
  }
  bool fail_invalid(const char* message) { return fail(InflateStatus::invalid, message); }
  bool fail_truncated() { return fail(InflateStatus::truncated, "the compressed data ends before its last block"); }

  bool bits(int need, int& out) {
    uint32_t value = bit_buffer_;
    while (bit_count_ < need) {
      if (position_ == input_.size()) return fail_truncated();
      value |= (uint32_t)(uint8_t)input_[position_++] << bit_count_;
      bit_count_ += 8;
    }
    bit_buffer_ = value >> need;
    bit_count_ -= need;
    out = (int)(value & ((1u << need) - 1));
    return true;
  }

  // Decodes one symbol; codes are sent most significant bit first, one bit at a time.
  bool decode(const Huffman& h, int& symbol) {
    int code = 0, first = 0, index = 0;
    for (int len = 1; len <= bits_max; ++len) {
      int bit = 0;
      if (!bits(1, bit)) return false;
      code |= bit;
      int count = h.count[len];
      if (code - count < first) {
        symbol = h.symbol[index + (code - first)];
        return true;
      }
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    return fail_invalid("a Huffman code is not in the block's code table");
  }

  bool emit(char c) {
    if (result_.output.size() >= output_max_) return fail(InflateStatus::too_large, "the output exceeds its limit");
    result_.output.push_back(c);
    return true;
  }

  bool stored() {
    bit_buffer_ = 0;  // the rest of the current byte is padding
    bit_count_ = 0;
    if (input_.size() - position_ < 4) return fail_truncated();
    auto byte = [&](size_t i) { return (unsigned)(uint8_t)input_[position_ + i]; };
    unsigned length = byte(0) | byte(1) << 8;
    unsigned complement = byte(2) | byte(3) << 8;
    position_ += 4;
    if (length != (~complement & 0xffffu)) return fail_invalid("a stored block's length check does not match");
    if (input_.size() - position_ < length) return fail_truncated();
    size_t room = output_max_ - result_.output.size();
    if (length > room) {
      result_.output.append(input_.substr(position_, room));
      return fail(InflateStatus::too_large, "the output exceeds its limit");
    }
    result_.output.append(input_.substr(position_, length));
    position_ += length;
    return true;
  }

  bool codes(const Huffman& literal_length, const Huffman& distance) {
    for (;;) {
      int symbol = 0;
      if (!decode(literal_length, symbol)) return false;
      if (symbol < 256) {
        if (!emit((char)symbol)) return false;
        continue;
      }
      if (symbol == 256) return true;
      symbol -= 257;
      if (symbol >= (int)length_base.size()) return fail_invalid("invalid literal/length code");
      int extra = 0;
      if (!bits(length_extra[(size_t)symbol], extra)) return false;
      size_t length = (size_t)length_base[(size_t)symbol] + (size_t)extra;
      int distance_symbol = 0;
      if (!decode(distance, distance_symbol)) return false;
      if (distance_symbol >= distance_codes_max) return fail_invalid("invalid distance code");
      if (!bits(distance_extra[(size_t)distance_symbol], extra)) return false;
      size_t back = (size_t)distance_base[(size_t)distance_symbol] + (size_t)extra;
      std::string& out = result_.output;
      if (back > out.size()) return fail_invalid("a distance points before the start of the data");
      // Byte by byte: a copy may overlap its own output (distance < length repeats a pattern).
      for (size_t i = 0; i < length; ++i)
        if (!emit(out[out.size() - back])) return false;
    }
  }

  bool fixed() {
    if (!fixed_built_) {
      std::array<uint8_t, fixed_literal_length_codes> lengths{};
      for (int s = 0; s < fixed_literal_length_codes; ++s) lengths[(size_t)s] = s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8;
      build_huffman(fixed_literal_length_, lengths.data(), fixed_literal_length_codes);
      lengths.fill(5);
      build_huffman(fixed_distance_, lengths.data(), distance_codes_max);  // incomplete by design (30 of 32)
      fixed_built_ = true;
    }
    return codes(fixed_literal_length_, fixed_distance_);
  }

  bool dynamic() {
    int literal_count = 0, distance_count = 0, code_count = 0;
    if (!bits(5, literal_count) || !bits(5, distance_count) || !bits(4, code_count)) return false;
    literal_count += 257;
    distance_count += 1;
    code_count += 4;
    if (literal_count > literal_length_codes_max || distance_count > distance_codes_max)
      return fail_invalid("a dynamic block declares too many length or distance codes");
    std::array<uint8_t, literal_length_codes_max + distance_codes_max> lengths{};
    for (int i = 0; i < code_count; ++i) {
      int len = 0;
      if (!bits(3, len)) return false;
      lengths[code_length_order[(size_t)i]] = (uint8_t)len;
    }
    Huffman code_lengths;
    if (build_huffman(code_lengths, lengths.data(), 19) != 0) return fail_invalid("invalid code lengths set");
    int index = 0, total = literal_count + distance_count;
    while (index < total) {
      int symbol = 0;
      if (!decode(code_lengths, symbol)) return false;
      if (symbol < 16) {
        lengths[(size_t)index++] = (uint8_t)symbol;
        continue;
      }
      uint8_t repeated = 0;
      int times = 0;
      if (symbol == 16) {
        if (index == 0) return fail_invalid("a length repeat has no previous length");
        repeated = lengths[(size_t)index - 1];
        if (!bits(2, times)) return false;
        times += 3;
      } else if (symbol == 17) {
        if (!bits(3, times)) return false;
        times += 3;
      } else {
        if (!bits(7, times)) return false;
        times += 11;
      }
      if (index + times > total) return fail_invalid("code length repeats run past the end");
      while (times-- > 0) lengths[(size_t)index++] = repeated;
    }
    if (lengths[256] == 0) return fail_invalid("the block has no end-of-block code");
    Huffman literal_length, distance;
    int left = build_huffman(literal_length, lengths.data(), literal_count);
    // zlib (inftrees.c) allows an incomplete code only when it is a single code of length 1.
    auto single_one_bit_code = [](const Huffman& h, int n) { return n - h.count[0] == 1 && h.count[1] == 1; };
    if (left < 0 || (left > 0 && !single_one_bit_code(literal_length, literal_count)))
      return fail_invalid("invalid literal/length code lengths");
    left = build_huffman(distance, lengths.data() + literal_count, distance_count);
    if (left < 0 || (left > 0 && !single_one_bit_code(distance, distance_count)))
      return fail_invalid("invalid distance code lengths");
    return codes(literal_length, distance);
  }

  std::string_view input_;
  size_t output_max_;
  InflateResult& result_;
  size_t position_ = 0;
  uint32_t bit_buffer_ = 0;
  int bit_count_ = 0;
  bool fixed_built_ = false;
  Huffman fixed_literal_length_, fixed_distance_;
};

// ---- encoder ----------------------------------------------------------------------------------------------------

class BitWriter {
 public:
  explicit BitWriter(std::string& out) : out_(out) {}
  void put(uint32_t value, int count) {  // least significant bit first
    buffer_ |= (uint64_t)value << bit_count_;
    bit_count_ += count;
    while (bit_count_ >= 8) {
      out_.push_back((char)(uint8_t)(buffer_ & 0xff));
      buffer_ >>= 8;
      bit_count_ -= 8;
    }
  }
  // Huffman codes are defined most significant bit first: reverse them into the LSB-first stream.
  void put_code(uint32_t code, int length) {
    uint32_t reversed = 0;
    for (int i = 0; i < length; ++i) reversed |= ((code >> i) & 1u) << (length - 1 - i);
    put(reversed, length);
  }
  void flush() {
    if (bit_count_ > 0) put(0, 8 - bit_count_);
  }

 private:
  std::string& out_;
  uint64_t buffer_ = 0;
  int bit_count_ = 0;
};

// The fixed literal/length code of RFC 1951 3.2.6.
void put_fixed_literal_length(BitWriter& w, int symbol) {
  if (symbol < 144) w.put_code(0x30u + (uint32_t)symbol, 8);
  else if (symbol < 256) w.put_code(0x190u + (uint32_t)(symbol - 144), 9);
  else if (symbol < 280) w.put_code((uint32_t)(symbol - 256), 7);
  else w.put_code(0xc0u + (uint32_t)(symbol - 280), 8);
}

void put_match(BitWriter& w, size_t length, size_t distance) {
  size_t l = length_base.size() - 1;
  while (length_base[l] > length) --l;  // 258 takes code 285, not 284 with extra bits
  put_fixed_literal_length(w, 257 + (int)l);
  w.put((uint32_t)(length - length_base[l]), length_extra[l]);
  size_t d = distance_base.size() - 1;
  while (distance_base[d] > distance) --d;
  w.put_code((uint32_t)d, 5);
  w.put((uint32_t)(distance - distance_base[d]), distance_extra[d]);
}

constexpr int hash_bits = 15;
constexpr int chain_max = 128;        // candidates tried per position: bounds the time on repetitive input
constexpr size_t match_min = 3, match_max = 258;

uint32_t hash3(const uint8_t* p) {
  uint32_t v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
  return (v * 2654435761u) >> (32 - hash_bits);
}

}  // namespace

InflateResult inflate_raw(std::string_view input, size_t output_max) {
  InflateResult result;
  Inflater(input, output_max, result).run();
  if (!result.ok()) {
    if (result.status == InflateStatus::too_large)
      result.message = "the data decompresses to more than " + std::to_string(output_max) + " bytes";
  }
  return result;
}

std::string deflate_raw(std::string_view input) {
  if (input.size() > (size_t)INT32_MAX) {
    std::fprintf(stderr, "deflate_raw: input of %zu bytes is larger than 2 GiB\n", input.size());
    std::abort();
  }
  const auto* data = reinterpret_cast<const uint8_t*>(input.data());
  const size_t n = input.size();
  std::string out;
  out.reserve(n / 3 + 16);
  BitWriter w(out);
  w.put(1, 1);  // BFINAL: one block
  w.put(1, 2);  // BTYPE 01: fixed Huffman codes
  std::vector<int32_t> head((size_t)1 << hash_bits, -1);
  std::vector<int32_t> previous(n, -1);
  auto insert = [&](size_t i) {
    if (i + match_min > n) return;
    uint32_t h = hash3(data + i);
    previous[i] = head[h];
    head[h] = (int32_t)i;
  };
  size_t i = 0;
  while (i < n) {
    size_t best_length = 0, best_distance = 0;
    if (i + match_min <= n) {
      size_t limit = std::min(match_max, n - i);
      int32_t candidate = head[hash3(data + i)];
      for (int tries = 0; candidate >= 0 && tries < chain_max; ++tries) {
        size_t distance = i - (size_t)candidate;
        if (distance > window_size) break;
        size_t length = 0;
        while (length < limit && data[(size_t)candidate + length] == data[i + length]) ++length;
        if (length > best_length) {
          best_length = length;
          best_distance = distance;
          if (length == limit) break;
        }
        candidate = previous[(size_t)candidate];
      }
    }
    if (best_length >= match_min) {
      put_match(w, best_length, best_distance);
      for (size_t k = 0; k < best_length; ++k) insert(i + k);
      i += best_length;
    } else {
      put_fixed_literal_length(w, data[i]);
      insert(i);
      ++i;
    }
  }
  put_fixed_literal_length(w, 256);
  w.flush();
  return out;
}

}  // namespace pg
