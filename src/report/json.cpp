#include "kneecheck/report/json.hpp"

#include <algorithm>

#include "kneecheck/report/content.hpp"
#include "kneecheck/report/wording.hpp"

namespace kneecheck {

using json = nlohmann::ordered_json;

void write_value(JsonWriter& out, const logic::Value& item) {
  switch (item.type()) {
    case logic::Value::Type::null: out.null(); return;
    case logic::Value::Type::boolean: out.value(item.as_bool()); return;
    case logic::Value::Type::number:
      if (item.is_json_integer()) {
        out.value(static_cast<std::int64_t>(item.as_number()));
      } else {
        out.value(item.as_number());
      }
      return;
    case logic::Value::Type::string: out.lasting_value(item.as_string()); return;  // an option's value, often
    case logic::Value::Type::array:
      out.begin_array();
      for (std::size_t i = 0; i < item.size(); ++i) write_value(out, item[i]);
      out.end_array();
      return;
    case logic::Value::Type::object: break;
  }
  out.value(item.to_json());  // rare: answers are never objects
}

namespace {

// shown(evidence) as a JSON string: a choice's label is the rule set's own
// text, which the writer may have escaped already.
void write_shown(JsonWriter& out, const Evidence& evidence) {
  if (evidence.question != nullptr && evidence.question->type == QuestionType::choice &&
      evidence.value.type() == logic::Value::Type::string) {
    if (const Option* option = evidence.question->option_of(evidence.value.as_string())) {
      out.lasting_value(option->label);
      return;
    }
  }
  thread_local std::string text;  // its room kept from one record to the next
  text.clear();
  append_shown(text, evidence);
  out.value(text);
}

void write_evidence(JsonWriter& out, std::span<const Evidence> evidence) {
  out.begin_array();
  for (const auto& item : evidence) {
    out.begin_object().key("id").lasting_value(item.id).key("value");
    write_value(out, item.value);
    out.key("shown");
    write_shown(out, item);
    out.end_object();
  }
  out.end_array();
}

bool has_placeholders(std::string_view text) { return text.find('{') != std::string_view::npos; }

// The members every indicator has, the same in every record: "shown" too
// when `because` has no placeholder to fill in.
void write_indicator_rule(JsonWriter& out, const IndicatorResult& indicator) {
  out.key("id").lasting_value(indicator.id)
      .key("because").lasting_value(indicator.because)
      .key("source").lasting_strings(indicator.sources);
  if (!has_placeholders(indicator.because)) out.key("shown").lasting_value(indicator.because);
}

// An indicator's object but its end, which the caller writes. "shown" is
// `because` with its placeholders filled in: the rule's own text when it has
// none.
void write_indicator_members(JsonWriter& out, const Assessment& assessment, const IndicatorResult& indicator) {
  out.begin_object().members_fragment(indicator.id, [&](JsonWriter& w) { write_indicator_rule(w, indicator); });
  if (has_placeholders(indicator.because)) out.key("shown").value(expand_placeholders(assessment, indicator.because));
  out.key("points").value(indicator.points).key("answers");
  write_evidence(out, indicator.evidence);
}

void write_cause_rule(JsonWriter& out, const CauseAssessment& cause) {
  out.key("id").lasting_value(cause.id).key("title").lasting_value(cause.title).key("summary").lasting_value(cause.summary);
}

void write_advice(JsonWriter& out, const AdviceItem& advice) {
  out.begin_object().key("text").lasting_value(advice.text).key("source").lasting_strings(advice.sources);
  out.key("load").value(advice.load).end_object();
}

void write_advice_list(JsonWriter& out, std::span<const AdviceItem> advice) {
  out.begin_array();
  for (const auto& item : advice) {
    out.value_fragment(item.text, [&](JsonWriter& w) { write_advice(w, item); });
  }
  out.end_array();
}

// The ids of the causes level with causes[index], in order.
void write_level_with(JsonWriter& out, const Assessment& assessment, std::size_t index) {
  out.begin_array();
  const auto& causes = assessment.causes;
  for (std::size_t j = 0; j < causes.size(); ++j) {
    if (j != index && causes[j].rank == causes[index].rank) out.lasting_value(causes[j].id);
  }
  out.end_array();
}

void write_cause(JsonWriter& out, const Assessment& assessment, std::size_t index, bool explain) {
  const CauseAssessment& cause = assessment.causes[index];
  out.begin_object().key("rank").value(cause.rank).key("level_with");
  write_level_with(out, assessment, index);
  out.members_fragment(cause.id, [&](JsonWriter& w) { write_cause_rule(w, cause); });
  out.key("score").value(cause.score)
      .key("band").lasting_value(to_string(cause.band))
      .key("matched").begin_array();
  for (const IndicatorResult* indicator : cause.matched) {
    write_indicator_members(out, assessment, *indicator);
    out.end_object();
  }
  out.end_array().key("advice");
  write_advice_list(out, cause.advice);
  if (explain) {
    out.key("indicators").begin_array();
    for (const auto& indicator : cause.indicators) {
      write_indicator_members(out, assessment, indicator);
      out.key("matched").value(indicator.matched).end_object();
    }
    out.end_array();
  }
  out.end_object();
}

void write_red_flag_rule(JsonWriter& out, const RaisedFlag& flag) {
  out.key("id").lasting_value(flag.id)
      .key("title").lasting_value(flag.title)
      .key("level").lasting_value(to_string(flag.level))
      .key("message").lasting_value(flag.message)
      .key("source").lasting_strings(flag.sources);
}

void write_disclaimer(JsonWriter& out, std::string_view text, std::span<const std::string> not_covered) {
  out.begin_object().key("text").lasting_value(text).key("not_covered").lasting_strings(not_covered).end_object();
}

void write_red_flags(JsonWriter& out, std::span<const RaisedFlag> flags) {
  out.begin_array();
  for (const auto& flag : flags) {
    out.begin_object().members_fragment(flag.id, [&](JsonWriter& w) { write_red_flag_rule(w, flag); });
    out.key("answers");
    write_evidence(out, flag.evidence);
    out.end_object();
  }
  out.end_array();
}

void write_escalation(JsonWriter& out, const Escalation& escalation) {
  out.begin_object()
      .key("level").lasting_value(to_string(escalation.level))
      .key("headline").value(headline(escalation))
      .key("message").lasting_value(escalation.message);
  out.key("review_by");
  if (escalation.review_by) {
    out.value(escalation.review_by->to_string());
  } else {
    out.null();
  }
  out.key("source").lasting_strings(escalation.sources).key("reasons").begin_array();
  for (const auto& reason : escalation.reasons) {
    out.begin_object().key("id").lasting_value(reason.id).key("text").lasting_value(reason.text);
    out.key("source").lasting_strings(reason.sources).key("answers");
    write_evidence(out, reason.evidence);
    out.end_object();
  }
  out.end_array().end_object();
}

// What the report says first: the leading causes and this week's actions.
void write_summary(JsonWriter& out, const Assessment& assessment) {
  out.key("summary").begin_object().key("leading").begin_array();
  for (std::size_t index : assessment.summary.leading) out.lasting_value(assessment.causes[index].id);
  out.end_array().key("actions");
  write_advice_list(out, assessment.summary.actions);
  out.end_object();
}

void write_source_rule(JsonWriter& out, const Source& source) {
  out.key("id").lasting_value(source.id)
      .key("title").lasting_value(source.title)
      .key("author").lasting_value(source.author)
      .key("published_in").lasting_value(source.published_in)
      .key("year").lasting_value(source.year)
      .key("url").lasting_value(source.url)
      .key("citation").lasting_value(source.citation);
}

// The sources in the order the human reports number them: references[n - 1]
// is source n.
void write_references(JsonWriter& out, const Assessment& assessment) {
  out.key("references").begin_array();
  int number = 0;
  const auto& sources = assessment.rules->sources;
  for (std::string_view id : cited_sources(assessment)) {
    ++number;
    auto source = std::find_if(sources.begin(), sources.end(), [&](const Source& s) { return s.id == id; });
    if (source == sources.end()) continue;
    out.begin_object().key("n").value(number);
    out.members_fragment(source->id, [&](JsonWriter& w) { write_source_rule(w, *source); });
    out.end_object();
  }
  out.end_array();
}

}  // namespace

namespace {

// What write_json writes of each rule object, the same in every record, made
// by the same functions from the views the engine hands out.
void add_fragments(JsonLiterals& literals, const RuleSet& rules) {
  for (const auto& flag : rules.red_flags) {
    RaisedFlag raised{flag.id, flag.title, flag.level, flag.message, flag.sources, {}, flag.withholds_load_advice};
    literals.add_fragment(flag.id, JsonWriter::render_members([&](JsonWriter& w) { write_red_flag_rule(w, raised); }));
  }
  for (const auto& cause : rules.causes) {
    CauseAssessment assessed;
    assessed.id = cause.id;
    assessed.title = cause.title;
    assessed.summary = cause.summary;
    literals.add_fragment(cause.id, JsonWriter::render_members([&](JsonWriter& w) { write_cause_rule(w, assessed); }));
    for (const auto& indicator : cause.indicators) {
      IndicatorResult result{indicator.id, indicator.because, indicator.points, indicator.sources, {}, false};
      literals.add_fragment(indicator.id,
                            JsonWriter::render_members([&](JsonWriter& w) { write_indicator_rule(w, result); }));
    }
    for (const auto& advice : cause.advice) {
      AdviceItem item{advice.text, advice.sources, advice.load};
      literals.add_fragment(advice.text, JsonWriter::render_value([&](JsonWriter& w) { write_advice(w, item); }));
    }
  }
  for (const auto& advice : rules.general_advice) {
    AdviceItem item{advice.text, advice.sources, advice.load};
    literals.add_fragment(advice.text, JsonWriter::render_value([&](JsonWriter& w) { write_advice(w, item); }));
  }
  for (const auto& source : rules.sources) {
    literals.add_fragment(source.id, JsonWriter::render_members([&](JsonWriter& w) { write_source_rule(w, source); }));
  }
  literals.add_fragment(rules.disclaimer, JsonWriter::render_value([&](JsonWriter& w) {
                          write_disclaimer(w, rules.disclaimer, rules.not_covered);
                        }));
}

}  // namespace

JsonLiterals json_literals(const RuleSet& rules) {
  JsonLiterals literals;
  auto add_all = [&](std::span<const std::string> texts) {
    for (const auto& text : texts) literals.add(text);
  };
  // History evidence is named by the path a condition reads.
  auto add_history_paths = [&](const logic::Expression& condition) {
    for (const auto& path : condition.variables()) {
      if (path.starts_with(kHistoryObject)) literals.add(path);
    }
  };
  literals.add(rules.id);
  literals.add(rules.version);
  for (const auto& source : rules.sources) {
    for (const std::string* text : {&source.id, &source.title, &source.author, &source.published_in, &source.year,
                                    &source.url, &source.citation}) {
      literals.add(*text);
    }
  }
  add_all(rules.slots.names());
  for (const auto& question : rules.questions) {
    for (const auto& option : question.options) {
      literals.add(option.value);  // checked answers are views of these
      literals.add(option.label);
    }
  }
  for (const auto& derived : rules.derived) add_history_paths(derived.value);
  for (const auto& flag : rules.red_flags) {
    literals.add(flag.id);
    literals.add(flag.title);
    literals.add(flag.message);
    add_all(flag.sources);
    add_history_paths(flag.when.when);
  }
  for (const auto& cause : rules.causes) {
    literals.add(cause.id);
    literals.add(cause.title);
    literals.add(cause.summary);
    for (const auto& indicator : cause.indicators) {
      literals.add(indicator.id);
      literals.add(indicator.because);
      add_all(indicator.sources);
      add_history_paths(indicator.when.when);
    }
    for (const auto& advice : cause.advice) {
      literals.add(advice.text);
      add_all(advice.sources);
    }
  }
  for (const EscalationLevel* level : {&rules.routine, &rules.self_care}) {
    literals.add(level->message);
    add_all(level->sources);
    for (const auto& reason : level->reasons) {
      literals.add(reason.id);
      literals.add(reason.text);
      add_all(reason.sources);
      add_history_paths(reason.when.when);
    }
  }
  for (const auto& advice : rules.general_advice) {
    literals.add(advice.text);
    add_all(advice.sources);
  }
  for (Withheld withheld : {Withheld::none, Withheld::load, Withheld::all}) literals.add(to_string(withheld));
  literals.add(rules.disclaimer);
  add_all(rules.not_covered);
  for (Band band : {Band::low, Band::moderate, Band::high}) literals.add(to_string(band));
  for (Level level : {Level::urgent, Level::soon, Level::routine, Level::self_care}) literals.add(to_string(level));
  add_fragments(literals, rules);
  return literals;
}

void write_json(JsonWriter& out, const Assessment& assessment, bool explain) {
  out.begin_object()
      .key("kneecheck_assessment").value(1)
      .key("rules").begin_object()
      .key("id").lasting_value(assessment.rules_id)
      .key("version").lasting_value(assessment.rules_version)
      .end_object()
      .key("date").value(assessment.date.to_string())
      .key("escalation");
  write_escalation(out, assessment.escalation);
  out.key("red_flags");
  write_red_flags(out, assessment.red_flags);
  out.key("advice_withheld").lasting_value(to_string(assessment.withheld));
  out.key("any_cause_indicated").value(assessment.any_cause_indicated()).key("causes").begin_array();
  for (std::size_t i = 0; i < assessment.causes.size(); ++i) write_cause(out, assessment, i, explain);
  out.end_array().key("general_advice");
  write_advice_list(out, assessment.general_advice);
  write_summary(out, assessment);
  write_references(out, assessment);
  out
      .key("answers").begin_object();
  for (const auto& [id, value] : assessment.answers()) write_value(out.lasting_key(id), value);
  out.end_object().key("from_runs").begin_array();
  for (const auto& id : assessment.from_runs) out.value(id);
  out.end_array()
      .key("history").value(assessment.history)
      .key("disclaimer").value_fragment(assessment.disclaimer, [&](JsonWriter& w) {
        write_disclaimer(w, assessment.disclaimer, assessment.not_covered);
      })
      .end_object();
}

std::string render_json(const Assessment& assessment, bool explain, int indent) {
  std::string text;
  JsonWriter out(text, indent);
  write_json(out, assessment, explain);
  return text;
}

json to_json(const Assessment& assessment, bool explain) { return json::parse(render_json(assessment, explain, -1)); }

}  // namespace kneecheck
