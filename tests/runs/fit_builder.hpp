// fit_builder: FIT files written byte by byte for the cases Garmin's SDK
// cannot write (compressed timestamps, big-endian messages, broken files),
// with a CRC of their own: a bitwise CRC-16/ARC, not the decoder's table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kneecheck::runs::test {

// Base types (domain-2 §4.5).
inline constexpr std::uint8_t kEnum = 0x00, kUint8 = 0x02, kUint16 = 0x84, kUint32 = 0x86, kFloat32 = 0x88;

struct FitField {
  std::uint8_t number;
  std::uint8_t size;
  std::uint8_t base_type;
};

inline std::uint16_t crc16_bitwise(const std::string& bytes) {
  std::uint16_t crc = 0;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001) : crc >> 1;
  }
  return crc;
}

// The seconds since the FIT epoch of a UTC time given as seconds since 1970.
inline std::uint32_t fit_time(std::int64_t unix_seconds) { return static_cast<std::uint32_t>(unix_seconds - 631065600); }

class FitBuilder {
 public:
  // A definition message for `local`; `developer_sizes` adds that many
  // developer fields of those sizes.
  FitBuilder& define(std::uint8_t local, std::uint16_t global, std::vector<FitField> fields, bool big_endian = false,
                     std::vector<std::uint8_t> developer_sizes = {}) {
    data_ += static_cast<char>(0x40 | (developer_sizes.empty() ? 0 : 0x20) | local);
    data_ += '\0';
    data_ += static_cast<char>(big_endian ? 1 : 0);
    put(global, 2, big_endian);
    data_ += static_cast<char>(fields.size());
    for (const FitField& field : fields) {
      data_ += static_cast<char>(field.number);
      data_ += static_cast<char>(field.size);
      data_ += static_cast<char>(field.base_type);
    }
    if (!developer_sizes.empty()) {
      data_ += static_cast<char>(developer_sizes.size());
      for (std::size_t i = 0; i < developer_sizes.size(); ++i) {
        data_ += static_cast<char>(i);
        data_ += static_cast<char>(developer_sizes[i]);
        data_ += '\0';
      }
    }
    definitions_[local] = Definition{std::move(fields), big_endian, std::move(developer_sizes)};
    return *this;
  }

  // A data message: one value per defined field, in order (an all-ones
  // value of the field's size is FIT's "invalid").
  FitBuilder& message(std::uint8_t local, const std::vector<std::uint64_t>& values) {
    data_ += static_cast<char>(local);
    return content(local, values);
  }

  // A data message with a compressed-timestamp header (local 0..3, 5-bit offset).
  FitBuilder& compressed(std::uint8_t local, std::uint8_t time_offset, const std::vector<std::uint64_t>& values) {
    data_ += static_cast<char>(0x80 | (local << 5) | (time_offset & 0x1F));
    return content(local, values);
  }

  FitBuilder& raw(const std::string& bytes) {
    data_ += bytes;
    return *this;
  }

  // Header (14 bytes with its CRC, or 12), data and file CRC.
  std::string file(bool header_crc = true) const {
    std::string bytes;
    bytes += static_cast<char>(header_crc ? 14 : 12);
    bytes += static_cast<char>(0x20);  // protocol 2.0
    append(bytes, 2120, 2, false);     // profile 21.20
    append(bytes, data_.size(), 4, false);
    bytes += ".FIT";
    if (header_crc) append(bytes, crc16_bitwise(bytes), 2, false);
    bytes += data_;
    append(bytes, crc16_bitwise(bytes), 2, false);
    return bytes;
  }

 private:
  struct Definition {
    std::vector<FitField> fields;
    bool big_endian = false;
    std::vector<std::uint8_t> developer_sizes;
  };

  static void append(std::string& bytes, std::uint64_t value, std::size_t size, bool big_endian) {
    for (std::size_t i = 0; i < size; ++i) {
      const std::size_t shift = 8 * (big_endian ? size - 1 - i : i);
      bytes += static_cast<char>((value >> shift) & 0xFF);
    }
  }

  void put(std::uint64_t value, std::size_t size, bool big_endian) { append(data_, value, size, big_endian); }

  FitBuilder& content(std::uint8_t local, const std::vector<std::uint64_t>& values) {
    const Definition& definition = definitions_[local];
    auto value = values.begin();
    for (const FitField& field : definition.fields) put(value == values.end() ? 0 : *value++, field.size, definition.big_endian);
    for (std::uint8_t size : definition.developer_sizes) data_.append(size, '\x5A');
    return *this;
  }

  std::string data_;
  Definition definitions_[16];
};

}  // namespace kneecheck::runs::test
