#include "web/record/gif.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>

namespace pgweb::gif {

namespace {

std::array<uint8_t, 768> make_palette() {
  std::array<uint8_t, 768> p{};
  size_t i = 0;
  for (int r = 0; r < 6; ++r)
    for (int g = 0; g < 6; ++g)
      for (int b = 0; b < 6; ++b) {
        p[i++] = (uint8_t)(r * 51);
        p[i++] = (uint8_t)(g * 51);
        p[i++] = (uint8_t)(b * 51);
      }
  for (int j = 1; j <= 40; ++j) {
    const uint8_t v = (uint8_t)((j * 255 * 2 + 41) / 82);   // round(j * 255 / 41)
    p[i++] = v, p[i++] = v, p[i++] = v;
  }
  return p;
}

}  // namespace

int widen(int five_bits) { return (five_bits << 3) | (five_bits >> 2); }

namespace {

// 32 KB: palette index per 5-bit-per-channel cell.
const std::vector<uint8_t>& table() {
  static const std::vector<uint8_t> t = [] {
    const std::array<uint8_t, 768>& p = palette();
    std::vector<uint8_t> out(32 * 32 * 32);
    for (int cell = 0; cell < 32 * 32 * 32; ++cell) {
      const int r = widen(cell >> 10), g = widen((cell >> 5) & 31), b = widen(cell & 31);
      int best = 0, best_distance = 1 << 30;
      for (int k = 0; k < 256; ++k) {
        const int dr = r - p[k * 3], dg = g - p[k * 3 + 1], db = b - p[k * 3 + 2];
        const int distance = dr * dr + dg * dg + db * db;
        if (distance < best_distance) best = k, best_distance = distance;
      }
      out[cell] = (uint8_t)best;
    }
    return out;
  }();
  return t;
}

// Appends bytes (resize and copy: smaller code than vector's range insert, which the page pays for in download size).
void append(std::vector<uint8_t>& out, const uint8_t* bytes, size_t n) {
  const size_t at = out.size();
  out.resize(at + n);
  std::memcpy(out.data() + at, bytes, n);
}

// Codes of variable width, least significant bit first, packed into sub-blocks of at most 255 bytes.
class BitWriter {
 public:
  explicit BitWriter(std::vector<uint8_t>& out) : out_(out) {}
  void put(uint32_t code, int size) {
    bits_ |= code << count_;
    count_ += size;
    while (count_ >= 8) {
      byte((uint8_t)(bits_ & 0xff));
      bits_ >>= 8;
      count_ -= 8;
    }
  }
  void finish() {
    if (count_ > 0) byte((uint8_t)(bits_ & 0xff));
    bits_ = 0, count_ = 0;
    flush();
    out_.push_back(0);   // the block terminator
  }

 private:
  void byte(uint8_t b) {
    block_[length_++] = b;
    if (length_ == 255) flush();
  }
  void flush() {
    if (length_ == 0) return;
    out_.push_back((uint8_t)length_);
    append(out_, block_, (size_t)length_);
    length_ = 0;
  }
  std::vector<uint8_t>& out_;
  uint32_t bits_ = 0;
  int count_ = 0;
  uint8_t block_[255];
  int length_ = 0;
};

void put16(std::vector<uint8_t>& out, int value) {
  out.push_back((uint8_t)(value & 0xff));
  out.push_back((uint8_t)((value >> 8) & 0xff));
}

}  // namespace

const std::array<uint8_t, 768>& palette() {
  static const std::array<uint8_t, 768> p = make_palette();
  return p;
}

uint8_t nearest(uint8_t r, uint8_t g, uint8_t b) { return table()[((r >> 3) << 10) | ((g >> 3) << 5) | (b >> 3)]; }

void map_pixels(const uint8_t* rgba, size_t pixels, uint8_t* indices) {
  const uint8_t* t = table().data();
  for (size_t i = 0; i < pixels; ++i, rgba += 4) indices[i] = t[((rgba[0] >> 3) << 10) | ((rgba[1] >> 3) << 5) | (rgba[2] >> 3)];
}

void lzw_encode(const uint8_t* indices, size_t count, int min_code_size, std::vector<uint8_t>& out) {
  out.push_back((uint8_t)min_code_size);
  BitWriter writer(out);
  const uint32_t clear = 1u << min_code_size, end = clear + 1;
  // The string table as a hash of (prefix code << 8 | next index) -> code, open addressing; 8192 slots for at
  // most 4096 - 258 entries keeps the probes short.
  constexpr uint32_t slots = 8192;
  std::unique_ptr<int32_t[]> keys(new int32_t[slots]);
  std::unique_ptr<uint16_t[]> codes(new uint16_t[slots]);
  int size = min_code_size + 1;
  uint32_t next = end + 1;
  auto restart = [&] {
    std::fill(keys.get(), keys.get() + slots, -1);
    size = min_code_size + 1;
    next = end + 1;
  };
  restart();
  writer.put(clear, size);
  if (count > 0) {
    uint32_t prefix = indices[0];
    for (size_t i = 1; i < count; ++i) {
      const int32_t key = (int32_t)((prefix << 8) | indices[i]);
      uint32_t slot = ((uint32_t)key * 2654435761u) >> 19;
      while (keys[slot] != -1 && keys[slot] != key) slot = (slot + 1) & (slots - 1);
      if (keys[slot] == key) {
        prefix = codes[slot];
        continue;
      }
      writer.put(prefix, size);
      keys[slot] = key;
      codes[slot] = (uint16_t)next++;
      if (next > (1u << size) && size < 12) ++size;
      if (next == 4096) {   // the table is full: start again (the decoder sees the clear at 12 bits)
        writer.put(clear, size);
        restart();
      }
      prefix = indices[i];
    }
    writer.put(prefix, size);
    // The decoder adds an entry after reading that last code, and may widen the codes before the end code.
    if (++next > (1u << size) && size < 12) ++size;
  }
  writer.put(end, size);
  writer.finish();
}

uint16_t frame_delay_cs(size_t k, double fps) {
  const double per = 100.0 / fps;
  const long long a = std::llround((double)k * per), b = std::llround((double)(k + 1) * per);
  return (uint16_t)std::clamp(b - a, 1LL, 65535LL);
}

Encoder::Encoder(int width, int height, double fps) : width_(width), height_(height), fps_(fps) {
  const uint8_t header[] = {'G', 'I', 'F', '8', '9', 'a'};
  append(out_, header, sizeof header);
  put16(out_, width);
  put16(out_, height);
  out_.push_back(0xF7);   // a global colour table of 256 entries, 8 bits per primary
  out_.push_back(0);      // background colour index
  out_.push_back(0);      // no aspect ratio
  append(out_, palette().data(), palette().size());
  const uint8_t loop[] = {0x21, 0xFF, 11, 'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0', 3, 1, 0, 0, 0};
  append(out_, loop, sizeof loop);   // loop for ever
}

void Encoder::add_rgba(const uint8_t* rgba) {
  current_.resize((size_t)width_ * height_);
  map_pixels(rgba, current_.size(), current_.data());
  add_indexed(current_.data());
}

void Encoder::add_indexed(const uint8_t* indices) {
  if (finished_) return;
  const size_t w = (size_t)width_, h = (size_t)height_;
  // The rectangle that changed since the last frame (all of the first frame).
  size_t x0 = 0, y0 = 0, x1 = w, y1 = h;
  if (frames_ > 0) {
    x0 = w, y0 = h, x1 = 0, y1 = 0;
    for (size_t y = 0; y < h; ++y) {
      const uint8_t* row = indices + y * w;
      const uint8_t* before = previous_.data() + y * w;
      size_t first = 0;
      while (first < w && row[first] == before[first]) ++first;
      if (first == w) continue;
      size_t last = w;
      while (row[last - 1] == before[last - 1]) --last;
      x0 = std::min(x0, first), x1 = std::max(x1, last);
      y0 = std::min(y0, y), y1 = y + 1;
    }
    if (x1 <= x0) x0 = 0, y0 = 0, x1 = 1, y1 = 1;   // nothing changed: one pixel, the same as before
  }
  const size_t rw = x1 - x0, rh = y1 - y0;
  rect_.resize(rw * rh);
  for (size_t y = 0; y < rh; ++y) std::copy_n(indices + (y0 + y) * w + x0, rw, rect_.data() + y * rw);
  const uint16_t delay = frame_delay_cs(frames_, fps_);
  // Graphic control extension: disposal 1 (leave in place), no transparency, the delay.
  const uint8_t control[] = {0x21, 0xF9, 4, 0x04, (uint8_t)(delay & 0xff), (uint8_t)(delay >> 8), 0, 0};
  append(out_, control, sizeof control);
  out_.push_back(0x2C);
  put16(out_, (int)x0);
  put16(out_, (int)y0);
  put16(out_, (int)rw);
  put16(out_, (int)rh);
  out_.push_back(0);   // no local colour table, not interlaced
  lzw_encode(rect_.data(), rect_.size(), 8, out_);
  previous_.resize(w * h);
  std::memcpy(previous_.data(), indices, w * h);
  ++frames_;
}

void Encoder::finish() {
  if (finished_) return;
  out_.push_back(0x3B);
  finished_ = true;
}

}  // namespace pgweb::gif
