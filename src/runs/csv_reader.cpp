#include "runs/csv_reader.hpp"

#include <csv.h>

#include <memory>

namespace kneecheck::runs {

namespace {

struct RowBuilder {
  const CsvRowHandler* on_row = nullptr;
  std::vector<std::string> fields;
  int line = 1;            // the line being fed to the parser
  int row_start_line = 0;  // 0 until the row's first field
  bool stopped = false;
};

void on_field(void* data, std::size_t size, void* user) {
  auto& row = *static_cast<RowBuilder*>(user);
  if (row.fields.empty()) row.row_start_line = row.line;
  row.fields.emplace_back(data == nullptr ? "" : std::string(static_cast<const char*>(data), size));
}

void on_row_end(int /*terminator*/, void* user) {
  auto& row = *static_cast<RowBuilder*>(user);
  if (!row.stopped && !row.fields.empty()) row.stopped = !(*row.on_row)(row.fields, row.row_start_line);
  row.fields.clear();
  row.row_start_line = 0;
}

struct ParserDeleter {
  void operator()(csv_parser* parser) const {
    csv_free(parser);
    delete parser;
  }
};

unsigned char separator_of(std::string_view text) {
  const std::string_view header = text.substr(0, text.find('\n'));
  return header.find(',') == std::string_view::npos && header.find(';') != std::string_view::npos ? ';' : ',';
}

CsvFailure parse_failure(csv_parser* parser, int line) {
  return CsvFailure{line, csv_error(parser) == CSV_EPARSE ? "a quote in this line does not close or stands inside a field"
                                                          : csv_strerror(csv_error(parser))};
}

}  // namespace

std::optional<CsvFailure> read_csv(std::string_view text, const CsvRowHandler& on_row) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::unique_ptr<csv_parser, ParserDeleter> parser(new csv_parser);
  if (csv_init(parser.get(), CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    return CsvFailure{0, "out of memory"};
  }
  csv_set_delim(parser.get(), separator_of(text));
  RowBuilder row;
  row.on_row = &on_row;
  // Fed a line at a time, so that a row knows the line it starts on.
  std::size_t position = 0;
  while (position < text.size() && !row.stopped) {
    const std::size_t newline = text.find('\n', position);
    const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
    const std::size_t length = end - position;
    if (csv_parse(parser.get(), text.data() + position, length, on_field, on_row_end, &row) != length) {
      return parse_failure(parser.get(), row.row_start_line > 0 ? row.row_start_line : row.line);
    }
    position = end;
    ++row.line;
  }
  if (row.stopped) return std::nullopt;
  const int last_line = row.line;
  if (csv_fini(parser.get(), on_field, on_row_end, &row) != 0) {
    return CsvFailure{row.row_start_line > 0 ? row.row_start_line : last_line - 1,
                      "the file ends inside a quoted field"};
  }
  return std::nullopt;
}

}  // namespace kneecheck::runs
