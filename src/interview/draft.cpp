#include "kneecheck/interview/draft.hpp"

#include <cstdlib>
#include <ctime>
#include <system_error>

#include <fmt/format.h>

#include "kneecheck/base/atomic_file.hpp"
#include "kneecheck/base/json_input.hpp"

namespace kneecheck {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxDraftBytes = 1024 * 1024;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

std::filesystem::path default_draft_path() {
  std::filesystem::path state = environment("XDG_STATE_HOME");
  if (state.empty() || state.is_relative()) {
    std::string home = environment("HOME");
    if (home.empty()) return {};
    state = std::filesystem::path(home) / ".local" / "state";
  }
  return state / "kneecheck" / "draft.json";
}

std::optional<Error> save_draft(const std::filesystem::path& path, const Draft& draft) {
  if (auto error = create_private_folders(path.parent_path())) return error;
  json document = {{"kneecheck_draft", 1},
                   {"rules", {{"id", draft.rules_id}, {"version", draft.rules_version}}},
                   {"asked", draft.asked},
                   {"answers", draft.answers}};
  if (draft.date) document["date"] = draft.date->to_string();
  return write_file_atomically(path, document.dump(2) + "\n", FileAccess::owner_only);
}

Result<Draft> load_draft(const std::filesystem::path& path) {
  auto text = read_file(path, kMaxDraftBytes);
  if (!text) return text.error();
  auto document = parse_json(*text);
  if (!document) return Error{format_error(path.string(), document.error())};
  const json& draft = *document;
  bool well_formed = draft.is_object() && draft.value("kneecheck_draft", 0) == 1 && draft.contains("rules") &&
                     draft["rules"].is_object() && draft["rules"].value("id", json()).is_string() &&
                     draft["rules"].value("version", json()).is_string() && draft.value("asked", json()).is_array() &&
                     draft.value("answers", json()).is_object();
  if (!well_formed) return Error{fmt::format("{} is not a kneecheck draft", path.string())};
  Draft loaded{draft["rules"]["id"], draft["rules"]["version"], draft["answers"], {}, std::nullopt};
  if (draft.contains("date")) {
    auto date = draft["date"].is_string() ? Date::parse(draft["date"].get<std::string>()) : std::nullopt;
    if (!date) return Error{fmt::format("{} is not a kneecheck draft", path.string())};
    loaded.date = date;
  }
  for (const auto& id : draft["asked"]) {
    if (!id.is_string()) return Error{fmt::format("{} is not a kneecheck draft", path.string())};
    loaded.asked.push_back(id.get<std::string>());
  }
  return loaded;
}

std::filesystem::path sibling_draft_path(const std::filesystem::path& path) {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  std::filesystem::path sibling = path.parent_path() / fmt::format("draft-{}.json", stamp);
  std::error_code ignored;
  for (int n = 2; std::filesystem::exists(sibling, ignored); ++n) {
    sibling = path.parent_path() / fmt::format("draft-{}-{}.json", stamp, n);
  }
  return sibling;
}

void remove_draft(const std::filesystem::path& path) {
  std::error_code ignored;
  std::filesystem::remove(path, ignored);
}

}  // namespace kneecheck
