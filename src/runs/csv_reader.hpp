// csv_reader: rows of a CSV text, with the line each starts on (libcsv).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kneecheck::runs {

struct CsvFailure {
  int line = 0;
  std::string message;
};

// Called for every row with its fields and the 1-based line it starts on;
// returns false to stop reading.
using CsvRowHandler = std::function<bool(const std::vector<std::string>& fields, int line)>;

// Reads `text` (RFC 4180: quoted fields may hold commas, quotes and line
// breaks). A UTF-8 byte order mark is skipped; a header line with
// semicolons and no comma makes ';' the separator, as spreadsheets in
// decimal-comma locales save. Blank lines are passed over. Quotes that do
// not close, or stray quotes in an unquoted field, are a failure at their
// line.
std::optional<CsvFailure> read_csv(std::string_view text, const CsvRowHandler& on_row);

}  // namespace kneecheck::runs
