// fit_decoder: a bounded reader of the FIT protocol's framing (domain-2
// §4.5): file headers, definition and data messages, compressed-timestamp
// headers and chained FIT blocks, written from the published layout. It
// knows no message but timestamps; fit_activity gives them meaning.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kneecheck::runs::fit {

// FIT time 0 is 1989-12-31T00:00:00Z; below 0x10000000 a time counts from
// the device's power-up, not a calendar date.
inline constexpr std::int64_t kEpochUnixSeconds = 631065600;
inline constexpr std::uint32_t kFirstCalendarTime = 0x10000000;

// Definitions and data messages over every block; a longer file is refused
// (a day of 1 s records is 86,400).
inline constexpr std::size_t kMaxMessages = 5'000'000;

inline constexpr std::uint8_t kTimestampField = 253;

struct FieldDefinition {
  std::uint8_t number = 0;
  std::uint8_t size = 0;
  std::uint8_t base_type = 0;
  std::uint32_t offset = 0;  // from the start of the message's content
};

struct MessageDefinition {
  std::uint16_t global = 0;
  bool big_endian = false;
  std::vector<FieldDefinition> fields;  // developer fields are not kept: only their size
  std::uint32_t size = 0;               // content bytes of each data message
};

// One data message, valid during the callback only.
class Message {
 public:
  Message(const MessageDefinition& definition, const unsigned char* content, std::size_t offset,
          std::optional<std::uint32_t> timestamp)
      : definition_(definition), content_(content), offset_(offset), timestamp_(timestamp) {}

  std::uint16_t global() const { return definition_.global; }
  // The byte offset of the message's record header in the file.
  std::size_t offset() const { return offset_; }
  // The first value of a numeric field, raw (unscaled); nullopt when the
  // message lacks the field or holds its base type's invalid value.
  std::optional<double> value(std::uint8_t field) const;
  // Field 253, or the time a compressed-timestamp header gives.
  std::optional<std::uint32_t> timestamp() const { return timestamp_; }

 private:
  const MessageDefinition& definition_;
  const unsigned char* content_;
  std::size_t offset_;
  std::optional<std::uint32_t> timestamp_;
};

struct Finding {
  std::size_t offset = 0;
  std::string message;
};

struct Outcome {
  std::optional<Finding> failure;       // decoding stopped here
  std::vector<Finding> crc_mismatches;  // header or file CRCs that disagree
  std::optional<Finding> trailing;      // bytes after the last block that are not FIT
  std::size_t blocks = 0;
};

// Calls `on_message` for every data message of every FIT block in `bytes`,
// in file order. Every read is bounds-checked; nothing recurses.
Outcome decode(std::string_view bytes, const std::function<void(const Message&)>& on_message);

// FIT's CRC-16 (the nibble table of domain-2 §4.5) of `bytes`, from `crc`.
std::uint16_t crc16(std::uint16_t crc, std::string_view bytes);

}  // namespace kneecheck::runs::fit
