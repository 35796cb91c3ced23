// An animated GIF writer of our own (GIF89a): a fixed 256-colour palette, nearest-colour mapping through a lookup
// table, LZW with variable code sizes and clear codes, the NETSCAPE2.0 loop extension and a delay per frame.
// Deterministic: the same pixels give the same bytes, on every machine (integer arithmetic only). No ImGui, GL or
// browser: tested natively (tests/unit/web/test_gif.cpp). docs/recording.md says why each choice.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace pgweb::gif {

// The palette: a 6x6x6 colour cube (levels 0, 51, ..., 255: indices 0-215, r slowest) and 40 greys between its
// levels (round(j * 255 / 41), j = 1..40: indices 216-255). RGB triples.
const std::array<uint8_t, 768>& palette();
// The palette index nearest (squared RGB distance, lowest index on ties) to the colour's cell of a 32x32x32 grid
// (5 bits per channel), the cell standing for widen(c >> 3) per channel, so black and white stay black and white.
// The table (32 KB) is built once, on first use.
int widen(int five_bits);   // 0..31 -> 0..255: (c << 3) | (c >> 2)
uint8_t nearest(uint8_t r, uint8_t g, uint8_t b);
// RGBA pixels (alpha ignored) to palette indices.
void map_pixels(const uint8_t* rgba, size_t pixels, uint8_t* indices);

// LZW-compresses `count` indices (each < 2^min_code_size) as GIF image data: the minimum code size byte, then the
// codes in sub-blocks of at most 255 bytes, then the empty block. Starts with a clear code; the table restarts
// (clear code) when it is full at 4096 codes. min_code_size: 2..8.
void lzw_encode(const uint8_t* indices, size_t count, int min_code_size, std::vector<uint8_t>& out);

// The delay of frame k (centiseconds) for `fps` frames per second, so the delays add up to the right total
// (round((k+1) * 100 / fps) - round(k * 100 / fps), at least 1).
uint16_t frame_delay_cs(size_t k, double fps);

// A whole animation, frame by frame. Each frame after the first is written as the rectangle of pixels that
// changed since the previous one (disposal "leave in place"); an unchanged frame is one pixel, so every frame
// is in the file with its delay.
class Encoder {
 public:
  Encoder(int width, int height, double fps);
  void add_rgba(const uint8_t* rgba);        // width * height * 4 bytes, rows top to bottom
  void add_indexed(const uint8_t* indices);  // width * height palette indices
  void finish();                             // writes the trailer; nothing may be added afterwards
  const std::vector<uint8_t>& bytes() const { return out_; }
  std::vector<uint8_t> release() { return std::move(out_); }   // the file, handed over (the encoder is done)
  size_t frames() const { return frames_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  int width_, height_;
  double fps_;
  size_t frames_ = 0;
  bool finished_ = false;
  std::vector<uint8_t> out_, previous_, current_, rect_;
};

}  // namespace pgweb::gif
