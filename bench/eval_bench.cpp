// eval_bench: how fast kneecheck evaluates a JsonLogic condition.
//
//   eval_bench [--quick] [--round-ms N] [--rounds N] [TESTS_JSON]
//
// Every case of jsonlogic.com/tests.json ([rule, data, expected]; strings are
// comments) is compiled once, outside the timed loop, then evaluated against
// its data again and again. A case's figure is the best of a few rounds of ns
// per evaluation; bench/summary.js takes the geometric mean over the cases,
// which is how datalogic-rs publishes its figures. bench/eval_bench.js does
// the same for the JavaScript engines, over the same cases in the same order.
//
// Writes one JSON object to standard output:
//   {"engine": "kneecheck", "cases": N,
//    "ns": [ns per evaluation, or null for a case that did not compile],
//    "wrong": [indexes of cases whose result differs from the expected one]}
// Progress goes to standard error.
//
// TESTS_JSON defaults to ../shared/conformance/jsonlogic/jsonlogic.com/tests.json
// beside the repository.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/logic/logic.hpp"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace logic = kneecheck::logic;

#ifndef KNEECHECK_BENCH_DIR
#define KNEECHECK_BENCH_DIR "."
#endif

// Keeps the compiler from dropping evaluations whose results are unused.
volatile std::uint64_t g_sink = 0;

struct Options {
  std::string tests_path = KNEECHECK_BENCH_DIR "/../../shared/conformance/jsonlogic/jsonlogic.com/tests.json";
  double round_ms = 20;
  int rounds = 3;
};

// Runs `iterations` evaluations and returns the elapsed nanoseconds. The
// data is prepared once, as the JavaScript engines get theirs as an object
// already parsed; each evaluation gives a Value, which a caller reads or
// copies as it needs.
double time_evaluations(const logic::Expression& expression, const logic::Data& data, std::uint64_t iterations) {
  std::uint64_t sink = 0;
  logic::Scratch scratch;
  auto start = Clock::now();
  for (std::uint64_t i = 0; i < iterations; ++i) {
    logic::Value result = expression.evaluate(data, scratch);
    sink += static_cast<std::uint64_t>(result.type());
  }
  auto stop = Clock::now();
  g_sink = g_sink + sink;
  return static_cast<double>(std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count());
}

// Best ns per evaluation over `rounds` rounds of about `round_ms` each.
double measure(const logic::Expression& expression, const logic::Data& data, const Options& options) {
  const double round_ns = options.round_ms * 1e6;
  // Calibrate (and warm up): double the count until a batch takes an eighth of
  // a round.
  std::uint64_t iterations = 1;
  double elapsed = time_evaluations(expression, data, iterations);
  while (elapsed < round_ns / 8) {
    iterations *= 2;
    elapsed = time_evaluations(expression, data, iterations);
  }
  auto per_round = static_cast<std::uint64_t>(static_cast<double>(iterations) * round_ns / std::max(elapsed, 1.0));
  per_round = std::max<std::uint64_t>(per_round, 1);
  double best = elapsed / static_cast<double>(iterations);
  for (int round = 0; round < options.rounds; ++round) {
    best = std::min(best, time_evaluations(expression, data, per_round) / static_cast<double>(per_round));
  }
  return best;
}

int usage(const char* message) {
  std::cerr << "eval_bench: " << message << "\nusage: eval_bench [--quick] [--round-ms N] [--rounds N] [TESTS_JSON]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--quick") {
      options.round_ms = 4;
      options.rounds = 2;
    } else if (arg == "--round-ms" && i + 1 < argc) {
      options.round_ms = std::atof(argv[++i]);
    } else if (arg == "--rounds" && i + 1 < argc) {
      options.rounds = std::atoi(argv[++i]);
    } else if (!arg.empty() && arg[0] == '-') {
      return usage("unknown option");
    } else {
      options.tests_path = arg;
    }
  }
  if (options.round_ms <= 0 || options.rounds < 1) return usage("--round-ms and --rounds must be positive");

  std::ifstream file(options.tests_path);
  if (!file) {
    std::cerr << "eval_bench: cannot read " << options.tests_path << '\n';
    return 2;
  }
  json suite;
  try {
    suite = json::parse(file);
  } catch (const json::exception& error) {
    std::cerr << "eval_bench: " << options.tests_path << ": " << error.what() << '\n';
    return 2;
  }

  json ns = json::array();
  json wrong = json::array();
  std::size_t index = 0;
  std::size_t skipped = 0;
  for (const auto& entry : suite) {
    if (entry.is_string()) continue;
    const json& rule = entry.at(0);
    const json& data = entry.at(1);
    const json& expected = entry.at(2);
    auto compiled = logic::Expression::compile(rule);
    if (!compiled) {
      ns.push_back(nullptr);
      ++skipped;
    } else {
      logic::Data prepared = logic::Data::from_json(data);
      if (compiled->evaluate(prepared) != expected) wrong.push_back(index);
      ns.push_back(measure(*compiled, prepared, options));
    }
    ++index;
    if (index % 50 == 0) std::cerr << "  kneecheck: " << index << " cases\n";
  }
  std::cerr << "  kneecheck: " << index << " cases, " << skipped << " did not compile, " << wrong.size()
            << " gave another result than expected\n";
  json out = {{"engine", "kneecheck"}, {"cases", index}, {"ns", ns}, {"wrong", wrong}};
  std::cout << out.dump() << '\n';
  return 0;
}
