// wording: what every human format of a report says the same way: answers
// in words, ranks, level headings and the sentences they share.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kneecheck/engine/engine.hpp"

namespace kneecheck {

// The answer as the runner chose it ("Stairs, Downhill"; "yes"; "40 km";
// "not answered"), appended to `out`. Of a multi answer only the options the
// evidence marks relevant are shown.
void append_shown(std::string& out, const Evidence& evidence);
std::string shown(const Evidence& evidence);

// Every answer and derived value, id and value in words, in id order: worded
// as the evidence shows it where a condition read it, plainly otherwise.
std::vector<std::pair<std::string, std::string>> answers_shown(const Assessment& assessment);

// Sentences every human format shares.
inline constexpr std::string_view kNoCauseText =
    "None of your answers points to one of the causes this check knows, so it shows no ranking rather than guess "
    "one. That is not an all-clear: follow what to do next.";
// Marks an answer that recorded runs gave, not the runner.
inline constexpr std::string_view kFromRunsMark = "from your runs";
// "Answers from your recorded runs: Distance, last 7 days; Running shoes."
std::string from_runs_sentence(const std::vector<std::string>& labels);
inline constexpr std::string_view kExplanationHeading = "How every sign was judged";
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

// The same in words: "second", or "joint second" when level with another.
std::string rank_in_words(const Assessment& assessment, std::size_t index);

// What a level asks of the runner, as a heading ("Seek care today").
std::string_view level_heading(Level level);

}  // namespace kneecheck
