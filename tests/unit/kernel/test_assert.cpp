// Assertions that run (engine/kernel/assert.hpp): PG_ASSERT aborts with file:line and its message in every build, this
// test binary is a checking build (PG_CHECK on), and the checks find a broken invariant: both when called and at
// the next sample of a run. Each failure runs in a child process (fork), which must die of SIGABRT.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <string>

#include "engine/kernel/assert.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;

namespace {

struct ChildResult {
  bool aborted = false;   // killed by SIGABRT
  std::string stderr_text;
};

// Runs `body` in a forked child with default SIGABRT handling (not Catch2's) and stdout discarded.
ChildResult run_in_child(const std::function<void()>& body) {
  int pipe_fds[2];
  REQUIRE(pipe(pipe_fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    signal(SIGABRT, SIG_DFL);
    int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, 1);
    dup2(pipe_fds[1], 2);
    close(pipe_fds[0]);
    body();
    _exit(0);
  }
  close(pipe_fds[1]);
  ChildResult result;
  char buffer[512];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) result.stderr_text.append(buffer, (size_t)n);
  close(pipe_fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.aborted = WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
  return result;
}

Scenario small_shop() {
  Scenario s = test::load("tests/scenarios/mm1.json");
  s.duration_s = 5;
  return s;
}

}  // namespace

TEST_CASE("PG_ASSERT aborts with file:line, the condition and the message", "[assert]") {
  ChildResult r = run_in_child([] {
    int answer = 41;
    PG_ASSERT(answer == 42, "the answer is 42");
  });
  INFO(r.stderr_text);
  CHECK(r.aborted);
  CHECK(r.stderr_text.find("test_assert.cpp:") != std::string::npos);
  CHECK(r.stderr_text.find("answer == 42") != std::string::npos);
  CHECK(r.stderr_text.find("the answer is 42") != std::string::npos);
}

TEST_CASE("PG_ASSERT passes silently and evaluates its condition once", "[assert]") {
  int evaluated = 0;
  PG_ASSERT(++evaluated == 1, "evaluated once");
  CHECK(evaluated == 1);
}

TEST_CASE("the unit tests are a checking build: PG_CHECK runs", "[assert]") {
  STATIC_REQUIRE(checking_build);
  ChildResult r = run_in_child([] { PG_CHECK(1 + 1 == 3, "a checking build checks"); });
  INFO(r.stderr_text);
  CHECK(r.aborted);
  CHECK(r.stderr_text.find("a checking build checks") != std::string::npos);
}

TEST_CASE("check_invariants passes on a run and aborts on broken conservation", "[assert][conservation]") {
  Simulation sim(small_shop());
  sim.run_until(2 * ns_per_s + 123);
  sim.world().check_invariants();   // passes between any two events
  ChildResult r = run_in_child([] {
    World world(small_shop());
    world.advance(UINT64_MAX, 2 * ns_per_s);
    ++world.request_stats[0].completed;   // a completion from nowhere
    world.check_invariants();
  });
  INFO(r.stderr_text);
  CHECK(r.aborted);
  CHECK(r.stderr_text.find("end-to-end conservation") != std::string::npos);
}

TEST_CASE("a checking build checks conservation at every sample", "[assert][conservation]") {
  ChildResult r = run_in_child([] {
    World world(small_shop());
    world.advance(UINT64_MAX, ns_per_s / 2);   // before the first sample (1 s)
    ++world.request_stats[0].arrivals;         // an arrival nobody serves
    world.advance(UINT64_MAX, 2 * ns_per_s);   // the sample at 1 s must notice
  });
  INFO(r.stderr_text);
  CHECK(r.aborted);
  CHECK(r.stderr_text.find("end-to-end conservation") != std::string::npos);
}

TEST_CASE("a model entry point refuses an id out of range", "[assert]") {
  ChildResult r = run_in_child([] {
    World world(small_shop());
    world.services.crash(world, 999, true);
  });
  INFO(r.stderr_text);
  CHECK(r.aborted);
  CHECK(r.stderr_text.find("instance out of range") != std::string::npos);
}

TEST_CASE("the kernel refuses to schedule an event in the past", "[assert][kernel]") {
  ChildResult r = run_in_child([] {
    Kernel kernel;
    kernel.schedule(100, 1, 0);
    Event e;
    kernel.pop_next(time_never, e);
    kernel.schedule(50, 1, 0);
  });
  INFO(r.stderr_text);
  CHECK(r.aborted);
  CHECK(r.stderr_text.find("scheduled in the past") != std::string::npos);
}
