// The QR code of the share link, for a projector or a phone across the table: the File menu's "Show QR code" covers
// the page with the code, dark on white with its 4-module quiet zone, as large as the window allows and on whole
// device pixels per module, so it stays sharp. Esc, Close or a click outside the buttons closes it; "Download PNG"
// saves the same code as an image (engine/codec/png.hpp). A link longer than version 40 holds gets a plain sentence
// instead of a code.
#include <algorithm>
#include <cmath>
#include <string>

#include <imgui.h>
#include <nlohmann/json.hpp>

#include "engine/codec/link.hpp"
#include "engine/codec/png.hpp"
#include "web/app.hpp"
#include "web/strings.hpp"
#include "web/translate.hpp"

namespace pgweb {

namespace {

// Standard base64 with padding (RFC 4648 section 4), from the engine's base64url.
std::string base64(std::string_view bytes) {
  std::string out = pg::base64url_encode(bytes);
  for (char& c : out) c = c == '-' ? '+' : c == '_' ? '/' : c;
  while (out.size() % 4 != 0) out += '=';
  return out;
}

// The symbol's modules at `origin`, `module` pixels each (quiet zone included), one rectangle per run of dark
// modules in a row: a version-40 code is then some thousands of rectangles, not 31,000.
void draw_symbol(ImDrawList* draw, const pg::QrCode& code, ImVec2 origin, float module) {
  const float side = module * (float)(code.size + 8);
  draw->AddRectFilled(origin, ImVec2(origin.x + side, origin.y + side), IM_COL32(255, 255, 255, 255));
  for (int y = 0; y < code.size; ++y) {
    const float top = origin.y + module * (float)(y + 4);
    for (int x = 0; x < code.size;) {
      if (!code.dark(x, y)) {
        ++x;
        continue;
      }
      int end = x;
      while (end < code.size && code.dark(end, y)) ++end;
      draw->AddRectFilled(ImVec2(origin.x + module * (float)(x + 4), top),
                          ImVec2(origin.x + module * (float)(end + 4), top + module), IM_COL32(0, 0, 0, 255));
      x = end;
    }
  }
}

}  // namespace

void App::refresh_qr() {
  const std::string error = session_->link_error();
  qr_.text = error.empty() ? link() : std::string();
  qr_.encoded = qr_.text.empty() ? pg::QrEncode{} : pg::qr_encode_link(qr_.text);
  if (!error.empty()) qr_.problem = text_format(StrId::qr_no_link, translate(error).c_str());
  else if (!qr_.encoded.ok)
    qr_.problem = text_format(StrId::qr_too_long, (int)qr_.text.size(), (int)pg::qr_byte_capacity(40, pg::QrEcc::L));
  else qr_.problem.clear();
}

void App::show_qr() {
  refresh_qr();
  qr_.open = true;
  qr_.closing_click = false;
}

void App::download_qr_png() {
  if (!qr_.encoded.ok || !host_.download_bytes) return;
  const pg::QrCode& code = qr_.encoded.code;
  host_.download_bytes(file_stem(scenario().name) + "-qr.png", "image/png", pg::qr_png(code, pg::qr_png_scale(code)));
}

std::string App::qr_json() {
  if (qr_.open && link() != qr_.text) refresh_qr();
  nlohmann::json out = nlohmann::json::object();   // member by member: smaller code than one initialiser
  out["open"] = qr_.open;
  out["fits"] = qr_.encoded.ok;
  out["text"] = qr_.text;
  out["length"] = qr_.text.size();
  out["problem"] = qr_.problem;
  if (qr_.encoded.ok) {
    const pg::QrCode& code = qr_.encoded.code;
    nlohmann::json rows = nlohmann::json::array();
    for (int y = 0; y < code.size; ++y) {
      std::string row;
      for (int x = 0; x < code.size; ++x) row += code.dark(x, y) ? '1' : '0';
      rows.push_back(row);
    }
    out["version"] = code.version;
    out["ecc"] = pg::qr_ecc_name(code.ecc);
    out["mask"] = code.mask;
    out["size"] = code.size;
    out["rows"] = std::move(rows);
    out["png"] = base64(pg::qr_png(code, pg::qr_png_scale(code)));
  }
  return out.dump();
}

void App::draw_qr_view() {
  if (!qr_.open) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(viewport->Size);
  ImGui::SetNextWindowFocus();
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.08f, 0.09f, 0.10f, 1.0f));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse;
  if (ImGui::Begin("###qr_view", nullptr, flags)) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const float line = ImGui::GetFrameHeightWithSpacing();
    ImGui::TextUnformatted(text(qr_.encoded.ok ? StrId::qr_title : StrId::qr_title_none));
    if (qr_.encoded.ok) {
      const pg::QrCode& code = qr_.encoded.code;
      ImGui::TextDisabled("%s", text_format(StrId::qr_details, code.version, pg::qr_ecc_name(code.ecc),
                                            (int)qr_.text.size()).c_str());
    }
    // The code fills what is left between the heading and the buttons, on whole device pixels per module.
    const ImVec2 area_min = ImGui::GetCursorScreenPos();
    const float bottom = viewport->Pos.y + viewport->Size.y - style.WindowPadding.y - line;
    const float area_width = ImGui::GetContentRegionAvail().x, area_height = std::max(0.0f, bottom - area_min.y);
    if (qr_.encoded.ok) {
      const pg::QrCode& code = qr_.encoded.code;
      const float pixel_ratio = std::max(1.0f, ImGui::GetIO().DisplayFramebufferScale.x);
      const float fit = std::min(area_width, area_height) / (float)(code.size + 8);
      const float module = fit * pixel_ratio >= 1 ? std::floor(fit * pixel_ratio) / pixel_ratio : fit;
      const float side = module * (float)(code.size + 8);
      const ImVec2 origin(std::round((area_min.x + (area_width - side) / 2) * pixel_ratio) / pixel_ratio,
                          std::round((area_min.y + (area_height - side) / 2) * pixel_ratio) / pixel_ratio);
      draw_symbol(ImGui::GetWindowDrawList(), code, origin, module);
      widget_rects_["qr_code"] = WidgetRect{origin.x, origin.y, side, side};
    } else {
      // The whole width: ImGui breaks lines only at spaces, so a Chinese sentence should need no break at all.
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + area_width);
      ImGui::TextUnformatted(qr_.problem.c_str());
      ImGui::PopTextWrapPos();
    }
    ImGui::SetCursorScreenPos(ImVec2(area_min.x, bottom + style.ItemSpacing.y));
    if (qr_.encoded.ok) {
      if (ImGui::Button(text(StrId::qr_download_png))) download_qr_png();
      remember_rect("qr_download");
      ImGui::SameLine();
    } else if (!qr_.text.empty()) {   // too long for a code, but the link itself can still be shared
      if (ImGui::Button(text(StrId::menu_copy_link))) copy_link();
      remember_rect("qr_copy_link");
      ImGui::SameLine();
    }
    if (ImGui::Button(text(StrId::close))) close_qr();
    remember_rect("qr_close");
    ImGui::SameLine();
    ImGui::TextDisabled("%s", text(StrId::qr_close_hint));
    // A click anywhere but a button closes the view, once released (so the release does not reach what is below).
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && !ImGui::IsAnyItemHovered()) qr_.closing_click = true;
    if (qr_.closing_click && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) close_qr();
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
  ImGui::PopStyleColor();
}

}  // namespace pgweb
