// Fragment stage of the dots renderer (web/gl_particles.cpp): a round, antialiased dot, or a ring when v_ring > 0, cut from a point sprite.
#version 300 es
precision mediump float;

in float v_extent;
in float v_radius;
in float v_ring;
in vec4 v_colour;

uniform highp float u_pixel_ratio;       // as in the vertex stage (the precisions must match): the antialiasing edge is one device pixel

out vec4 out_colour;

void main() {
  vec2 local = (gl_PointCoord * 2.0 - 1.0) * v_extent;   // pixels from the dot's centre
  float distance_px = length(local);
  float edge = 0.5 / u_pixel_ratio;
  float coverage = clamp((v_radius - distance_px) / (2.0 * edge) + 0.5, 0.0, 1.0);
  if (v_ring > 0.0) coverage *= clamp((distance_px - (v_radius - v_ring)) / (2.0 * edge) + 0.5, 0.0, 1.0);
  if (coverage <= 0.0) discard;
  out_colour = vec4(v_colour.rgb, v_colour.a * coverage);
}
