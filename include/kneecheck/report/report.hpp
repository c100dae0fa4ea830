// report: an Assessment as text for people or JSON for programs. It only
// formats: nothing here changes a score, a rank or an escalation.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "kneecheck/engine/engine.hpp"
#include "kneecheck/base/json_writer.hpp"

namespace kneecheck {

struct TextOptions {
  std::size_t width = 80;
  bool color = false;    // ANSI colours and bold
  bool unicode = false;  // block characters for bars and a box for the escalation
  bool explain = false;  // every indicator of every cause: matched or not, and the answers that decided
};

// Sentences every human format shares.
inline constexpr std::string_view kNoCauseText =
    "None of your answers points to one of the causes this check knows, so it shows no ranking rather than guess "
    "one. That is not an all-clear: follow what to do next.";
inline constexpr std::string_view kToDiscussHeading = "To discuss with whoever examines you";
inline constexpr std::string_view kToDiscussText =
    "These answers may help whoever examines your knee. They are not likely causes: get the knee seen first, as "
    "above.";
inline constexpr std::string_view kLoadWithheldText =
    "Advice on how to keep running is left out: a warning sign above means the knee should be seen before you run "
    "on it again.";

// The rank of causes[index] as a report shows it: "2." or, when level with
// another cause, "2=".
std::string rank_label(const Assessment& assessment, std::size_t index);

// The report a runner reads: escalation first when a red flag was raised,
// the causes in rank order with bar, band, reasons and advice, what to do
// next, and the disclaimer last.
std::string render_text(const Assessment& assessment, const TextOptions& options);

// The same assessment as JSON; the shape is documented in the README. Keys
// keep the documented order, so the output reads top-down like the report.
// With `explain`, each cause also lists every indicator, matched or not.
// indent < 0 writes it on one line (a batch record), otherwise indented.
std::string render_json(const Assessment& assessment, bool explain = false, int indent = 2);
void write_json(JsonWriter& out, const Assessment& assessment, bool explain = false);

// Every text of `rules` that write_json writes as it stands, for a writer
// that writes many assessments against them. REQUIRES: `rules` outlives the
// result and does not change.
JsonLiterals json_literals(const RuleSet& rules);

// render_json as a document, for callers that inspect it.
nlohmann::ordered_json to_json(const Assessment& assessment, bool explain = false);

// Every answer and derived value, id and value in words, in id order: worded
// as the evidence shows it where a condition read it, plainly otherwise.
std::vector<std::pair<std::string, std::string>> answers_shown(const Assessment& assessment);

// The report a runner reads, as Markdown: the content and order of
// render_text, plus the answers given. Every text from the rule file or the
// answers is escaped, so none of it can add a link, an image, HTML or a
// heading. Newlines in those texts become spaces.
std::string render_markdown(const Assessment& assessment);

// The report a runner reads, as one self-contained, printable HTML5 document:
// inline CSS only (no scripts, no external resources; its Content Security
// Policy forbids both), an inline SVG bar chart of every cause's score, and
// the content and order of render_text plus the answers given. Every text
// from the rule file or the answers is escaped (& < > " '), in text and in
// attributes alike.
std::string render_html(const Assessment& assessment);

}  // namespace kneecheck
