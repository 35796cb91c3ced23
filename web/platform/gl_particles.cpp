// The GPU dots renderer (see gl_particles.hpp). The shader sources are generated into the build folder from
// shaders/*.vert|frag by web/embed_file.cmake; this file only compiles them and feeds them instances.
#include "web/platform/gl_particles.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <string>

#include <GLES3/gl3.h>

extern const unsigned char shader_particles_vert[];
extern const size_t shader_particles_vert_size;
extern const unsigned char shader_particles_frag[];
extern const size_t shader_particles_frag_size;

namespace pgweb {

// The event log shows notable things; a shader that does not compile is one (the app wires this up).
void report_view_problem(const std::string& text);

namespace {

std::string shader_log(GLuint shader) {
  GLint length = 0;
  glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
  std::string log((size_t)std::max(length, 1), '\0');
  glGetShaderInfoLog(shader, length, nullptr, log.data());
  return log.c_str();
}

GLuint compile(GLenum stage, const unsigned char* text, size_t size, const char* name, std::string& error) {
  GLuint shader = glCreateShader(stage);
  // Each file in shaders/ starts with one comment line saying what draws with it, but WebGL wants #version on the
  // very first line: that comment line is dropped here, so compiler messages are one line off from the file.
  std::string source_text(reinterpret_cast<const char*>(text), size);
  if (source_text.rfind("//", 0) == 0) source_text.erase(0, source_text.find('\n') + 1);
  const GLchar* source = source_text.c_str();
  const GLint length = (GLint)source_text.size();
  glShaderSource(shader, 1, &source, &length);
  glCompileShader(shader);
  GLint ok = 0;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    error = std::string(name) + " did not compile: " + shader_log(shader);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

}  // namespace

ImVec2 dot_position(const DotInstance& dot) {
  const float dx = dot.to_x - dot.from_x, dy = dot.to_y - dot.from_y;
  const float length = std::sqrt(dx * dx + dy * dy);
  const float t = dot.progress < 0 ? 0 : dot.progress > 1 ? 1 : dot.progress;
  const float lane = length > 0 ? dot.lane_px * std::sin(3.14159265f * t) / length : 0;
  return ImVec2(dot.from_x + dx * t - dy * lane, dot.from_y + dy * t + dx * lane);
}

bool DotRenderer::available() {
  if (!tried_) {
    tried_ = true;
    ok_ = initialise();
    if (!ok_) {
      std::fprintf(stderr, "dots shader unavailable, drawing with ImDrawList instead: %s\n", error_.c_str());
      report_view_problem("Shader problem (views fall back to simpler drawing): " + error_);
    }
  }
  return ok_;
}

void DotRenderer::context_restored() {
  tried_ = false;
  ok_ = false;
  error_.clear();
  program_ = vertex_array_ = dot_buffer_ = 0;
  display_size_location_ = pixel_ratio_location_ = -1;
}

bool DotRenderer::initialise() {
  GLuint vertex = compile(GL_VERTEX_SHADER, shader_particles_vert, shader_particles_vert_size,
                          "shaders/particles.vert", error_);
  if (!vertex) return false;
  GLuint fragment = compile(GL_FRAGMENT_SHADER, shader_particles_frag, shader_particles_frag_size,
                            "shaders/particles.frag", error_);
  if (!fragment) {
    glDeleteShader(vertex);
    return false;
  }
  program_ = glCreateProgram();
  glAttachShader(program_, vertex);
  glAttachShader(program_, fragment);
  glLinkProgram(program_);
  glDeleteShader(vertex);
  glDeleteShader(fragment);
  GLint linked = 0;
  glGetProgramiv(program_, GL_LINK_STATUS, &linked);
  if (!linked) {
    GLint length = 0;
    glGetProgramiv(program_, GL_INFO_LOG_LENGTH, &length);
    std::string log((size_t)std::max(length, 1), '\0');
    glGetProgramInfoLog(program_, length, nullptr, log.data());
    error_ = "the dots program did not link: " + std::string(log.c_str());
    glDeleteProgram(program_);
    program_ = 0;
    return false;
  }
  display_size_location_ = glGetUniformLocation(program_, "u_display_size");
  pixel_ratio_location_ = glGetUniformLocation(program_, "u_pixel_ratio");

  // Point sprites must be big enough for the largest dot (the spec only promises 1 pixel): otherwise fall back.
  GLfloat point_sizes[2] = {0, 0};
  glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, point_sizes);
  max_point_size_ = point_sizes[1];
  if (max_point_size_ < min_point_size_needed) {
    error_ = "point sprites up to " + std::to_string((int)max_point_size_) + " px only";
    glDeleteProgram(program_);
    program_ = 0;
    return false;
  }

  // Our own vertex array: the backend's is restored by ImDrawCallback_ResetRenderState after we draw.
  GLint previous_array = 0, previous_buffer = 0;
  glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &previous_array);
  glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &previous_buffer);
  glGenVertexArrays(1, &vertex_array_);
  glBindVertexArray(vertex_array_);
  glGenBuffers(1, &dot_buffer_);
  glBindBuffer(GL_ARRAY_BUFFER, dot_buffer_);
  const GLsizei stride = sizeof(DotInstance);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, stride, (const void*)offsetof(DotInstance, from_x));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_FLOAT, GL_FALSE, stride, (const void*)offsetof(DotInstance, progress));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (const void*)offsetof(DotInstance, colour));
  glBindVertexArray((GLuint)previous_array);
  glBindBuffer(GL_ARRAY_BUFFER, (GLuint)previous_buffer);
  GLenum problem = glGetError();
  if (problem != GL_NO_ERROR) {
    error_ = "GL error " + std::to_string(problem) + " while setting up the dots buffers";
    return false;
  }
  return true;
}

bool DotRenderer::draw(ImDrawList* draw_list, DotBatch& batch) {
  if (batch.dots.empty()) return available();
  if (available()) {
    draw_list->AddCallback(&DotRenderer::render_callback, &batch);
    draw_list->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    batch.renderer = this;   // the callback gets the batch only
    return true;
  }
  draw_list->PushClipRect(ImVec2(batch.clip.x, batch.clip.y), ImVec2(batch.clip.z, batch.clip.w), true);
  for (const DotInstance& dot : batch.dots) {
    const ImVec2 centre = dot_position(dot);
    if (dot.ring_px > 0) draw_list->AddCircle(centre, dot.radius_px, dot.colour, 10, dot.ring_px);
    else draw_list->AddCircleFilled(centre, dot.radius_px, dot.colour, dot.radius_px > 4 ? 12 : 6);
  }
  draw_list->PopClipRect();
  return false;
}

void DotRenderer::render_callback(const ImDrawList*, const ImDrawCmd* command) {
  const DotBatch& batch = *static_cast<const DotBatch*>(command->UserCallbackData);
  if (batch.renderer) batch.renderer->render(batch, command->ClipRect);
}

void DotRenderer::render(const DotBatch& batch, ImVec4 window_clip) {
  const ImDrawData* data = ImGui::GetDrawData();
  if (!data || batch.dots.empty()) return;
  const ImVec2 scale = data->FramebufferScale;
  const int framebuffer_height = (int)(data->DisplaySize.y * scale.y);
  // Clip to the view (and to the window's clip rectangle ImGui gave this command), in framebuffer pixels, y up.
  const float min_x = std::max({batch.clip.x, window_clip.x, 0.0f}) * scale.x;
  const float max_x = std::min(batch.clip.z, window_clip.z) * scale.x;
  const float min_y = std::max({batch.clip.y, window_clip.y, 0.0f}) * scale.y;
  const float max_y = std::min(batch.clip.w, window_clip.w) * scale.y;
  if (max_x <= min_x || max_y <= min_y) return;
  glEnable(GL_SCISSOR_TEST);
  glScissor((int)min_x, framebuffer_height - (int)max_y, (int)(max_x - min_x), (int)(max_y - min_y));
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glUseProgram(program_);
  glUniform2f(display_size_location_, data->DisplaySize.x, data->DisplaySize.y);
  glUniform1f(pixel_ratio_location_, scale.x);
  glBindVertexArray(vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, dot_buffer_);
  // One upload per frame (glBufferData with the data: a fresh store, so the driver need not wait for the last
  // frame's draw; measured ~0.05 ms for 11 500 dots) and one draw.
  glBufferData(GL_ARRAY_BUFFER, (GLsizeiptr)(batch.dots.size() * sizeof(DotInstance)), batch.dots.data(),
               GL_STREAM_DRAW);
  glDrawArrays(GL_POINTS, 0, (GLsizei)batch.dots.size());
  glBindVertexArray(0);
}

}  // namespace pgweb
