// QR code encoder (see qr.hpp). The steps follow ISO/IEC 18004 in order: data bits (mode, count, bytes, terminator,
// padding), Reed-Solomon blocks and their interleaving, function patterns, codeword placement in the two-column
// zigzag, then each of the eight masks scored by the penalty rules and the lowest kept.
#include "engine/codec/qr.hpp"

#include <algorithm>
#include <cstdlib>

namespace pg {

namespace {

// Error correction codewords per block and number of blocks, per level (L, M, Q, H) and version (index 0 unused):
// ISO/IEC 18004 Table 9. The data codewords per block follow from the symbol's total (raw_codewords).
constexpr int8_t ecc_per_block[4][41] = {
    {-1, 7,  10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
     28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
     26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28},
    {-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
     28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
    {-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
     30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30},
};
constexpr int8_t block_count[4][41] = {
    {-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
     8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25},
    {-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
     17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49},
    {-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
     23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68},
    {-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
     25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81},
};

int level(QrEcc ecc) { return (int)ecc; }
int symbol_size(int version) { return 17 + 4 * version; }

// Modules left for codewords once the function patterns (finders with separators, timing, alignment, format and
// version information, the dark module) are taken; a multiple of 8 plus 0..7 remainder bits.
int raw_data_modules(int version) {
  const int size = symbol_size(version);
  int modules = size * size - 3 * 64 - 2 * (size - 16) - 31;   // finders+separators, timing, format+dark module
  if (version >= 2) {
    const int n = version / 7 + 2;                              // alignment centres per axis
    modules -= (n * n - 3) * 25;                                // the three at the finders are not drawn
    modules += 2 * (n - 2) * 5;                                 // those on the timing rows share 5 modules each
  }
  if (version >= 7) modules -= 2 * 18;
  return modules;
}
int raw_codewords(int version) { return raw_data_modules(version) / 8; }
int data_codewords(int version, QrEcc ecc) {
  return raw_codewords(version) - ecc_per_block[level(ecc)][version] * block_count[level(ecc)][version];
}
int count_bits(int version) { return version <= 9 ? 8 : 16; }   // byte mode's character count indicator

class BitWriter {
 public:
  void put(uint32_t value, int count) {
    for (int i = count - 1; i >= 0; --i) {
      if (bits_ % 8 == 0) bytes_.push_back(0);
      if ((value >> i) & 1u) bytes_.back() = (uint8_t)(bytes_.back() | (0x80u >> (bits_ % 8)));
      ++bits_;
    }
  }
  size_t bits() const { return bits_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
  size_t bits_ = 0;
};

// Mode 0100 (byte), the count, the bytes, up to four terminator zeros, zeros to a byte boundary, then the pad
// codewords 11101100 and 00010001 in turn up to the version's data capacity.
std::vector<uint8_t> data_bits(std::string_view data, int version, QrEcc ecc) {
  const size_t capacity_bits = (size_t)data_codewords(version, ecc) * 8;
  BitWriter out;
  out.put(0b0100, 4);
  out.put((uint32_t)data.size(), count_bits(version));
  for (char c : data) out.put((uint8_t)c, 8);
  out.put(0, (int)std::min<size_t>(4, capacity_bits - out.bits()));
  if (out.bits() % 8 != 0) out.put(0, (int)(8 - out.bits() % 8));
  for (uint32_t pad = 0xEC; out.bits() < capacity_bits; pad ^= 0xEC ^ 0x11) out.put(pad, 8);
  return out.take();
}

// Splits the data codewords into the version's blocks (the short blocks first, long ones have one data codeword
// more), adds each block's error correction, and interleaves: data codeword i of every block, then ecc codeword i.
std::vector<uint8_t> interleave(const std::vector<uint8_t>& data, int version, QrEcc ecc) {
  const int blocks = block_count[level(ecc)][version];
  const int ecc_len = ecc_per_block[level(ecc)][version];
  const int total = raw_codewords(version);
  const int short_blocks = blocks - total % blocks;
  const int short_data = total / blocks - ecc_len;
  std::vector<std::vector<uint8_t>> data_blocks, ecc_blocks;
  size_t at = 0;
  for (int b = 0; b < blocks; ++b) {
    const size_t length = (size_t)(short_data + (b < short_blocks ? 0 : 1));
    data_blocks.emplace_back(data.begin() + (std::ptrdiff_t)at, data.begin() + (std::ptrdiff_t)(at + length));
    ecc_blocks.push_back(qr_reed_solomon(data_blocks.back(), ecc_len));
    at += length;
  }
  std::vector<uint8_t> out;
  out.reserve((size_t)total);
  for (int i = 0; i <= short_data; ++i)
    for (const auto& block : data_blocks)
      if ((size_t)i < block.size()) out.push_back(block[(size_t)i]);
  for (int i = 0; i < ecc_len; ++i)
    for (const auto& block : ecc_blocks) out.push_back(block[(size_t)i]);
  return out;
}

// ---- the symbol's grid -----------------------------------------------------------------------------------------

struct Grid {
  int size = 0;
  std::vector<uint8_t> dark, function;   // function: a pattern module, never data and never masked
  explicit Grid(int side) : size(side), dark((size_t)side * (size_t)side), function((size_t)side * (size_t)side) {}
  size_t at(int x, int y) const { return (size_t)y * (size_t)size + (size_t)x; }
  void set_function(int x, int y, bool is_dark) {
    dark[at(x, y)] = is_dark ? 1 : 0;
    function[at(x, y)] = 1;
  }
};

// A finder pattern (7x7 rings: dark, light, 3x3 dark) with its light separator, centred at (cx, cy).
void draw_finder(Grid& grid, int cx, int cy) {
  for (int dy = -4; dy <= 4; ++dy)
    for (int dx = -4; dx <= 4; ++dx) {
      const int x = cx + dx, y = cy + dy;
      if (x < 0 || y < 0 || x >= grid.size || y >= grid.size) continue;
      const int ring = std::max(std::abs(dx), std::abs(dy));
      grid.set_function(x, y, ring != 2 && ring != 4);
    }
}

void draw_alignment(Grid& grid, int cx, int cy) {
  for (int dy = -2; dy <= 2; ++dy)
    for (int dx = -2; dx <= 2; ++dx) grid.set_function(cx + dx, cy + dy, std::max(std::abs(dx), std::abs(dy)) != 1);
}

// The 15 format bits, twice: around the top-left finder, and split between the other two (ISO/IEC 18004 7.9).
void draw_format(Grid& grid, uint32_t bits) {
  auto bit = [bits](int i) { return ((bits >> i) & 1u) != 0; };
  const int size = grid.size;
  for (int i = 0; i <= 5; ++i) grid.set_function(8, i, bit(i));
  grid.set_function(8, 7, bit(6));
  grid.set_function(8, 8, bit(7));
  grid.set_function(7, 8, bit(8));
  for (int i = 9; i < 15; ++i) grid.set_function(14 - i, 8, bit(i));
  for (int i = 0; i < 8; ++i) grid.set_function(size - 1 - i, 8, bit(i));
  for (int i = 8; i < 15; ++i) grid.set_function(8, size - 15 + i, bit(i));
  grid.set_function(8, size - 8, true);   // the dark module
}

// The 18 version bits, in a 6x3 block beside the top-right finder and its transpose beside the bottom-left one.
void draw_version(Grid& grid, int version) {
  if (version < 7) return;
  const uint32_t bits = qr_version_bits(version);
  for (int i = 0; i < 18; ++i) {
    const bool is_dark = ((bits >> i) & 1u) != 0;
    const int a = grid.size - 11 + i % 3, b = i / 3;
    grid.set_function(a, b, is_dark);
    grid.set_function(b, a, is_dark);
  }
}

void draw_function_patterns(Grid& grid, int version) {
  const int size = grid.size;
  for (int i = 0; i < size; ++i) {
    grid.set_function(6, i, i % 2 == 0);
    grid.set_function(i, 6, i % 2 == 0);
  }
  draw_finder(grid, 3, 3);
  draw_finder(grid, size - 4, 3);
  draw_finder(grid, 3, size - 4);
  const std::vector<int> centres = qr_alignment_positions(version);
  const size_t last = centres.empty() ? 0 : centres.size() - 1;
  for (size_t i = 0; i < centres.size(); ++i)
    for (size_t j = 0; j < centres.size(); ++j) {
      const bool at_finder = (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0);
      if (!at_finder) draw_alignment(grid, centres[i], centres[j]);
    }
  draw_format(grid, 0);   // reserved now, written once the mask is known
  draw_version(grid, version);
}

// Codeword bits, most significant first, up and down two-column strips from the right edge (column 6, the
// vertical timing pattern, is skipped); the remainder bits past the last codeword stay light.
void place_codewords(Grid& grid, const std::vector<uint8_t>& codewords) {
  const size_t total_bits = codewords.size() * 8;
  size_t i = 0;
  for (int right = grid.size - 1; right >= 1; right -= 2) {
    if (right == 6) right = 5;
    const bool upward = ((right + 1) & 2) == 0;
    for (int step = 0; step < grid.size; ++step) {
      const int y = upward ? grid.size - 1 - step : step;
      for (int column = 0; column < 2; ++column) {
        const int x = right - column;
        if (grid.function[grid.at(x, y)] || i >= total_bits) continue;
        grid.dark[grid.at(x, y)] = (uint8_t)((codewords[i >> 3] >> (7 - (i & 7))) & 1u);
        ++i;
      }
    }
  }
}

// The eight mask conditions of ISO/IEC 18004 Table 10, i the row and j the column.
bool mask_flips(int mask, int j, int i) {
  switch (mask) {
    case 0: return (i + j) % 2 == 0;
    case 1: return i % 2 == 0;
    case 2: return j % 3 == 0;
    case 3: return (i + j) % 3 == 0;
    case 4: return (i / 2 + j / 3) % 2 == 0;
    case 5: return (i * j) % 2 + (i * j) % 3 == 0;
    case 6: return ((i * j) % 2 + (i * j) % 3) % 2 == 0;
    default: return ((i + j) % 2 + (i * j) % 3) % 2 == 0;
  }
}

QrCode finish(const Grid& unmasked, int version, QrEcc ecc, int mask) {
  Grid grid = unmasked;
  for (int y = 0; y < grid.size; ++y)
    for (int x = 0; x < grid.size; ++x)
      if (!grid.function[grid.at(x, y)] && mask_flips(mask, x, y)) grid.dark[grid.at(x, y)] ^= 1;
  draw_format(grid, qr_format_bits(ecc, mask));
  QrCode code;
  code.version = version;
  code.ecc = ecc;
  code.mask = mask;
  code.size = grid.size;
  code.modules = std::move(grid.dark);
  return code;
}

// ---- penalty rules (ISO/IEC 18004 7.8.3) ---------------------------------------------------------------------------

// N1 (a run of 5 or more modules of one colour: 3 + the run's length past 5) and N3 (1:1:3:1:1 dark-light-dark-
// dark-dark-light-dark with 4 light modules before or after: 40 each; outside the symbol counts as light, the quiet
// zone) along one row or column, read through `at`.
template <typename At>
int line_penalty(int size, At at) {
  int score = 0, run = 1;
  for (int i = 1; i <= size; ++i) {
    if (i < size && at(i) == at(i - 1)) {
      ++run;
      continue;
    }
    if (run >= 5) score += 3 + (run - 5);
    run = 1;
  }
  static constexpr uint8_t before[11] = {0, 0, 0, 0, 1, 0, 1, 1, 1, 0, 1};
  static constexpr uint8_t after[11] = {1, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0};
  auto padded = [&](int i) -> uint8_t { return i < 0 || i >= size ? 0 : at(i); };
  for (int start = -4; start + 11 <= size + 4; ++start) {
    bool is_before = true, is_after = true;
    for (int k = 0; k < 11 && (is_before || is_after); ++k) {
      is_before = is_before && padded(start + k) == before[k];
      is_after = is_after && padded(start + k) == after[k];
    }
    score += (is_before ? 40 : 0) + (is_after ? 40 : 0);
  }
  return score;
}

}  // namespace

const char* qr_ecc_name(QrEcc ecc) {
  static constexpr const char* names[] = {"L", "M", "Q", "H"};
  return names[level(ecc)];
}

size_t qr_byte_capacity(int version, QrEcc ecc) {
  if (version < 1 || version > 40) return 0;
  const int bits = data_codewords(version, ecc) * 8 - 4 - count_bits(version);
  return (size_t)(bits / 8);
}

uint32_t qr_format_bits(QrEcc ecc, int mask) {
  static constexpr uint32_t level_bits[] = {0b01, 0b00, 0b11, 0b10};   // L, M, Q, H
  const uint32_t data = (level_bits[level(ecc)] << 3) | ((uint32_t)mask & 7u);
  uint32_t remainder = data << 10;
  for (int bit = 14; bit >= 10; --bit)
    if (remainder & (1u << bit)) remainder ^= 0x537u << (bit - 10);   // x^10+x^8+x^5+x^4+x^2+x+1
  return ((data << 10) | remainder) ^ 0x5412u;
}

uint32_t qr_version_bits(int version) {
  const uint32_t data = (uint32_t)version;
  uint32_t remainder = data << 12;
  for (int bit = 17; bit >= 12; --bit)
    if (remainder & (1u << bit)) remainder ^= 0x1F25u << (bit - 12);   // x^12+x^11+x^10+x^9+x^8+x^5+x^2+1
  return (data << 12) | remainder;
}

// Evenly spaced from 6 to size-7, the spacing even, rounded up (version 32's is the one exception in the table).
std::vector<int> qr_alignment_positions(int version) {
  if (version < 2 || version > 40) return {};
  const int count = version / 7 + 2;
  const int step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2;
  std::vector<int> out((size_t)count);
  out[0] = 6;
  for (int i = count - 1, position = symbol_size(version) - 7; i >= 1; --i, position -= step) out[(size_t)i] = position;
  return out;
}

namespace {
uint8_t gf_multiply(uint8_t a, uint8_t b) {
  uint32_t product = 0, x = a;
  for (uint32_t y = b; y != 0; y >>= 1, x <<= 1) {
    if (x & 0x100u) x ^= 0x11Du;
    if (y & 1u) product ^= x;
  }
  return (uint8_t)product;
}

// The generator polynomial (x - a^0)(x - a^1)...(x - a^(degree-1)), highest power first, its leading 1 included.
std::vector<uint8_t> rs_generator(int degree) {
  std::vector<uint8_t> poly{1};
  uint8_t root = 1;
  for (int i = 0; i < degree; ++i) {
    std::vector<uint8_t> next(poly.size() + 1, 0);
    for (size_t k = 0; k < poly.size(); ++k) {
      next[k] ^= poly[k];
      next[k + 1] ^= gf_multiply(poly[k], root);
    }
    poly = std::move(next);
    root = gf_multiply(root, 2);
  }
  return poly;
}
}  // namespace

// The remainder of data(x) * x^n divided by the generator, by long division one data codeword at a time.
std::vector<uint8_t> qr_reed_solomon(const std::vector<uint8_t>& data, int ecc_codewords) {
  const std::vector<uint8_t> generator = rs_generator(ecc_codewords);
  std::vector<uint8_t> remainder((size_t)ecc_codewords, 0);
  for (uint8_t byte : data) {
    const uint8_t factor = byte ^ remainder[0];
    remainder.erase(remainder.begin());
    remainder.push_back(0);
    for (size_t i = 0; i < remainder.size(); ++i) remainder[i] ^= gf_multiply(generator[i + 1], factor);
  }
  return remainder;
}

int qr_penalty(const QrCode& code) {
  const int size = code.size;
  int score = 0, dark = 0;
  for (int y = 0; y < size; ++y) score += line_penalty(size, [&](int x) { return code.modules[(size_t)(y * size + x)]; });
  for (int x = 0; x < size; ++x) score += line_penalty(size, [&](int y) { return code.modules[(size_t)(y * size + x)]; });
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      const bool here = code.dark(x, y);
      dark += here ? 1 : 0;
      if (x + 1 < size && y + 1 < size && here == code.dark(x + 1, y) && here == code.dark(x, y + 1) &&
          here == code.dark(x + 1, y + 1))
        score += 3;   // N2: a 2x2 block of one colour
    }
  // N4: 10 for every full 5% the dark share is away from 50%.
  const int total = size * size;
  score += 10 * (std::abs(dark * 20 - total * 10) / total);
  return score;
}

QrEncode qr_encode(std::string_view data, QrEcc ecc, int mask, int min_version) {
  QrEncode result;
  int version = std::max(1, min_version);
  while (version <= 40 && qr_byte_capacity(version, ecc) < data.size()) ++version;
  if (version > 40) {
    result.message = "the data is " + std::to_string(data.size()) + " bytes; a QR code at level " +
                     qr_ecc_name(ecc) + " holds at most " + std::to_string(qr_byte_capacity(40, ecc));
    return result;
  }
  Grid grid(symbol_size(version));
  draw_function_patterns(grid, version);
  place_codewords(grid, interleave(data_bits(data, version, ecc), version, ecc));
  if (mask >= 0 && mask <= 7) {
    result.code = finish(grid, version, ecc, mask);
  } else {
    int best_score = 0;
    for (int candidate = 0; candidate < 8; ++candidate) {
      QrCode code = finish(grid, version, ecc, candidate);
      const int score = qr_penalty(code);
      if (candidate == 0 || score < best_score) {   // ties keep the lower mask number
        best_score = score;
        result.code = std::move(code);
      }
    }
  }
  result.ok = true;
  return result;
}

QrEncode qr_encode_link(std::string_view link) {
  if (link.size() <= qr_byte_capacity(40, QrEcc::M)) return qr_encode(link, QrEcc::M);
  return qr_encode(link, QrEcc::L);
}

}  // namespace pg
