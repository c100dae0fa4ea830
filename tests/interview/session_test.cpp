#include "kneecheck/interview/session.hpp"

#include <iterator>
#include <sstream>

#include <catch2/catch.hpp>

#include "test_support.hpp"

using kneecheck::InterviewOutcome;
using nlohmann::json;

namespace {

const kneecheck::RuleSet& rules() { return kneecheck::testing::minimal(); }

kneecheck::TypedInterviewResult interview(const std::string& typed, bool interactive, std::string* prompts = nullptr) {
  std::istringstream input(typed);
  std::ostringstream output;
  kneecheck::Interview state(rules());
  kneecheck::TypedInterviewOptions options;
  options.interactive = interactive;
  auto result = kneecheck::run_typed_interview(state, input, output, options);
  if (prompts != nullptr) *prompts = output.str();
  return result;
}

}  // namespace

TEST_CASE("typed lines from a pipe answer the questions in order", "[interview][session]") {
  std::string prompts;
  auto result = interview("1,2\n2\nn\n8\n40\n\n", false, &prompts);
  REQUIRE(result.outcome == InterviewOutcome::completed);
  CHECK(result.answers ==
        json({{"where", {"front", "outer"}}, {"onset", "injury"}, {"locks", false}, {"pain", 8}, {"km", 40}}));
  CHECK_THAT(prompts, Catch::Contains("Question 3 · Your pain (part 1 of 2)\nDoes the knee lock?"));
  CHECK_THAT(prompts, Catch::Contains(" 1. Gradually"));
}

TEST_CASE("the progress line only moves forward, whatever follow-ups are added", "[interview][session]") {
  std::string prompts;
  // Onset "injury" brings in a follow-up question: the count goes on by one,
  // with no total that could jump.
  interview("1\n2\nn\n8\n40\n\n", false, &prompts);
  std::size_t last = 0;
  std::size_t at = 0;
  while ((at = prompts.find("Question ", at)) != std::string::npos) {
    std::size_t number = std::stoul(prompts.substr(at + 9));
    CHECK(number == last + 1);
    last = number;
    ++at;
  }
  CHECK(last == 6);
  CHECK_THAT(prompts, Catch::Contains("Question 5 · Your running (part 2 of 2)"));
}

TEST_CASE("options and the review wrap under their own text at a narrow width", "[interview][session]") {
  kneecheck::Question question;
  question.id = "where";
  question.text = "Where does it hurt?";
  question.type = kneecheck::QuestionType::choice;
  question.options = {{"front", "Around or behind the kneecap, worst on stairs, squatting or after sitting long"}};
  std::string prompt = kneecheck::format_prompt(question, "Question 1", 40);
  CHECK_THAT(prompt, Catch::Contains("  1. Around or behind the kneecap, worst\n     on stairs"));
}

TEST_CASE("in a pipe, an urgent answer ends the questions and no later line is read", "[interview][session]") {
  std::istringstream input("1\n2\ny\nnot an answer\n");
  std::ostringstream prompts;
  kneecheck::Interview state(rules());
  auto result = kneecheck::run_typed_interview(state, input, prompts, {});
  CHECK(result.outcome == InterviewOutcome::stopped_at_urgent);
  CHECK(result.answers == json({{"where", {"front"}}, {"onset", "injury"}, {"locks", true}}));
  CHECK_THAT(prompts.str(), Catch::Contains("!! SEEK CARE TODAY") && Catch::Contains("Get seen today.") &&
                                Catch::Contains("Stopped at line 3"));
  std::string rest(std::istreambuf_iterator<char>(input), {});
  CHECK(rest == "not an answer\n");
  // The answers so far are a valid answers file: the questions after an
  // urgent answer need none.
  CHECK(kneecheck::check_answers(rules(), result.answers).errors.empty());
}

TEST_CASE("at a terminal, an urgent answer shows the disposition at once and offers to stop", "[interview][session]") {
  std::string prompts;
  auto stopped = interview("1\n2\ny\n\n", true, &prompts);
  CHECK(stopped.outcome == InterviewOutcome::stopped_at_urgent);
  CHECK_THAT(prompts, Catch::Contains("!! SEEK CARE TODAY") &&
                          Catch::Contains("type c to answer the 3 remaining questions for a fuller report"));
  CHECK_THAT(prompts, !Catch::Contains("Question 4"));
}

TEST_CASE("at a terminal, the runner may go on past an urgent answer for a fuller report", "[interview][session]") {
  std::string prompts;
  auto result = interview("1\n2\ny\nc\n5\n\n\n\n", true, &prompts);
  CHECK(result.outcome == InterviewOutcome::completed);
  CHECK(result.answers == json({{"where", {"front"}}, {"onset", "injury"}, {"locks", true}, {"pain", 5}}));
  CHECK_THAT(prompts, Catch::Contains("Question 4") && Catch::Contains("Your answers"));
}

TEST_CASE("a soon flag gives a one-line notice, and the questions go on", "[interview][session]") {
  std::string prompts;
  auto result = interview("1\n1\n9\n\n\n", false, &prompts);
  CHECK(result.outcome == InterviewOutcome::completed);
  CHECK_THAT(prompts, Catch::Contains("! A professional should see your knee within the next few days") &&
                          Catch::Contains("Question 4"));
}

TEST_CASE("input that ends early names the question not answered", "[interview][session]") {
  auto result = interview("1\n1\n", false);
  CHECK(result.outcome == InterviewOutcome::input_ended);
  CHECK_THAT(result.message, Catch::Contains("question 3 (pain)") && Catch::Contains("Pain now"));
  CHECK(result.answers == json({{"where", {"front"}}, {"onset", "gradual"}}));
}

TEST_CASE("an invalid piped line is an error naming line and question", "[interview][session]") {
  auto result = interview("1\n5\n", false);
  CHECK(result.outcome == InterviewOutcome::invalid_answer);
  CHECK(result.message == "line 2: question 2 (onset): \"5\": choose a number from 1 to 2");
}

TEST_CASE("at a terminal an invalid answer is asked again with its reason", "[interview][session]") {
  std::string prompts;
  auto result = interview("1\n5\n1\n2\n\n\n", true, &prompts);
  REQUIRE(result.outcome == InterviewOutcome::completed);
  CHECK(result.answers["onset"] == "gradual");
  CHECK_THAT(prompts, Catch::Contains("> ! choose a number from 1 to 2.\nType a number from 1 to 2\n> "));
  // Only the line on how to answer comes again, not the whole question.
  std::string questions = prompts.substr(0, prompts.find("Your answers"));
  CHECK(questions.find("How did it start?") == questions.rfind("How did it start?"));
}

TEST_CASE("at a terminal, help and ? both explain the question, then ask it again", "[interview][session]") {
  std::string prompts;
  auto result = interview("help\n?\n1\nq\n", true, &prompts);
  CHECK(result.outcome == InterviewOutcome::quit);
  std::size_t first = prompts.find("No further help for this question.");
  REQUIRE(first != std::string::npos);
  CHECK(prompts.find("No further help for this question.", first + 1) != std::string::npos);
  CHECK(result.answers == json({{"where", {"front"}}}));
}

TEST_CASE("at a terminal ? shows help, b goes back and q quits", "[interview][session]") {
  std::string prompts;
  auto back = interview("1\nb\n2\n2\nn\n4\n\n\n", true, &prompts);
  REQUIRE(back.outcome == InterviewOutcome::completed);
  CHECK(back.answers["where"] == json({"outer"}));
  auto kept = interview("1\nb\n\n1\n\n\n\n", true, &prompts);
  REQUIRE(kept.outcome == InterviewOutcome::completed);
  CHECK(kept.answers["where"] == json({"front"}));
  CHECK_THAT(prompts, Catch::Contains("[Enter = keep 1]"));
  auto help = interview("?\n", true, &prompts);
  CHECK_THAT(prompts, Catch::Contains("No further help for this question."));
  CHECK(help.outcome == InterviewOutcome::input_ended);
  auto quit = interview("1\nq\n", true);
  CHECK(quit.outcome == InterviewOutcome::quit);
  CHECK(quit.answers == json({{"where", {"front"}}}));
}

TEST_CASE("at a terminal the review lets the runner change one answer before scoring", "[interview][session]") {
  std::string prompts;
  // Answer everything, then change answer 2 (onset) to injury, which brings in the
  // locks follow-up; then Enter to finish.
  auto result = interview("1\n1\n4\n\n\n2\n2\nn\n\n", true, &prompts);
  REQUIRE(result.outcome == InterviewOutcome::completed);
  CHECK(result.answers == json({{"where", {"front"}}, {"onset", "injury"}, {"locks", false}, {"pain", 4}}));
  CHECK_THAT(prompts, Catch::Contains("Your answers") && Catch::Contains("2. How did it start? → Gradually"));
  CHECK_THAT(prompts, Catch::Contains("4. Pain now → 4 out of 10"));
  CHECK_THAT(prompts, Catch::Contains("2. How did it start? → With an injury"));
  CHECK_THAT(prompts, Catch::Contains("5. Weekly distance (skipped)"));
  CHECK(result.asked == std::vector<std::string>{"where", "onset", "locks", "pain", "km", "km_before"});
}

TEST_CASE("a review answer that is not a listed number is asked again", "[interview][session]") {
  std::string prompts;
  auto result = interview("1\n1\n4\n\n\n9\nq\n", true, &prompts);
  CHECK(result.outcome == InterviewOutcome::quit);
  CHECK_THAT(prompts, Catch::Contains("! Type a number from 1 to 5, b, q, or press Enter."));
}

TEST_CASE("b at the review goes back to the last question", "[interview][session]") {
  std::string prompts;
  // Pain 4, km and km_before skipped; at the review b reopens km_before,
  // which is answered 30; then Enter.
  auto result = interview("1\n1\n4\n\n\nb\n30\n\n", true, &prompts);
  REQUIRE(result.outcome == InterviewOutcome::completed);
  CHECK(result.answers["km_before"] == 30);
}

TEST_CASE("distances are asked and reviewed in the runner's unit, and kept in km", "[interview][session]") {
  std::istringstream input("1\n1\n4\n28\n20 km\n\n");
  std::ostringstream output;
  kneecheck::Interview state(rules());
  kneecheck::TypedInterviewOptions options;
  options.interactive = true;
  options.units = kneecheck::Units::mi;
  auto result = kneecheck::run_typed_interview(state, input, output, options);
  REQUIRE(result.outcome == InterviewOutcome::completed);
  CHECK(result.answers["km"].get<double>() == Approx(45.06));
  CHECK(result.answers["km_before"] == 20);
  CHECK_THAT(output.str(), Catch::Contains("Type a distance from 0 to 186.4 miles (\"20 km\" also works)"));
  CHECK_THAT(output.str(), Catch::Contains("→ 28 miles") && Catch::Contains("→ 12.4 miles"));
}

TEST_CASE("a draft replays the questions it recorded, then the interview goes on", "[interview][session]") {
  kneecheck::Interview state(rules());
  auto replayed = kneecheck::replay_draft(state, json({{"where", {"front"}}, {"onset", "injury"}, {"locks", true}}),
                                          {"where", "onset", "locks"});
  CHECK(replayed == 3);
  CHECK(state.current()->id == "pain");
  kneecheck::Interview stale(rules());
  // A saved answer that is no longer valid stops the replay at that question.
  CHECK(kneecheck::replay_draft(stale, json({{"where", {"front"}}, {"onset", "sudden"}}), {"where", "onset"}) == 1);
  CHECK(stale.current()->id == "onset");
}

TEST_CASE("0 for none is refused where at least one option is needed", "[interview][session]") {
  // Found by fuzzing: "0" at "Where does it hurt?" gave an empty answer that
  // the interview kept and check_answers then refused.
  const auto& rules = kneecheck::testing::default_rules();
  const kneecheck::Question* where = rules.find_question("pain_location");
  REQUIRE(where != nullptr);
  REQUIRE(where->min_choices == 1);
  for (const char* typed : {"0", "none"}) {
    auto parsed = kneecheck::parse_typed_answer(*where, typed);
    REQUIRE_FALSE(parsed.ok());
    CHECK_THAT(parsed.error().message, Catch::Contains("choose at least one option"));
  }
  CHECK_THAT(kneecheck::format_answer_line(*where, {}, kneecheck::Units::km), !Catch::Contains("Enter: none"));

  std::istringstream input("34\n1\n?\nb\n1\n3\n1\n8\n1\n13\n11\n2\n0\n3\n6\n5\n\n5\n3\nn\n2\n\n3\n3\n6\n1\n6\n");
  std::ostringstream prompts;
  kneecheck::Interview state(rules);
  kneecheck::TypedInterviewOptions options;
  options.interactive = true;
  auto result = kneecheck::run_typed_interview(state, input, prompts, options);
  CHECK_THAT(prompts.str(), Catch::Contains("! choose at least one option"));
  REQUIRE(result.answers.contains("pain_location"));
  CHECK(result.answers["pain_location"] == json::array({"outer"}));
  CHECK(kneecheck::check_answer(*where, result.answers["pain_location"]).ok());
}
