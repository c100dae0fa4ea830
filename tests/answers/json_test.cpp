#include "kneecheck/answers/json.hpp"

#include <catch2/catch.hpp>

#include "kneecheck/answers/answers.hpp"
#include "test_support.hpp"

using kneecheck::logic::Data;
using kneecheck::logic::SlotNames;
using nlohmann::json;

namespace {

// Slot by slot: absent, or the same JSON, integers and floats told apart.
std::string slots_dump(const Data& data) {
  std::string text;
  for (std::size_t slot = 0; slot < data.slots().size(); ++slot) {
    auto value = data.get(slot);
    text += value ? value->to_json().dump() : "(absent)";
    text += value && value->is_json_integer() ? " int\n" : "\n";
  }
  return text;
}

}  // namespace

TEST_CASE("plain_answers reads plain answers as Data::from_json reads their document", "[answers][json]") {
  const SlotNames slots({"age", "pain_now", "worse_with", "knee", "note"});
  const char* accepted[] = {
      R"({})",
      R"(  { "age" : 40 , "pain_now": 3.5, "worse_with": ["stairs", "downhill"], "knee": true }  )",
      R"({"age": -0, "pain_now": 1e2, "worse_with": [], "knee": null, "note": ""})",
      R"({"age": 123456789012345, "pain_now": -2.5E-3, "worse_with": [1, true, null, "x"], "note": "a ~ b"})",
      R"({"age": 1, "age": 2})",
      "{\"age\":\t5,\r\n\"note\":\"line\"}",
  };
  for (const char* text : accepted) {
    INFO(text);
    auto parsed = kneecheck::plain_answers(text, slots);
    REQUIRE(parsed.has_value());
    CHECK(slots_dump(*parsed) == slots_dump(Data::from_json(json::parse(text), slots)));
    CHECK(parsed->unslotted_names().empty());
  }
  const char* declined[] = {
      "",
      "[]",
      "{",
      R"({"age": 1,})",
      R"({"age": 1} x)",
      R"({"other": 1})",                            // not a slot
      R"({"note": "caf\u00e9"})",                   // an escape
      "{\"note\": \"caf\xC3\xA9\"}",                // beyond ASCII
      R"({"note": "say \"hi\""})",
      R"({"knee": {"side": "left"}})",              // an object inside
      R"({"worse_with": [["stairs"]]})",            // an array inside an array
      R"({"age": 1234567890123456})",               // 16 digits
      R"({"age": 1e999})",
      R"({"age": 01})",
      R"({"age": tru})",
      "\xEF\xBB\xBF{}",
  };
  for (const char* text : declined) {
    INFO(text);
    CHECK_FALSE(kneecheck::plain_answers(text, slots).has_value());
  }
  std::string long_array = R"({"worse_with": [)";
  for (int i = 0; i < 100; ++i) long_array += (i > 0 ? ",\"x\"" : "\"x\"");
  CHECK_FALSE(kneecheck::plain_answers(long_array + "]}", slots).has_value());
}

