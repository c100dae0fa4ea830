#include "kneecheck/interview/interview.hpp"

namespace kneecheck {

using nlohmann::json;

Interview::Interview(const RuleSet& rules) : rules_(rules), visited_(rules.questions.size(), false) {
  current_ = next_asked(0);  // after every member it reads is set
}

bool Interview::visited(std::size_t index) const {
  return index < visited_.size() && visited_[index];
}

std::size_t Interview::next_asked(std::size_t from) const {
  for (std::size_t i = from; i < rules_.questions.size(); ++i) {
    if (is_asked(rules_.questions[i], answers_) && !(editing_ && visited(i))) return i;
  }
  return rules_.questions.size();
}

void Interview::edit(std::size_t question_index) {
  editing_ = true;
  current_ = question_index;
  asked_before_.clear();
  for (std::size_t index : asked()) {
    if (index < question_index) asked_before_.push_back(index);
  }
}

std::vector<std::size_t> Interview::asked() const {
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < rules_.questions.size(); ++i) {
    if (visited(i) && is_asked(rules_.questions[i], answers_)) indices.push_back(i);
  }
  return indices;
}

const Question* Interview::current() const {
  return current_ < rules_.questions.size() ? &rules_.questions[current_] : nullptr;
}

std::size_t Interview::number() const {
  return asked_before_.size() + 1;
}

std::size_t Interview::total() const {
  std::size_t still_to_come = 0;
  for (std::size_t i = current_; i < rules_.questions.size(); ++i) {
    if (is_asked(rules_.questions[i], answers_)) ++still_to_come;
  }
  return asked_before_.size() + still_to_come;
}

void Interview::answer(std::optional<json> value) {
  const Question& question = rules_.questions[current_];
  if (value) {
    answers_[question.id] = std::move(*value);
  } else {
    answers_.erase(question.id);
  }
  asked_before_.push_back(current_);
  visited_[current_] = true;
  // A changed answer can turn later follow-ups off: their answers no longer
  // apply, and should one apply again (a later edit), it is asked anew.
  for (std::size_t i = current_ + 1; i < rules_.questions.size(); ++i) {
    if (!is_asked(rules_.questions[i], answers_)) {
      answers_.erase(rules_.questions[i].id);
      visited_[i] = false;
    }
  }
  current_ = next_asked(current_ + 1);
}

bool Interview::back() {
  if (asked_before_.empty()) return false;
  current_ = asked_before_.back();
  asked_before_.pop_back();
  return true;
}

}  // namespace kneecheck
