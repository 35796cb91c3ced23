// The GIF writer of the recorder (web/record/gif.hpp), checked with a decoder written here from the GIF89a
// specification: LZW round trips at every code size (with table restarts), whole animations decoded back to the
// exact palette indices of every frame, the palette, the delays, the loop extension, and byte-identical output.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "web/record/gif.hpp"

using namespace pgweb;

namespace {

// LZW decoding of one image's data starting at `at` (the minimum code size byte); returns the indices and moves
// `at` past the block terminator. Fails the test on a malformed stream.
std::vector<uint8_t> lzw_decode(const std::vector<uint8_t>& in, size_t& at) {
  const int min_size = in.at(at++);
  REQUIRE(min_size >= 2);
  REQUIRE(min_size <= 8);
  std::vector<uint8_t> data;   // the sub-blocks joined
  for (;;) {
    const size_t length = in.at(at++);
    if (length == 0) break;
    REQUIRE(at + length <= in.size());
    data.insert(data.end(), in.begin() + (long)at, in.begin() + (long)(at + length));
    at += length;
  }
  const int clear = 1 << min_size, end = clear + 1;
  std::vector<std::vector<uint8_t>> table;
  auto reset = [&] {
    table.assign((size_t)clear + 2, {});
    for (int i = 0; i < clear; ++i) table[(size_t)i] = {(uint8_t)i};
  };
  reset();
  int size = min_size + 1;
  size_t bit = 0;
  auto read = [&]() -> int {
    int code = 0;
    for (int i = 0; i < size; ++i, ++bit) {
      REQUIRE(bit / 8 < data.size());
      code |= ((data[bit / 8] >> (bit % 8)) & 1) << i;
    }
    return code;
  };
  std::vector<uint8_t> out;
  int previous = -1;
  bool ended = false;
  while (!ended) {
    const int code = read();
    if (code == clear) {
      reset();
      size = min_size + 1;
      previous = -1;
      continue;
    }
    if (code == end) {
      ended = true;
      break;
    }
    std::vector<uint8_t> entry;
    if (code < (int)table.size()) {
      entry = table[(size_t)code];
      REQUIRE(!entry.empty());
    } else {
      REQUIRE(code == (int)table.size());   // the KwKwK case
      REQUIRE(previous >= 0);
      entry = table[(size_t)previous];
      entry.push_back(table[(size_t)previous][0]);
    }
    out.insert(out.end(), entry.begin(), entry.end());
    if (previous >= 0 && table.size() < 4096) {
      std::vector<uint8_t> added = table[(size_t)previous];
      added.push_back(entry[0]);
      table.push_back(added);
      if ((int)table.size() == (1 << size) && size < 12) ++size;
    }
    previous = code;
  }
  // Whatever bits are left are padding of the last byte only.
  REQUIRE((bit + 7) / 8 == data.size());
  return out;
}

struct Decoded {
  int width = 0, height = 0;
  int loops = -1;                         // -1: no NETSCAPE2.0 extension
  std::vector<uint8_t> palette;
  std::vector<std::vector<uint8_t>> frames;   // whole canvases of palette indices after each frame
  std::vector<int> delays;
};

Decoded decode_gif(const std::vector<uint8_t>& in) {
  Decoded gif;
  REQUIRE(in.size() > 13 + 768);
  REQUIRE(std::string(in.begin(), in.begin() + 6) == "GIF89a");
  gif.width = in[6] | in[7] << 8;
  gif.height = in[8] | in[9] << 8;
  REQUIRE(in[10] == 0xF7);
  gif.palette.assign(in.begin() + 13, in.begin() + 13 + 768);
  size_t at = 13 + 768;
  std::vector<uint8_t> canvas((size_t)gif.width * gif.height, 0);
  int delay = 0, disposal = 0;
  for (;;) {
    const uint8_t kind = in.at(at++);
    if (kind == 0x3B) break;
    if (kind == 0x21) {
      const uint8_t label = in.at(at++);
      if (label == 0xF9) {
        REQUIRE(in.at(at) == 4);
        disposal = (in[at + 1] >> 2) & 7;
        delay = in[at + 2] | in[at + 3] << 8;
        at += 5;
        REQUIRE(in.at(at++) == 0);
      } else if (label == 0xFF) {
        REQUIRE(in.at(at) == 11);
        const std::string name(in.begin() + (long)at + 1, in.begin() + (long)at + 12);
        at += 12;
        if (name == "NETSCAPE2.0") {
          REQUIRE(in.at(at) == 3);
          gif.loops = in[at + 2] | in[at + 3] << 8;
          at += 4;
        }
        while (in.at(at) != 0) at += in[at] + 1u;
        ++at;
      } else {
        FAIL("unexpected extension");
      }
    } else {
      REQUIRE(kind == 0x2C);
      const int x = in[at] | in[at + 1] << 8, y = in[at + 2] | in[at + 3] << 8;
      const int w = in[at + 4] | in[at + 5] << 8, h = in[at + 6] | in[at + 7] << 8;
      REQUIRE(in[at + 8] == 0);   // no local table, not interlaced
      at += 9;
      REQUIRE(x + w <= gif.width);
      REQUIRE(y + h <= gif.height);
      REQUIRE(disposal == 1);
      const std::vector<uint8_t> pixels = lzw_decode(in, at);
      REQUIRE(pixels.size() == (size_t)w * h);
      for (int row = 0; row < h; ++row)
        for (int col = 0; col < w; ++col)
          canvas[(size_t)(y + row) * gif.width + (x + col)] = pixels[(size_t)row * w + col];
      gif.frames.push_back(canvas);
      gif.delays.push_back(delay);
    }
  }
  REQUIRE(at == in.size());
  return gif;
}

std::vector<uint8_t> random_indices(std::mt19937& random, size_t count, int bits, int run) {
  std::vector<uint8_t> out(count);
  std::uniform_int_distribution<int> value(0, (1 << bits) - 1), length(1, run);
  for (size_t i = 0; i < count;) {
    const uint8_t v = (uint8_t)value(random);
    for (int n = length(random); n > 0 && i < count; --n) out[i++] = v;
  }
  return out;
}

int nearest_by_search(uint8_t r, uint8_t g, uint8_t b) {
  const auto& p = gif::palette();
  const int cr = gif::widen(r >> 3), cg = gif::widen(g >> 3), cb = gif::widen(b >> 3);
  int best = 0, best_distance = 1 << 30;
  for (int k = 0; k < 256; ++k) {
    const int distance = (cr - p[k * 3]) * (cr - p[k * 3]) + (cg - p[k * 3 + 1]) * (cg - p[k * 3 + 1]) +
                         (cb - p[k * 3 + 2]) * (cb - p[k * 3 + 2]);
    if (distance < best_distance) best = k, best_distance = distance;
  }
  return best;
}

}  // namespace

TEST_CASE("LZW round-trips at every code size, with table restarts", "[gif]") {
  std::mt19937 random(22);
  for (int bits = 2; bits <= 8; ++bits) {
    for (size_t count : {size_t(0), size_t(1), size_t(2), size_t(300), size_t(5000), size_t(70000)}) {
      for (int run : {1, 7, 400}) {
        const std::vector<uint8_t> input = random_indices(random, count, bits, run);
        std::vector<uint8_t> encoded;
        gif::lzw_encode(input.data(), input.size(), bits, encoded);
        size_t at = 0;
        const std::vector<uint8_t> decoded = lzw_decode(encoded, at);
        INFO("bits " << bits << ", count " << count << ", run " << run);
        REQUIRE(at == encoded.size());
        REQUIRE(decoded == input);
      }
    }
  }
  // One colour for a long stretch: strings grow to the longest the table holds, and the table fills up.
  std::vector<uint8_t> flat(1 << 20, 5);
  std::vector<uint8_t> encoded;
  gif::lzw_encode(flat.data(), flat.size(), 8, encoded);
  size_t at = 0;
  CHECK(lzw_decode(encoded, at) == flat);
  CHECK(encoded.size() < 4000);
}

TEST_CASE("The palette: a 6x6x6 cube and 40 greys, mapped to the nearest colour", "[gif]") {
  const auto& p = gif::palette();
  std::vector<uint32_t> colours;
  for (int i = 0; i < 256; ++i) colours.push_back((uint32_t)p[i * 3] << 16 | (uint32_t)p[i * 3 + 1] << 8 | p[i * 3 + 2]);
  std::sort(colours.begin(), colours.end());
  CHECK(std::unique(colours.begin(), colours.end()) == colours.end());   // 256 different colours
  CHECK(gif::nearest(0, 0, 0) == 0);
  CHECK(gif::nearest(255, 255, 255) == 215);
  CHECK(gif::nearest(255, 0, 0) == 180);
  // The app's background (14, 16, 19) is a dark grey, not black.
  const uint8_t background = gif::nearest(14, 16, 19);
  CHECK(background >= 216);
  // Every colour gets the palette entry nearest to its cell's colour (checked against a search of all 256).
  std::mt19937 random(7);
  std::uniform_int_distribution<int> channel(0, 255);
  for (int i = 0; i < 20000; ++i) {
    const uint8_t r = (uint8_t)channel(random), g = (uint8_t)channel(random), b = (uint8_t)channel(random);
    CHECK(gif::nearest(r, g, b) == nearest_by_search(r, g, b));
  }
}

TEST_CASE("Frame delays add up to the right total", "[gif]") {
  CHECK(gif::frame_delay_cs(0, 10) == 10);
  int total = 0;
  for (size_t k = 0; k < 15; ++k) total += gif::frame_delay_cs(k, 15);
  CHECK(total == 100);
  total = 0;
  for (size_t k = 0; k < 30; ++k) total += gif::frame_delay_cs(k, 30);
  CHECK(total == 100);
}

TEST_CASE("An animation decodes back to every frame's exact pixels, and the same frames give the same bytes", "[gif]") {
  const int width = 97, height = 61;
  std::mt19937 random(3);
  std::vector<std::vector<uint8_t>> frames;
  std::vector<uint8_t> frame = random_indices(random, (size_t)width * height, 8, 9);
  for (int k = 0; k < 12; ++k) {
    if (k % 4 == 3) {
      // unchanged: a one-pixel frame
    } else if (k > 0) {   // a moving rectangle of new colour
      std::uniform_int_distribution<int> x(0, width - 1), y(0, height - 1);
      const int x0 = x(random), y0 = y(random), x1 = std::min(width, x0 + 20), y1 = std::min(height, y0 + 9);
      for (int row = y0; row < y1; ++row)
        for (int col = x0; col < x1; ++col) frame[(size_t)row * width + col] = (uint8_t)((k * 37 + row + col) & 0xff);
    }
    frames.push_back(frame);
  }
  auto encode = [&] {
    gif::Encoder encoder(width, height, 10);
    for (const auto& f : frames) encoder.add_indexed(f.data());
    encoder.finish();
    return encoder.bytes();
  };
  const std::vector<uint8_t> bytes = encode();
  CHECK(encode() == bytes);
  const Decoded gif = decode_gif(bytes);
  CHECK(gif.width == width);
  CHECK(gif.height == height);
  CHECK(gif.loops == 0);
  CHECK(gif.palette == std::vector<uint8_t>(gif::palette().begin(), gif::palette().end()));
  REQUIRE(gif.frames.size() == frames.size());
  for (size_t k = 0; k < frames.size(); ++k) {
    INFO("frame " << k);
    CHECK(gif.frames[k] == frames[k]);
    CHECK(gif.delays[k] == 10);
  }
}

TEST_CASE("RGBA frames are mapped through the palette", "[gif]") {
  const int width = 16, height = 16;
  std::vector<uint8_t> rgba((size_t)width * height * 4);
  std::vector<uint8_t> expected((size_t)width * height);
  for (int i = 0; i < width * height; ++i) {
    const uint8_t r = (uint8_t)(i * 13), g = (uint8_t)(i * 29 + 7), b = (uint8_t)(255 - i);
    rgba[(size_t)i * 4] = r, rgba[(size_t)i * 4 + 1] = g, rgba[(size_t)i * 4 + 2] = b, rgba[(size_t)i * 4 + 3] = 255;
    expected[(size_t)i] = (uint8_t)nearest_by_search(r, g, b);
  }
  gif::Encoder encoder(width, height, 10);
  encoder.add_rgba(rgba.data());
  encoder.finish();
  const Decoded gif = decode_gif(encoder.bytes());
  REQUIRE(gif.frames.size() == 1);
  CHECK(gif.frames[0] == expected);
}
