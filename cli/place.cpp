// `playground-cli place`: key placement from the command line, and a side-by-side comparison of all algorithms.
//
//   place --algorithm A [--hash ketama|fast] [--vnodes V] [--table-size M] [--load-factor F]
//         --nodes a,b,c [--weights 1,2,1]                  reads keys on stdin, prints "key<TAB>node" per key
//   place --stats --keys N --nodes a,b,c [--weights ...] [--hash ...] [--vnodes ...] [--table-size ...]
//         [--load-factor ...] [--add-node NAME] [--remove-node NAME] [--json]
//
// Node names are what libmemcached would be given: "host" or "host:port" (port 11211 is the default and does not
// change the ketama points). Weights are a separate comma list in node order (default all 1), so names keep their
// colons. --stats places the keys "key-0" .. "key-<N-1>", then adds --add-node (default "new-node") and removes
// --remove-node (default the last node: jump can drop only its last bucket without moving other keys).
// Bad arguments: a message naming the argument on stderr, exit code 2.
#include "cli/place.hpp"

#include <charconv>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/models/caches/placement.hpp"

namespace {

constexpr uint64_t stats_keys_max = 10'000'000;
constexpr size_t bounded_stdin_keys_max = 10'000'000;  // bounded reads the whole key set into memory

struct PlaceOptions {
  pg::PlacementParams params;
  bool algorithm_given = false;
  std::vector<pg::PlacementNode> nodes;
  bool stats = false;
  bool json = false;
  uint64_t keys = 100000;
  std::string add_node = "new-node";
  std::string remove_node;  // empty: the last node
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "place: %s (try: playground-cli place --help)\n", message.c_str());
  return 2;
}

void print_help() {
  std::printf(
      "usage: playground-cli place --algorithm A --nodes a,b,c [options] < keys\n"
      "       playground-cli place --stats --nodes a,b,c [--keys N] [--json] [options]\n"
      "algorithms: modulo ring jump rendezvous maglev bounded\n"
      "options: --hash ketama|fast (default fast)   --vnodes V (ring/bounded, default 160)\n"
      "         --table-size M (maglev, prime, default 65537)   --load-factor F (bounded, default 1.25)\n"
      "         --weights 1,2,1 (node order, default 1 each)   --add-node NAME   --remove-node NAME\n"
      "nodes are \"host\" or \"host:port\" as given to libmemcached; keys are read one per line.\n");
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t comma = text.find(',', start);
    parts.emplace_back(text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (comma == std::string_view::npos) return parts;
    start = comma + 1;
  }
}

std::optional<uint64_t> parse_unsigned(std::string_view text) {
  uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// "1.25" -> 1250: a decimal with at most three fractional digits, converted to an integer once, here at the edge.
std::optional<uint32_t> parse_permille(std::string_view text) {
  const size_t dot = text.find('.');
  const std::optional<uint64_t> whole = parse_unsigned(text.substr(0, dot));
  if (!whole || *whole > 1000) return std::nullopt;
  uint64_t fraction = 0;
  if (dot != std::string_view::npos) {
    const std::string_view digits = text.substr(dot + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    const std::optional<uint64_t> parsed = parse_unsigned(digits);
    if (!parsed) return std::nullopt;
    fraction = *parsed;
    for (size_t i = digits.size(); i < 3; ++i) fraction *= 10;
  }
  return uint32_t(*whole * 1000 + fraction);
}

// Parses argv into options; returns an exit code when the run should stop (help: 0, error: 2).
std::optional<int> parse_options(int argc, char** argv, PlaceOptions& options) {
  std::string nodes_text, weights_text;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_help();
      return 0;
    }
    if (arg == "--stats") { options.stats = true; continue; }
    if (arg == "--json") { options.json = true; continue; }
    if (i + 1 >= argc) return usage_error("missing value after " + std::string(arg));
    const std::string_view value = argv[++i];
    if (arg == "--algorithm") {
      const auto algorithm = pg::parse_placement_algorithm(value);
      if (!algorithm) return usage_error("--algorithm: unknown algorithm '" + std::string(value) + "'");
      options.params.algorithm = *algorithm;
      options.algorithm_given = true;
    } else if (arg == "--hash") {
      const auto hash = pg::parse_placement_hash(value);
      if (!hash) return usage_error("--hash: expected ketama or fast, got '" + std::string(value) + "'");
      options.params.hash = *hash;
    } else if (arg == "--vnodes" || arg == "--table-size") {
      const auto number = parse_unsigned(value);
      if (!number || *number > UINT32_MAX) return usage_error(std::string(arg) + ": not a number: '" + std::string(value) + "'");
      (arg == "--vnodes" ? options.params.vnodes : options.params.table_size) = uint32_t(*number);
    } else if (arg == "--load-factor") {
      const auto permille = parse_permille(value);
      if (!permille) return usage_error("--load-factor: expected a decimal such as 1.25, got '" + std::string(value) + "'");
      options.params.load_factor_permille = *permille;
    } else if (arg == "--keys") {
      const auto keys = parse_unsigned(value);
      if (!keys || *keys < 1 || *keys > stats_keys_max)
        return usage_error("--keys: expected 1.." + std::to_string(stats_keys_max) + ", got '" + std::string(value) + "'");
      options.keys = *keys;
    } else if (arg == "--nodes") {
      nodes_text = value;
    } else if (arg == "--weights") {
      weights_text = value;
    } else if (arg == "--add-node") {
      options.add_node = value;
    } else if (arg == "--remove-node") {
      options.remove_node = value;
    } else {
      return usage_error("unknown argument '" + std::string(arg) + "'");
    }
  }
  if (nodes_text.empty()) return usage_error("--nodes is required (a comma-separated list of names)");
  for (const std::string& name : split_commas(nodes_text)) options.nodes.push_back({name, 1});
  if (!weights_text.empty()) {
    const std::vector<std::string> weights = split_commas(weights_text);
    if (weights.size() != options.nodes.size())
      return usage_error("--weights: " + std::to_string(weights.size()) + " weights for " +
                         std::to_string(options.nodes.size()) + " nodes");
    for (size_t i = 0; i < weights.size(); ++i) {
      const auto weight = parse_unsigned(weights[i]);
      if (!weight || *weight > UINT32_MAX) return usage_error("--weights: not a number: '" + weights[i] + "'");
      options.nodes[i].weight = uint32_t(*weight);
    }
  }
  if (!options.stats && !options.algorithm_given) return usage_error("--algorithm is required (or use --stats)");
  return std::nullopt;
}

// Names the argument behind a validation error.
std::string_view argument_of(pg::PlacementError error) {
  switch (error) {
    case pg::PlacementError::weight_out_of_range: return "--weights";
    case pg::PlacementError::vnodes_out_of_range:
    case pg::PlacementError::ketama_vnodes_not_multiple_of_4:
    case pg::PlacementError::too_many_ring_points: return "--vnodes";
    case pg::PlacementError::table_size_out_of_range:
    case pg::PlacementError::table_size_not_prime: return "--table-size";
    case pg::PlacementError::load_factor_out_of_range: return "--load-factor";
    case pg::PlacementError::unknown_node: return "--remove-node";
    default: return "--nodes";
  }
}

int place_keys(const PlaceOptions& options) {
  const pg::Placement placement(options.params, options.nodes);
  std::string line;
  if (options.params.algorithm != pg::PlacementAlgorithm::bounded) {
    while (std::getline(std::cin, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::printf("%s\t%s\n", line.c_str(), placement.nodes()[placement.node_for_key(line)].name.c_str());
    }
    return 0;
  }
  // Bounded loads need the whole key set: read it, then assign in input order.
  std::vector<std::string> keys;
  std::vector<uint64_t> hashes;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (keys.size() >= bounded_stdin_keys_max) return usage_error("stdin: more than 10000000 keys for bounded");
    hashes.push_back(placement.key_hash(line));
    keys.push_back(line);
  }
  const std::vector<uint32_t> owners = placement.assign(hashes);
  for (size_t k = 0; k < keys.size(); ++k)
    std::printf("%s\t%s\n", keys[k].c_str(), placement.nodes()[owners[k]].name.c_str());
  return 0;
}

struct AlgorithmRow {
  pg::PlacementAlgorithm algorithm;
  pg::LoadStats load;
  pg::MovementStats added;
  pg::MovementStats removed;
};

void print_stats_text(const PlaceOptions& options, const std::vector<AlgorithmRow>& rows, const std::string& removed) {
  std::printf("%llu keys on %zu nodes; hash %s, vnodes %u, table size %u, load factor %u.%03u\n",
              static_cast<unsigned long long>(options.keys), options.nodes.size(),
              std::string(pg::placement_hash_name(options.params.hash)).c_str(), options.params.vnodes,
              options.params.table_size, options.params.load_factor_permille / 1000,
              options.params.load_factor_permille % 1000);
  std::printf("load: keys per node over its fair share (keys * weight / total weight; jump ignores weights)\n");
  std::printf("moved +1: after adding %s; moved -1: after removing %s; ideal: the least any scheme must move\n\n",
              options.add_node.c_str(), removed.c_str());
  std::printf("%-11s %9s %12s %9s %9s %9s %9s\n", "algorithm", "max/mean", "stddev/mean", "moved +1", "ideal",
              "moved -1", "ideal");
  for (const AlgorithmRow& row : rows) {
    std::printf("%-11s %9.3f %12.3f %8.2f%% %8.2f%% %8.2f%% %8.2f%%\n",
                std::string(pg::placement_algorithm_name(row.algorithm)).c_str(), row.load.max_over_mean,
                row.load.stddev_over_mean, 100 * row.added.moved_fraction, 100 * row.added.ideal_fraction,
                100 * row.removed.moved_fraction, 100 * row.removed.ideal_fraction);
  }
}

void print_movement_json(const char* name, const pg::MovementStats& stats, bool last) {
  std::printf("\"%s\": {\"moved\": %llu, \"moved_fraction\": %.6f, \"ideal_fraction\": %.6f}%s", name,
              static_cast<unsigned long long>(stats.moved), stats.moved_fraction, stats.ideal_fraction, last ? "" : ", ");
}

std::string json_string(std::string_view text) {
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
      quoted += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\u%04x", unsigned(c));
      quoted += escaped;
    } else {
      quoted += c;
    }
  }
  return quoted + "\"";
}

void print_stats_json(const PlaceOptions& options, const std::vector<AlgorithmRow>& rows, const std::string& removed) {
  std::printf("{\"keys\": %llu, \"nodes\": %zu, \"hash\": \"%s\", \"vnodes\": %u, \"table_size\": %u, "
              "\"load_factor\": %u.%03u, \"added_node\": %s, \"removed_node\": %s, \"algorithms\": [\n",
              static_cast<unsigned long long>(options.keys), options.nodes.size(),
              std::string(pg::placement_hash_name(options.params.hash)).c_str(), options.params.vnodes,
              options.params.table_size, options.params.load_factor_permille / 1000,
              options.params.load_factor_permille % 1000, json_string(options.add_node).c_str(),
              json_string(removed).c_str());
  for (size_t i = 0; i < rows.size(); ++i) {
    const AlgorithmRow& row = rows[i];
    std::printf("  {\"algorithm\": \"%s\", \"load_max_over_mean\": %.6f, \"load_stddev_over_mean\": %.6f, ",
                std::string(pg::placement_algorithm_name(row.algorithm)).c_str(), row.load.max_over_mean,
                row.load.stddev_over_mean);
    print_movement_json("add_node", row.added, false);
    print_movement_json("remove_node", row.removed, true);
    std::printf("}%s\n", i + 1 == rows.size() ? "" : ",");
  }
  std::printf("]}\n");
}

int place_stats(PlaceOptions options) {
  std::vector<uint64_t> key_hashes;
  key_hashes.reserve(size_t(options.keys));
  for (uint64_t k = 0; k < options.keys; ++k)
    key_hashes.push_back(pg::placement_key_hash(options.params.hash, "key-" + std::to_string(k)));
  const std::string removed = options.remove_node.empty() ? options.nodes.back().name : options.remove_node;

  std::vector<AlgorithmRow> rows;
  for (pg::PlacementAlgorithm algorithm : pg::placement_algorithms) {
    pg::PlacementParams params = options.params;
    params.algorithm = algorithm;
    const pg::Placement placement(params, options.nodes);
    pg::Placement grown = placement;
    pg::Placement shrunk = placement;
    const pg::PlacementError add_error = grown.add_node({options.add_node, 1});
    if (add_error != pg::PlacementError::none)
      return usage_error("--add-node: " + std::string(pg::placement_error_message(add_error)));
    const pg::PlacementError remove_error = shrunk.remove_node(removed);
    if (remove_error != pg::PlacementError::none)
      return usage_error("--remove-node: " + std::string(pg::placement_error_message(remove_error)));
    rows.push_back({algorithm, pg::load_stats(placement.assign(key_hashes), placement),
                    pg::movement_stats(placement, grown, key_hashes), pg::movement_stats(placement, shrunk, key_hashes)});
  }
  if (options.json) {
    print_stats_json(options, rows, removed);
  } else {
    print_stats_text(options, rows, removed);
  }
  return 0;
}

}  // namespace

int cli_place(int argc, char** argv) {
  PlaceOptions options;
  if (const std::optional<int> stop = parse_options(argc, argv, options)) return *stop;
  // Validate the parameters every algorithm that will run needs: one algorithm, or all of them for --stats.
  for (pg::PlacementAlgorithm algorithm : pg::placement_algorithms) {
    if (!options.stats && algorithm != options.params.algorithm) continue;
    pg::PlacementParams params = options.params;
    params.algorithm = algorithm;
    const pg::PlacementError error = pg::Placement::validate(params, options.nodes);
    if (error != pg::PlacementError::none)
      return usage_error(std::string(argument_of(error)) + ": " + std::string(pg::placement_error_message(error)));
  }
  return options.stats ? place_stats(options) : place_keys(options);
}
