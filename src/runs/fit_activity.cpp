#include "runs/fit_activity.hpp"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runs/clock.hpp"
#include "runs/fit_decoder.hpp"
#include "runs/sports.hpp"

namespace kneecheck::runs {

namespace {

// Message and field numbers of the FIT profile 21.202 (domain-2 §4.5;
// session field 18 and 92 from the same profile: avg_cadence, in
// strides/min when the sport is running, and its fraction in 1/128).
namespace msg {
constexpr std::uint16_t file_id = 0, sport = 12, session = 18, lap = 19, record = 20, activity = 34;
}
namespace field {
constexpr std::uint8_t file_type = 0;
constexpr std::uint8_t session_start_time = 2, session_sport = 5, session_sub_sport = 6, session_elapsed = 7,
                       session_timer = 8, session_distance = 9, session_cadence = 18, session_fractional_cadence = 92;
constexpr std::uint8_t lap_sport = 25, lap_sub_sport = 39;
constexpr std::uint8_t sport_sport = 0, sport_sub_sport = 1;
constexpr std::uint8_t record_cadence = 4, record_distance = 5, record_fractional_cadence = 53;
constexpr std::uint8_t activity_local_timestamp = 5;
}  // namespace field
constexpr std::uint16_t kActivityFile = 4;
constexpr double kDistanceScale = 100;  // cm
constexpr double kTimeScale = 1000;     // ms

std::optional<std::uint8_t> as_byte(std::optional<double> value) {
  if (!value || *value < 0 || *value > 255) return std::nullopt;
  return static_cast<std::uint8_t>(*value);
}

// A time or count that the profile makes a uint32; a file may define the
// field with another base type, whose value need not fit.
std::optional<std::uint32_t> as_u32(std::optional<double> value) {
  if (!value || *value < 0 || *value > 4294967295.0) return std::nullopt;
  return static_cast<std::uint32_t>(*value);
}

std::string byte_where(std::size_t offset) { return "byte " + std::to_string(offset); }

struct Session {
  std::size_t offset = 0;
  std::optional<std::uint32_t> start_time;
  std::optional<std::uint32_t> timestamp;
  std::optional<std::uint8_t> sport;
  std::optional<std::uint8_t> sub_sport;
  std::optional<double> distance_m;
  std::optional<double> timer_s;
  std::optional<double> elapsed_s;
  std::optional<double> strides_per_minute;
};

// What the records say, for a file without a session.
struct Records {
  std::size_t count = 0;
  std::size_t first_offset = 0;
  std::optional<std::uint32_t> first_time;
  std::optional<std::uint32_t> last_time;
  double max_distance_m = 0;
  double cadence_sum = 0;  // strides/min over records with a cadence
  std::size_t cadence_count = 0;
};

// Gathers, message by message, what the runs need.
class ActivityCollector {
 public:
  void add(const fit::Message& message) {
    switch (message.global()) {
      case msg::file_id: return file_id(message);
      case msg::session: return session(message);
      case msg::record: return record(message);
      case msg::activity: return activity(message);
      case msg::sport: return sport(message, field::sport_sport, field::sport_sub_sport);
      case msg::lap: return sport(message, field::lap_sport, field::lap_sub_sport);
      default: return;
    }
  }

  std::vector<std::uint16_t> file_types;
  std::vector<Session> sessions;
  Records records;
  std::optional<int> utc_offset_seconds;
  std::optional<std::uint8_t> file_sport;
  std::optional<std::uint8_t> file_sub_sport;

 private:
  void file_id(const fit::Message& message) {
    auto type = message.value(field::file_type);
    // An enum, one byte; a file that defines it wider is not one we know.
    if (type && *type >= 0 && *type <= 0xFFFF) file_types.push_back(static_cast<std::uint16_t>(*type));
  }

  void session(const fit::Message& message) {
    Session parsed;
    parsed.offset = message.offset();
    parsed.start_time = as_u32(message.value(field::session_start_time));
    parsed.timestamp = message.timestamp();
    parsed.sport = as_byte(message.value(field::session_sport));
    parsed.sub_sport = as_byte(message.value(field::session_sub_sport));
    if (auto distance = message.value(field::session_distance)) parsed.distance_m = *distance / kDistanceScale;
    if (auto timer = message.value(field::session_timer)) parsed.timer_s = *timer / kTimeScale;
    if (auto elapsed = message.value(field::session_elapsed)) parsed.elapsed_s = *elapsed / kTimeScale;
    if (auto cadence = message.value(field::session_cadence)) {
      parsed.strides_per_minute = *cadence + message.value(field::session_fractional_cadence).value_or(0) / 128;
    }
    sessions.push_back(parsed);
  }

  void record(const fit::Message& message) {
    if (records.count++ == 0) records.first_offset = message.offset();
    if (auto time = message.timestamp()) {
      if (!records.first_time) records.first_time = time;
      records.last_time = time;
    }
    if (auto distance = message.value(field::record_distance)) {
      records.max_distance_m = std::max(records.max_distance_m, *distance / kDistanceScale);
    }
    if (auto cadence = message.value(field::record_cadence); cadence && *cadence > 0) {
      records.cadence_sum += *cadence + message.value(field::record_fractional_cadence).value_or(0) / 128;
      ++records.cadence_count;
    }
  }

  // activity.local_timestamp - activity.timestamp is the device's UTC offset.
  void activity(const fit::Message& message) {
    auto local = message.value(field::activity_local_timestamp);
    auto utc = message.timestamp();
    if (!local || !utc || *utc < fit::kFirstCalendarTime) return;
    const double offset = *local - static_cast<double>(*utc);
    if (std::abs(offset) <= 18 * 3600) utc_offset_seconds = static_cast<int>(offset);
  }

  void sport(const fit::Message& message, std::uint8_t sport_field, std::uint8_t sub_sport_field) {
    if (file_sport) return;
    file_sport = as_byte(message.value(sport_field));
    file_sub_sport = as_byte(message.value(sub_sport_field));
  }
};

// Running cadence in FIT is strides (one foot) a minute; a value above 130
// can only be steps a minute already (260 steps a minute is beyond anyone).
double steps_per_minute(double per_foot) { return per_foot > 130 ? per_foot : per_foot * 2; }

class FitRuns {
 public:
  FitRuns(const ActivityCollector& collected, const FileContext& context, ParsedFile& file)
      : collected_(collected), context_(context), file_(file) {}

  void from_sessions() {
    for (std::size_t i = 0; i < collected_.sessions.size(); ++i) from_session(collected_.sessions[i]);
  }

  void from_records() {
    const Records& records = collected_.records;
    const std::string where = byte_where(records.first_offset);
    if (!records.first_time || !records.last_time) {
      return add_error(file_, context_, where, "the file has no session and its records have no time");
    }
    const SportKind kind = fit_sport(collected_.file_sport);
    if (kind == SportKind::other) {
      ++file_.skipped_not_running;
      return;
    }
    Session session;
    session.start_time = records.first_time;
    session.elapsed_s = static_cast<double>(*records.last_time) - static_cast<double>(*records.first_time);
    session.distance_m = records.max_distance_m;
    session.sport = collected_.file_sport;
    session.sub_sport = collected_.file_sub_sport;
    session.offset = records.first_offset;
    make_run(session, where, kind != SportKind::unknown);
  }

 private:
  void from_session(const Session& session) {
    const SportKind kind = fit_sport(session.sport ? session.sport : collected_.file_sport);
    if (kind == SportKind::other) {
      ++file_.skipped_not_running;
      return;
    }
    Session filled = session;
    if (!filled.sport) filled.sport = collected_.file_sport;
    if (!filled.start_time && filled.timestamp && (filled.elapsed_s || filled.timer_s)) {
      const double length = filled.elapsed_s ? *filled.elapsed_s : *filled.timer_s;
      filled.start_time = as_u32(std::floor(*filled.timestamp - length));
    }
    // A single session's missing figures can come from the records.
    if (collected_.sessions.size() == 1) {
      if (!filled.distance_m && collected_.records.max_distance_m > 0) {
        filled.distance_m = collected_.records.max_distance_m;
      }
    }
    make_run(filled, byte_where(session.offset), kind != SportKind::unknown);
  }

  void make_run(const Session& session, const std::string& where, bool sport_known) {
    if (!session.start_time) return add_error(file_, context_, where, "the session has no start time");
    if (*session.start_time < fit::kFirstCalendarTime) {
      return add_error(file_, context_, where, "the start time counts from the device's power-up, not a date");
    }
    Run run;
    run.start_utc = fit::kEpochUnixSeconds + *session.start_time;
    run.local_date = local_date_of(run.start_utc, *context_.options, collected_.utc_offset_seconds);
    run.distance_m = session.distance_m.value_or(0);
    run.duration_s = session.timer_s ? session.timer_s : session.elapsed_s;
    run.sport = fit_sport_name(session.sport, session.sub_sport);
    run.source = context_.name;
    run.format = SourceFormat::fit;
    if (session.strides_per_minute && *session.strides_per_minute > 0) {
      run.cadence_spm = steps_per_minute(*session.strides_per_minute);
    } else if (collected_.sessions.size() <= 1 && collected_.records.cadence_count > 0) {
      run.cadence_spm = steps_per_minute(collected_.records.cadence_sum /
                                         static_cast<double>(collected_.records.cadence_count));
    }
    keep_run(file_, context_, std::move(run), where, sport_known);
  }

  const ActivityCollector& collected_;
  const FileContext& context_;
  ParsedFile& file_;
};

bool is_activity(const std::vector<std::uint16_t>& file_types) {
  if (file_types.empty()) return true;  // no file_id: judged by its sessions
  for (std::uint16_t type : file_types) {
    if (type == kActivityFile) return true;
  }
  return false;
}

}  // namespace

ParsedFile read_fit(std::string_view bytes, const FileContext& context) {
  ParsedFile file;
  ActivityCollector collected;
  const fit::Outcome outcome = fit::decode(bytes, [&](const fit::Message& message) { collected.add(message); });
  if (outcome.failure) {
    std::string message = outcome.failure->message;
    if (!outcome.crc_mismatches.empty()) message += "; " + outcome.crc_mismatches.front().message + " either";
    add_error(file, context, byte_where(outcome.failure->offset), message);
    return file;
  }
  // A CRC that disagrees while every message decoded and every size agreed
  // is most likely a tool that wrote the CRC wrong: the runs are kept.
  for (const fit::Finding& mismatch : outcome.crc_mismatches) {
    add_warning(file, context, byte_where(mismatch.offset), mismatch.message + "; every message decoded, so the runs are kept");
  }
  if (outcome.trailing) add_warning(file, context, byte_where(outcome.trailing->offset), outcome.trailing->message);
  if (!is_activity(collected.file_types)) {
    add_warning(file, context, "",
                "not an activity file (FIT file type " + std::to_string(collected.file_types.front()) + "): no run in it");
    return file;
  }
  FitRuns runs(collected, context, file);
  if (!collected.sessions.empty()) {
    runs.from_sessions();
  } else if (collected.records.count > 0) {
    runs.from_records();
  } else {
    add_warning(file, context, "", "the file has neither sessions nor records: no run in it");
  }
  close_problems(file, context);
  discard_runs_of_failed(file);
  return file;
}

}  // namespace kneecheck::runs
