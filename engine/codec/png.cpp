// PNG writer (see png.hpp): signature, IHDR, one IDAT, IEND.
#include "engine/codec/png.hpp"

#include <algorithm>
#include <array>

#include "engine/codec/deflate.hpp"

namespace pg {

namespace {

std::array<uint32_t, 256> crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t n = 0; n < 256; ++n) {
    uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}

void put_u32(std::string& out, uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out += (char)((value >> shift) & 0xFFu);
}

// Length, type, data, and the CRC of type and data.
void put_chunk(std::string& out, std::string_view type, std::string_view data) {
  put_u32(out, (uint32_t)data.size());
  const size_t type_at = out.size();
  out.append(type);
  out.append(data);
  put_u32(out, crc32(std::string_view(out).substr(type_at)));
}

// Each row: filter type 0 (none), then the pixels packed 8 to a byte, the leftmost in the high bit, 1 = white.
std::string packed_rows(const std::vector<uint8_t>& white, int width, int height) {
  const size_t row_bytes = ((size_t)width + 7) / 8;
  std::string out;
  out.reserve((row_bytes + 1) * (size_t)height);
  for (int y = 0; y < height; ++y) {
    out += '\0';
    for (size_t byte = 0; byte < row_bytes; ++byte) {
      unsigned bits = 0;
      for (int k = 0; k < 8; ++k) {
        const size_t x = byte * 8 + (size_t)k;
        if (x < (size_t)width && white[(size_t)y * (size_t)width + x]) bits |= 0x80u >> k;
      }
      out += (char)bits;
    }
  }
  return out;
}

}  // namespace

uint32_t crc32(std::string_view bytes, uint32_t crc) {
  static const std::array<uint32_t, 256> table = crc_table();
  crc = ~crc;
  for (char c : bytes) crc = table[(crc ^ (uint8_t)c) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

uint32_t adler32(std::string_view bytes) {
  uint32_t a = 1, b = 0;
  for (char c : bytes) {
    a = (a + (uint8_t)c) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

std::string png_1bit(const std::vector<uint8_t>& white, int width, int height) {
  std::string out = "\x89PNG\r\n\x1a\n";
  std::string header;
  put_u32(header, (uint32_t)width);
  put_u32(header, (uint32_t)height);
  header += (char)1;   // bit depth
  header += (char)0;   // colour type: grayscale
  header += std::string(3, '\0');   // deflate compression, adaptive filtering, no interlace
  put_chunk(out, "IHDR", header);
  const std::string raw = packed_rows(white, width, height);
  std::string zlib = "\x78\x01";   // deflate with a 32 KiB window, no dictionary, "fastest" (the check bits hold)
  zlib += deflate_raw(raw);
  put_u32(zlib, adler32(raw));
  put_chunk(out, "IDAT", zlib);
  put_chunk(out, "IEND", "");
  return out;
}

std::string qr_png(const QrCode& code, int scale) {
  constexpr int quiet = 4;
  scale = scale < 1 ? 1 : scale;
  const int side = (code.size + 2 * quiet) * scale;
  std::vector<uint8_t> white((size_t)side * (size_t)side, 1);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const int mx = x / scale - quiet, my = y / scale - quiet;
      if (mx >= 0 && my >= 0 && mx < code.size && my < code.size && code.dark(mx, my))
        white[(size_t)y * (size_t)side + (size_t)x] = 0;
    }
  return png_1bit(white, side, side);
}

int qr_png_scale(const QrCode& code) {
  const int side = code.size + 8;
  return side >= 256 ? 4 : std::max(4, 1024 / side);
}

}  // namespace pg
