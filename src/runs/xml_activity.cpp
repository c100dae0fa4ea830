#include "runs/xml_activity.hpp"

#include <pugixml.hpp>

#include <cmath>
#include <cstring>
#include <optional>
#include <string_view>

#include "runs/clock.hpp"
#include "runs/sports.hpp"
#include "runs/text_values.hpp"

namespace kneecheck::runs {

namespace {

// The mean Earth radius (IUGG R1 = (2a + b) / 3 of WGS84) keeps haversine's
// error about the same on every heading; the equatorial 6378.137 km that
// gpxpy uses reads about 0.1 % long (domain-2 §4.3).
constexpr double kEarthRadiusM = 6371008.8;
constexpr double kPi = 3.14159265358979323846;

double radians(double degrees) { return degrees * kPi / 180; }

double haversine_m(double lat1, double lon1, double lat2, double lon2) {
  const double dlat = radians(lat2 - lat1);
  const double dlon = radians(lon2 - lon1);
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(radians(lat1)) * std::cos(radians(lat2)) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kEarthRadiusM * std::asin(std::sqrt(std::min(1.0, a)));
}

// Element names without a namespace prefix: "gpxtpx:cad" is "cad".
std::string_view local_name(const pugi::xml_node& node) {
  std::string_view name = node.name();
  const std::size_t colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node node = parent.first_child(); node; node = node.next_sibling()) {
    if (node.type() == pugi::node_element && local_name(node) == name) return node;
  }
  return {};
}

// The first element named `name` at any depth below `parent` (iterative).
pugi::xml_node descendant(const pugi::xml_node& parent, std::string_view name) {
  pugi::xml_node node = parent.first_child();
  while (node) {
    if (node.type() == pugi::node_element && local_name(node) == name) return node;
    if (node.first_child()) {
      node = node.first_child();
      continue;
    }
    while (node && !node.next_sibling() && node != parent) node = node.parent();
    if (!node || node == parent) break;
    node = node.next_sibling();
  }
  return {};
}

std::string_view text_of(const pugi::xml_node& node) { return node ? node.child_value() : ""; }

// The offset of an element's "<" in the text. pugixml parsed it in place
// and knows where the element's name starts, one byte after.
std::size_t offset_of(const pugi::xml_node& node, std::size_t skipped) {
  const std::ptrdiff_t offset = node.offset_debug();
  if (offset < 0) return skipped;
  return static_cast<std::size_t>(offset) + skipped - (node.type() == pugi::node_element && offset > 0 ? 1 : 0);
}

std::string xml_where(std::size_t offset) { return "XML offset " + std::to_string(offset); }

double steps_per_minute(double per_foot) { return per_foot > 130 ? per_foot : per_foot * 2; }

struct CadenceMean {
  double sum = 0;
  std::size_t count = 0;
  void add(std::optional<double> value) {
    if (value && *value > 0) {
      sum += *value;
      ++count;
    }
  }
  std::optional<double> steps() const {
    if (count == 0) return std::nullopt;
    return steps_per_minute(sum / static_cast<double>(count));
  }
};

class XmlRuns {
 public:
  XmlRuns(const FileContext& context, ParsedFile& file, std::size_t skipped)
      : context_(context), file_(file), skipped_(skipped) {}

  void gpx(const pugi::xml_node& root) {
    std::optional<std::int64_t> metadata_time = parse_iso8601(text_of(child(child(root, "metadata"), "time")));
    bool any_track = false;
    for (pugi::xml_node track = root.first_child(); track; track = track.next_sibling()) {
      if (track.type() != pugi::node_element || local_name(track) != "trk") continue;
      any_track = true;
      gpx_track(track, metadata_time);
      if (file_.failed()) return;
    }
    if (!any_track) add_warning(file_, context_, "", "the GPX file has no track (<trk>): no run in it");
  }

  void tcx(const pugi::xml_node& root) {
    const pugi::xml_node activities = child(root, "Activities");
    bool any_activity = false;
    for (pugi::xml_node activity = activities.first_child(); activity; activity = activity.next_sibling()) {
      if (activity.type() != pugi::node_element || local_name(activity) != "Activity") continue;
      any_activity = true;
      tcx_activity(activity);
      if (file_.failed()) return;
    }
    if (!any_activity) add_warning(file_, context_, "", "the TCX file has no activity: no run in it");
  }

 private:
  std::string where(const pugi::xml_node& node) const { return xml_where(offset_of(node, skipped_)); }

  std::optional<double> coordinate(const pugi::xml_node& point, const char* name, double limit) {
    auto value = parse_plain_number(point.attribute(name).value());
    if (!value || std::abs(*value) > limit) {
      add_error(file_, context_, where(point),
                std::string("the ") + name + " \"" + point.attribute(name).value() + "\" is not a coordinate");
      return std::nullopt;
    }
    return value;
  }

  void gpx_track(const pugi::xml_node& track, std::optional<std::int64_t> metadata_time) {
    const std::string_view type = text_of(child(track, "type"));
    const SportKind kind = gpx_sport(type);
    if (kind == SportKind::other) {
      ++file_.skipped_not_running;
      return;
    }
    double distance_m = 0;
    std::optional<std::int64_t> first_time;
    std::optional<std::int64_t> last_time;
    CadenceMean cadence;
    for (pugi::xml_node segment = track.first_child(); segment; segment = segment.next_sibling()) {
      if (segment.type() != pugi::node_element || local_name(segment) != "trkseg") continue;
      std::optional<std::pair<double, double>> previous;  // distance never spans two segments
      for (pugi::xml_node point = segment.first_child(); point; point = point.next_sibling()) {
        if (point.type() != pugi::node_element || local_name(point) != "trkpt") continue;
        auto lat = coordinate(point, "lat", 90);
        auto lon = coordinate(point, "lon", 180);
        if (!lat || !lon) return;
        if (previous) distance_m += haversine_m(previous->first, previous->second, *lat, *lon);
        previous = std::pair{*lat, *lon};
        if (pugi::xml_node time = child(point, "time")) {
          auto seconds = parse_iso8601(text_of(time));
          if (!seconds) {
            return add_error(file_, context_, where(time), "cannot read the time \"" + std::string(text_of(time)) + "\"");
          }
          if (!first_time) first_time = seconds;
          last_time = seconds;
        }
        if (pugi::xml_node extensions = child(point, "extensions")) {
          cadence.add(parse_plain_number(text_of(descendant(extensions, "cad"))));
        }
      }
    }
    const std::optional<std::int64_t> start = first_time ? first_time : metadata_time;
    if (!start) return add_error(file_, context_, where(track), "the track has no time");
    Run run;
    run.start_utc = *start;
    run.distance_m = distance_m;
    if (first_time && last_time) run.duration_s = static_cast<double>(*last_time - *first_time);
    run.sport = type.empty() ? "GPX track" : std::string(type);
    run.cadence_spm = cadence.steps();
    finish(std::move(run), SourceFormat::gpx, where(track), kind);
  }

  void tcx_activity(const pugi::xml_node& activity) {
    const std::string_view sport = activity.attribute("Sport").value();
    const SportKind kind = tcx_sport(sport);
    if (kind == SportKind::other) {
      ++file_.skipped_not_running;
      return;
    }
    std::optional<std::int64_t> start;
    double distance_m = 0;
    double last_track_distance_m = 0;
    std::optional<double> duration_s;
    CadenceMean cadence;
    CadenceMean lap_cadence;
    for (pugi::xml_node lap = activity.first_child(); lap; lap = lap.next_sibling()) {
      if (lap.type() != pugi::node_element || local_name(lap) != "Lap") continue;
      if (!start) {
        start = parse_iso8601(lap.attribute("StartTime").value());
        if (!start) {
          return add_error(file_, context_, where(lap),
                           std::string("cannot read the lap's StartTime \"") + lap.attribute("StartTime").value() + "\"");
        }
      }
      if (auto metres = parse_plain_number(text_of(child(lap, "DistanceMeters")))) distance_m += *metres;
      if (auto seconds = parse_plain_number(text_of(child(lap, "TotalTimeSeconds")))) {
        duration_s = duration_s.value_or(0) + *seconds;
      }
      lap_cadence.add(parse_plain_number(text_of(child(lap, "Cadence"))));
      tcx_track(child(lap, "Track"), cadence, last_track_distance_m);
    }
    if (!start) start = parse_iso8601(text_of(child(activity, "Id")));
    if (!start) return add_error(file_, context_, where(activity), "the activity has no lap StartTime or Id time");
    Run run;
    run.start_utc = *start;
    run.distance_m = distance_m > 0 ? distance_m : last_track_distance_m;
    run.duration_s = duration_s;
    run.sport = sport.empty() ? "TCX activity" : std::string(sport);
    run.cadence_spm = cadence.count > 0 ? cadence.steps() : lap_cadence.steps();
    finish(std::move(run), SourceFormat::tcx, where(activity), kind);
  }

  void tcx_track(const pugi::xml_node& track, CadenceMean& cadence, double& last_distance_m) {
    for (pugi::xml_node point = track.first_child(); point; point = point.next_sibling()) {
      if (point.type() != pugi::node_element || local_name(point) != "Trackpoint") continue;
      if (auto metres = parse_plain_number(text_of(child(point, "DistanceMeters")))) {
        last_distance_m = std::max(last_distance_m, *metres);
      }
      std::optional<double> value;
      if (pugi::xml_node extensions = child(point, "Extensions")) {
        value = parse_plain_number(text_of(descendant(extensions, "RunCadence")));
      }
      if (!value) value = parse_plain_number(text_of(child(point, "Cadence")));
      cadence.add(value);
    }
  }

  void finish(Run run, SourceFormat format, const std::string& at, SportKind kind) {
    run.local_date = local_date_of(run.start_utc, *context_.options);
    run.source = context_.name;
    run.format = format;
    keep_run(file_, context_, std::move(run), at, kind == SportKind::running);
  }

  const FileContext& context_;
  ParsedFile& file_;
  std::size_t skipped_;
};

std::size_t leading_junk(const std::string& text) {
  std::size_t start = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (start < text.size() && std::strchr(" \t\r\n", text[start]) != nullptr && text[start] != '\0') ++start;
  return start;
}

}  // namespace

ParsedFile read_xml_activity(std::string& text, const FileContext& context) {
  ParsedFile file;
  const std::size_t skipped = leading_junk(text);
  pugi::xml_document document;
  const pugi::xml_parse_result parsed =
      document.load_buffer_inplace(text.data() + skipped, text.size() - skipped, pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    add_error(file, context, xml_where(static_cast<std::size_t>(parsed.offset) + skipped),
              std::string("not well-formed XML: ") + parsed.description());
    return file;
  }
  const pugi::xml_node root = document.document_element();
  XmlRuns runs(context, file, skipped);
  if (local_name(root) == "gpx") {
    runs.gpx(root);
  } else if (local_name(root) == "TrainingCenterDatabase") {
    runs.tcx(root);
  } else {
    add_error(file, context, root ? xml_where(offset_of(root, skipped)) : "",
              "not a GPX or TCX file: the root element is <" + std::string(root ? root.name() : "") + ">");
  }
  close_problems(file, context);
  discard_runs_of_failed(file);
  return file;
}

}  // namespace kneecheck::runs
