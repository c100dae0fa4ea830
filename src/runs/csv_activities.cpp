#include "runs/csv_activities.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "runs/clock.hpp"
#include "runs/csv_columns.hpp"
#include "runs/csv_reader.hpp"
#include "kneecheck/base/text.hpp"
#include "runs/sports.hpp"
#include "runs/text_values.hpp"

namespace kneecheck::runs {

namespace {

constexpr double kMetresPerMile = 1609.344;
constexpr std::size_t kColumnCount = static_cast<std::size_t>(Column::unit) + 1;

enum class CsvKind { strava, garmin, plain, plain_without_header, unknown };

// Every position of each column, in file order: names repeat in Strava's
// file ("Distance" in km, then in metres).
class ColumnPositions {
 public:
  void add(Column column, std::size_t position) { positions_[index(column)].push_back(position); }
  bool has(Column column) const { return !positions_[index(column)].empty(); }
  const std::vector<std::size_t>& all(Column column) const { return positions_[index(column)]; }

  // The cell of the first (or `occurrence`-th) column of that name, "" when
  // the row is short or the column absent.
  std::string_view cell(const std::vector<std::string>& row, Column column, std::size_t occurrence = 0) const {
    const auto& at = all(column);
    if (occurrence >= at.size() || at[occurrence] >= row.size()) return {};
    return trim(row[at[occurrence]]);
  }

 private:
  static std::size_t index(Column column) { return static_cast<std::size_t>(column); }
  std::array<std::vector<std::size_t>, kColumnCount> positions_;
};

ColumnPositions find_columns(const std::vector<std::string>& header, std::span<const HeaderName> names,
                             bool ignore_case) {
  ColumnPositions columns;
  for (std::size_t position = 0; position < header.size(); ++position) {
    const std::string_view cell = trim(header[position]);
    const std::string lower = to_lower(cell);
    for (const HeaderName& name : names) {
      if (ignore_case ? lower == to_lower(name.name) : cell == name.name) {
        columns.add(name.column, position);
        break;
      }
    }
  }
  return columns;
}

std::string line_where(int line) { return "line " + std::to_string(line); }

// Reads one CSV's rows into a ParsedFile, by kind.
class CsvActivities {
 public:
  CsvActivities(const FileContext& context, ParsedFile& file) : context_(context), file_(file) {}

  // Decides the kind from the first row; false when it is none.
  CsvKind classify(const std::vector<std::string>& header) {
    strava_ = find_columns(header, strava_header_names(), false);
    if (strava_.has(Column::activity_id) && strava_.has(Column::date) && strava_.has(Column::type)) {
      return CsvKind::strava;
    }
    garmin_ = find_columns(header, garmin_header_names(), false);
    if (garmin_.has(Column::type) && garmin_.has(Column::date)) return CsvKind::garmin;
    plain_ = find_columns(header, plain_header_names(), true);
    if (plain_.has(Column::date)) return CsvKind::plain;
    if (header.size() >= 2 && parse_csv_datetime(header[0]) && parse_decimal(header[1])) {
      for (std::size_t position = 0; position < 4; ++position) {
        plain_.add(std::array{Column::date, Column::distance, Column::unit, Column::gear}[position], position);
      }
      return CsvKind::plain_without_header;
    }
    return CsvKind::unknown;
  }

  bool has_column(CsvKind kind, Column column) const { return columns_of(kind).has(column); }

  // An error when the kind lacks a column it needs.
  bool has_distance(CsvKind kind, int line) {
    if (has_column(kind, Column::distance)) return true;
    add_error(file_, context_, line_where(line), "no distance column (\"Distance\", \"Distanz\" or \"distance\")");
    return false;
  }

  void read_row(CsvKind kind, const std::vector<std::string>& row, int line) {
    switch (kind) {
      case CsvKind::strava: return strava_row(row, line);
      case CsvKind::garmin: return garmin_row(row, line);
      case CsvKind::plain:
      case CsvKind::plain_without_header: return plain_row(row, line);
      case CsvKind::unknown: return;
    }
  }

 private:
  const ColumnPositions& columns_of(CsvKind kind) const {
    return kind == CsvKind::strava ? strava_ : kind == CsvKind::garmin ? garmin_ : plain_;
  }

  std::string source(int line) const { return context_.name + ":" + std::to_string(line); }

  void error(int line, std::string message) { add_error(file_, context_, line_where(line), std::move(message)); }

  std::optional<CsvDateTime> date_of(std::string_view text, int line) {
    auto parsed = parse_csv_datetime(text);
    if (!parsed) error(line, "cannot read the date \"" + std::string(text) + "\"");
    return parsed;
  }

  // Strava's first "Distance" is km (2 decimals, since 2019), a second one
  // metres: the metres when the row has them.
  std::optional<double> strava_distance_m(const std::vector<std::string>& row, int line) {
    const std::string_view metres = strava_.cell(row, Column::distance, 1);
    if (!metres.empty()) {
      if (auto value = parse_decimal(metres)) return value;
    }
    const std::string_view km = strava_.cell(row, Column::distance, 0);
    if (auto value = parse_decimal(km)) return *value * 1000;
    error(line, "cannot read the distance \"" + std::string(km.empty() ? metres : km) + "\"");
    return std::nullopt;
  }

  std::optional<double> first_duration(const ColumnPositions& columns, const std::vector<std::string>& row,
                                       std::initializer_list<Column> preference) {
    for (Column column : preference) {
      for (std::size_t occurrence = 0; occurrence < columns.all(column).size(); ++occurrence) {
        if (auto seconds = parse_duration(columns.cell(row, column, occurrence))) return seconds;
      }
    }
    return std::nullopt;
  }

  void strava_row(const std::vector<std::string>& row, int line) {
    const std::string_view type = strava_.cell(row, Column::type);
    const SportKind sport = strava_sport(type);
    const std::string_view filename = strava_.cell(row, Column::filename);
    const std::string id(strava_.cell(row, Column::activity_id));
    const std::string gear(strava_.cell(row, Column::gear));
    if (!filename.empty()) {
      const std::filesystem::path file = (context_.folder / std::filesystem::path(std::string(filename))).lexically_normal();
      file_.links.push_back(StravaLink{file, id, gear, sport == SportKind::running});
    }
    if (sport != SportKind::running) {
      ++file_.skipped_not_running;
      return;
    }
    auto date = date_of(strava_.cell(row, Column::date), line);
    auto distance = strava_distance_m(row, line);
    if (!date || !distance) return;
    // Strava does not document the zone of "Activity Date" (domain-2 §4.1);
    // exports agree with the files' UTC times, so it is read as UTC.
    Run run;
    run.start_utc = seconds_as_utc(date->time) - date->utc_offset_seconds.value_or(0);
    run.local_date = local_date_of(run.start_utc, *context_.options);
    run.distance_m = *distance;
    run.duration_s = first_duration(strava_, row, {Column::moving_time, Column::elapsed_time});
    run.sport = std::string(type);
    run.gear = gear;
    run.source = source(line);
    run.activity_id = id;
    run.format = SourceFormat::strava_csv;
    keep_run(file_, context_, std::move(run), line_where(line), true);
  }

  double unit_metres(DistanceUnit unit) const { return unit == DistanceUnit::mi ? kMetresPerMile : 1000.0; }

  Run local_run(const CsvDateTime& date, double distance_m, int line, SourceFormat format) const {
    Run run;
    if (date.utc_offset_seconds) {
      run.start_utc = seconds_as_utc(date.time) - *date.utc_offset_seconds;
      run.local_date = date.time.date;
    } else {
      run.start_utc = utc_of_local(date.time, *context_.options);
      run.local_date = date.time.date;
    }
    run.distance_m = distance_m;
    run.source = source(line);
    run.format = format;
    return run;
  }

  void garmin_row(const std::vector<std::string>& row, int line) {
    const std::string_view type = garmin_.cell(row, Column::type);
    if (garmin_sport(type) != SportKind::running) {
      ++file_.skipped_not_running;
      return;
    }
    auto date = date_of(garmin_.cell(row, Column::date), line);
    if (!date) return;
    // Garmin writes the distance in the account's unit and does not say
    // which (domain-2 §4.2): the caller's unit setting decides.
    const std::string_view distance_text = garmin_.cell(row, Column::distance);
    auto distance = parse_decimal(distance_text);
    if (!distance && distance_text != "--" && !distance_text.empty()) {
      return error(line, "cannot read the distance \"" + std::string(distance_text) + "\"");
    }
    Run run = local_run(*date, distance.value_or(0) * unit_metres(context_.options->unit), line,
                        SourceFormat::garmin_csv);
    run.duration_s = first_duration(garmin_, row, {Column::moving_time, Column::duration, Column::elapsed_time});
    run.sport = std::string(type);
    if (auto cadence = parse_decimal(garmin_.cell(row, Column::cadence)); cadence && *cadence > 0) {
      run.cadence_spm = cadence;
    }
    if (!distance) add_warning(file_, context_, line_where(line), "the run has no distance");
    keep_run(file_, context_, std::move(run), line_where(line), true);
  }

  void plain_row(const std::vector<std::string>& row, int line) {
    auto date = date_of(plain_.cell(row, Column::date), line);
    const std::string_view distance_text = plain_.cell(row, Column::distance);
    auto distance = parse_decimal(distance_text);
    if (!distance) error(line, "cannot read the distance \"" + std::string(distance_text) + "\"");
    const std::string unit = to_lower(plain_.cell(row, Column::unit));
    double metres_per_unit = unit_metres(context_.options->unit);
    if (unit == "km") {
      metres_per_unit = 1000;
    } else if (unit == "mi") {
      metres_per_unit = kMetresPerMile;
    } else if (unit == "m") {
      metres_per_unit = 1;
    } else if (!unit.empty()) {
      return error(line, "the unit \"" + unit + "\" is none of km, mi and m");
    }
    if (!date || !distance) return;
    Run run = local_run(*date, *distance * metres_per_unit, line, SourceFormat::plain_csv);
    run.sport = "run";
    run.gear = std::string(plain_.cell(row, Column::gear));
    keep_run(file_, context_, std::move(run), line_where(line), true);
  }

  const FileContext& context_;
  ParsedFile& file_;
  ColumnPositions strava_;
  ColumnPositions garmin_;
  ColumnPositions plain_;
};

std::string header_list(const std::vector<std::string>& header) {
  std::string list;
  for (std::size_t i = 0; i < header.size() && i < 8; ++i) list += (i ? ", " : "") + std::string(trim(header[i]));
  return header.size() > 8 ? list + ", ..." : list;
}

}  // namespace

ParsedFile read_activities_csv(std::string_view text, const FileContext& context, CsvRequirement requirement,
                               bool& recognised) {
  ParsedFile file;
  CsvActivities activities(context, file);
  CsvKind kind = CsvKind::unknown;
  recognised = true;
  bool first = true;
  auto failure = read_csv(text, [&](const std::vector<std::string>& row, int line) {
    if (first) {
      first = false;
      kind = activities.classify(row);
      // In a folder, a table with a date but no distance is another table
      // of an export, not a broken activities CSV.
      const bool passed_over = requirement == CsvRequirement::activities_or_none && kind == CsvKind::plain &&
                               !activities.has_column(kind, Column::distance);
      if (kind == CsvKind::unknown || passed_over) {
        if (requirement == CsvRequirement::activities_or_none) {
          recognised = false;
        } else {
          add_error(file, context, line_where(line),
                    "not an activities CSV: no date and distance columns (found: " + header_list(row) + ")");
        }
        return false;
      }
      if (!activities.has_distance(kind, line)) return false;
      if (kind != CsvKind::plain_without_header) return true;
    }
    activities.read_row(kind, row, line);
    return file.errors <= kMaxErrorsPerFile;
  });
  if (first && !failure && requirement == CsvRequirement::activities_or_none) recognised = false;
  if (!recognised) return file;
  if (failure) add_error(file, context, line_where(failure->line), failure->message);
  if (first && !failure) add_error(file, context, "", "the file is empty");
  close_problems(file, context);
  discard_runs_of_failed(file);
  return file;
}

}  // namespace kneecheck::runs
