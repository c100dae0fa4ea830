// report/json: an Assessment as JSON for programs, written straight into a
// string (JsonWriter); a batch writes one per answer set, with the rule
// set's texts escaped once (json_literals).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "kneecheck/base/json_writer.hpp"
#include "kneecheck/engine/engine.hpp"
#include "kneecheck/logic/logic.hpp"

namespace kneecheck {

// A Value as nlohmann::json's dump() writes value.to_json(); strings as
// JsonWriter::lasting_value writes them.
void write_value(JsonWriter& out, const logic::Value& value);

// The same assessment as JSON; the shape is documented in docs/rule-authoring.md ("JSON report"). Keys
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

}  // namespace kneecheck
