#include "kneecheck/history/history.hpp"
#include "kneecheck/engine/engine.hpp"

#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "kneecheck/report/history.hpp"
#include "kneecheck/base/text.hpp"
#include "kneecheck/runs/run.hpp"
#include "test_support.hpp"

using kneecheck::CheckIn;
using kneecheck::Date;
using kneecheck::History;
using kneecheck::Level;
using kneecheck::runs::Run;
using kneecheck::runs::SourceFormat;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

using TemporaryFolder = kneecheck::testing::TempDir;

// The database as SQLite itself sees it, for what History does not show.
class RawDatabase {
 public:
  explicit RawDatabase(const fs::path& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      throw std::runtime_error("cannot open " + path.string());
    }
  }
  ~RawDatabase() { sqlite3_close(db_); }
  RawDatabase(const RawDatabase&) = delete;
  RawDatabase& operator=(const RawDatabase&) = delete;

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message != nullptr ? message : "?";
      sqlite3_free(message);
      throw std::runtime_error(text);
    }
  }

  // The first column of every row of `sql`, as text ("NULL" for null).
  std::vector<std::string> column(const std::string& sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db_));
    }
    std::vector<std::string> values;
    while (sqlite3_step(statement) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(statement, 0);
      values.emplace_back(text == nullptr ? "NULL" : reinterpret_cast<const char*>(text));
    }
    sqlite3_finalize(statement);
    return values;
  }

  std::string value(const std::string& sql) {
    auto values = column(sql);
    return values.empty() ? std::string() : values.front();
  }

 private:
  sqlite3* db_ = nullptr;
};

CheckIn sample(const Date& date, std::optional<double> pain = 4, const std::string& note = "a") {
  CheckIn check_in;
  check_in.date = date;
  check_in.pain = pain;
  check_in.scores = {{"overuse", "Overuse and training errors", 57}, {"footwear", "Inadequate \"footwear\", old", 17}};
  check_in.any_cause_indicated = true;
  check_in.red_flags = {};
  check_in.escalation = Level::self_care;
  check_in.rules_id = "kneecheck-default";
  check_in.rules_version = "1.0.0";
  check_in.answers = {{"pain_running", 4}, {"note", note}, {"pain_location", {"front", "outer"}}};
  return check_in;
}

History open_history(const fs::path& path) {
  auto history = History::open(path);
  if (!history) FAIL("History::open: " << history.error().message);
  return std::move(history).value();
}

std::vector<CheckIn> all_check_ins(const History& history) {
  auto check_ins = history.check_ins();
  if (!check_ins) FAIL("check_ins: " << check_ins.error().message);
  return std::move(check_ins).value();
}

std::vector<std::string> notes_of(const std::vector<CheckIn>& check_ins) {
  std::vector<std::string> notes;
  for (const auto& check_in : check_ins) notes.push_back(check_in.answers.value("note", "?"));
  return notes;
}

std::string read_text(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void set_environment(const char* name, const char* value) {
  if (value == nullptr) {
    unsetenv(name);
  } else {
    setenv(name, value, 1);
  }
}

// Sets environment variables for one test and puts them back after.
class ScopedEnvironment {
 public:
  void set(const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved_.emplace_back(name, old == nullptr ? std::nullopt : std::optional<std::string>(old));
    set_environment(name, value);
  }
  ~ScopedEnvironment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      set_environment(it->first.c_str(), it->second ? it->second->c_str() : nullptr);
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// A run as an importer gives it: 2024-06-DAY at 07:00 UTC.
Run run_on(int day, double km, SourceFormat format = SourceFormat::strava_csv, const std::string& id = "") {
  Run run;
  run.start_utc = 1717225200 + static_cast<std::int64_t>(day - 1) * 86400;  // 2024-06-01T07:00:00Z
  run.local_date = Date{2024, 6, day};
  run.distance_m = km * 1000;
  run.sport = "Run";
  run.source = fmt::format("export/activities.csv:{}", day + 1);
  run.activity_id = id;
  run.format = format;
  return run;
}

std::vector<Run> all_runs(const History& history) {
  auto runs = history.runs();
  if (!runs) FAIL("runs: " << runs.error().message);
  return std::move(runs).value();
}

// Waits for a child and returns its exit code, or -signal when a signal ended it.
int wait_for(pid_t child) {
  int status = 0;
  waitpid(child, &status, 0);
  if (WIFSIGNALED(status)) return -WTERMSIG(status);
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("a check-in comes back with every field it was stored with", "[history]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  CheckIn stored = sample(Date{2026, 11, 4}, 6.5);
  stored.red_flags = {"knee_locked", "hot_red"};
  stored.escalation = Level::urgent;
  stored.recorded_at = "2026-11-04T19:20:21Z";
  stored.answers["text"] = "Ünïcödé, \"quotes\" and\nnewlines";
  auto id = history.add(stored);
  REQUIRE(id.ok());

  auto check_ins = all_check_ins(history);
  REQUIRE(check_ins.size() == 1);
  const CheckIn& read = check_ins[0];
  CHECK(read.id == *id);
  CHECK(read.date == stored.date);
  CHECK(read.recorded_at == stored.recorded_at);
  CHECK(read.pain == stored.pain);
  CHECK(read.scores == stored.scores);
  CHECK(read.any_cause_indicated == stored.any_cause_indicated);
  CHECK(read.red_flags == stored.red_flags);
  CHECK(read.escalation == Level::urgent);
  CHECK(read.rules_id == stored.rules_id);
  CHECK(read.rules_version == stored.rules_version);
  CHECK(read.answers == stored.answers);
  CHECK(read.top_cause() == "overuse");
}

TEST_CASE("unknown pain and no indicated cause are kept as such", "[history]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  CheckIn stored = sample(Date{2026, 11, 4}, std::nullopt);
  stored.any_cause_indicated = false;
  REQUIRE(history.add(stored).ok());
  auto read = all_check_ins(history).at(0);
  CHECK_FALSE(read.pain.has_value());
  CHECK_FALSE(read.any_cause_indicated);
  CHECK(read.top_cause().empty());
}

TEST_CASE("add sets recorded_at to the time it stores, in UTC", "[history]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  REQUIRE(history.add(sample(Date{2026, 11, 4})).ok());
  std::string recorded = all_check_ins(history).at(0).recorded_at;
  REQUIRE(recorded.size() == 20);
  CHECK(Date::parse(recorded.substr(0, 10)).has_value());
  CHECK(recorded[10] == 'T');
  CHECK(recorded.back() == 'Z');
}

TEST_CASE("check-ins are listed by date, then in the order they were stored", "[history]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  REQUIRE(history.add(sample(Date{2026, 11, 18}, 2, "third")).ok());
  REQUIRE(history.add(sample(Date{2026, 11, 4}, 6, "first")).ok());
  REQUIRE(history.add(sample(Date{2026, 11, 11}, 5, "second")).ok());
  REQUIRE(history.add(sample(Date{2026, 11, 4}, 6, "first, again that day")).ok());
  CHECK(notes_of(all_check_ins(history)) ==
        std::vector<std::string>{"first", "first, again that day", "second", "third"});
}

TEST_CASE("past_before reads the date and pain of the earlier check-ins only", "[history]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  REQUIRE(history.add(sample(Date{2026, 11, 18}, 2)).ok());
  REQUIRE(history.add(sample(Date{2026, 11, 4}, 6)).ok());
  REQUIRE(history.add(sample(Date{2026, 11, 11}, std::nullopt)).ok());
  auto past = history.past_before(Date{2026, 11, 18});
  REQUIRE(past.ok());
  REQUIRE(past->size() == 2);
  CHECK((*past)[0].date == Date{2026, 11, 4});
  CHECK((*past)[0].pain == 6);
  CHECK((*past)[1].date == Date{2026, 11, 11});
  CHECK_FALSE((*past)[1].pain.has_value());
  auto none = history.past_before(Date{2026, 11, 4});
  REQUIRE(none.ok());
  CHECK(none->empty());
}

TEST_CASE("forget deletes every check-in and says how many", "[history]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  for (int day = 1; day <= 3; ++day) REQUIRE(history.add(sample(Date{2026, 11, day})).ok());
  auto forgotten = history.forget();
  REQUIRE(forgotten.ok());
  CHECK(forgotten->check_ins == 3);
  CHECK(forgotten->runs == 0);
  CHECK(all_check_ins(history).empty());
  CHECK(history.forget()->check_ins == 0);
  REQUIRE(history.add(sample(Date{2026, 11, 30}, 1, "after")).ok());
  CHECK(notes_of(all_check_ins(history)) == std::vector<std::string>{"after"});
}

TEST_CASE("forgotten check-ins do not stay in the file", "[history]") {
  TemporaryFolder folder;
  {
    auto history = open_history(folder / "history.db");
    REQUIRE(history.add(sample(Date{2026, 11, 4}, 4, "a-secret-note-of-the-runner")).ok());
    REQUIRE(read_text(folder / "history.db").find("a-secret-note-of-the-runner") != std::string::npos);
    REQUIRE(history.forget().ok());
  }
  CHECK(read_text(folder / "history.db").find("a-secret-note-of-the-runner") == std::string::npos);
}

TEST_CASE("a new database gets a private folder and file, at the current version", "[history]") {
  TemporaryFolder folder;
  fs::path path = folder / "data/kneecheck/history.db";
  auto history = open_history(path);
  struct stat status {};
  REQUIRE(stat(path.parent_path().c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0700);
  REQUIRE(stat(path.parent_path().parent_path().c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0700);
  REQUIRE(stat(path.c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0600);
  RawDatabase raw(path);
  CHECK(raw.value("PRAGMA user_version") == std::to_string(kneecheck::kHistorySchemaVersion));
}

TEST_CASE("opening without create leaves a missing database missing", "[history]") {
  TemporaryFolder folder;
  auto history = History::open(folder / "none/history.db", false);
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message, Catch::Contains("history.db") && Catch::Contains("no such file"));
  CHECK_FALSE(fs::exists(folder / "none"));
}

TEST_CASE("a version 1 database is migrated with its check-ins intact", "[history]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  {
    RawDatabase raw(path);
    raw.exec(read_text(kneecheck::testing::fixture_path("history_v1.sql")));
    REQUIRE(raw.value("PRAGMA user_version") == "1");
  }
  auto history = open_history(path);
  auto check_ins = all_check_ins(history);
  REQUIRE(check_ins.size() == 4);
  // By date now: the red flag of 20 September comes first.
  CHECK(check_ins[0].date == Date{2026, 9, 20});
  CHECK(check_ins[0].escalation == Level::urgent);
  CHECK(check_ins[0].red_flags == std::vector<std::string>{"knee_locked"});
  CHECK(check_ins[0].pain == 2.5);
  CHECK(check_ins[0].top_cause().empty());
  CHECK(check_ins[1].date == Date{2026, 10, 1});
  CHECK(check_ins[1].recorded_at == "2026-10-01T18:02:11Z");
  CHECK(check_ins[1].pain == 6);
  CHECK(check_ins[1].top_cause() == "overuse_training_errors");
  CHECK(check_ins[1].scores[0].score == 57);
  CHECK(check_ins[1].answers["weekly_km_increase_pct"] == 60);
  CHECK(check_ins[2].escalation == Level::routine);
  CHECK_FALSE(check_ins[2].pain.has_value());  // no pain answer
  CHECK(check_ins[3].rules_id == "harriers-club");
  CHECK(check_ins[3].scores[0].title == "Too many hills, \"too soon\"");
  CHECK_FALSE(check_ins[3].pain.has_value());  // other rules: the tracked question is unknown

  RawDatabase raw(path);
  CHECK(raw.value("PRAGMA user_version") == std::to_string(kneecheck::kHistorySchemaVersion));
  CHECK(raw.value("PRAGMA integrity_check") == "ok");
  // Migrated, the database has the very shape of a new one.
  fs::path fresh = folder / "fresh.db";
  open_history(fresh);
  RawDatabase fresh_raw(fresh);
  const std::string schema = "SELECT sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name";
  CHECK(raw.column(schema) == fresh_raw.column(schema));
  // And it takes new check-ins after the old ones.
  REQUIRE(history.add(sample(Date{2026, 11, 4}, 3, "new")).ok());
  CHECK(all_check_ins(history).back().answers["note"] == "new");
}

TEST_CASE("a database from a newer kneecheck is refused and left alone", "[history]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  {
    auto history = open_history(path);
    REQUIRE(history.add(sample(Date{2026, 11, 4})).ok());
  }
  const int newer = kneecheck::kHistorySchemaVersion + 1;
  RawDatabase(path).exec(fmt::format("PRAGMA user_version = {}", newer));
  auto history = History::open(path);
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message, Catch::Contains(path.string()) && Catch::Contains("newer kneecheck") &&
                                          Catch::Contains(fmt::format("version {}", newer)));
  CHECK(RawDatabase(path).value("PRAGMA user_version") == std::to_string(newer));
}

TEST_CASE("a file that is not an SQLite database is refused, naming the file", "[history]") {
  TemporaryFolder folder;
  fs::path path = folder / "notes.txt";
  std::ofstream(path) << "Monday: 10 km easy, knee fine.\n";
  auto history = History::open(path);
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message, Catch::Contains(path.string()) && Catch::Contains("not an SQLite database"));
  CHECK(read_text(path) == "Monday: 10 km easy, knee fine.\n");
}

TEST_CASE("another program's SQLite database is refused, not migrated into", "[history]") {
  TemporaryFolder folder;
  fs::path path = folder / "other.db";
  RawDatabase(path).exec("CREATE TABLE runs (day TEXT, km REAL)");
  auto history = History::open(path);
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message, Catch::Contains(path.string()) && Catch::Contains("another program"));
  CHECK(RawDatabase(path).column("SELECT name FROM sqlite_schema") == std::vector<std::string>{"runs"});
}

TEST_CASE("a folder is not a database", "[history]") {
  TemporaryFolder folder;
  auto history = History::open(folder / "");
  REQUIRE_FALSE(history.ok());
  CHECK_THAT(history.error().message, Catch::Contains("is a folder"));
}

TEST_CASE("a damaged row is named, not skipped", "[history]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  auto history = open_history(path);
  REQUIRE(history.add(sample(Date{2026, 11, 4})).ok());
  RawDatabase(path).exec("UPDATE check_ins SET scores = '{not json'");
  auto check_ins = history.check_ins();
  REQUIRE_FALSE(check_ins.ok());
  CHECK_THAT(check_ins.error().message, Catch::Contains(path.string()) && Catch::Contains("check-in 1 is damaged"));
}

TEST_CASE("processes adding at once each wait their turn, and none is lost", "[history][processes]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";  // created by whichever process comes first
  constexpr int kWriters = 8;
  constexpr int kEach = 25;
  int start[2];
  REQUIRE(pipe(start) == 0);
  std::vector<pid_t> children;
  for (int writer = 0; writer < kWriters; ++writer) {
    pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(start[1]);
      char go = 0;
      (void)!read(start[0], &go, 1);  // returns when the parent closes the pipe: all start together
      auto history = History::open(path);
      if (!history) _exit(10);
      for (int i = 0; i < kEach; ++i) {
        if (!history->add(sample(Date{2026, 11, 1 + i}, i % 11, fmt::format("{}-{}", writer, i)))) _exit(11);
      }
      _exit(0);
    }
    children.push_back(child);
  }
  close(start[0]);
  close(start[1]);
  for (pid_t child : children) CHECK(wait_for(child) == 0);

  auto check_ins = all_check_ins(open_history(path));
  REQUIRE(check_ins.size() == kWriters * kEach);
  std::set<std::string> notes;
  for (const auto& check_in : check_ins) {
    notes.insert(check_in.answers.value("note", ""));
    CHECK(check_in.scores == sample(Date{}).scores);
  }
  CHECK(notes.size() == kWriters * kEach);
  CHECK(notes.contains("0-0"));
  CHECK(notes.contains("7-24"));
  CHECK(RawDatabase(path).value("PRAGMA integrity_check") == "ok");
}

TEST_CASE("a write killed half-way leaves the earlier check-ins intact", "[history][processes]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  {
    auto history = open_history(path);
    for (int day = 1; day <= 20; ++day) {
      REQUIRE(history.add(sample(Date{2026, 10, day}, day % 11, std::to_string(day))).ok());
    }
  }
  auto before = notes_of(all_check_ins(open_history(path)));
  int ready[2];
  REQUIRE(pipe(ready) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(ready[0]);
    // A small page cache makes SQLite write changed pages into the file
    // before COMMIT, so the kill lands in the middle of a real write.
    sqlite3* db = nullptr;
    sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_exec(db,
                 "PRAGMA cache_size = 2; BEGIN IMMEDIATE;"
                 "DELETE FROM check_ins WHERE id % 2 = 0;"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
                 "  INSERT INTO check_ins (date, recorded_at, rules_id, rules_version, escalation, red_flags,"
                 "    any_cause_indicated, scores, answers)"
                 "  SELECT '2026-12-01', 'x', 'r', '1', 'soon', '[]', 0, '[]',"
                 "    json_object('note', hex(randomblob(200))) FROM n;",
                 nullptr, nullptr, nullptr);
    (void)!write(ready[1], "w", 1);
    pause();
    _exit(0);
  }
  close(ready[1]);
  char written = 0;
  REQUIRE(read(ready[0], &written, 1) == 1);
  close(ready[0]);
  fs::path journal = path.string() + "-journal";
  CHECK(fs::file_size(path) > 100'000);  // the uncommitted rows reached the file itself
  CHECK(fs::exists(journal));
  kill(child, SIGKILL);
  CHECK(wait_for(child) == -SIGKILL);

  auto history = open_history(path);
  CHECK(notes_of(all_check_ins(history)) == before);
  CHECK(RawDatabase(path).value("PRAGMA integrity_check") == "ok");
  REQUIRE(history.add(sample(Date{2026, 12, 2}, 1, "after")).ok());
  CHECK(all_check_ins(history).size() == before.size() + 1);
}

TEST_CASE("a full disk makes add fail cleanly, and keeps the earlier check-ins", "[history][processes]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  {
    auto history = open_history(path);
    for (int day = 1; day <= 5; ++day) REQUIRE(history.add(sample(Date{2026, 10, day}, 3, std::to_string(day))).ok());
  }
  auto before = notes_of(all_check_ins(open_history(path)));
  int report[2];
  REQUIRE(pipe(report) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(report[0]);
    auto history = History::open(path);
    if (!history) _exit(10);
    // No file may grow past the database's size: the next page cannot be written.
    signal(SIGXFSZ, SIG_IGN);
    auto size = static_cast<rlim_t>(fs::file_size(path));
    rlimit limit{size, size};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(12);
    CheckIn large = sample(Date{2026, 10, 6}, 3, "large");
    large.answers["text"] = std::string(200'000, 'k');
    auto added = history->add(large);
    if (added) _exit(13);
    (void)!write(report[1], added.error().message.data(), added.error().message.size());
    _exit(0);
  }
  close(report[1]);
  std::string message;
  char buffer[512];
  for (ssize_t got; (got = read(report[0], buffer, sizeof buffer)) > 0;) {
    message.append(buffer, static_cast<std::size_t>(got));
  }
  close(report[0]);
  REQUIRE(wait_for(child) == 0);
  CHECK_THAT(message, Catch::Contains(path.string()));
  INFO(message);
  CHECK((message.find("full") != std::string::npos || message.find("too large") != std::string::npos));

  auto history = open_history(path);
  CHECK(notes_of(all_check_ins(history)) == before);
  CHECK(RawDatabase(path).value("PRAGMA integrity_check") == "ok");
}

TEST_CASE("the default path honours KNEECHECK_DB, then XDG_DATA_HOME, then HOME", "[history]") {
  ScopedEnvironment environment;
  environment.set("KNEECHECK_DB", "/tmp/mine.db");
  environment.set("XDG_DATA_HOME", "/data");
  environment.set("HOME", "/home/runner");
  CHECK(kneecheck::default_history_path() == fs::path("/tmp/mine.db"));
  environment.set("KNEECHECK_DB", "");
  CHECK(kneecheck::default_history_path() == fs::path("/data/kneecheck/history.db"));
  environment.set("XDG_DATA_HOME", "relative/ignored");
  CHECK(kneecheck::default_history_path() == fs::path("/home/runner/.local/share/kneecheck/history.db"));
  environment.set("XDG_DATA_HOME", nullptr);
  CHECK(kneecheck::default_history_path() == fs::path("/home/runner/.local/share/kneecheck/history.db"));
  environment.set("HOME", nullptr);
  CHECK(kneecheck::default_history_path().empty());
}

TEST_CASE("the history table and chart", "[history][report]") {
  std::vector<CheckIn> check_ins{sample(Date{2026, 11, 4}, 6), sample(Date{2026, 11, 11}, std::nullopt),
                                 sample(Date{2026, 11, 18}, 10)};
  check_ins[1].any_cause_indicated = false;
  check_ins[1].escalation = Level::routine;
  check_ins[2].scores[0].score = 100;

  SECTION("plain") {
    std::string text = kneecheck::render_history_text(check_ins, {80, false});
    CHECK_THAT(text, Catch::StartsWith("Date          Pain  Most likely cause            What to do\n"));
    CHECK_THAT(text, Catch::Contains("4 Nov 2026    6/10  Overuse and training errors  Look after it yourself\n"));
    CHECK_THAT(text, Catch::Contains("11 Nov 2026      -  no clear cause               See someone within weeks\n"));
    // Pain per check-in with its date, its value and a bar on 0 to 10.
    CHECK_THAT(text, Catch::Contains("Pain at each check-in, 0 to 10\n"
                                     "  4 Nov 2026   ############........  6\n"
                                     "  11 Nov 2026  ....................  not answered\n"
                                     "  18 Nov 2026  ####################  10\n"));
    CHECK_THAT(text, Catch::Contains("  Overuse and training errors: 57 -> 57 -> 100\n"));
    CHECK_THAT(text, Catch::Contains("  Inadequate \"footwear\", old: 17 -> 17 -> 17\n"));
    CHECK(text.find("self_care") == std::string::npos);
  }
  SECTION("unicode") {
    std::string text = kneecheck::render_history_text(check_ins, {80, true});
    CHECK_THAT(text, Catch::Contains("11 Nov 2026      –  no clear cause"));
    CHECK_THAT(text, Catch::Contains("  4 Nov 2026   ████████████········  6\n"));
    CHECK_THAT(text, Catch::Contains("  Overuse and training errors: 57 → 57 → 100\n"));
  }
  SECTION("values that differ by one read differently") {
    std::vector<CheckIn> close{sample(Date{2026, 11, 4}, 6), sample(Date{2026, 11, 11}, 5), sample(Date{2026, 11, 18}, 6)};
    std::string text = kneecheck::render_history_text(close, {80, false});
    CHECK_THAT(text, Catch::Contains("############........  6\n") && Catch::Contains("##########..........  5\n"));
  }
  SECTION("a top cause tied on score says so") {
    std::vector<CheckIn> tied{sample(Date{2026, 11, 4}, 6)};
    tied[0].scores[1].score = 57;
    CHECK_THAT(kneecheck::render_history_text(tied, {100, false}),
               Catch::Contains("Overuse and training errors (tied with 1 more)"));
  }
  SECTION("more check-ins than fit show the latest") {
    std::vector<CheckIn> many;
    for (int i = 0; i < 100; ++i) many.push_back(sample(Date{2026, 1, 1}.plus_days(i), i % 11));
    std::string text = kneecheck::render_history_text(many, {60, false});
    CHECK_THAT(text, Catch::Contains("(the last 30 of 100)"));
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) CHECK(kneecheck::display_width(line) <= 60);
  }
  SECTION("none") {
    CHECK(kneecheck::render_history_text({}, {80, false}) == "No check-ins yet.\n");
  }
}

TEST_CASE("history as JSON and CSV", "[history][report]") {
  std::vector<CheckIn> check_ins{sample(Date{2026, 11, 4}, 6), sample(Date{2026, 11, 11}, 4.5)};
  check_ins[0].id = 1;
  check_ins[0].recorded_at = "2026-11-04T19:00:00Z";
  check_ins[1].id = 2;
  check_ins[1].red_flags = {"knee_locked", "hot_red"};
  check_ins[1].any_cause_indicated = false;

  auto document = kneecheck::history_to_json(check_ins);
  REQUIRE(document.size() == 2);
  CHECK(document[0]["id"] == 1);
  CHECK(document[0]["date"] == "2026-11-04");
  CHECK(document[0]["recorded_at"] == "2026-11-04T19:00:00Z");
  CHECK(document[0]["pain"].dump() == "6");
  CHECK(document[0]["top_cause"] == "overuse");
  CHECK(document[0]["escalation"] == "self_care");
  CHECK(document[0]["scores"][1]["title"] == "Inadequate \"footwear\", old");
  CHECK(document[0]["rules"]["id"] == "kneecheck-default");
  CHECK(document[0]["answers"]["note"] == "a");
  CHECK(document[1]["pain"] == 4.5);
  CHECK(document[1]["top_cause"].is_null());
  CHECK(document[1]["any_cause_indicated"] == false);
  CHECK(document[1]["red_flags"][1] == "hot_red");
  CHECK(kneecheck::history_to_json({}).dump() == "[]");

  std::string csv = kneecheck::render_history_csv(check_ins);
  CHECK(csv ==
        "date,pain,top_cause,escalation,red_flags,rules_id,rules_version,plan_week,plan_decision,score_footwear,"
              "score_overuse\r\n"
        "2026-11-04,6,overuse,self_care,,kneecheck-default,1.0.0,,,17,57\r\n"
        "2026-11-11,4.5,,self_care,knee_locked hot_red,kneecheck-default,1.0.0,,,17,57\r\n");
  check_ins[0].rules_id = "club, \"north\"";
  CHECK_THAT(kneecheck::render_history_csv(check_ins), Catch::Contains(",\"club, \"\"north\"\"\",1.0.0,"));
  CHECK(kneecheck::render_history_csv({}) ==
        "date,pain,top_cause,escalation,red_flags,rules_id,rules_version,plan_week,plan_decision\r\n");
}

TEST_CASE("a version 2 database gets the runs table and keeps its check-ins", "[history][runs]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  {
    RawDatabase raw(path);
    raw.exec(read_text(kneecheck::testing::fixture_path("history_v2.sql")));
    REQUIRE(raw.value("PRAGMA user_version") == "2");
  }
  auto history = open_history(path);
  auto check_ins = all_check_ins(history);
  REQUIRE(check_ins.size() == 2);
  CHECK(check_ins[0].date == Date{2026, 10, 1});
  CHECK(check_ins[0].pain == 6);
  CHECK(check_ins[0].top_cause() == "overuse_training_errors");
  CHECK(check_ins[1].pain == 4.5);
  CHECK(check_ins[1].escalation == Level::routine);
  CHECK(all_runs(history).empty());

  RawDatabase raw(path);
  CHECK(raw.value("PRAGMA user_version") == std::to_string(kneecheck::kHistorySchemaVersion));
  CHECK(raw.value("PRAGMA integrity_check") == "ok");
  fs::path fresh = folder / "fresh.db";
  open_history(fresh);
  const std::string schema = "SELECT sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name";
  CHECK(raw.column(schema) == RawDatabase(fresh).column(schema));
  REQUIRE(history.add_runs(std::vector<Run>{run_on(3, 10)}).ok());
  CHECK(all_runs(history).size() == 1);
}

TEST_CASE("runs come back with every field they were stored with, oldest first", "[history][runs]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  Run fit = run_on(12, 18.2, SourceFormat::fit, "1003");
  fit.duration_s = 3600.5;
  fit.cadence_spm = 172;
  fit.gear = "Pegasus 40";
  fit.sport = "running (trail)";
  fit.source = "export/activities/1003.fit";
  Run plain = run_on(2, 5, SourceFormat::plain_csv);
  auto stored = history.add_runs(std::vector<Run>{fit, plain});
  REQUIRE(stored.ok());
  CHECK(stored->added == 2);
  CHECK(stored->total == 2);

  auto runs = all_runs(history);
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].local_date == Date{2024, 6, 2});
  CHECK(runs[0].format == SourceFormat::plain_csv);
  CHECK_FALSE(runs[0].duration_s.has_value());
  CHECK_FALSE(runs[0].cadence_spm.has_value());
  CHECK(runs[0].gear.empty());
  const Run& read = runs[1];
  CHECK(read.start_utc == fit.start_utc);
  CHECK(read.local_date == fit.local_date);
  CHECK(read.distance_m == fit.distance_m);
  CHECK(read.duration_s == fit.duration_s);
  CHECK(read.sport == fit.sport);
  CHECK(read.gear == fit.gear);
  CHECK(read.source == fit.source);
  CHECK(read.activity_id == fit.activity_id);
  CHECK(read.cadence_spm == fit.cadence_spm);
  CHECK(read.format == SourceFormat::fit);
}

TEST_CASE("add_runs stores only the runs not stored yet", "[history][runs]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  const std::vector<Run> first{run_on(1, 10, SourceFormat::strava_csv, "1"), run_on(3, 8, SourceFormat::strava_csv, "2")};
  REQUIRE(history.add_runs(first).ok());

  SECTION("the same runs again add nothing") {
    auto again = history.add_runs(first);
    REQUIRE(again.ok());
    CHECK(again->added == 0);
    CHECK(again->total == 2);
  }
  SECTION("a run with the same activity id is the same run") {
    Run moved = run_on(20, 3, SourceFormat::strava_csv, "2");
    auto again = history.add_runs(std::vector<Run>{moved});
    REQUIRE(again.ok());
    CHECK(again->added == 0);
    CHECK(all_runs(history).size() == 2);
  }
  SECTION("a start within a minute and a distance within 2 % is the same run") {
    Run near = run_on(1, 10.15, SourceFormat::garmin_csv);
    near.start_utc += 45;
    Run farther = run_on(1, 10.5, SourceFormat::garmin_csv);  // 5 % longer: another run
    farther.start_utc += 30;
    auto again = history.add_runs(std::vector<Run>{near, farther});
    REQUIRE(again.ok());
    CHECK(again->added == 1);
    CHECK(again->total == 3);
  }
  SECTION("a stored run coming again from a richer file is replaced by it, keeping what only the row had") {
    REQUIRE(history.add_runs(std::vector<Run>{[] {
                                Run row = run_on(5, 12, SourceFormat::strava_csv, "3");
                                row.gear = "Old Boost";
                                return row;
                              }()})
                .ok());
    Run fit = run_on(5, 12.1, SourceFormat::fit);
    fit.start_utc += 20;
    fit.cadence_spm = 176;
    fit.duration_s = 3900;
    fit.source = "export/activities/3.fit";
    auto again = history.add_runs(std::vector<Run>{fit});
    REQUIRE(again.ok());
    CHECK(again->added == 0);
    CHECK(again->total == 3);
    auto runs = all_runs(history);
    REQUIRE(runs.size() == 3);
    const Run& kept = runs[2];
    CHECK(kept.format == SourceFormat::fit);
    CHECK(kept.distance_m == Approx(12100));
    CHECK(kept.cadence_spm == 176);
    CHECK(kept.source == "export/activities/3.fit");
    CHECK(kept.gear == "Old Boost");
    CHECK(kept.activity_id == "3");
  }
  SECTION("nothing to add is no error") {
    auto none = history.add_runs({});
    REQUIRE(none.ok());
    CHECK(none->added == 0);
    CHECK(none->total == 2);
  }
}

TEST_CASE("a failed add_runs stores nothing", "[history][runs]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  auto history = open_history(path);
  REQUIRE(history.add_runs(std::vector<Run>{run_on(1, 10)}).ok());
  RawDatabase(path).exec(
      "CREATE TRIGGER refuse BEFORE INSERT ON runs WHEN NEW.distance_m > 20000 "
      "BEGIN SELECT RAISE(FAIL, 'no room left'); END;");
  auto failed = history.add_runs(std::vector<Run>{run_on(2, 5), run_on(3, 42)});
  REQUIRE_FALSE(failed.ok());
  CHECK_THAT(failed.error().message, Catch::Contains(path.string()) && Catch::Contains("no room left"));
  auto runs = all_runs(history);
  REQUIRE(runs.size() == 1);
  CHECK(runs[0].local_date == Date{2024, 6, 1});
}

TEST_CASE("forget deletes the runs too, and they do not stay in the file", "[history][runs]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  {
    auto history = open_history(path);
    REQUIRE(history.add(sample(Date{2026, 11, 4})).ok());
    Run secret = run_on(1, 10);
    secret.gear = "a-secret-shoe-of-the-runner";
    REQUIRE(history.add_runs(std::vector<Run>{secret, run_on(2, 5), run_on(3, 7)}).ok());
    REQUIRE(read_text(path).find("a-secret-shoe-of-the-runner") != std::string::npos);
    auto forgotten = history.forget();
    REQUIRE(forgotten.ok());
    CHECK(forgotten->check_ins == 1);
    CHECK(forgotten->runs == 3);
    CHECK(all_runs(history).empty());
    CHECK(all_check_ins(history).empty());
  }
  CHECK(read_text(path).find("a-secret-shoe-of-the-runner") == std::string::npos);
}

TEST_CASE("a database with runs stays private", "[history][runs]") {
  TemporaryFolder folder;
  fs::path path = folder / "data/kneecheck/history.db";
  auto history = open_history(path);
  REQUIRE(history.add_runs(std::vector<Run>{run_on(1, 10), run_on(2, 5)}).ok());
  struct stat status {};
  REQUIRE(stat(path.c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0600);
  REQUIRE(stat(path.parent_path().c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0700);
  for (const auto& entry : fs::directory_iterator(path.parent_path())) {
    REQUIRE(stat(entry.path().c_str(), &status) == 0);
    CHECK((status.st_mode & 0077) == 0);
  }
}

TEST_CASE("a damaged run is named, not skipped", "[history][runs]") {
  TemporaryFolder folder;
  fs::path path = folder / "history.db";
  auto history = open_history(path);
  REQUIRE(history.add_runs(std::vector<Run>{run_on(1, 10)}).ok());
  RawDatabase(path).exec("UPDATE runs SET local_date = '2024-02-30'");
  auto runs = history.runs();
  REQUIRE_FALSE(runs.ok());
  CHECK_THAT(runs.error().message, Catch::Contains(path.string()) && Catch::Contains("is damaged"));
}

TEST_CASE("a weekly plan check-in keeps its step, decision and own answers; others have none", "[history][plan]") {
  TemporaryFolder folder;
  auto history = open_history(folder / "history.db");
  REQUIRE(history.add(sample(Date{2026, 11, 30})).ok());
  CheckIn weekly = sample(Date{2026, 12, 7});
  weekly.plan_step = 2;
  weekly.plan_decision = "progress";
  weekly.plan_answers = {{"pain_running", 2}, {"next_morning", "same"}};
  REQUIRE(history.add(weekly).ok());
  auto check_ins = all_check_ins(history);
  REQUIRE(check_ins.size() == 2);
  CHECK_FALSE(check_ins[0].plan_step.has_value());
  CHECK(check_ins[0].plan_decision.empty());
  REQUIRE(check_ins[1].plan_step == 2);
  CHECK(check_ins[1].plan_decision == "progress");
  CHECK(check_ins[1].plan_answers == weekly.plan_answers);

  weekly.plan_decision = "jump";  // the database refuses what no decision is
  CHECK_FALSE(history.add(weekly).ok());
}
