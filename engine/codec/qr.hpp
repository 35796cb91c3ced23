// A QR code encoder (ISO/IEC 18004, model 2), written for share links: byte mode only, error correction level L,
// M, Q or H, versions 1..40 (the smallest that holds the data is chosen), and the mask with the lowest penalty score
// of the standard's four rules. Plain integer code: the same bytes give the same symbol natively and in WebAssembly.
// Nothing here draws; a symbol is a square of modules the page paints and engine/codec/png.hpp turns into an image.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pg {

enum class QrEcc : uint8_t { L, M, Q, H };

const char* qr_ecc_name(QrEcc ecc);   // "L", "M", "Q", "H"

struct QrCode {
  int version = 0;        // 1..40
  QrEcc ecc = QrEcc::M;
  int mask = 0;           // 0..7, the mask pattern the symbol carries
  int size = 0;           // modules per side, 17 + 4 * version (without the quiet zone)
  std::vector<uint8_t> modules;   // size * size, row by row; 1 = dark
  bool dark(int x, int y) const { return modules[(size_t)y * (size_t)size + (size_t)x] != 0; }
};

struct QrEncode {
  bool ok = false;
  QrCode code;
  std::string message;   // why not, when !ok (the data is longer than version 40 holds at that level)
};

// The most bytes a symbol of this version and level holds in byte mode (ISO/IEC 18004 Table 7's byte column).
size_t qr_byte_capacity(int version, QrEcc ecc);

// Encodes `data` as bytes (the caller's text is taken as it is: a URL is ASCII) at level `ecc`, in the smallest
// version from min_version to 40 that holds it. mask -1 chooses the mask by penalty score; 0..7 forces one.
QrEncode qr_encode(std::string_view data, QrEcc ecc, int mask = -1, int min_version = 1);

// Level M when the data fits in version 40 at M, else level L (more data, less redundancy); fails above 40-L.
QrEncode qr_encode_link(std::string_view link);

// ---- parts, exposed for the tests ----
// The 15 format bits (level and mask, BCH(15,5) protected, XORed with 101010000010010), most significant first.
uint32_t qr_format_bits(QrEcc ecc, int mask);
// The 18 version bits (version 7..40, Golay(18,6) protected).
uint32_t qr_version_bits(int version);
// The centre coordinates of the alignment patterns along one axis (empty for version 1).
std::vector<int> qr_alignment_positions(int version);
// Reed-Solomon error correction codewords over GF(256) with the polynomial x^8+x^4+x^3+x^2+1 (0x11D).
std::vector<uint8_t> qr_reed_solomon(const std::vector<uint8_t>& data, int ecc_codewords);
// The penalty score of a finished symbol (rules N1..N4), for the tests' and the mask choice.
int qr_penalty(const QrCode& code);

}  // namespace pg
