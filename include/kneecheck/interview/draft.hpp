// draft: an unfinished interview kept on disk, so that nothing a runner
// answered is lost to Ctrl-C, q or input that ends early, and
// `kneecheck --resume` carries on from it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kneecheck/interview/interview.hpp"
#include "kneecheck/base/date.hpp"
#include "kneecheck/base/result.hpp"

namespace kneecheck {

struct Draft {
  std::string rules_id;
  std::string rules_version;
  Answers answers;
  std::vector<std::string> asked;  // question ids answered or skipped, in order
  std::optional<Date> date;        // the day the check-in is for
};

// $XDG_STATE_HOME/kneecheck/draft.json, or ~/.local/state/kneecheck/draft.json
// when XDG_STATE_HOME is unset or empty. Empty when neither can be known.
std::filesystem::path default_draft_path();

// A path beside `path` for a draft that must not replace the one there:
// draft-YYYYMMDD-HHMMSS.json, numbered when that is taken.
std::filesystem::path sibling_draft_path(const std::filesystem::path& path);

// Creates the folder when needed (readable by the runner alone, as the draft
// is) and writes the draft whole or not at all.
std::optional<Error> save_draft(const std::filesystem::path& path, const Draft& draft);

Result<Draft> load_draft(const std::filesystem::path& path);

// Removes the draft if there is one.
void remove_draft(const std::filesystem::path& path);

}  // namespace kneecheck
