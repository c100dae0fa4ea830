// Result<T>: a value or an Error, the way every unit of kneecheck reports a
// recoverable failure. Exceptions never cross a unit boundary.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace kneecheck {

// Where and what went wrong. `pointer` is a JSON pointer (RFC 6901) into the
// document being read ("" for the whole document); `line`/`column` are 1-based
// and 0 when unknown.
struct Error {
  Error() = default;
  Error(std::string message_text, std::string json_pointer = {}, int line_number = 0, int column_number = 0)
      : message(std::move(message_text)), pointer(std::move(json_pointer)), line(line_number), column(column_number) {}

  std::string message;
  std::string pointer;
  int line = 0;
  int column = 0;
};

template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // REQUIRES: !ok()
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace kneecheck
