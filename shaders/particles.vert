// Vertex stage of the dots renderer (web/gl_particles.cpp): architecture-view request particles and ring-view key dots, one instanced quad each.
#version 300 es
precision highp float;

layout(location = 0) in vec2 a_corner;   // per vertex: a corner of the unit quad, (-1,-1) .. (1,1)
layout(location = 1) in vec4 a_path;     // per instance: the edge's start (xy) and end (zw), in CSS pixels
layout(location = 2) in vec4 a_motion;   // per instance: progress along the edge 0..1, lane offset px, radius px, ring px
layout(location = 3) in vec4 a_colour;   // per instance: RGBA, normalised from bytes

uniform vec2 u_display_size;             // the canvas in CSS pixels (ImGui's display size)

out vec2 v_local;                        // position inside the quad, in pixels from the dot's centre
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
  float extent = a_motion.z + 1.5;
  v_local = a_corner * extent;
  v_radius = a_motion.z;
  v_ring = a_motion.w;
  v_colour = a_colour;
  vec2 position = centre + v_local;
  gl_Position = vec4(position.x / u_display_size.x * 2.0 - 1.0, 1.0 - position.y / u_display_size.y * 2.0, 0.0, 1.0);
}
