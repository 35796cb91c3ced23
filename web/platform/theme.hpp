// Look of the app: the embedded DejaVu Sans font at a readable size and a dark theme. Sizes are in CSS pixels;
// the font atlas is rasterised at CSS size x device pixel ratio so text stays crisp on HiDPI screens.
#pragma once
#include <cstddef>

namespace pgweb {

constexpr float font_size_css_px = 16.0f;

// Rebuilds the font atlas for the given device pixel ratio. Call before the first frame and whenever the ratio
// changes (browser zoom, moving the window to another screen); the renderer's font texture must be recreated after.
// Chinese glyphs are merged into the one font: from `cjk` (the fetched cut of Noto Sans CJK SC, which must outlive
// the atlas) when given, otherwise from the few characters embedded for the language menu.
void load_fonts(float pixel_ratio, const unsigned char* cjk = nullptr, size_t cjk_size = 0);

// Dark theme with softer corners and roomier padding than ImGui's default.
void apply_theme();

}  // namespace pgweb
