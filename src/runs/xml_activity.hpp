// xml_activity: runs from GPX 1.1 tracks and TCX activities (pugixml).
#pragma once

#include <string>

#include "runs/parsed_file.hpp"

namespace kneecheck::runs {

// Parses `text` in place (it is changed). The root element decides: <gpx>
// or <TrainingCenterDatabase>; anything else is an error. Leading
// whitespace and a byte order mark before "<?xml" are skipped, as Strava
// writes them.
ParsedFile read_xml_activity(std::string& text, const FileContext& context);

}  // namespace kneecheck::runs
