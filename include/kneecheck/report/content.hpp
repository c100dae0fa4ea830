// report/content: what a report says, in words and in order, before any
// format lays it out. Text, Markdown and HTML render this one model, so
// they say the same things the same way: (a) what to do now, (b) a short
// summary, (c) the details per cause, the answers as reported, (d) the
// sources, numbered in the order the report cites them, (e) the disclaimer.
// Nothing here is escaped or styled; every text is plain.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kneecheck/engine/engine.hpp"

namespace kneecheck {

// The numbers of the sources a sentence rests on, ascending.
using References = std::vector<int>;

// A sentence and the sources it rests on.
struct Cited {
  std::string text;
  References references;
};

// A reason shown: the sentence ("your main pair has about 950 km on it"),
// the answers behind it that the sentence does not already say, in words
// ("Running shoes: One pair"), and its sources.
struct Reason {
  std::string text;
  std::string answers;
  References references;
};

struct FlagShown {
  Level level = Level::urgent;
  std::string title;  // may be empty
  Reason reason;      // the flag's message, and the answers that raised it
};

// (a) What to do now.
struct WhatToDo {
  Level level = Level::self_care;
  std::string headline;      // "Look after it yourself and check again on 9 December 2026"
  std::vector<FlagShown> flags;  // urgent and soon: each sign that was raised, most pressing first
  std::vector<Reason> why;   // routine: the reasons that held; self_care: one line saying none did
  Cited message;             // the level's message from the rules (empty when flags speak for it)
  std::optional<Date> review_by;
};

// A leading cause in the summary.
struct Lead {
  std::string title;
  int score = 0;
  Band band = Band::low;
  Reason strongest;  // its strongest reason
};

// (b) The summary: the leading causes and what to do this week.
struct SummaryShown {
  bool shown = false;  // not under an urgent sign
  std::string opening;  // "Most likely:", "Level at the top:", or why nothing stands out
  std::vector<Lead> leads;
  std::vector<Cited> actions;
};

struct CauseShown {
  std::string id;
  std::string rank;        // "1." or "2="
  std::string rank_words;  // "first", "joint second"
  std::string title;
  int score = 0;
  Band band = Band::low;
  std::string band_meaning;
  Cited summary;  // what the cause is, with the cause's sources
  std::vector<Reason> reasons;
  std::vector<Cited> advice;
};

// (c) The details.
struct Details {
  enum class Kind {
    causes,     // the causes pointed to, ranked
    no_cause,   // none pointed to: said so, with general advice
    to_discuss  // an urgent sign: no causes, the answers that point somewhere, for whoever examines the knee
  };
  Kind kind = Kind::causes;
  std::vector<CauseShown> causes;
  std::vector<std::string> not_indicated;  // titles of the causes nothing pointed to
  std::vector<Cited> general_advice;
  std::vector<Reason> to_discuss;
  std::string withheld_note;  // why advice on running is left out, or empty
};

// One answer as the runner gave it.
struct ReportedAnswer {
  std::string_view id;
  std::string section;  // the part of the interview ("Your pain"); may be empty
  std::string label;    // the question's short label
  std::string shown;    // the answer in words
  bool from_runs = false;  // suggested by recorded runs, not given by the runner
};

// A derived value, for the reader who wants to see what was computed.
struct DerivedShown {
  std::string_view id;
  std::string label;
  std::string shown;
  std::string description;
};

// A source in the numbered list.
struct SourceShown {
  int number = 0;
  std::string text;  // "Title. Author. Published in, year." (or the citation)
  std::string url;   // may be empty
  bool expert_reading = false;
};

// --explain: every sign of every cause, matched or not.
struct SignJudged {
  bool matched = false;
  double points = 0;
  Reason reason;
};
struct CauseJudged {
  std::string title;
  int score = 0;
  std::vector<SignJudged> signs;
};

struct PainPoint {
  Date date;
  std::optional<double> pain;
};

struct ReportContent {
  std::string title;
  Date date;
  std::string date_words;  // "25 November 2026"
  std::string rules;       // "rules kneecheck-default 3.1.0"
  WhatToDo now;
  SummaryShown summary;
  Details details;
  std::vector<ReportedAnswer> answers;  // in interview order
  std::vector<std::string> from_runs;   // labels of the answers recorded runs gave, in interview order
  std::vector<DerivedShown> derived;    // those with a value
  // The weekly distances of the rules' weekly_distance questions, oldest
  // first, with their labels; empty when the rules name none or none is
  // answered.
  std::vector<std::pair<std::string, double>> weekly_km;
  std::vector<PainPoint> pain_over_time;  // earlier check-ins and this one, when an earlier one has pain
  std::vector<SourceShown> sources;
  std::vector<CauseJudged> explanation;  // only with explain
  std::string disclaimer;
  std::vector<std::string> not_covered;
};

ReportContent report_content(const Assessment& assessment, bool explain);

// A text with its placeholders ({ID}) replaced by the values in words.
std::string expand_placeholders(const Assessment& assessment, std::string_view text);

// "[1, 4]", or "" for none.
std::string reference_marks(const References& references);

// The sources a report cites, by base id ("article" for "article#3"), in
// the order it first cites them: what to do now, the summary, the details,
// the general advice. Every format numbers them so, the JSON report too.
std::vector<std::string_view> cited_sources(const Assessment& assessment);

// A source as the numbered lists show it: "Title. Author. Journal, year."
// (or its citation when it has no title).
std::string source_in_words(const Source& source);

// A date as people write it: "9 December 2026".
std::string date_in_words(const Date& date);

// What a band means, in one line.
std::string_view band_meaning(Band band);

// What a level asks, as a heading: "Look after it yourself and check again
// on 9 December 2026".
std::string headline(const Escalation& escalation);

}  // namespace kneecheck
