// fit_activity: runs from a FIT activity file: one per running session
// (multisport files give only their running legs), or from the records when
// the file has no session.
#pragma once

#include <string_view>

#include "runs/parsed_file.hpp"

namespace kneecheck::runs {

ParsedFile read_fit(std::string_view bytes, const FileContext& context);

}  // namespace kneecheck::runs
