// A small PNG writer (PNG specification, 2nd edition; RFC 1950 for the zlib stream) for images of one channel:
// 1-bit grayscale, which is all a QR code needs. The image data is deflated with engine/codec/deflate.hpp's encoder
// and framed as a zlib stream (header, data, Adler-32); each chunk carries its CRC-32. No zlib, no libpng: the same
// pixels give the same file natively and in WebAssembly.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/codec/qr.hpp"

namespace pg {

// CRC-32 of ISO 3309 / ITU-T V.42 (reflected polynomial 0xEDB88320), as PNG chunks and zip files use it.
uint32_t crc32(std::string_view bytes, uint32_t crc = 0);
// Adler-32 (RFC 1950 8.2), the zlib stream's checksum.
uint32_t adler32(std::string_view bytes);

// A 1-bit grayscale PNG of width x height pixels; `white` holds one byte per pixel, row by row (nonzero = white).
std::string png_1bit(const std::vector<uint8_t>& white, int width, int height);

// The QR code as a PNG: dark modules black on white, with a quiet zone of 4 modules, `scale` pixels per module.
std::string qr_png(const QrCode& code, int scale);
// Pixels per module for a download about 1,000 pixels wide (and never under 4, so a phone reads it off a screen).
int qr_png_scale(const QrCode& code);

}  // namespace pg
