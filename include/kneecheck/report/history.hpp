// history_report: past check-ins as `kneecheck history` shows them — a table
// and a small chart for people, JSON or CSV for programs. It only formats.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/history/history.hpp"

namespace kneecheck {

struct HistoryTextOptions {
  std::size_t width = 80;
  bool unicode = false;  // block characters in the chart, a dash for unknown pain
  std::size_t max_rows = 30;  // check-ins the chart shows at most: the latest
};

// "No check-ins yet." when there are none. Otherwise one line per check-in,
// oldest first (date, pain out of 10, the most likely cause and whether it
// tied, what to do in words), then pain at each check-in as a bar with its
// date and value, and the scores over time of up to three causes that scored
// highest (the latest max_rows check-ins).
std::string render_history_text(const std::vector<CheckIn>& check_ins, const HistoryTextOptions& options);

// Every field of every check-in, in the order given; the shape is documented
// in docs/history.md.
nlohmann::ordered_json history_to_json(const std::vector<CheckIn>& check_ins);

// RFC 4180 CSV with a header row: date, pain, top_cause, escalation,
// red_flags (ids separated by spaces), rules_id, rules_version, then one
// score_<cause id> column per cause any check-in scored, by id.
std::string render_history_csv(const std::vector<CheckIn>& check_ins);

}  // namespace kneecheck
