#include "kneecheck/runs/import.hpp"

#include <algorithm>
#include <exception>
#include <new>
#include <string>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "runs/csv_activities.hpp"
#include "runs/fit_activity.hpp"
#include "runs/gzip.hpp"
#include "kneecheck/base/json_input.hpp"
#include "kneecheck/base/text.hpp"
#include "runs/parsed_file.hpp"
#include "runs/xml_activity.hpp"

namespace kneecheck::runs {

namespace fs = std::filesystem;

namespace {

struct FoundFile {
  fs::path path;  // absolute and lexically normal: the key Strava's links use
  std::string name;  // as the runner wrote it, or as found under their folder
  bool named_directly = false;
};

// "run.fit.gz" -> ".fit"; "" when the name has no extension this reads.
std::string activity_extension(const fs::path& path) {
  std::string name = to_lower(path.filename().string());
  if (name.size() > 3 && name.ends_with(".gz")) name.resize(name.size() - 3);
  const std::size_t dot = name.rfind('.');
  if (dot == std::string::npos) return "";
  std::string extension = name.substr(dot);
  return extension == ".csv" || extension == ".gpx" || extension == ".tcx" || extension == ".fit" ? extension : "";
}

std::optional<FileKind> kind_of_extension(const std::string& extension) {
  if (extension == ".csv") return FileKind::csv;
  if (extension == ".gpx" || extension == ".tcx") return FileKind::xml;
  if (extension == ".fit") return FileKind::fit;
  return std::nullopt;
}

// For a file named directly whose name does not tell.
FileKind sniff_kind(std::string_view bytes) {
  if (bytes.size() >= 12 && bytes.substr(8, 4) == ".FIT") return FileKind::fit;
  const std::size_t first = bytes.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && bytes[first] == '<') return FileKind::xml;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF" && bytes.find('<') == bytes.find_first_not_of(" \t\r\n", 3)) {
    return FileKind::xml;
  }
  return FileKind::csv;
}

fs::path normal_absolute(const fs::path& path) {
  std::error_code error;
  fs::path absolute = fs::absolute(path, error);
  return (error ? path : absolute).lexically_normal();
}

class FileFinder {
 public:
  explicit FileFinder(std::vector<ImportProblem>& problems) : problems_(problems) {}

  void add(const fs::path& path) {
    std::error_code error;
    const fs::file_status status = fs::status(path, error);
    if (fs::is_directory(status)) return add_folder(path);
    if (fs::exists(status)) return keep(path, path.string(), true);
    problems_.push_back(ImportProblem{path.string(), "", "no such file or folder", false});
  }

  std::vector<FoundFile> take() {
    std::sort(files_.begin(), files_.end(), [](const FoundFile& a, const FoundFile& b) { return a.path < b.path; });
    // The same file named twice, or named and found in a folder, is read once.
    auto same = [](const FoundFile& a, const FoundFile& b) { return a.path == b.path; };
    files_.erase(std::unique(files_.begin(), files_.end(), same), files_.end());
    return std::move(files_);
  }

 private:
  void keep(const fs::path& path, std::string name, bool named_directly) {
    files_.push_back(FoundFile{normal_absolute(path), std::move(name), named_directly});
  }

  void add_folder(const fs::path& folder) {
    std::error_code error;
    fs::recursive_directory_iterator entries(folder, fs::directory_options::skip_permission_denied, error);
    for (; !error && entries != fs::recursive_directory_iterator(); entries.increment(error)) {
      std::error_code type_error;
      if (!entries->is_regular_file(type_error) || activity_extension(entries->path()).empty()) continue;
      keep(entries->path(), entries->path().string(), false);
    }
    if (error) problems_.push_back(ImportProblem{folder.string(), "", "cannot list the folder: " + error.message(), false});
  }

  std::vector<ImportProblem>& problems_;
  std::vector<FoundFile> files_;
};

ParsedFile parse_bytes(std::string& bytes, FileKind kind, const FileContext& context, CsvRequirement requirement,
                       bool& recognised) {
  recognised = true;
  switch (kind) {
    case FileKind::csv: return read_activities_csv(bytes, context, requirement, recognised);
    case FileKind::xml: return read_xml_activity(bytes, context);
    case FileKind::fit: return read_fit(bytes, context);
  }
  return {};
}

// Parses with every failure a problem: no exception leaves a file.
ParsedFile parse_guarded(std::string& bytes, FileKind kind, const FileContext& context, CsvRequirement requirement,
                         bool& recognised) {
  try {
    return parse_bytes(bytes, kind, context, requirement, recognised);
  } catch (const std::bad_alloc&) {
    ParsedFile failed;
    add_error(failed, context, "", "out of memory reading the file");
    return failed;
  } catch (const std::exception& error) {
    ParsedFile failed;
    add_error(failed, context, "", std::string("cannot read the file: ") + error.what());
    return failed;
  }
}

// A device file's runs, waiting for the Strava links.
struct FileRuns {
  fs::path path;
  std::vector<Run> runs;
  std::vector<Run> unknown_sport;
  std::string name;
  std::size_t skipped_not_running = 0;
};

class Importer {
 public:
  explicit Importer(const ImportOptions& options) : options_(options) {}

  void read(const FoundFile& found) {
    // Refused before a byte is read; read_file's own cap still holds for a
    // file that grows meanwhile.
    std::error_code size_error;
    const std::uintmax_t size = fs::file_size(found.path, size_error);
    if (!size_error && size > options_.max_file_bytes) {
      return problem(found.name, "the file is larger than the limit of " + std::to_string(options_.max_file_bytes) + " bytes");
    }
    auto bytes = read_file(found.name, options_.max_file_bytes);
    if (!bytes) return problem(found.name, bytes.error().message);
    std::string content = std::move(*bytes);
    if (looks_gzipped(content)) {
      auto inflated = inflate_gzip(content, options_.max_file_bytes, found.name);
      if (!inflated) return problem(found.name, inflated.error().message);
      content = std::move(*inflated);
    }
    const auto by_name = kind_of_extension(activity_extension(found.path));
    const FileKind kind = by_name ? *by_name : sniff_kind(content);
    const FileContext context{found.name, found.path.parent_path(), &options_};
    bool recognised = true;
    ParsedFile parsed = parse_guarded(content, kind, context,
                                      found.named_directly ? CsvRequirement::activities : CsvRequirement::activities_or_none,
                                      recognised);
    if (!recognised) return;
    ++result_.files_read;
    keep(found, std::move(parsed), kind != FileKind::csv);
  }

  Import finish() {
    apply_links();
    result_.runs = deduplicate(std::move(result_.runs));
    return std::move(result_);
  }

 private:
  // read_file's and inflate_gzip's messages start with the path, which the
  // problem names already.
  void problem(const std::string& name, std::string message) {
    ++result_.files_read;
    if (message.starts_with(name)) {
      message = std::string(trim(std::string_view(message).substr(name.size())));
      if (message.starts_with(":")) message = std::string(trim(std::string_view(message).substr(1)));
      if (message.starts_with("is ") || message.starts_with("inflates ")) message = "the file " + message;
    }
    result_.problems.push_back(ImportProblem{name, "", std::move(message), false});
  }

  // A CSV's runs are final; a device file's wait for the Strava links.
  void keep(const FoundFile& found, ParsedFile parsed, bool device_file) {
    for (auto& problem : parsed.problems) result_.problems.push_back(std::move(problem));
    for (auto& link : parsed.links) links_.emplace(link.file.string(), std::move(link));
    if (device_file) {
      files_.push_back(FileRuns{found.path, std::move(parsed.runs), std::move(parsed.unknown_sport), found.name,
                                parsed.skipped_not_running});
      return;
    }
    result_.skipped_not_running += parsed.skipped_not_running;
    for (auto& run : parsed.runs) result_.runs.push_back(std::move(run));
  }

  // A Strava row that names a file gives it its id and gear, and its sport
  // decides: a file the row calls a ride is no run, and a file that does
  // not say its sport is a run when the row says so.
  void apply_links() {
    for (FileRuns& file : files_) {
      const auto link = links_.find(file.path.string());
      if (link != links_.end() && !link->second.running) continue;  // the row counted it
      if (link == links_.end()) result_.skipped_not_running += file.skipped_not_running;
      if (link != links_.end()) {
        for (Run& run : file.unknown_sport) file.runs.push_back(std::move(run));
        file.unknown_sport.clear();
      }
      for (Run& run : file.runs) {
        if (link != links_.end()) {
          run.activity_id = link->second.activity_id;
          if (run.gear.empty()) run.gear = link->second.gear;
        }
        result_.runs.push_back(std::move(run));
      }
      if (!file.unknown_sport.empty()) {
        result_.skipped_not_running += file.unknown_sport.size();
        result_.problems.push_back(ImportProblem{
            file.name, "", "the file does not say its sport (TCX \"Other\", a GPX track without <type>, a FIT file without sport): not counted as a run",
            true});
      }
    }
  }

  const ImportOptions& options_;
  Import result_;
  std::vector<FileRuns> files_;
  std::unordered_map<std::string, StravaLink> links_;
};

}  // namespace

bool Import::has_errors() const {
  return std::any_of(problems.begin(), problems.end(), [](const ImportProblem& problem) { return !problem.warning; });
}

Import import_runs(std::span<const fs::path> paths, const ImportOptions& options) {
  Import found_problems;
  FileFinder finder(found_problems.problems);
  for (const fs::path& path : paths) finder.add(path);
  Importer importer(options);
  for (const FoundFile& file : finder.take()) importer.read(file);
  Import result = importer.finish();
  result.problems.insert(result.problems.begin(), found_problems.problems.begin(), found_problems.problems.end());
  return result;
}

Import import_bytes(std::string_view bytes, FileKind kind, const std::string& name, const ImportOptions& options) {
  std::string content(bytes);
  const FileContext context{name, fs::path(name).parent_path(), &options};
  bool recognised = true;
  ParsedFile parsed = parse_guarded(content, kind, context, CsvRequirement::activities, recognised);
  Import result;
  result.files_read = 1;
  result.problems = std::move(parsed.problems);
  result.runs = std::move(parsed.runs);
  result.skipped_not_running = parsed.skipped_not_running + parsed.unknown_sport.size();
  return result;
}

}  // namespace kneecheck::runs
