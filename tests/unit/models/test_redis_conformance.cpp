// Conformance of the lock model's Redis keyspace (engine/models/locks/redis_keyspace.hpp, the class the lock model
// runs every SET NX PX, DEL, compare-and-delete and renewal through) with a real redis-server: the test starts
// redis-server on a free loopback port (no persistence: --save '' --appendonly no), replays generated command traces
// against it and against a RedisKeyspace whose clock is the test's own (milliseconds since the trace began, real
// time), and requires the same reply to every command: exactly for SET NX [PX], GET, DEL, the compare-and-delete
// Lua script and the renewal script, within 3 ms for PTTL (the server's clock has millisecond steps and the command
// reaches it a little after we read ours; on a busy machine the time a command was on its way is added, for the
// command that set the TTL and for the PTTL itself). A command on a key within 10 ms (plus that time) of its expiry
// waits until it is that far past it, so no answer depends on which side of the expiry the server's clock was. TTLs and steps are tens of milliseconds:
// the test runs about 4 s, a few hundred commands, and stops the server itself.
//
// redis-server comes from Debian's package (scripts/install-deps.sh installs it). When it is missing or does not
// start, the test says SKIPPED in capitals on the console and on standard error (and ./test repeats it above its
// summary); it never passes quietly without having compared anything.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fcntl.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/models/locks/redis_keyspace.hpp"

namespace pg {
namespace {

using Clock = std::chrono::steady_clock;

// The scripts, as the Redis docs give them ("Distributed locks with Redis"; the renewal is Redisson's watchdog
// script for a plain string value).
const char* const compare_and_delete_script =
    "if redis.call('get',KEYS[1]) == ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end";
const char* const renew_script =
    "if redis.call('get',KEYS[1]) == ARGV[1] then return redis.call('pexpire',KEYS[1],ARGV[2]) else return 0 end";

// PG_REDIS_SERVER names the binary when it is not on the PATH (or, set to a missing file, shows the SKIPPED path).
std::string find_redis_server() {
  if (const char* chosen = std::getenv("PG_REDIS_SERVER")) return access(chosen, X_OK) == 0 ? chosen : "";
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  dirs += ":/usr/bin:/usr/sbin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::string candidate = dirs.substr(start, end - start) + "/redis-server";
    if (end > start && access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return "";
}

// A loopback port nobody listens on right now (the kernel's pick for port 0).
int free_port() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t length = sizeof addr;
  int port = 0;
  if (bind(fd, (sockaddr*)&addr, sizeof addr) == 0 && getsockname(fd, (sockaddr*)&addr, &length) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

// One RESP reply: a simple string (+), an error (-), an integer (:), a bulk string ($, or nil).
struct Reply {
  char type = 0;
  std::string text;
  int64_t integer = 0;
  bool nil = false;
};

// A plain POSIX-socket RESP client, enough for this test: commands as arrays of bulk strings, one reply each.
class RespClient {
 public:
  bool connect_to(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons((uint16_t)port);
    if (connect(fd_, (sockaddr*)&addr, sizeof addr) != 0) {
      close(fd_);
      fd_ = -1;
      return false;
    }
    int one = 1;
    setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    timeval timeout{2, 0};   // a reply that takes 2 s means something is wrong: fail rather than hang
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    return true;
  }
  ~RespClient() {
    if (fd_ >= 0) close(fd_);
  }
  // Sends one command; the reply, or nothing when the connection failed.
  std::optional<Reply> command(const std::vector<std::string>& args) {
    std::string out = "*" + std::to_string(args.size()) + "\r\n";
    for (const std::string& a : args) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
    size_t sent = 0;
    while (sent < out.size()) {
      ssize_t n = send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) return std::nullopt;
      sent += (size_t)n;
    }
    std::string line;
    if (!read_line(line) || line.empty()) return std::nullopt;
    Reply r;
    r.type = line[0];
    std::string rest = line.substr(1);
    switch (r.type) {
      case '+':
      case '-': r.text = rest; return r;
      case ':': r.integer = std::stoll(rest); return r;
      case '$': {
        int64_t length = std::stoll(rest);
        if (length < 0) {
          r.nil = true;
          return r;
        }
        std::string body;
        if (!read_bytes((size_t)length + 2, body)) return std::nullopt;
        r.text = body.substr(0, (size_t)length);
        return r;
      }
      default: return std::nullopt;   // arrays are not used here
    }
  }

 private:
  bool fill() {
    char chunk[4096];
    ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer_.append(chunk, (size_t)n);
    return true;
  }
  bool read_line(std::string& line) {
    size_t end;
    while ((end = buffer_.find("\r\n")) == std::string::npos)
      if (!fill()) return false;
    line = buffer_.substr(0, end);
    buffer_.erase(0, end + 2);
    return true;
  }
  bool read_bytes(size_t count, std::string& out) {
    while (buffer_.size() < count)
      if (!fill()) return false;
    out = buffer_.substr(0, count);
    buffer_.erase(0, count);
    return true;
  }
  int fd_ = -1;
  std::string buffer_;
};

// redis-server as a child process of the test, stopped (by its process id) when this goes out of scope.
class RedisServer {
 public:
  // Empty when it started; otherwise why not.
  std::string start() {
    std::string binary = find_redis_server();
    if (binary.empty()) return "redis-server is not installed (Debian package redis-server; scripts/install-deps.sh)";
    for (int attempt = 0; attempt < 3; ++attempt) {
      port_ = free_port();
      if (port_ == 0) return "no free loopback port";
      std::string port = std::to_string(port_);
      pid_ = fork();
      if (pid_ < 0) return "fork failed";
      if (pid_ == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) {
          dup2(null, 1);
          dup2(null, 2);
        }
        execl(binary.c_str(), binary.c_str(), "--port", port.c_str(), "--bind", "127.0.0.1", "--save", "",
              "--appendonly", "no", "--daemonize", "no", "--dir", "/tmp", "--loglevel", "warning",
              (char*)nullptr);
        _exit(127);
      }
      // Up to 3 s for it to accept connections.
      for (int i = 0; i < 150; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {   // it exited (the port was taken after all?)
          pid_ = -1;
          break;
        }
        RespClient probe;
        if (probe.connect_to(port_)) {
          std::optional<Reply> pong = probe.command({"PING"});
          if (pong && pong->text == "PONG") return "";
        }
      }
      stop();
    }
    return "redis-server did not start on a loopback port";
  }
  int port() const { return port_; }
  void stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  ~RedisServer() { stop(); }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

enum class Command { set_nx_px, set_nx, get, del, compare_and_delete, renew, pttl };
const char* const command_names[] = {"SET NX PX", "SET NX", "GET", "DEL", "compare-and-delete", "renew", "PTTL"};

struct TraceStats {
  int commands = 0, compared_pttl = 0, set_ok = 0, set_taken = 0, cad_hits = 0, renew_hits = 0, expired_seen = 0;
};

// One trace: `count` commands on `keys` keys with values from two clients, steps of 0 to 25 ms.
void run_trace(RespClient& redis, uint64_t seed, int count, uint32_t keys, TraceStats& stats) {
  std::mt19937_64 rng(seed);
  auto pick = [&](uint64_t n) { return rng() % n; };
  const std::string prefix = "pg-conformance:" + std::to_string(seed) + ":";
  RedisKeyspace model;
  // Per key: how long the command that last set its TTL was on its way (the server set it somewhen in there).
  std::vector<time_ns> slack(keys, 0);
  const Clock::time_point start = Clock::now();
  auto now_ns = [&]() { return (time_ns)std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count(); };
  constexpr time_ns margin = 10 * ns_per_ms;
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pick(26)));
    const uint32_t key = (uint32_t)pick(keys);
    const uint64_t value = 1 + pick(2);                    // one of two clients
    const int64_t ttl_ms = 40 + 10 * (int64_t)pick(12);    // 40 to 150 ms
    const uint64_t roll = pick(100);
    Command c = roll < 25 ? Command::set_nx_px : roll < 30 ? Command::set_nx : roll < 45 ? Command::get
              : roll < 53 ? Command::del : roll < 70 ? Command::compare_and_delete : roll < 82 ? Command::renew
              : Command::pttl;
    // Away from the key's expiry by the margin on both sides, so both clocks agree on whether it is there.
    if (const RedisEntry* entry = model.find(key); entry && entry->expires_ns != time_never) {
      time_ns now = now_ns();
      const time_ns before = entry->expires_ns - margin, after = entry->expires_ns + margin + slack[key];
      if (now > before && now < after) {
        std::this_thread::sleep_for(std::chrono::nanoseconds(after - now));
        ++stats.expired_seen;
      }
    }
    const std::string name = prefix + std::to_string(key);
    const std::string text = std::to_string(value);
    const time_ns now = now_ns();
    INFO("command " << i << ": " << command_names[(int)c] << " " << name << " value " << text << " ttl " << ttl_ms
                    << " ms at " << ns_to_ms(now) << " ms");
    std::optional<Reply> reply;
    auto took = [&]() { return now_ns() - now; };   // read right after the reply
    switch (c) {
      case Command::set_nx_px: {
        reply = redis.command({"SET", name, text, "NX", "PX", std::to_string(ttl_ms)});
        REQUIRE(reply);
        bool model_ok = model.set_nx_px(key, value, ttl_ms * ns_per_ms, now) != nullptr;
        if (model_ok) slack[key] = took();
        CHECK((reply->type == '+' && reply->text == "OK") == model_ok);
        CHECK((reply->type == '$' && reply->nil) == !model_ok);
        ++(model_ok ? stats.set_ok : stats.set_taken);
        break;
      }
      case Command::set_nx: {
        reply = redis.command({"SET", name, text, "NX"});
        REQUIRE(reply);
        bool model_ok = model.set_nx_px(key, value, time_never, now) != nullptr;
        CHECK((reply->type == '+' && reply->text == "OK") == model_ok);
        CHECK((reply->type == '$' && reply->nil) == !model_ok);
        break;
      }
      case Command::get: {
        reply = redis.command({"GET", name});
        REQUIRE(reply);
        REQUIRE(reply->type == '$');
        std::optional<uint64_t> model_value = model.get(key, now);
        CHECK(reply->nil == !model_value.has_value());
        if (model_value && !reply->nil) CHECK(reply->text == std::to_string(*model_value));
        break;
      }
      case Command::del: {
        reply = redis.command({"DEL", name});
        REQUIRE(reply);
        REQUIRE(reply->type == ':');
        CHECK(reply->integer == model.del(key, now));
        break;
      }
      case Command::compare_and_delete: {
        reply = redis.command({"EVAL", compare_and_delete_script, "1", name, text});
        REQUIRE(reply);
        REQUIRE(reply->type == ':');
        int model_result = model.compare_and_delete(key, value, now);
        CHECK(reply->integer == model_result);
        stats.cad_hits += model_result;
        break;
      }
      case Command::renew: {
        reply = redis.command({"EVAL", renew_script, "1", name, text, std::to_string(ttl_ms)});
        REQUIRE(reply);
        REQUIRE(reply->type == ':');
        int model_result = model.pexpire_if_value(key, value, ttl_ms * ns_per_ms, now);
        if (model_result) slack[key] = took();
        CHECK(reply->integer == model_result);
        stats.renew_hits += model_result;
        break;
      }
      case Command::pttl: {
        reply = redis.command({"PTTL", name});
        const time_ns pttl_took = took();
        REQUIRE(reply);
        REQUIRE(reply->type == ':');
        int64_t expected = model.pttl_ms(key, now);
        if (expected < 0) {
          CHECK(reply->integer == expected);
        } else {
          const int64_t tolerance = 3 + (slack[key] + pttl_took) / ns_per_ms;
          INFO("PTTL: redis " << reply->integer << " ms, model " << expected << " ms, tolerance " << tolerance);
          CHECK(reply->integer >= 0);
          CHECK(std::llabs(reply->integer - expected) <= tolerance);
          ++stats.compared_pttl;
        }
        break;
      }
    }
    ++stats.commands;
  }
}

}  // namespace

TEST_CASE("the lock model's Redis keyspace answers as a real redis-server on the same command traces",
          "[conformance][locks]") {
  RedisServer server;
  std::string problem = server.start();
  if (!problem.empty()) {
    std::fprintf(stderr, "\n*** SKIPPED: Redis conformance test: %s ***\n\n", problem.c_str());
    WARN("SKIPPED: Redis conformance test not run: " << problem);
    return;
  }
  RespClient redis;
  REQUIRE(redis.connect_to(server.port()));
  std::optional<Reply> version = redis.command({"INFO", "server"});
  REQUIRE(version);
  INFO("redis-server on 127.0.0.1:" << server.port());
  TraceStats stats;
  for (uint64_t seed : {1, 2}) {
    INFO("trace " << seed);
    run_trace(redis, seed, 110, 3, stats);
  }
  server.stop();
  // The traces reached the interesting cases: keys taken and free, scripts that matched and did not, live TTLs.
  INFO(stats.commands << " commands: SET NX ok " << stats.set_ok << ", taken " << stats.set_taken
                      << "; compare-and-delete hits " << stats.cad_hits << "; renewals " << stats.renew_hits
                      << "; PTTL compared " << stats.compared_pttl << "; waited past an expiry "
                      << stats.expired_seen);
  CHECK(stats.commands == 220);
  CHECK(stats.set_ok > 10);
  CHECK(stats.set_taken > 5);
  CHECK(stats.cad_hits > 3);
  CHECK(stats.renew_hits > 3);
  CHECK(stats.compared_pttl > 5);
}

}  // namespace pg
