// The queues model: backlog growth and M/M/c waiting against queueing theory, visibility-timeout duplicates,
// crashes between the side effect and the ack, log rebalance replay, dead-lettering of poison messages,
// idempotent consumers, backpressure, consumer scaling, and conservation of messages at any time.
// Statistical checks run several seeds and derive their tolerance from the variance of the quantity measured
// (stated beside each check); the rest are exact consequences of the model.
#include <cmath>
#include <string>

#include "engine/kernel/random.hpp"
#include "engine/models/queues/partitioner.hpp"
#include "engine/run/world.hpp"
#include "tests/unit/test_support.hpp"

using namespace pg;
using json = nlohmann::json;

namespace {

// One producer request ("produce": publish to "jobs") at rate_per_s and one queue "jobs" whose consumers call
// "worker" (one instance with enough workers that a consumer never waits there: the consumers are the servers).
json base_document(double rate_per_s, double duration_s, json worker_time, json queue) {
  json doc = {{"version", 1},
              {"name", "queue test"},
              {"seed", 1},
              {"duration_s", duration_s},
              {"workload",
               {{"arrivals", {{"rate_per_s", rate_per_s}}},
                {"keys", {{"count", 1000}, {"popularity", "uniform"}}}}},
              {"requests", json::array({{{"name", "produce"}, {"steps", json::array({{{"publish", "jobs"}}})}}})},
              {"services", json::array({{{"name", "worker"},
                                         {"instances", 1},
                                         {"workers", 512},
                                         {"queue_max", 1000000},
                                         {"service_time", worker_time}}})}};
  queue["name"] = "jobs";
  if (!queue.contains("consumers")) queue["consumers"] = json::object();
  queue["consumers"]["steps"] = json::array({{{"call", "worker"}}});
  doc["queues"] = json::array({queue});
  return doc;
}

Scenario scenario_of(const json& doc) { return test::parse_or_fail(doc.dump()); }

json exponential_ms(double mean) { return {{"dist", "exponential"}, {"mean_ms", mean}}; }
json constant_ms(double mean) { return {{"dist", "constant"}, {"mean_ms", mean}}; }

const QueueStats& stats(const Simulation& sim) { return sim.world().queues.stats()[0]; }

}  // namespace

TEST_CASE("with lambda > c mu the depth grows at lambda - c mu per second", "[queues]") {
  const double lambda = 30, mu = 10;   // per second; 100 ms mean processing
  const int c = 2;
  const double t1 = 20, t2 = 100;
  const int replications = 10;
  test::Replications slope;
  for (int r = 0; r < replications; ++r) {
    Scenario s = scenario_of(base_document(lambda, t2, exponential_ms(100),
                                           {{"kind", "sqs"}, {"visibility_timeout_ms", 3'600'000},
                                            {"max_length", 1'000'000}, {"consumers", {{"count", c}}}}));
    s.seed = 100 + (uint64_t)r;
    Simulation sim(s);
    sim.run_until(s_to_ns(t1));
    double d1 = (double)sim.world().queues.depth(0);
    sim.run_to_end();
    double d2 = (double)sim.world().queues.depth(0);
    slope.add((d2 - d1) / (t2 - t1));
    CHECK(sim.world().queues.conservation_holds(0));
  }
  // Over (t1, t2] every consumer is busy (the backlog is ~200 at t1), so the depth changes by Poisson(lambda T)
  // arrivals minus Poisson(c mu T) departures: variance (lambda + c mu) T. The mean slope over R runs has standard
  // deviation sqrt((lambda + c mu) / (T R)); allow 4 of them.
  double expected = lambda - c * mu;
  double tolerance = 4 * std::sqrt((lambda + c * mu) / ((t2 - t1) * replications));
  INFO("slope " << slope.mean() << " /s, expected " << expected << " +- " << tolerance);
  CHECK(std::fabs(slope.mean() - expected) <= tolerance);
}

TEST_CASE("with rho < 1 the mean number waiting matches the M/M/c Lq (Erlang C)", "[queues]") {
  struct Case { double lambda; int c; const char* kind; };
  const double mu = 10;   // 100 ms exponential processing through one call; prefetch 1: c servers exactly
  for (Case k : {Case{8, 1, "sqs"}, Case{24, 3, "sqs"}, Case{32, 4, "amqp"}}) {
    double a = k.lambda / mu, rho = a / k.c;
    double lq = test::erlang_c(k.c, a) * rho / (1 - rho);
    test::Replications waiting;
    for (int r = 0; r < 8; ++r) {
      Scenario s = scenario_of(base_document(k.lambda, 1000, exponential_ms(100),
                                             {{"kind", k.kind}, {"visibility_timeout_ms", 3'600'000},
                                              {"max_length", 1'000'000},
                                              {"consumers", {{"count", k.c}, {"prefetch", 1}}}}));
      s.seed = 500 + (uint64_t)r;
      Simulation sim(s);
      sim.run_to_end();
      waiting.add(sim.report()["queues"]["jobs"]["waiting_mean"].get<double>());
    }
    // As in test_queueing.cpp: 4 standard errors estimated from the replications, plus 2% for starting empty.
    double tolerance = 4 * waiting.standard_error() + 0.02 * lq;
    INFO(k.kind << " lambda " << k.lambda << " c " << k.c << ": Lq simulated " << waiting.mean() << ", Erlang C " << lq
                << " +- " << tolerance);
    CHECK(std::fabs(waiting.mean() - lq) <= tolerance);
  }
}

TEST_CASE("processing longer than the visibility timeout delivers duplicates; shorter does not", "[queues]") {
  for (int r = 0; r < 5; ++r) {
    for (double processing_ms : {1500.0, 500.0}) {
      for (bool idempotent : {false, true}) {
        // 16 consumers for 1 message/s: even with every message delivered twice (3 s of work each) no message
        // waits, so with 500 ms processing nothing can outlive the 1000 ms timeout.
        Scenario s = scenario_of(base_document(1, 60, constant_ms(processing_ms),
                                               {{"kind", "sqs"}, {"visibility_timeout_ms", 1000},
                                                {"consumers", {{"count", 16}, {"idempotent", idempotent}}}}));
        s.seed = 40 + (uint64_t)r;
        Simulation sim(s);
        sim.run_to_end();
        const QueueStats& st = stats(sim);
        INFO("processing " << processing_ms << " ms, idempotent " << idempotent << ", seed " << s.seed);
        REQUIRE(st.published > 20);
        if (processing_ms > 1000) {
          CHECK(st.duplicates > 0);
          // Each message is delivered at 0 and again at 1 s; the first delivery deletes it at 1.5 s, so exactly
          // one duplicate per message that finished both deliveries.
          if (idempotent) CHECK(st.duplicate_side_effects == 0);
          else CHECK(st.duplicate_side_effects > 0);
        } else {
          CHECK(st.duplicates == 0);
          CHECK(st.duplicate_side_effects == 0);
        }
        CHECK(sim.world().queues.conservation_holds(0));
      }
    }
  }
}

TEST_CASE("a crash between the side effect and the ack: a duplicate at least once, a loss at most once",
          "[queues]") {
  // One message per second (constant arrivals: the first at t = 1 s), one consumer, 300 ms of processing, the ack
  // reaching the broker 200 ms after it is sent.
  //   after_processing:  side effect at 1.3 s, ack at 1.5 s; a crash at 1.4 s loses the ack -> duplicate.
  //   before_processing: ack at 1.2 s, side effect at 1.3 s; a crash at 1.25 s loses the processing -> loss.
  for (const char* kind : {"sqs", "amqp", "log"}) {
    for (const char* ack : {"after_processing", "before_processing"}) {
      for (bool idempotent : {false, true}) {
        bool after = std::string(ack) == "after_processing";
        json doc = base_document(1, 5.5, constant_ms(300),
                                 {{"kind", kind}, {"visibility_timeout_ms", 1000}, {"partitions", 1},
                                  {"commit_interval_ms", 10}, {"rebalance_ms", 50},
                                  {"consumers", {{"count", 1}, {"ack", ack}, {"idempotent", idempotent},
                                                 {"ack_delay_ms", 200}}}});
        doc["workload"]["arrivals"]["process"] = "constant";
        doc["faults"] = json::array({{{"at_s", after ? 1.4 : 1.25}, {"kind", "crash"},
                                      {"target", "jobs/consumer#0"}, {"for_ms", 100}}});
        Simulation sim(scenario_of(doc));
        sim.run_to_end();
        const QueueStats& st = stats(sim);
        INFO(kind << ", " << ack << ", idempotent " << idempotent);
        CHECK(st.published == 5);
        CHECK(sim.world().queues.consumers()[0].crashes == 1);
        if (after) {
          CHECK(st.duplicates == 1);
          CHECK(st.duplicate_side_effects == (idempotent ? 0u : 1u));
          CHECK(st.lost() == 0);
          CHECK(st.side_effects == (idempotent ? 5u : 6u));
        } else {
          CHECK(st.duplicates == 0);
          CHECK(st.lost_unprocessed == 1);
          CHECK(st.side_effects == 4);
        }
        CHECK(sim.world().queues.conservation_holds(0));
      }
    }
  }
}

TEST_CASE("a log rebalance replays the messages processed since the last commit", "[queues]") {
  // 6 partitions, 3 consumers (consumer#0 owns partitions 0 and 3), commits every 1000 ms from t = 1 s, fast
  // processing (1 ms). consumer#0 dies for good at 9.99 s: its partitions restart from the commit at 9 s, so the
  // records published to them in (9 s, 9.99 s] are processed twice.
  const double lambda = 300, commit_ms = 1000, crash_s = 9.99;
  const int replications = 10;
  // Share of the uniform keys that the partitioner (mix64(key) % 6) sends to partitions 0 and 3.
  int keys_on_dead = 0;
  for (uint32_t key = 0; key < 1000; ++key) keys_on_dead += (mix64(key) % 6 == 0 || mix64(key) % 6 == 3) ? 1 : 0;
  double share = keys_on_dead / 1000.0;
  double window_s = crash_s - std::floor(crash_s * 1000 / commit_ms) * commit_ms / 1000;
  double expected = lambda * share * window_s;
  test::Replications duplicates;
  for (int r = 0; r < replications; ++r) {
    json doc = base_document(lambda, 14, constant_ms(1),
                             {{"kind", "log"}, {"partitions", 6}, {"commit_interval_ms", commit_ms},
                              {"rebalance_ms", 500}, {"consumers", {{"count", 3}}}});
    doc["faults"] = json::array({{{"at_s", crash_s}, {"kind", "crash"}, {"target", "jobs/consumer#0"}}});
    Scenario s = scenario_of(doc);
    s.seed = 900 + (uint64_t)r;
    Simulation sim(s);
    sim.run_to_end();
    const QueueStats& st = stats(sim);
    CHECK(st.rebalances == 1);
    CHECK(st.duplicates == st.duplicate_side_effects);
    CHECK(sim.world().queues.conservation_holds(0));
    duplicates.add((double)st.duplicates);
  }
  // The replayed count is Poisson(expected): the mean of R runs has standard deviation sqrt(expected / R); allow 4
  // of them, plus 1 for a record still being processed by each consumer at the commit tick or the crash (those are
  // replayed too, or not yet counted as processed; with 1 ms processing at 100/s each is there 10% of the time).
  double tolerance = 4 * std::sqrt(expected / replications) + 1;
  INFO("replayed " << duplicates.mean() << ", expected " << expected << " +- " << tolerance);
  CHECK(std::fabs(duplicates.mean() - expected) <= tolerance);
}

TEST_CASE("poison messages are dead-lettered after exactly max_receives deliveries", "[queues]") {
  for (const char* kind : {"sqs", "amqp", "log"}) {
    for (double poison : {1.0, 0.3}) {
      json doc = base_document(5, 20, exponential_ms(20),
                               {{"kind", kind}, {"visibility_timeout_ms", 200}, {"max_receives", 3},
                                {"partitions", 2}, {"commit_interval_ms", 100},
                                {"consumers", {{"count", 2}, {"prefetch", 2}, {"poison_probability", poison}}}});
      // Publishing stops at 15 s so that every message has ended by 20 s.
      doc["workload"]["arrivals"]["schedule"] = json::array({{{"at_s", 15}, {"rate_per_s", 0}}});
      Simulation sim(scenario_of(doc));
      sim.run_to_end();
      const QueueStats& st = stats(sim);
      INFO(kind << ", poison probability " << poison);
      REQUIRE(st.dead_lettered > 10);
      CHECK(st.held == 0);
      CHECK(st.lost() == 0);
      CHECK(st.published == st.acked + st.dead_lettered);
      // Good messages are delivered once (nothing else fails here), poison ones exactly max_receives times.
      CHECK(st.delivered == st.acked + 3 * st.dead_lettered);
      for (const QueueNote& n : sim.world().queues.recent_dead_letters(0)) CHECK(n.receive_count == 3);
      if (poison == 1.0) CHECK(st.acked == 0);
      CHECK(sim.world().queues.conservation_holds(0));
    }
  }
}

TEST_CASE("a pause longer than the visibility timeout makes a duplicate; idempotent consumers absorb it",
          "[queues]") {
  for (bool idempotent : {false, true}) {
    json doc = base_document(1, 8, constant_ms(100),
                             {{"kind", "sqs"}, {"visibility_timeout_ms", 1000},
                              {"consumers", {{"count", 2}, {"idempotent", idempotent}}}});
    doc["workload"]["arrivals"]["process"] = "constant";
    // The message published at 1 s goes to consumer#0 (round robin starts there), which freezes at 1.05 s for 2 s:
    // its result and ack wait until 3.05 s; the message reappears at 2 s and consumer#1 processes it again.
    doc["faults"] = json::array({{{"at_s", 1.05}, {"kind", "pause"}, {"target", "jobs/consumer#0"}, {"for_ms", 2000}}});
    Simulation sim(scenario_of(doc));
    sim.run_to_end();
    const QueueStats& st = stats(sim);
    INFO("idempotent " << idempotent);
    CHECK(st.duplicates >= 1);
    CHECK(st.duplicate_side_effects == (idempotent ? 0u : st.duplicates));
    CHECK(st.lost() == 0);
    CHECK(sim.world().queues.conservation_holds(0));
  }
}

// RabbitMQ pushes up to the prefetch to a consumer it believes is alive; a consumer in a GC pause still has
// credit, so it hoards messages that then wait out the pause. 100 messages/s over 4 AMQP consumers (20 ms each,
// a third of their capacity) for 30 s, consumer#0 frozen for 5 s at t = 10 s: with prefetch 50 about 50 messages
// (nearly 2% of the 3000) sit in its buffer for seconds, so the queue's p99 is seconds; with prefetch 1 one message
// waits (0.03%) and p99 stays at the processing time. An SQS consumer pulls, so a paused one takes nothing: the
// same pause leaves its p99 at the processing time whatever the prefetch.
TEST_CASE("an AMQP broker keeps pushing to a paused consumer up to its prefetch", "[queues]") {
  // held_at_pause / held_late: the deliveries consumer#0 holds just after it froze and 4.9 s into the pause.
  auto p99_ms = [](const char* kind, int prefetch, uint64_t seed, size_t& held_at_pause, size_t& held_late) {
    json doc = base_document(100, 30, exponential_ms(20),
                             {{"kind", kind}, {"consumers", {{"count", 4}, {"prefetch", prefetch}}}});
    doc["seed"] = seed;
    doc["faults"] = json::array({{{"at_s", 10}, {"kind", "pause"}, {"target", "jobs/consumer#0"}, {"for_ms", 5000}}});
    Simulation sim(scenario_of(doc));
    const Queues& queues = sim.world().queues;
    sim.run_until(s_to_ns(10) + 1);
    held_at_pause = queues.in_flight(queues.queue_consumers(0)[0]);
    sim.run_until(s_to_ns(14.9));
    held_late = queues.in_flight(queues.queue_consumers(0)[0]);
    sim.run_to_end();
    CHECK(sim.world().queues.conservation_holds(0));
    return sim.report()["queues"]["jobs"]["end_to_end_ms"]["p99"].get<double>();
  };
  for (uint64_t seed : {1, 2, 3, 4, 5}) {
    INFO("seed " << seed);
    size_t start50 = 0, held50 = 0, start1 = 0, held1 = 0, sqs_start = 0, sqs_held = 0;
    double amqp50 = p99_ms("amqp", 50, seed, start50, held50), amqp1 = p99_ms("amqp", 1, seed, start1, held1);
    double sqs50 = p99_ms("sqs", 50, seed, sqs_start, sqs_held);
    CHECK(start50 < 10);
    CHECK(held50 == 50);            // the broker filled the frozen consumer's prefetch
    CHECK(held1 == 1);
    CHECK(sqs_held == sqs_start);   // a frozen SQS consumer receives nothing new
    CHECK(amqp50 - amqp1 > 2000);
    CHECK(amqp1 < 200);
    CHECK(sqs50 < 200);
  }
}

TEST_CASE("a full queue rejects, drops or blocks its publishers", "[queues]") {
  for (const char* on_full : {"reject", "drop", "block"}) {
    // 50/s into a queue drained at 20/s, at most 30 messages.
    json doc = base_document(50, 20, exponential_ms(100),
                             {{"kind", "sqs"}, {"max_length", 30}, {"on_full", on_full},
                              {"consumers", {{"count", 2}}}});
    Simulation sim(scenario_of(doc));
    sim.run_to_end();
    const QueueStats& st = stats(sim);
    json report = sim.report();
    INFO(on_full);
    CHECK(st.depth_tw.max_value <= 30);
    CHECK(sim.world().queues.conservation_holds(0));
    std::string mode = on_full;
    if (mode == "reject") {
      CHECK(st.rejected > 0);
      CHECK(report["requests"]["produce"]["failed_by"]["queue_full"].get<uint64_t>() == st.rejected);
      CHECK(st.lost() == 0);
    } else if (mode == "drop") {
      CHECK(st.rejected == 0);
      CHECK(st.lost_dropped > 0);
      CHECK(report["requests"]["produce"]["failed"].get<uint64_t>() == 0);
    } else {
      CHECK(st.blocked > 0);
      CHECK(st.lost() == 0);
      CHECK(st.rejected == 0);
      // Blocked publishers are requests still in flight: backpressure reaches the caller.
      CHECK(report["requests"]["produce"]["in_flight"].get<int64_t>() > 100);
    }
  }
}

TEST_CASE("scaling consumers with a set intervention drains a backlog", "[queues]") {
  for (const char* kind : {"sqs", "amqp", "log"}) {
    json doc = base_document(40, 60, exponential_ms(100),
                             {{"kind", kind}, {"partitions", 8}, {"rebalance_ms", 500},
                              {"consumers", {{"count", 2}}}});
    doc["interventions"] = json::array({{{"at_s", 20}, {"kind", "set"}, {"path", "/queues/jobs/consumers/count"},
                                         {"value", 8}},
                                        {{"at_s", 50}, {"kind", "set"}, {"path", "/queues/jobs/consumers/count"},
                                         {"value", 6}}});
    Scenario s = scenario_of(doc);
    Simulation sim(s);
    sim.run_until(s_to_ns(20));
    int64_t backlog = sim.world().queues.depth(0);
    sim.run_until(s_to_ns(45));
    int64_t later = sim.world().queues.depth(0);
    sim.run_to_end();
    INFO(kind << ": depth " << backlog << " at 20 s, " << later << " at 45 s");
    CHECK(backlog > 200);    // 2 consumers serve 20/s of the 40/s
    CHECK(later < 100);      // 8 serve 80/s
    json report = sim.report();
    CHECK(report["queues"]["jobs"]["consumers"].get<int>() == 6);
    CHECK(sim.world().queues.conservation_holds(0));
    if (std::string(kind) == "log") CHECK(stats(sim).rebalances == 2);
  }
}

TEST_CASE("messages are conserved at random times under crashes, pauses, scaling and poison", "[queues]") {
  Rng pick = Rng::for_stream(7, "queue conservation");
  for (const char* kind : {"sqs", "amqp", "log"}) {
    for (const char* ack : {"after_processing", "before_processing"}) {
      json doc = base_document(60, 30, exponential_ms(60),
                               {{"kind", kind}, {"visibility_timeout_ms", 400}, {"max_receives", 3},
                                {"max_length", 200}, {"on_full", "drop"}, {"partitions", 5},
                                {"commit_interval_ms", 300}, {"rebalance_ms", 200}, {"retention_s", 3},
                                {"consumers", {{"count", 4}, {"prefetch", 3}, {"ack", ack}, {"ack_delay_ms", 30},
                                               {"poison_probability", 0.05}}}});
      doc["faults"] = json::array({{{"at_s", 3}, {"kind", "crash"}, {"target", "jobs/consumer#1"}, {"for_ms", 2000}},
                                   {{"at_s", 6}, {"kind", "pause"}, {"target", "jobs/consumers"}, {"for_ms", 1500}},
                                   {{"at_s", 12}, {"kind", "crash"}, {"target", "jobs/consumers"}, {"for_ms", 500}},
                                   {{"at_s", 8}, {"kind", "slow"}, {"target", "worker"}, {"factor", 5},
                                    {"for_ms", 3000}}});
      doc["interventions"] = json::array({{{"at_s", 15}, {"kind", "set"}, {"path", "/queues/jobs/consumers/count"},
                                           {"value", 1}},
                                          {{"at_s", 20}, {"kind", "set"}, {"path", "/queues/jobs/consumers/count"},
                                           {"value", 5}}});
      Simulation sim(scenario_of(doc));
      INFO(kind << ", " << ack);
      while (!sim.finished()) {
        sim.run_until(sim.now_ns() + (time_ns)pick.below((uint64_t)s_to_ns(1)) + 1);
        INFO("t = " << ns_to_s(sim.now_ns()) << " s");
        REQUIRE(sim.world().queues.conservation_holds(0));
      }
      const QueueStats& st = stats(sim);
      CHECK(st.published > 1000);
      CHECK(st.delivered > 0);
      CHECK(st.redeliveries > 0);
    }
  }
}

TEST_CASE("queue settings survive writing and parsing the scenario", "[queues]") {
  json doc = base_document(10, 5, exponential_ms(10),
                           {{"kind", "amqp"}, {"on_full", "block"},
                            {"consumers", {{"count", 3}, {"ack_delay_ms", 25}, {"idempotent", true}}}});
  Scenario s = scenario_of(doc);
  CHECK(s.queues[0].consumers.ack_delay_ms == 25);
  Scenario again = test::parse_or_fail(scenario_to_text(s));
  CHECK(scenario_to_json(again) == scenario_to_json(s));
  doc["queues"][0]["consumers"]["ack_delay_ms"] = -1;
  CHECK_FALSE(parse_scenario(doc.dump()).ok());
}

TEST_CASE("built-in queue scenarios show their lesson", "[queues]") {
  auto run = [](const char* file) {
    Simulation sim(test::load(file));
    sim.run_to_end();
    for (uint32_t q = 0; q < sim.world().queues.specs.size(); ++q) CHECK(sim.world().queues.conservation_holds(q));
    return sim.report()["queues"]["orders"];
  };
  json backlog = run("scenarios/queues-order-backlog.json");
  CHECK(backlog["depth_max"].get<int64_t>() > 300);
  json visibility = run("scenarios/queues-visibility-duplicates.json");
  CHECK(visibility["duplicate_side_effects"].get<uint64_t>() > 0);
  json crash = run("scenarios/queues-consumer-crash.json");
  CHECK(crash["duplicates"].get<uint64_t>() > 0);
  json poison = run("scenarios/queues-poison-dlq.json");
  CHECK(poison["dead_lettered"].get<uint64_t>() > 0);
  CHECK(poison["lost"].get<uint64_t>() == 0);
  json kafka = run("scenarios/queues-kafka-rebalance.json");
  CHECK(kafka["rebalances"].get<uint64_t>() == 2);
  CHECK(kafka["duplicates"].get<uint64_t>() > 0);
  json session = run("scenarios/queues-kafka-session-timeout.json");
  CHECK(session["session_timeouts"].get<uint64_t>() == 1);
  CHECK(session["rebalances"].get<uint64_t>() == 2);
  CHECK(session["duplicate_side_effects"].get<uint64_t>() > 0);
  CHECK(session["out_of_order"].get<uint64_t>() > 0);
}

// Kafka's murmur2, against the values Kafka's own tests expect: the six cases of UtilsTest.testMurmur2
// (apache/kafka, clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java) and the
// java_murmur2_results of librdkafka's unittest_murmur2 (confluentinc/librdkafka, src/rdmurmur2.c), which were
// taken from the Java client and cover the 1-byte tail ("kafka", "4") and the empty key that Kafka's set does not.
TEST_CASE("the murmur2 partitioner hashes as Kafka's Utils.murmur2", "[queues]") {
  struct Vector {
    const char* key;
    int32_t hash;
  };
  const Vector kafka_utils_test[] = {{"21", -973932308},
                                     {"foobar", -790332482},
                                     {"a-little-bit-long-string", -985981536},
                                     {"a-little-bit-longer-string", -1486304829},
                                     {"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58897971},
                                     {"abc", 479470107}};
  const std::pair<const char*, uint32_t> librdkafka_java_results[] = {
      {"kafka", 0xd067cf64u}, {"giberish123456789", 0x8f552b0cu}, {"1234", 0x9fc97b14u}, {"234", 0xe7c009cau},
      {"34", 0x873930dau}, {"4", 0x5a4b5ca1u}, {"PreAmbleWillBeRemoved,ThePrePartThatIs", 0x78424f1cu},
      {"reAmbleWillBeRemoved,ThePrePartThatIs", 0x4a62b377u}, {"eAmbleWillBeRemoved,ThePrePartThatIs", 0xe0e4e09eu},
      {"AmbleWillBeRemoved,ThePrePartThatIs", 0x62b8b43fu}, {"", 0x106e08d9u}};
  for (const Vector& v : kafka_utils_test) {
    INFO(v.key);
    CHECK(kafka_murmur2(v.key) == v.hash);
  }
  for (const auto& [key, hash] : librdkafka_java_results) {
    INFO(key);
    CHECK((uint32_t)kafka_murmur2(key) == hash);
  }
  // partitionForKey clears the sign bit (Utils.toPositive), it does not take the absolute value: for "21"
  // (-973932308) that is 1173551340: partition 0 of 3, 0 of 12, 3 of 7 (abs, 973932308, would give 2, 8 and 6).
  CHECK(kafka_partition("21", 3) == 0);
  CHECK(kafka_partition("21", 12) == 0);
  CHECK(kafka_partition("21", 7) == 3);
  CHECK(kafka_to_positive(INT32_MIN) == 0);
}

// With partitioner murmur2 a log queue puts key N's records where a Kafka producer would put the key "sku-N";
// the default (splitmix64) keeps the placement every scenario had before the choice existed.
TEST_CASE("a log queue with partitioner murmur2 places each key as Kafka's producer does", "[queues]") {
  bool any_differs = false;
  for (uint32_t partitions : {3u, 5u, 6u, 7u, 12u}) {
    for (const char* partitioner : {"splitmix64", "murmur2"}) {
      json doc = base_document(50, 4, constant_ms(1),
                               {{"kind", "log"}, {"partitions", partitions}, {"partitioner", partitioner}});
      doc["workload"]["keys"]["count"] = 1;   // every message carries key 0
      Simulation sim(scenario_of(doc));
      sim.run_to_end();
      const std::vector<QueuePartition>& parts = sim.world().queues.partitions(0);
      uint32_t expected = std::string(partitioner) == "murmur2" ? kafka_partition("sku-0", partitions)
                                                                : (uint32_t)(mix64(0) % partitions);
      INFO(partitioner << " over " << partitions << " partitions");
      REQUIRE(parts.size() == partitions);
      for (uint32_t p = 0; p < partitions; ++p) CHECK((parts[p].end_offset > 0) == (p == expected));
      if (std::string(partitioner) == "murmur2") any_differs |= expected != (uint32_t)(mix64(0) % partitions);
    }
  }
  CHECK(any_differs);   // the option changes the placement for some partition count
}

// ---- Kafka's consumer group: session.timeout.ms, max.poll.interval.ms, cooperative rebalancing, ordering --------

namespace {

// 6 partitions, 3 consumers (consumer#0 owns partitions 0 and 3 in the first assignment), 1 ms processing,
// commits every 1000 ms, rebalances of 500 ms; `extra` adds or overrides queue fields.
json group_document(double duration_s, json extra) {
  json queue = {{"kind", "log"}, {"partitions", 6}, {"commit_interval_ms", 1000}, {"rebalance_ms", 500},
                {"consumers", {{"count", 3}}}};
  for (auto& [k, v] : extra.items()) queue[k] = v;
  return base_document(300, duration_s, constant_ms(1), queue);
}

// Records consumer `index` processed since its partitions' last commit: what a new owner processes again.
uint64_t uncommitted_processed(const Simulation& sim, uint32_t index) {
  const Queues& queues = sim.world().queues;
  uint32_t consumer = queues.queue_consumers(0)[index];
  uint64_t n = 0;
  for (uint32_t p : queues.consumers()[consumer].partitions) {
    const QueuePartition& part = queues.partitions(0)[p];
    n += part.consumed - part.committed;
  }
  return n;
}

}  // namespace

TEST_CASE("a log consumer paused past session_timeout_ms leaves the group and its uncommitted records are "
          "processed again; a shorter pause or no session timeout does nothing",
          "[queues][kafka]") {
  // consumer#0 pauses at 9.99 s (commits every 1 s, so it processed ~0.99 s of its partitions' records since the
  // last commit). Session timeout 10 s: a 15 s pause expires the session at 19.99 s, its partitions go to the
  // others from the commit at 9 s; a 8 s pause, or no session timeout, leaves the group alone.
  const double pause_at_s = 9.99;
  for (int r = 0; r < 5; ++r) {
    for (double pause_ms : {15000.0, 8000.0}) {
      for (bool with_session : {true, false}) {
        json doc = group_document(30, with_session ? json{{"session_timeout_ms", 10000}} : json::object());
        doc["faults"] = json::array(
            {{{"at_s", pause_at_s}, {"kind", "pause"}, {"target", "jobs/consumer#0"}, {"for_ms", pause_ms}}});
        Scenario s = scenario_of(doc);
        s.seed = 1300 + (uint64_t)r;
        Simulation sim(s);
        sim.run_until(s_to_ns(pause_at_s) + 1);
        const uint64_t replay = uncommitted_processed(sim, 0);
        sim.run_to_end();
        const QueueStats& st = stats(sim);
        INFO("seed " << s.seed << ", pause " << pause_ms << " ms, session timeout " << with_session);
        CHECK(sim.world().queues.conservation_holds(0));
        if (with_session && pause_ms > 10000) {
          CHECK(st.session_timeouts == 1);
          CHECK(st.rebalances == 2);   // it leaves, then rejoins when it resumes
          // Every record it processed after its last commit is processed again by the new owner; besides those,
          // only a record being processed at a revocation can be replayed: consumer#0's at the pause and one per
          // live consumer at each of the two rebalances (2 + 2).
          // About 300/s x 2/6 of the keys x 0.99 s = 99 (Poisson, sd 10): 50 is 5 sd below.
          CHECK(replay > 50);
          CHECK(st.duplicates >= replay);
          CHECK(st.duplicates <= replay + 5);
        } else {
          CHECK(st.session_timeouts == 0);
          CHECK(st.rebalances == 0);
          CHECK(st.duplicates == 0);
        }
      }
    }
  }
}

TEST_CASE("max_poll_interval_ms: slow processing leaves the group, and the session timeout does not catch it",
          "[queues][kafka]") {
  // From 5 s for 2 s the worker is 300 times slower: a record takes 300 ms... 10 ms x 300 = 3000 ms. The heartbeat
  // thread keeps the session alive (session timeout 1 s is not hit), but max.poll.interval.ms 1000 is: every
  // consumer that starts a record in the slow window leaves the group. With max_poll_interval_ms 5000 (above the
  // 3 s records) nobody leaves; without it neither.
  for (int r = 0; r < 5; ++r) {
    for (double interval_ms : {1000.0, 5000.0, 0.0}) {
      json extra = {{"session_timeout_ms", 1000}};
      if (interval_ms > 0) extra["max_poll_interval_ms"] = interval_ms;
      json doc = group_document(20, extra);
      doc["services"][0]["service_time"] = constant_ms(10);
      doc["faults"] = json::array(
          {{{"at_s", 5}, {"kind", "slow"}, {"target", "worker"}, {"factor", 300}, {"for_ms", 2000}}});
      Scenario s = scenario_of(doc);
      s.seed = 1400 + (uint64_t)r;
      Simulation sim(s);
      sim.run_to_end();
      const QueueStats& st = stats(sim);
      INFO("seed " << s.seed << ", max_poll_interval_ms " << interval_ms);
      CHECK(st.session_timeouts == 0);
      CHECK(sim.world().queues.conservation_holds(0));
      if (interval_ms == 1000) {
        CHECK(st.poll_interval_exits >= 1);
        CHECK(st.rebalances >= 2);   // a leave and a rejoin
      } else {
        CHECK(st.poll_interval_exits == 0);
        CHECK(st.rebalances == 0);
      }
    }
  }
  // The other way round: a GC pause (3 s) freezes the heartbeat thread as well, so the 1 s session timeout expires.
  json doc = group_document(20, {{"session_timeout_ms", 1000}, {"max_poll_interval_ms", 5000}});
  doc["faults"] = json::array({{{"at_s", 5}, {"kind", "pause"}, {"target", "jobs/consumer#1"}, {"for_ms", 3000}}});
  Simulation sim(scenario_of(doc));
  sim.run_to_end();
  CHECK(stats(sim).session_timeouts == 1);
  CHECK(stats(sim).poll_interval_exits == 0);
}

TEST_CASE("cooperative rebalancing stops only the partitions that move; eager stops them all", "[queues][kafka]") {
  // consumer#0 (partitions 0 and 3) crashes for good at 10 s; rebalance_ms 2000. Eager: all 6 partitions stop for
  // 2 s and nothing new is processed in (10 s, 12 s). Cooperative: only the 2 orphaned partitions stop; consumers
  // #1 and #2 keep their partitions and go on processing them during the rebalance.
  int keys_kept = 0;   // keys on partitions 1, 2, 4, 5 (mix64(key) % 6)
  for (uint32_t key = 0; key < 1000; ++key) keys_kept += (mix64(key) % 3 != 0) ? 1 : 0;
  const double expected_coop = 300 * (keys_kept / 1000.0) * 2;   // records published to kept partitions in 2 s
  test::Replications coop_processed;
  for (int r = 0; r < 5; ++r) {
    for (const char* mode : {"eager", "cooperative"}) {
      json doc = group_document(20, {{"rebalance", mode}, {"rebalance_ms", 2000}});
      doc["faults"] = json::array({{{"at_s", 10}, {"kind", "crash"}, {"target", "jobs/consumer#0"}}});
      Scenario s = scenario_of(doc);
      s.seed = 1500 + (uint64_t)r;
      Simulation sim(s);
      auto processed = [&] {
        uint64_t n = 0;
        for (const QueueConsumer& c : sim.world().queues.consumers()) n += c.processed;
        return n;
      };
      sim.run_until(s_to_ns(10) + 1);
      uint64_t before = processed();
      sim.run_until(s_to_ns(12) - 1);
      uint64_t during = processed() - before;
      sim.run_to_end();
      const QueueStats& st = stats(sim);
      INFO("seed " << s.seed << ", " << mode);
      CHECK(st.rebalances == 1);
      CHECK(sim.world().queues.conservation_holds(0));
      if (std::string(mode) == "eager") {
        CHECK(st.partition_pause_ns == 6 * ms_to_ns(2000));
        CHECK(during <= 2);   // only the records the two live consumers were processing at the revocation
      } else {
        CHECK(st.partition_pause_ns == 2 * ms_to_ns(2000));
        coop_processed.add((double)during);
      }
    }
  }
  // The kept partitions' records in the window are Poisson(expected): 4 standard deviations of the mean of 5 runs,
  // plus 2 for the records in processing at either end of the window.
  double tolerance = 4 * std::sqrt(expected_coop / 5) + 2;
  INFO("processed during the cooperative rebalance " << coop_processed.mean() << ", expected " << expected_coop);
  CHECK(std::fabs(coop_processed.mean() - expected_coop) <= tolerance);
}

TEST_CASE("out-of-order processing within a partition: none normally, some after a session-timeout replay",
          "[queues][kafka]") {
  for (int r = 0; r < 5; ++r) {
    for (const char* mode : {"eager", "cooperative"}) {
      // No fault, prefetch 10: each partition is processed in offset order.
      json calm = group_document(20, {{"session_timeout_ms", 10000}, {"rebalance", mode}});
      calm["queues"][0]["consumers"]["prefetch"] = 10;
      Scenario s = scenario_of(calm);
      s.seed = 1600 + (uint64_t)r;
      Simulation quiet(s);
      quiet.run_to_end();
      INFO("seed " << s.seed << ", " << mode);
      CHECK(stats(quiet).out_of_order == 0);
      CHECK(stats(quiet).side_effects > 4000);
      CHECK(quiet.report()["queues"]["jobs"]["out_of_order"].get<uint64_t>() == 0);
      // consumer#0 paused past its session: the new owner replays records consumer#0 already processed, so
      // those partitions see lower offsets after higher ones.
      json doc = group_document(30, {{"session_timeout_ms", 10000}, {"rebalance", mode}});
      doc["faults"] =
          json::array({{{"at_s", 9.99}, {"kind", "pause"}, {"target", "jobs/consumer#0"}, {"for_ms", 15000}}});
      s = scenario_of(doc);
      s.seed = 1600 + (uint64_t)r;
      Simulation sim(s);
      sim.run_to_end();
      const QueueStats& st = stats(sim);
      CHECK(st.out_of_order > 0);
      CHECK(st.out_of_order <= st.duplicates);   // only a replayed record comes after a higher offset
      json report = sim.report()["queues"]["jobs"];
      uint64_t by_partition = 0;
      for (const json& n : report["out_of_order_by_partition"]) by_partition += n.get<uint64_t>();
      CHECK(by_partition == st.out_of_order);
      // Partitions 0 and 3 (consumer#0's) hold the replay.
      CHECK(report["out_of_order_by_partition"][0].get<uint64_t>() + report["out_of_order_by_partition"][3].get<uint64_t>() > 0);
    }
  }
}

TEST_CASE("the celery preset expands to Celery's defaults; a crash loses the started task, acks_late keeps it",
          "[queues][celery]") {
  json plain = base_document(10, 5, constant_ms(500), {{"kind", "sqs"}, {"consumers", {{"preset", "celery"}}}});
  Scenario s = scenario_of(plain);
  CHECK(s.queues[0].consumers.ack == ConsumerAck::before_processing);   // task_acks_late = False
  CHECK(s.queues[0].consumers.prefetch == 4);                            // worker_prefetch_multiplier = 4
  CHECK(s.queues[0].visibility_timeout_ms == 3'600'000);                 // Redis visibility_timeout = 3600 s
  Scenario again = test::parse_or_fail(scenario_to_text(s));
  CHECK(scenario_to_json(again) == scenario_to_json(s));
  json late = plain;
  late["queues"][0]["consumers"]["ack"] = "after_processing";   // task_acks_late = True
  late["queues"][0]["consumers"]["prefetch"] = 1;
  Scenario l = scenario_of(late);
  CHECK(l.queues[0].consumers.ack == ConsumerAck::after_processing);
  CHECK(l.queues[0].consumers.prefetch == 1);
  CHECK(l.queues[0].visibility_timeout_ms == 3'600'000);
  json wrong = plain;
  wrong["queues"][0]["kind"] = "log";
  CHECK_FALSE(parse_scenario(wrong.dump()).ok());

  // 4 consumers at 500 ms a task (8/s) behind 10/s of tasks: all of them busy, each holding a started task and
  // prefetched ones. All crash at 10 s and restart 1 s later. With the preset the started tasks are gone (acked on
  // receipt); the prefetched ones come back after the 1 h visibility timeout. With acks_late every held task comes
  // back after it. After the crash the rate drops to 1/s, so the backlog is gone long before the hour and a
  // redelivered task is delivered as soon as it is visible again.
  for (int r = 0; r < 5; ++r) {
    for (bool acks_late : {false, true}) {
      json doc = base_document(10, 3600, constant_ms(500),
                               {{"kind", "sqs"}, {"consumers", {{"preset", "celery"}, {"count", 4}}}});
      if (acks_late) doc["queues"][0]["consumers"]["ack"] = "after_processing";
      doc["workload"]["arrivals"]["schedule"] = json::array({{{"at_s", 10}, {"rate_per_s", 1}}});
      doc["faults"] = json::array({{{"at_s", 10}, {"kind", "crash"}, {"target", "jobs/consumers"}, {"for_ms", 1000}}});
      Scenario sc = scenario_of(doc);
      sc.seed = 1700 + (uint64_t)r;
      sc.duration_s = 3700;   // past the documents' 1 h limit: the redeliveries come at 3600 s after the crash
      Simulation sim(sc);
      sim.run_until(s_to_ns(10) - 1);
      uint64_t started = 0, buffered = 0;
      for (const QueueConsumer& c : sim.world().queues.consumers()) {
        started += c.current != UINT32_MAX ? 1 : 0;
        buffered += c.inbox.size();
      }
      // Every held task was received less than (prefetch + 1) x 500 ms before the crash, so none is visible again
      // before 3590 s after it.
      sim.run_until(s_to_ns(10) + s_to_ns(3590));
      INFO("seed " << sc.seed << ", acks_late " << acks_late);
      CHECK(started == 4);
      CHECK(buffered >= 4 * 3);   // at least prefetch - 1 waiting behind each started task
      CHECK(stats(sim).redeliveries == 0);
      CHECK(stats(sim).lost() == (acks_late ? 0 : started));
      sim.run_to_end();
      const QueueStats& st = stats(sim);
      CHECK(sim.world().queues.conservation_holds(0));
      if (!acks_late) {
        CHECK(st.lost_unprocessed == started);
        CHECK(st.redeliveries == buffered);
      } else {
        CHECK(st.lost() == 0);
        CHECK(st.redeliveries == started + buffered);
      }
    }
  }
}
