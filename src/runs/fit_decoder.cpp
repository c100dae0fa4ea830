#include "runs/fit_decoder.hpp"

#include <array>
#include <cmath>
#include <cstring>

namespace kneecheck::runs::fit {

namespace {

constexpr std::array<std::uint16_t, 16> kCrcTable = {0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
                                                     0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400};

constexpr std::size_t kLocalTypes = 16;

// Base types by their number (the low 5 bits): size in bytes and whether
// the value is signed, a float or "z" (0 is invalid rather than all ones).
struct BaseType {
  std::uint8_t size;
  bool is_signed;
  bool is_float;
  bool zero_invalid;
  bool numeric;
};
constexpr std::array<BaseType, 17> kBaseTypes = {{
    {1, false, false, false, true},   // 0 enum
    {1, true, false, false, true},    // 1 sint8
    {1, false, false, false, true},   // 2 uint8
    {2, true, false, false, true},    // 3 sint16
    {2, false, false, false, true},   // 4 uint16
    {4, true, false, false, true},    // 5 sint32
    {4, false, false, false, true},   // 6 uint32
    {1, false, false, false, false},  // 7 string
    {4, false, true, false, true},    // 8 float32
    {8, false, true, false, true},    // 9 float64
    {1, false, false, true, true},    // 10 uint8z
    {2, false, false, true, true},    // 11 uint16z
    {4, false, false, true, true},    // 12 uint32z
    {1, false, false, false, false},  // 13 byte
    {8, true, false, false, true},    // 14 sint64
    {8, false, false, false, true},   // 15 uint64
    {8, false, false, true, true},    // 16 uint64z
}};

std::uint64_t read_unsigned(const unsigned char* bytes, std::size_t size, bool big_endian) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    const std::size_t at = big_endian ? i : size - 1 - i;
    value = (value << 8) | bytes[at];
  }
  return value;
}

std::uint32_t read_u32_le(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint32_t>(read_unsigned(reinterpret_cast<const unsigned char*>(bytes.data()) + at, 4, false));
}

std::uint16_t read_u16_le(std::string_view bytes, std::size_t at) {
  return static_cast<std::uint16_t>(read_unsigned(reinterpret_cast<const unsigned char*>(bytes.data()) + at, 2, false));
}

std::optional<double> decode_value(const BaseType& type, std::uint64_t raw) {
  const unsigned bits = type.size * 8u;
  const std::uint64_t all_ones = bits == 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
  if (type.is_float) {
    if (raw == all_ones) return std::nullopt;
    double value = 0;
    if (type.size == 4) {
      float single = 0;
      const auto narrow = static_cast<std::uint32_t>(raw);
      std::memcpy(&single, &narrow, sizeof single);
      value = single;
    } else {
      std::memcpy(&value, &raw, sizeof value);
    }
    return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
  }
  if (type.zero_invalid) return raw == 0 ? std::nullopt : std::optional<double>(static_cast<double>(raw));
  if (type.is_signed) {
    const std::uint64_t largest = all_ones >> 1;  // 0x7F..., the invalid value
    if (raw == largest) return std::nullopt;
    const bool negative = (raw >> (bits - 1)) & 1u;
    const auto magnitude = static_cast<double>(negative ? (all_ones - raw + 1) : raw);
    return negative ? -magnitude : magnitude;
  }
  if (raw == all_ones) return std::nullopt;
  return static_cast<double>(raw);
}

// One FIT block's messages, between the end of its header and its CRC.
class BlockReader {
 public:
  BlockReader(std::string_view bytes, std::size_t start, std::size_t end,
              const std::function<void(const Message&)>& on_message, std::size_t& messages)
      : bytes_(bytes), position_(start), end_(end), on_message_(on_message), messages_(messages) {}

  std::optional<Finding> read_all() {
    while (position_ < end_) {
      if (++messages_ > kMaxMessages) {
        return Finding{position_, "more than " + std::to_string(kMaxMessages) + " messages"};
      }
      const auto header = byte(position_);
      const std::size_t at = position_++;
      std::optional<Finding> problem;
      if (header & 0x80) {
        problem = data_message(at, (header >> 5) & 0x03, header & 0x1F);
      } else if (header & 0x40) {
        problem = definition(at, header & 0x0F, (header & 0x20) != 0);
      } else {
        problem = data_message(at, header & 0x0F, std::nullopt);
      }
      if (problem) return problem;
    }
    return std::nullopt;
  }

 private:
  unsigned char byte(std::size_t at) const { return static_cast<unsigned char>(bytes_[at]); }
  const unsigned char* pointer(std::size_t at) const { return reinterpret_cast<const unsigned char*>(bytes_.data()) + at; }

  bool fits(std::size_t count) const { return count <= end_ - position_; }

  Finding cut_short(std::size_t at, const char* what) const {
    return Finding{at, std::string(what) + " runs past the end of the data"};
  }

  std::optional<Finding> definition(std::size_t at, std::size_t local, bool has_developer_fields) {
    if (!fits(5)) return cut_short(at, "a definition message");
    MessageDefinition parsed;
    const unsigned char architecture = byte(position_ + 1);
    if (architecture > 1) {
      return Finding{at, "a definition message gives architecture " + std::to_string(architecture) + ", not 0 or 1"};
    }
    parsed.big_endian = architecture == 1;
    parsed.global = static_cast<std::uint16_t>(read_unsigned(pointer(position_ + 2), 2, parsed.big_endian));
    const std::size_t field_count = byte(position_ + 4);
    position_ += 5;
    if (!fits(field_count * 3)) return cut_short(at, "a definition message");
    parsed.fields.reserve(field_count);
    for (std::size_t i = 0; i < field_count; ++i, position_ += 3) {
      FieldDefinition field{byte(position_), byte(position_ + 1), byte(position_ + 2), parsed.size};
      parsed.size += field.size;
      parsed.fields.push_back(field);
    }
    if (has_developer_fields) {
      if (!fits(1)) return cut_short(at, "a definition message");
      const std::size_t developer_count = byte(position_++);
      if (!fits(developer_count * 3)) return cut_short(at, "a definition message");
      // Developer fields (number, size, data index): counted, then skipped by size.
      for (std::size_t i = 0; i < developer_count; ++i, position_ += 3) parsed.size += byte(position_ + 1);
    }
    definitions_[local] = std::move(parsed);
    return std::nullopt;
  }

  std::optional<Finding> data_message(std::size_t at, std::size_t local, std::optional<std::uint32_t> time_offset) {
    const auto& definition = definitions_[local];
    if (!definition) {
      return Finding{at, "a data message of local type " + std::to_string(local) + " comes before its definition"};
    }
    if (!fits(definition->size)) return cut_short(at, "a data message");
    const unsigned char* content = pointer(position_);
    position_ += definition->size;
    std::optional<std::uint32_t> timestamp;
    if (time_offset) {
      timestamp = compressed_time(*time_offset);
    } else {
      const Message plain(*definition, content, at, std::nullopt);
      if (auto value = plain.value(kTimestampField); value && *value >= 0 && *value <= 4294967295.0) {
        last_timestamp_ = static_cast<std::uint32_t>(*value);
        timestamp = last_timestamp_;
      }
    }
    on_message_(Message(*definition, content, at, timestamp));
    return std::nullopt;
  }

  // The 5-bit offset counts on from the last full timestamp and rolls over
  // every 32 s.
  std::optional<std::uint32_t> compressed_time(std::uint32_t offset) {
    if (!last_timestamp_) return std::nullopt;
    std::uint32_t time = (*last_timestamp_ & ~std::uint32_t{0x1F}) + offset;
    if (offset < (*last_timestamp_ & 0x1F)) time += 0x20;
    last_timestamp_ = time;
    return time;
  }

  std::string_view bytes_;
  std::size_t position_;
  std::size_t end_;
  const std::function<void(const Message&)>& on_message_;
  std::size_t& messages_;
  std::array<std::optional<MessageDefinition>, kLocalTypes> definitions_;
  std::optional<std::uint32_t> last_timestamp_;
};

struct Header {
  std::size_t size = 0;
  std::uint32_t data_size = 0;
  std::uint16_t stored_crc = 0;
};

// The block header at `at`, or why there is none.
std::optional<Header> block_header(std::string_view bytes, std::size_t at, std::string& why) {
  const std::size_t remaining = bytes.size() - at;
  const std::size_t size = static_cast<unsigned char>(bytes[at]);
  if (remaining < 12 || (size != 12 && size != 14) || remaining < size || bytes.substr(at + 8, 4) != ".FIT") {
    why = remaining < 12 ? "too short for a FIT header" : "no FIT header (\".FIT\" at byte 8 of a 12- or 14-byte header)";
    return std::nullopt;
  }
  Header header{size, read_u32_le(bytes, at + 4), 0};
  if (size == 14) header.stored_crc = read_u16_le(bytes, at + 12);
  return header;
}

}  // namespace

std::optional<double> Message::value(std::uint8_t field) const {
  for (const FieldDefinition& defined : definition_.fields) {
    if (defined.number != field) continue;
    const std::size_t type_number = defined.base_type & 0x1F;
    if (type_number >= kBaseTypes.size()) return std::nullopt;
    const BaseType& type = kBaseTypes[type_number];
    if (!type.numeric || defined.size < type.size) return std::nullopt;
    return decode_value(type, read_unsigned(content_ + defined.offset, type.size, definition_.big_endian));
  }
  return std::nullopt;
}

std::uint16_t crc16(std::uint16_t crc, std::string_view bytes) {
  for (char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    std::uint16_t step = kCrcTable[crc & 0xF];
    crc = static_cast<std::uint16_t>(((crc >> 4) & 0x0FFF) ^ step ^ kCrcTable[byte & 0xF]);
    step = kCrcTable[crc & 0xF];
    crc = static_cast<std::uint16_t>(((crc >> 4) & 0x0FFF) ^ step ^ kCrcTable[(byte >> 4) & 0xF]);
  }
  return crc;
}

Outcome decode(std::string_view bytes, const std::function<void(const Message&)>& on_message) {
  Outcome outcome;
  std::size_t messages = 0;
  std::size_t at = 0;
  while (at < bytes.size()) {
    std::string why;
    auto header = block_header(bytes, at, why);
    if (!header) {
      if (outcome.blocks == 0) {
        outcome.failure = Finding{at, "not a FIT file: " + why};
      } else {
        outcome.trailing = Finding{at, std::to_string(bytes.size() - at) + " bytes after the last FIT block are not FIT"};
      }
      return outcome;
    }
    if (header->stored_crc != 0 && crc16(0, bytes.substr(at, 12)) != header->stored_crc) {
      outcome.crc_mismatches.push_back(Finding{at + 12, "the header CRC does not match"});
    }
    const std::size_t data_start = at + header->size;
    const std::size_t available = bytes.size() - data_start;
    const bool truncated = std::size_t{header->data_size} + 2 > available;
    const std::size_t data_end = data_start + (truncated ? std::min<std::size_t>(header->data_size, available)
                                                         : std::size_t{header->data_size});
    BlockReader reader(bytes, data_start, data_end, on_message, messages);
    if (auto problem = reader.read_all()) {
      if (truncated) problem->message += " (the file is cut short)";
      outcome.failure = problem;
      return outcome;
    }
    if (truncated) {
      outcome.failure = Finding{bytes.size(), "the file ends before the " + std::to_string(header->data_size) +
                                                   " bytes of data and the CRC its header gives"};
      return outcome;
    }
    if (crc16(0, bytes.substr(at, data_end - at)) != read_u16_le(bytes, data_end)) {
      outcome.crc_mismatches.push_back(Finding{data_end, "the file CRC does not match"});
    }
    ++outcome.blocks;
    at = data_end + 2;
  }
  if (outcome.blocks == 0) outcome.failure = Finding{0, "not a FIT file: the file is empty"};
  return outcome;
}

}  // namespace kneecheck::runs::fit
