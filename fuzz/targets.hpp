// The bodies of the fuzz targets, shared by the libFuzzer entry points
// (fuzz/*_fuzz.cpp) and the regression test that replays every saved crasher
// (tests/fuzz_regressions_test.cpp). Each returns 0; a bug shows as a
// sanitizer report, an exception escaping a unit (which the units promise
// never happens) or fuzz_fail() on a broken invariant.
#pragma once

#include <cstddef>
#include <cstdint>

namespace kneecheck::fuzz {

// kneecheck::load_rules on the input as a rule file; when it loads, the
// answers template and check_answers run over the loaded rules too.
int fuzz_rules(const std::uint8_t* data, std::size_t size);

// The input as an answers file: the fast JSON parser against nlohmann, then
// parse_json, check_answers against the default rules and, when valid,
// score() and both reports.
int fuzz_answers(const std::uint8_t* data, std::size_t size);

// The input as piped lines to run_typed_interview over the default rules,
// not interactive and interactive; a completed interview is scored.
int fuzz_typed(const std::uint8_t* data, std::size_t size);

// The input as "RULE\nDATA": the rule compiled with logic::Expression::compile
// and evaluated against the data (null when missing or not JSON); when the
// data is a valid answers object, also against with_derived_values of it.
int fuzz_logic(const std::uint8_t* data, std::size_t size);

// The input as a FIT file, as GPX or TCX (XML), and as an activities CSV,
// each through kneecheck::runs::import_bytes: a file with an error gives no
// run, and every run has a finite distance and duration and is not dated
// after the options' today.
int fuzz_fit(const std::uint8_t* data, std::size_t size);
int fuzz_xml(const std::uint8_t* data, std::size_t size);
int fuzz_csv(const std::uint8_t* data, std::size_t size);

// Reports a broken invariant and aborts, so that libFuzzer keeps the input.
[[noreturn]] void fuzz_fail(const char* what);

}  // namespace kneecheck::fuzz
