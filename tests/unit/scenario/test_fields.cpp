// The field tables: every row reads, writes and resolves as it declares, and a `set` clamps to the row's range,
// the same range the validator enforces.
#include <catch2/catch.hpp>

#include <string>

#include "engine/scenario/parameter_path.hpp"
#include "engine/scenario/scenario_fields.hpp"
#include "engine/scenario/schema.hpp"

namespace {

pg::Scenario one_of_each() {
  pg::ScenarioParse parse = pg::parse_scenario(R"({"version":1,"workload":{"arrivals":{"rate_per_s":1}},
    "requests":[{"name":"r","steps":[{"call":"api"}]}],"services":[{"name":"api","instances":2}],
    "caches":[{"name":"pc","nodes":["a","b"]}],"locks":[{"name":"inventory","kind":"redlock"}],
    "queues":[{"name":"orders"}]})");
  REQUIRE(parse.ok());
  return parse.scenario;
}

// A document with one field of one item set to a value, parsed.
pg::ScenarioParse with_field(const std::string& path, const nlohmann::json& value) {
  nlohmann::json document = pg::scenario_to_json(one_of_each());
  document[nlohmann::json::json_pointer(path)] = value;
  return pg::parse_scenario(document.dump());
}

// Canonical paths as documents spell them: list items by index.
std::string document_path(const pg::FieldAddress& a) {
  std::string path = a.path;
  if (!a.item_name.empty()) {
    size_t start = path.find('/', 1) + 1;
    path.replace(start, path.find('/', start) - start, "0");
  }
  return path;
}

}  // namespace

TEST_CASE("every settable field resolves, clamps to its validator range, and others are refused", "[fields]") {
  const pg::Scenario s = one_of_each();
  int settable = 0;
  for (const pg::FieldAddress& a : pg::field_addresses(s)) {
    const pg::FieldInfo& info = *a.ref.info;
    INFO(a.path);
    pg::PathResolution set = pg::resolve_set_path(s, a.path);
    CHECK(set.ok() == info.settable);
    if (!info.settable) continue;
    ++settable;
    CHECK(set.ref.info == &info);
    if (info.alias) {
      std::string alias = a.path.substr(0, a.path.size() - std::string(info.path).size()) + info.alias;
      CHECK(pg::resolve_set_path(s, alias).ref.info == &info);
    }
    if (info.type != pg::FieldType::integer && info.type != pg::FieldType::number) continue;
    CHECK(pg::clamp_to_field(info, 1e12) == info.max);
    CHECK(pg::clamp_to_field(info, -1e12) == info.min);
    // The validator accepts the same bounds and nothing past them.
    std::string path = document_path(a);
    CHECK(with_field(path, info.max).ok());
    CHECK(with_field(path, info.min).ok());
    pg::ScenarioParse over = with_field(path, info.max + 1);
    REQUIRE(!over.ok());
    CHECK(over.errors[0].path == path);
  }
  CHECK(settable >= 17);
}

TEST_CASE("every field written differently from its default reads back the same", "[fields]") {
  const pg::Scenario s = one_of_each();
  for (const pg::FieldAddress& a : pg::field_addresses(s)) {
    const pg::FieldInfo& info = *a.ref.info;
    if (info.type != pg::FieldType::integer && info.type != pg::FieldType::number &&
        info.type != pg::FieldType::boolean && info.type != pg::FieldType::word && info.type != pg::FieldType::choice)
      continue;
    INFO(a.path);
    // Two values at the ends of the field's range: at least one differs from the default and must be written.
    std::vector<nlohmann::json> values;
    if (info.type == pg::FieldType::boolean) values = {true, false};
    else if (info.type == pg::FieldType::word || info.type == pg::FieldType::choice)
      values = {info.words[info.words.count - 1], info.words[0]};
    else if (info.type == pg::FieldType::integer) values = {(int64_t)info.max, (int64_t)info.min};
    else values = {info.max, info.min};
    const std::string path = document_path(a);
    int written_back = 0;
    for (const nlohmann::json& value : values) {
      pg::ScenarioParse parse = with_field(path, value);
      if (!parse.ok()) {
        // Only the cross-field rules may refuse a lone change: a buildable placement (a ketama ring needs vnodes a
        // multiple of 4 ...), a distribution's own rules, or the bounds on what a scenario holds (engine/scenario/cost.hpp).
        const std::string why = parse.errors[0].message;
        CHECK((path.find("/placement/") != std::string::npos || path.find("/service_time") != std::string::npos ||
               why.find("a scenario may hold at most") != std::string::npos));
        continue;
      }
      const nlohmann::json written = pg::scenario_to_json(parse.scenario);
      const nlohmann::json::json_pointer pointer(path);
      if (written.contains(pointer)) {
        CHECK(written.at(pointer) == value);
        ++written_back;
      }
      CHECK(pg::scenario_to_json(pg::parse_scenario(written.dump()).scenario) == written);
    }
    CHECK(written_back >= 1);
  }
}

TEST_CASE("the schema lists every row with the row's range", "[fields]") {
  nlohmann::json schema = pg::scenario_schema();
  auto& service = schema["$defs"]["service"]["properties"];
  for (const pg::Field<pg::ServiceSpec>& f : pg::service_fields()) {
    std::string path = f.path;
    nlohmann::json* node = &service;
    size_t slash = path.find('/');
    if (slash != std::string::npos) {
      node = &service[path.substr(0, slash)]["properties"];
      path = path.substr(slash + 1);
    }
    INFO(f.path);
    REQUIRE(node->contains(path));
    if (f.type == pg::FieldType::integer) CHECK((*node)[path]["maximum"] == (int64_t)f.max);
  }
}

TEST_CASE("each word list names its enum's values in order", "[fields]") {
  // The readers store a choice as the index of its word, so a list out of the enum's order would silently
  // read "zookeeper" as another kind. Each is checked against what the models compare with.
  for (pg::PlacementAlgorithm algorithm : pg::placement_algorithms)
    CHECK(pg::placement_algorithm_words[(int)algorithm] == pg::placement_algorithm_name(algorithm));
  CHECK(pg::placement_algorithm_words.count == (int)std::size(pg::placement_algorithms));
  CHECK(pg::placement_hash_words[(int)pg::PlacementHash::fast] == pg::placement_hash_name(pg::PlacementHash::fast));
  CHECK(pg::placement_hash_words[(int)pg::PlacementHash::ketama] ==
        pg::placement_hash_name(pg::PlacementHash::ketama));
  struct Case {
    const char* path;
    const char* word;
    int value;   // the enum value the word must read as
  };
  const Case cases[] = {
      {"/locks/0/kind", "none", (int)pg::LockKind::none},
      {"/locks/0/kind", "redis", (int)pg::LockKind::redis},
      {"/locks/0/kind", "redlock", (int)pg::LockKind::redlock},
      {"/locks/0/kind", "zookeeper", (int)pg::LockKind::zookeeper},
      {"/locks/0/kind", "atomic", (int)pg::LockKind::atomic},
      {"/locks/0/release", "compare_and_delete", (int)pg::LockRelease::compare_and_delete},
      {"/locks/0/release", "del", (int)pg::LockRelease::del},
      {"/queues/0/kind", "sqs", (int)pg::QueueKind::sqs},
      {"/queues/0/kind", "log", (int)pg::QueueKind::log},
      {"/queues/0/kind", "amqp", (int)pg::QueueKind::amqp},
      {"/queues/0/on_full", "reject", (int)pg::QueueOnFull::reject},
      {"/queues/0/on_full", "drop", (int)pg::QueueOnFull::drop},
      {"/queues/0/on_full", "block", (int)pg::QueueOnFull::block},
      {"/queues/0/consumers/ack", "after_processing", (int)pg::ConsumerAck::after_processing},
      {"/queues/0/consumers/ack", "before_processing", (int)pg::ConsumerAck::before_processing},
  };
  for (const Case& c : cases) {
    INFO(c.path << " = " << c.word);
    pg::ScenarioParse parse = with_field(c.path, c.word);
    REQUIRE(parse.ok());
    const pg::Scenario& s = parse.scenario;
    const std::string path = c.path;
    int read = path == "/locks/0/kind"       ? (int)s.locks[0].kind
               : path == "/locks/0/release"  ? (int)s.locks[0].release
               : path == "/queues/0/kind"    ? (int)s.queues[0].kind
               : path == "/queues/0/on_full" ? (int)s.queues[0].on_full
                                             : (int)s.queues[0].consumers.ack;
    CHECK(read == c.value);
    // And it writes back as the same word (or, the default, not at all).
    const nlohmann::json written = pg::scenario_to_json(s);
    const nlohmann::json::json_pointer pointer(c.path);
    if (written.contains(pointer)) {
      CHECK(written[pointer] == c.word);
    } else {
      const pg::LockSpec lock;
      const pg::QueueSpec queue;
      int fallback = path == "/locks/0/kind"       ? (int)lock.kind
                     : path == "/locks/0/release"  ? (int)lock.release
                     : path == "/queues/0/kind"    ? (int)queue.kind
                     : path == "/queues/0/on_full" ? (int)queue.on_full
                                                   : (int)queue.consumers.ack;
      CHECK(fallback == c.value);
    }
  }
}
