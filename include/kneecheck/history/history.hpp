// history: the runner's past check-ins and recorded runs, kept in a local
// SQLite database so that kneecheck can tell whether the knee is improving
// and what load it carried. Nothing here leaves the machine.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/base/date.hpp"
#include "kneecheck/base/result.hpp"
#include "kneecheck/rules/rules.hpp"
#include "kneecheck/runs/run.hpp"

namespace kneecheck {

// The schema version (PRAGMA user_version) this kneecheck writes. Older
// databases are migrated when opened; newer ones are refused.
inline constexpr int kHistorySchemaVersion = 4;

struct CauseScore {
  std::string id;
  std::string title;
  int score = 0;
  friend bool operator==(const CauseScore&, const CauseScore&) = default;
};

// What scoring needs to know of an earlier check-in: the history variables
// (history.checkins, history.days_since_first, history.pain_change, ...)
// are computed from these. Only check-ins dated before the one being scored
// count.
struct PastCheckIn {
  Date date;
  std::optional<double> pain;
};

// One finished assessment as history keeps it.
struct CheckIn {
  std::int64_t id = 0;                 // assigned by the database
  Date date;                           // the day it is for (--date, default today)
  std::string recorded_at;             // UTC, "YYYY-MM-DDTHH:MM:SSZ", when it was stored
  std::optional<double> pain;          // the rules' tracked pain answer, 0..10 for the default rules
  std::vector<CauseScore> scores;      // every cause, ranked as in the report
  bool any_cause_indicated = false;    // false: the report gave no ranking
  std::vector<std::string> red_flags;  // ids, most pressing first
  Level escalation = Level::self_care;
  std::string rules_id;
  std::string rules_version;
  nlohmann::json answers;  // as scored, derived values included
  // A weekly plan check-in: the plan step it leads to (1-based), the
  // decision ("progress", "hold", "step_back") and the answers to the
  // check-in's own questions. nullopt, "" and null for other check-ins.
  std::optional<int> plan_step;
  std::string plan_decision;
  nlohmann::json plan_answers;
  std::optional<double> function_score;  // 0 (no problem) to 100, from the check-in's function items

  // The top cause's id, or "" when nothing was indicated.
  std::string top_cause() const;
};

// What add_runs did: runs that were not stored before, and every run stored
// after it.
struct RunsStored {
  std::int64_t added = 0;
  std::int64_t total = 0;
};

// What forget deleted.
struct Forgotten {
  std::int64_t check_ins = 0;
  std::int64_t runs = 0;
};

// Where history lives unless --db says otherwise: $KNEECHECK_DB, else
// $XDG_DATA_HOME/kneecheck/history.db, else ~/.local/share/kneecheck/history.db.
// Empty when none of them is set.
std::filesystem::path default_history_path();

class History {
 public:
  // Opens (creating the file, mode 0600, and its missing folders, mode 0700,
  // when `create`) and migrates the database to kHistorySchemaVersion. An
  // error names the file and what is wrong: a file that is not an SQLite
  // database, another program's database, or one from a newer kneecheck.
  static Result<History> open(const std::filesystem::path& path, bool create = true);

  History(History&&) noexcept;
  History& operator=(History&&) noexcept;
  ~History();

  // Stores one check-in in a single transaction; returns its id. Sets
  // recorded_at to now when it is empty. Several processes may add at once:
  // each waits its turn, none is lost. On failure nothing is stored.
  Result<std::int64_t> add(const CheckIn& check_in);

  // Every check-in, oldest first (by date, then by the order stored).
  Result<std::vector<CheckIn>> check_ins() const;

  // What scoring a check-in on `date` needs: the date and tracked pain of
  // every check-in dated before it, oldest first, and nothing else.
  Result<std::vector<PastCheckIn>> past_before(const Date& date) const;

  // Stores, in one transaction, the runs that are not stored yet. A run is
  // already stored when runs::deduplicate would take it and a stored run for
  // the same activity (the same activity id, or starts within 60 s and
  // distances within 2 %); the record kept is then the richer one, with what
  // the other adds (a FIT file read after its Strava CSV row replaces the
  // row). Only what a run's load needs is kept: no GPS track, no heart rate.
  // On failure nothing is stored.
  Result<RunsStored> add_runs(std::span<const runs::Run> runs);

  // Every stored run, oldest first (by start time).
  Result<std::vector<runs::Run>> runs() const;

  // Deletes every check-in and every run; returns how many of each there
  // were. The deleted rows are overwritten in the file, not just unlinked.
  Result<Forgotten> forget();

  const std::filesystem::path& path() const;

 private:
  struct Impl;
  explicit History(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace kneecheck
