#include "kneecheck/history/history.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>
#include <system_error>

#include <fmt/format.h>

#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/runs/import.hpp"

namespace kneecheck {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// "kncK" in the file header marks the database as kneecheck's, so that
// another program's SQLite file is refused rather than migrated into.
constexpr int kApplicationId = 0x6b6e634b;

// How long an add waits for another process's transaction to end.
constexpr int kBusyTimeoutMs = 10000;

struct Migration {
  int version;  // the user_version the step brings the database to
  std::string_view sql;
};

// Applied in order, each in one transaction together with its user_version,
// so a database is always at exactly one version. A released step is never
// edited: a change of shape is a new step.
constexpr Migration kMigrations[] = {
    // One row per check-in; the causes, red flags and answers as JSON.
    {1, R"sql(
PRAGMA application_id = 1802396491;
CREATE TABLE check_ins (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  date TEXT NOT NULL CHECK (date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  recorded_at TEXT NOT NULL,
  rules_id TEXT NOT NULL,
  rules_version TEXT NOT NULL,
  escalation TEXT NOT NULL CHECK (escalation IN ('urgent', 'soon', 'routine', 'self_care')),
  red_flags TEXT NOT NULL,
  any_cause_indicated INTEGER NOT NULL CHECK (any_cause_indicated IN (0, 1)),
  scores TEXT NOT NULL,
  answers TEXT NOT NULL
);
)sql"},
    // The tracked pain gets a column of its own, which scoring and the chart
    // read, and listing by date an index. Version 1 did not record which
    // question the rules tracked: the default rules track pain_running, so
    // their rows take it from the stored answers; other rows stay unknown.
    // CASE keeps json_type from reading answers that are not JSON.
    {2, R"sql(
ALTER TABLE check_ins ADD COLUMN pain REAL;
UPDATE check_ins SET pain = json_extract(answers, '$.pain_running')
  WHERE rules_id = 'kneecheck-default'
    AND CASE WHEN json_valid(answers) THEN json_type(answers, '$.pain_running') IN ('integer', 'real') ELSE 0 END;
CREATE INDEX check_ins_by_date ON check_ins (date, id);
)sql"},
    // Recorded runs, so that later check-ins use them without importing
    // again: what the load needs and where each came from, no GPS track and
    // no heart rate. activity_id and gear are '' when unknown.
    {3, R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  start_utc INTEGER NOT NULL,
  local_date TEXT NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  distance_m REAL NOT NULL CHECK (distance_m >= 0),
  duration_s REAL,
  sport TEXT NOT NULL,
  gear TEXT NOT NULL,
  source TEXT NOT NULL,
  activity_id TEXT NOT NULL,
  cadence_spm REAL,
  format TEXT NOT NULL CHECK (format IN ('plain_csv', 'garmin_csv', 'strava_csv', 'gpx', 'tcx', 'fit'))
);
CREATE INDEX runs_by_start ON runs (start_utc, id);
)sql"},
    // The weekly check-ins of a plan: the step each leads to, its decision
    // and the answers to the check-in's own questions, NULL elsewhere.
    {4, R"sql(
ALTER TABLE check_ins ADD COLUMN plan_step INTEGER CHECK (plan_step IS NULL OR plan_step >= 1);
ALTER TABLE check_ins ADD COLUMN plan_decision TEXT
  CHECK (plan_decision IS NULL OR plan_decision IN ('progress', 'hold', 'step_back'));
ALTER TABLE check_ins ADD COLUMN plan_answers TEXT;
ALTER TABLE check_ins ADD COLUMN function_score REAL;
)sql"},
};
static_assert(std::size(kMigrations) == kHistorySchemaVersion);

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

std::string now_utc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Stored JSON never throws on text that is not UTF-8: such bytes become U+FFFD.
std::string json_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Level> level_named(std::string_view name) {
  for (Level level : {Level::urgent, Level::soon, Level::routine, Level::self_care}) {
    if (name == to_string(level)) return level;
  }
  return std::nullopt;
}

// SQLite would create the file with the process's umask; history is
// private, so the file is made here first, readable by the runner alone.
std::optional<Error> create_database_file(const fs::path& path) {
  if (auto error = create_private_folders(path.parent_path())) {
    return Error{fmt::format("{}: {}", path.string(), error->message)};
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 && errno != EEXIST) {
    return Error{fmt::format("{}: cannot create the history database: {}", path.string(), system_reason(errno))};
  }
  if (fd >= 0) ::close(fd);
  return std::nullopt;
}

class Statement {
 public:
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(statement_); }

  sqlite3_stmt* get() const { return statement_; }
  sqlite3_stmt** address() { return &statement_; }

  void bind(int index, std::string_view text) {
    sqlite3_bind_text(statement_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  void bind(int index, std::int64_t number) { sqlite3_bind_int64(statement_, index, number); }
  void bind(int index, std::optional<double> number) {
    if (number) {
      sqlite3_bind_double(statement_, index, *number);
    } else {
      sqlite3_bind_null(statement_, index);
    }
  }

  std::string text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(statement_, column));
    if (data == nullptr) return {};
    return std::string(data, static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)));
  }

 private:
  sqlite3_stmt* statement_ = nullptr;
};

// A check-in row's JSON columns, read back. Anything unexpected is named.
Result<std::vector<CauseScore>> scores_of(const json& document) {
  if (!document.is_array()) return Error{"scores is not a list"};
  std::vector<CauseScore> scores;
  for (const auto& item : document) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("title") ||
        !item["title"].is_string() || !item.contains("score") || !item["score"].is_number_integer()) {
      return Error{"a score is not {id, title, score}"};
    }
    scores.push_back({item["id"].get<std::string>(), item["title"].get<std::string>(), item["score"].get<int>()});
  }
  return scores;
}

Result<std::vector<std::string>> strings_of(const json& document) {
  if (!document.is_array()) return Error{"red_flags is not a list"};
  std::vector<std::string> strings;
  for (const auto& item : document) {
    if (!item.is_string()) return Error{"a red flag is not an id"};
    strings.push_back(item.get<std::string>());
  }
  return strings;
}

// The runs table's names of the formats; stored, so never renamed.
constexpr std::pair<runs::SourceFormat, std::string_view> kFormatColumn[] = {
    {runs::SourceFormat::plain_csv, "plain_csv"}, {runs::SourceFormat::garmin_csv, "garmin_csv"},
    {runs::SourceFormat::strava_csv, "strava_csv"}, {runs::SourceFormat::gpx, "gpx"},
    {runs::SourceFormat::tcx, "tcx"},             {runs::SourceFormat::fit, "fit"},
};

std::string_view format_column(runs::SourceFormat format) {
  for (const auto& [known, name] : kFormatColumn) {
    if (known == format) return name;
  }
  return "plain_csv";
}

std::optional<runs::SourceFormat> format_named(std::string_view name) {
  for (const auto& [format, known] : kFormatColumn) {
    if (known == name) return format;
  }
  return std::nullopt;
}

std::optional<double> optional_double(sqlite3_stmt* row, int column) {
  if (sqlite3_column_type(row, column) == SQLITE_NULL) return std::nullopt;
  return sqlite3_column_double(row, column);
}

json scores_json(const std::vector<CauseScore>& scores) {
  json list = json::array();
  for (const auto& cause : scores) list.push_back({{"id", cause.id}, {"title", cause.title}, {"score", cause.score}});
  return list;
}

}  // namespace

std::string CheckIn::top_cause() const {
  return any_cause_indicated && !scores.empty() ? scores.front().id : std::string();
}

std::filesystem::path default_history_path() {
  std::string chosen = environment("KNEECHECK_DB");
  if (!chosen.empty()) return chosen;
  fs::path data = environment("XDG_DATA_HOME");
  if (data.empty() || data.is_relative()) {
    std::string home = environment("HOME");
    if (home.empty()) return {};
    data = fs::path(home) / ".local" / "share";
  }
  return data / "kneecheck" / "history.db";
}

struct History::Impl {
  fs::path path;
  sqlite3* db = nullptr;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() { sqlite3_close_v2(db); }

  Error error(std::string_view reason) const { return Error{fmt::format("{}: {}", path.string(), reason)}; }

  // The last failure of the connection, in words a runner can act on.
  std::string reason() const {
    int code = sqlite3_extended_errcode(db);
    int system = sqlite3_system_errno(db);
    switch (code & 0xff) {
      case SQLITE_NOTADB: return "not an SQLite database, so not kneecheck's history";
      case SQLITE_CORRUPT: return "the database is damaged (SQLite: database disk image is malformed)";
      case SQLITE_FULL: return "the disk is full";
      case SQLITE_BUSY:
        return fmt::format("another process kept the database locked for over {} seconds", kBusyTimeoutMs / 1000);
      case SQLITE_READONLY: return "the database cannot be written (read-only)";
      case SQLITE_IOERR:
      case SQLITE_CANTOPEN:
        if (system != 0) return fmt::format("{} ({})", sqlite3_errmsg(db), system_reason(system));
        if (code == SQLITE_IOERR_WRITE) return "writing to the disk failed (is it full?)";
        break;
      default: break;
    }
    return sqlite3_errmsg(db);
  }

  Error database_error() const { return error(reason()); }

  std::optional<Error> exec(std::string_view sql) {
    std::string text(sql);
    if (sqlite3_exec(db, text.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK) return std::nullopt;
    return database_error();
  }

  // Ends a failed transaction. The error is taken first, as ROLLBACK would
  // replace it; `doing` says what failed, when the reason alone would not.
  Error roll_back(std::string_view doing = {}) {
    std::string why = reason();
    if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return error(doing.empty() ? why : fmt::format("{}: {}", doing, why));
  }

  std::optional<Error> prepare(Statement& statement, std::string_view sql) const {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), statement.address(), nullptr) == SQLITE_OK) {
      return std::nullopt;
    }
    return database_error();
  }

  Result<std::int64_t> single_number(std::string_view sql) const {
    Statement statement;
    if (auto failure = prepare(statement, sql)) return *failure;
    if (sqlite3_step(statement.get()) != SQLITE_ROW) return database_error();
    return static_cast<std::int64_t>(sqlite3_column_int64(statement.get(), 0));
  }

  // Refuses a file that is not kneecheck's history, or is from a newer
  // kneecheck, before anything is written to it.
  std::optional<Error> check_identity() const {
    auto application = single_number("PRAGMA application_id");
    if (!application) return application.error();
    auto version = single_number("PRAGMA user_version");
    if (!version) return version.error();
    if (*application != kApplicationId) {
      auto tables = single_number("SELECT count(*) FROM sqlite_schema");
      if (!tables) return tables.error();
      if (*application != 0 || *version != 0 || *tables != 0) {
        return error("an SQLite database of another program, not kneecheck's history");
      }
    }
    if (*version > kHistorySchemaVersion) {
      return error(fmt::format(
          "written by a newer kneecheck (history version {}; this kneecheck reads up to version {}); "
          "use that kneecheck, or choose another database with --db",
          *version, kHistorySchemaVersion));
    }
    return std::nullopt;
  }

  std::optional<Error> migrate() {
    for (const auto& migration : kMigrations) {
      auto version = single_number("PRAGMA user_version");
      if (!version) return version.error();
      if (*version >= migration.version) continue;
      if (auto failure = exec("BEGIN IMMEDIATE")) return failure;
      // Another process may have migrated while this one waited for the lock.
      auto current = single_number("PRAGMA user_version");
      if (!current) return roll_back();
      if (*current < migration.version) {
        std::string step = fmt::format("{}\nPRAGMA user_version = {};", migration.sql, migration.version);
        if (sqlite3_exec(db, step.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
          return roll_back(fmt::format("cannot update the database to version {}", migration.version));
        }
      }
      if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return roll_back();
    }
    return std::nullopt;
  }

  Result<CheckIn> row(const Statement& statement) const {
    CheckIn check_in;
    sqlite3_stmt* row = statement.get();
    check_in.id = sqlite3_column_int64(row, 0);
    auto damaged = [&](std::string_view what) {
      return error(fmt::format("check-in {} is damaged: {}", check_in.id, what));
    };
    auto date = Date::parse(statement.text(1));
    if (!date) return damaged(fmt::format("date \"{}\" is not YYYY-MM-DD", statement.text(1)));
    check_in.date = *date;
    check_in.recorded_at = statement.text(2);
    if (sqlite3_column_type(row, 3) != SQLITE_NULL) check_in.pain = sqlite3_column_double(row, 3);
    auto scores = parse_json(statement.text(4));
    if (!scores) return damaged("scores is not JSON");
    auto causes = scores_of(*scores);
    if (!causes) return damaged(causes.error().message);
    check_in.scores = std::move(causes).value();
    check_in.any_cause_indicated = sqlite3_column_int(row, 5) != 0;
    auto flags = parse_json(statement.text(6));
    if (!flags) return damaged("red_flags is not JSON");
    auto flag_ids = strings_of(*flags);
    if (!flag_ids) return damaged(flag_ids.error().message);
    check_in.red_flags = std::move(flag_ids).value();
    auto level = level_named(statement.text(7));
    if (!level) return damaged(fmt::format("escalation \"{}\" is unknown", statement.text(7)));
    check_in.escalation = *level;
    check_in.rules_id = statement.text(8);
    check_in.rules_version = statement.text(9);
    auto answers = parse_json(statement.text(10));
    if (!answers || !answers->is_object()) return damaged("answers is not a JSON object");
    check_in.answers = std::move(answers).value();
    if (sqlite3_column_type(row, 11) != SQLITE_NULL) {
      check_in.plan_step = sqlite3_column_int(row, 11);
      check_in.plan_decision = statement.text(12);
      auto plan_answers = parse_json(statement.text(13));
      if (!plan_answers || !plan_answers->is_object()) return damaged("plan_answers is not a JSON object");
      check_in.plan_answers = std::move(plan_answers).value();
    }
    if (sqlite3_column_type(row, 14) != SQLITE_NULL) check_in.function_score = sqlite3_column_double(row, 14);
    return check_in;
  }

  Result<runs::Run> run_row(const Statement& statement) const {
    sqlite3_stmt* row = statement.get();
    const std::int64_t id = sqlite3_column_int64(row, 0);
    auto damaged = [&](std::string_view what) { return error(fmt::format("run {} is damaged: {}", id, what)); };
    runs::Run run;
    run.start_utc = sqlite3_column_int64(row, 1);
    auto date = Date::parse(statement.text(2));
    if (!date) return damaged(fmt::format("local_date \"{}\" is not YYYY-MM-DD", statement.text(2)));
    run.local_date = *date;
    run.distance_m = sqlite3_column_double(row, 3);
    run.duration_s = optional_double(row, 4);
    run.sport = statement.text(5);
    run.gear = statement.text(6);
    run.source = statement.text(7);
    run.activity_id = statement.text(8);
    run.cadence_spm = optional_double(row, 9);
    auto format = format_named(statement.text(10));
    if (!format) return damaged(fmt::format("format \"{}\" is unknown", statement.text(10)));
    run.format = *format;
    return run;
  }

  // Every run, oldest first; within a transaction when the caller began one.
  Result<std::vector<runs::Run>> stored_runs() const {
    Statement select;
    if (auto failure = prepare(select,
                               "SELECT id, start_utc, local_date, distance_m, duration_s, sport, gear, source, "
                               "activity_id, cadence_spm, format FROM runs ORDER BY start_utc, id")) {
      return *failure;
    }
    std::vector<runs::Run> stored;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(select.get())) == SQLITE_ROW) {
      auto run = run_row(select);
      if (!run) return run.error();
      stored.push_back(std::move(run).value());
    }
    if (step != SQLITE_DONE) return database_error();
    return stored;
  }

  // Empties the runs table and writes `kept` in its place. REQUIRES: an open
  // transaction, which the caller commits or rolls back.
  bool replace_runs(const std::vector<runs::Run>& kept) {
    if (sqlite3_exec(db, "DELETE FROM runs", nullptr, nullptr, nullptr) != SQLITE_OK) return false;
    Statement insert;
    if (prepare(insert,
                "INSERT INTO runs (start_utc, local_date, distance_m, duration_s, sport, gear, source, activity_id, "
                "cadence_spm, format) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)")) {
      return false;
    }
    for (const runs::Run& run : kept) {
      sqlite3_reset(insert.get());
      insert.bind(1, run.start_utc);
      insert.bind(2, run.local_date.to_string());
      insert.bind(3, std::optional<double>(run.distance_m));
      insert.bind(4, run.duration_s);
      insert.bind(5, run.sport);
      insert.bind(6, run.gear);
      insert.bind(7, run.source);
      insert.bind(8, run.activity_id);
      insert.bind(9, run.cadence_spm);
      insert.bind(10, format_column(run.format));
      if (sqlite3_step(insert.get()) != SQLITE_DONE) return false;
    }
    return true;
  }
};

History::History(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
History::History(History&&) noexcept = default;
History& History::operator=(History&&) noexcept = default;
History::~History() = default;

const std::filesystem::path& History::path() const {
  return impl_->path;
}

// The default rollback journal, not WAL: a transaction cut short by a crash
// or a kill leaves a hot journal that the next opener rolls back, so stored
// check-ins are never damaged (with synchronous=FULL, also on power loss).
// WAL would be as safe, but needs shared memory beside the file, which
// network home folders do not offer, and history sees one write a day.
Result<History> History::open(const std::filesystem::path& path, bool create) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  if (path.empty()) return Error{"no history database: set KNEECHECK_DB, XDG_DATA_HOME or HOME, or pass --db"};
  std::error_code ignored;
  if (fs::is_directory(path, ignored)) return impl->error("is a folder, not a history database");
  if (create) {
    if (auto error = create_database_file(path)) return *error;
  } else if (!fs::exists(path, ignored)) {
    return impl->error("no such file");
  }
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    if (impl->db == nullptr) return impl->error("out of memory");
    return impl->database_error();
  }
  sqlite3_extended_result_codes(impl->db, 1);
  sqlite3_busy_timeout(impl->db, kBusyTimeoutMs);
  // secure_delete: forgotten check-ins and runs are overwritten, not left in free pages.
  if (auto error = impl->exec("PRAGMA synchronous = FULL; PRAGMA secure_delete = ON;")) return *error;
  if (auto error = impl->check_identity()) return *error;
  if (create) {
    if (sqlite3_db_readonly(impl->db, "main") == 1) return impl->error("the database cannot be written (read-only)");
    // The journal is made beside the database, so its folder must be writable too.
    fs::path folder = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (::access(folder.c_str(), W_OK | X_OK) != 0) {
      return Error{fmt::format("{}: cannot write in the folder {}: {}", path.string(), folder.string(),
                               system_reason(errno))};
    }
  }
  if (auto error = impl->migrate()) return *error;
  return History(std::move(impl));
}

Result<std::int64_t> History::add(const CheckIn& check_in) {
  constexpr std::string_view kInsert =
      "INSERT INTO check_ins (date, recorded_at, pain, scores, any_cause_indicated, red_flags, escalation, "
      "rules_id, rules_version, answers, plan_step, plan_decision, plan_answers, function_score) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
  Statement insert;
  if (auto error = impl_->prepare(insert, kInsert)) return *error;
  insert.bind(1, check_in.date.to_string());
  insert.bind(2, check_in.recorded_at.empty() ? now_utc() : check_in.recorded_at);
  insert.bind(3, check_in.pain);
  insert.bind(4, json_text(scores_json(check_in.scores)));
  insert.bind(5, std::int64_t{check_in.any_cause_indicated ? 1 : 0});
  insert.bind(6, json_text(check_in.red_flags));
  insert.bind(7, to_string(check_in.escalation));
  insert.bind(8, check_in.rules_id);
  insert.bind(9, check_in.rules_version);
  insert.bind(10, json_text(check_in.answers.is_null() ? json::object() : check_in.answers));
  if (check_in.plan_step) {
    insert.bind(11, std::int64_t{*check_in.plan_step});
    insert.bind(12, check_in.plan_decision);
    insert.bind(13, json_text(check_in.plan_answers.is_null() ? json::object() : check_in.plan_answers));
  }
  insert.bind(14, check_in.function_score);
  if (auto error = impl_->exec("BEGIN IMMEDIATE")) return *error;
  if (sqlite3_step(insert.get()) != SQLITE_DONE) return impl_->roll_back();
  std::int64_t id = sqlite3_last_insert_rowid(impl_->db);
  if (sqlite3_exec(impl_->db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return impl_->roll_back();
  return id;
}

Result<std::vector<CheckIn>> History::check_ins() const {
  Statement select;
  if (auto error = impl_->prepare(select,
                                  "SELECT id, date, recorded_at, pain, scores, any_cause_indicated, red_flags, "
                                  "escalation, rules_id, rules_version, answers, plan_step, plan_decision, plan_answers, "
                                  "function_score "
                                  "FROM check_ins ORDER BY date, id")) {
    return *error;
  }
  std::vector<CheckIn> check_ins;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) {
    auto check_in = impl_->row(select);
    if (!check_in) return check_in.error();
    check_ins.push_back(std::move(check_in).value());
  }
  if (step != SQLITE_DONE) return impl_->database_error();
  return check_ins;
}

Result<std::vector<PastCheckIn>> History::past_before(const Date& date) const {
  Statement select;
  if (auto error = impl_->prepare(select, "SELECT date, pain FROM check_ins WHERE date < ?1 ORDER BY date, id")) {
    return *error;
  }
  select.bind(1, date.to_string());
  std::vector<PastCheckIn> past;
  int step = SQLITE_ROW;
  while ((step = sqlite3_step(select.get())) == SQLITE_ROW) {
    auto day = Date::parse(select.text(0));
    if (!day) return Error{fmt::format("{}: a check-in has no valid date", impl_->path.string())};
    std::optional<double> pain;
    if (sqlite3_column_type(select.get(), 1) != SQLITE_NULL) pain = sqlite3_column_double(select.get(), 1);
    past.push_back({*day, pain});
  }
  if (step != SQLITE_DONE) return impl_->database_error();
  return past;
}

// The simplest correct merge: the stored runs and the new ones
// de-duplicated together replace the table, inside the transaction that read
// them, so that two imports at once cannot both miss each other's runs.
Result<RunsStored> History::add_runs(std::span<const runs::Run> new_runs) {
  if (auto error = impl_->exec("BEGIN IMMEDIATE")) return *error;
  auto stored = impl_->stored_runs();
  if (!stored) {
    impl_->roll_back();
    return stored.error();
  }
  const auto before = static_cast<std::int64_t>(stored->size());
  std::vector<runs::Run> all = std::move(stored).value();
  all.insert(all.end(), new_runs.begin(), new_runs.end());
  const std::vector<runs::Run> kept = runs::deduplicate(std::move(all));
  if (!impl_->replace_runs(kept)) return impl_->roll_back("cannot store the runs");
  if (sqlite3_exec(impl_->db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) return impl_->roll_back();
  const auto total = static_cast<std::int64_t>(kept.size());
  // A new run can only join stored ones or stand alone, so the count never
  // falls; max() keeps "added" a count whatever deduplicate decides.
  return RunsStored{std::max<std::int64_t>(0, total - before), total};
}

Result<std::vector<runs::Run>> History::runs() const {
  return impl_->stored_runs();
}

Result<Forgotten> History::forget() {
  if (auto error = impl_->exec("BEGIN IMMEDIATE")) return *error;
  auto check_ins = impl_->single_number("SELECT count(*) FROM check_ins");
  if (!check_ins) return impl_->roll_back();
  auto stored_runs = impl_->single_number("SELECT count(*) FROM runs");
  if (!stored_runs) return impl_->roll_back();
  if (sqlite3_exec(impl_->db, "DELETE FROM check_ins; DELETE FROM runs;", nullptr, nullptr, nullptr) != SQLITE_OK ||
      sqlite3_exec(impl_->db, "COMMIT", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return impl_->roll_back();
  }
  return Forgotten{*check_ins, *stored_runs};
}

}  // namespace kneecheck
