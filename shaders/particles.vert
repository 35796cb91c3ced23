// Vertex stage of the dots renderer (web/gl_particles.cpp): architecture-view request particles and ring-view key dots, one point sprite each.
#version 300 es
precision highp float;

// One vertex per dot, drawn as GL_POINTS: SwiftShader (headless Chromium's WebGL) pays per instance of an instanced
// draw, so 10 000 instanced quads cost far more than 10 000 points in one draw.
layout(location = 0) in vec4 a_path;     // the edge's start (xy) and end (zw), in CSS pixels
layout(location = 1) in vec4 a_motion;   // progress along the edge 0..1, lane offset px, radius px, ring px
layout(location = 2) in vec4 a_colour;   // RGBA, normalised from bytes

uniform vec2 u_display_size;             // the canvas in CSS pixels (ImGui's display size)
uniform float u_pixel_ratio;             // framebuffer pixels per CSS pixel: gl_PointSize is in framebuffer pixels

out float v_extent;                      // half the point's side, in CSS pixels
out float v_radius;
out float v_ring;
out vec4 v_colour;

void main() {
  vec2 direction = a_path.zw - a_path.xy;
  float length_px = length(direction);
  vec2 normal = length_px > 0.0 ? vec2(-direction.y, direction.x) / length_px : vec2(0.0);
  float t = clamp(a_motion.x, 0.0, 1.0);
  // Lanes spread particles across the edge in the middle and merge them at both ends, where the nodes are.
  vec2 centre = mix(a_path.xy, a_path.zw, t) + normal * a_motion.y * sin(3.14159265 * t);
  v_extent = a_motion.z + 1.0;           // the antialiased edge ends half a device pixel outside the radius
  v_radius = a_motion.z;
  v_ring = a_motion.w;
  v_colour = a_colour;
  gl_PointSize = 2.0 * v_extent * u_pixel_ratio;
  gl_Position = vec4(centre.x / u_display_size.x * 2.0 - 1.0, 1.0 - centre.y / u_display_size.y * 2.0, 0.0, 1.0);
}
