// PG_COLD_CODE marks a function that runs once per run or a few times a second, never per event: building a run,
// applying a fault, writing a report. The WebAssembly build optimises those for size (clang's minsize), so the page
// downloads less, while the per-event code keeps -O3. Results cannot change: optimisation never changes a result
// here (no fast math, no FMA contraction; docs/determinism.md). Native builds ignore it.
#pragma once

#if defined(__EMSCRIPTEN__) && defined(__clang__)
#define PG_COLD_CODE __attribute__((minsize))
#else
#define PG_COLD_CODE
#endif
