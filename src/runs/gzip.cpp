#include "runs/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace kneecheck::runs {

namespace {

class Inflater {
 public:
  Inflater() { ok_ = inflateInit2(&stream_, 16 + MAX_WBITS) == Z_OK; }  // 16: gzip wrapper, not zlib
  ~Inflater() {
    if (ok_) inflateEnd(&stream_);
  }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  bool ok() const { return ok_; }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool ok_ = false;
};

std::string at_byte(std::string_view bytes, const z_stream& stream) {
  return "byte " + std::to_string(bytes.size() - stream.avail_in);
}

}  // namespace

bool looks_gzipped(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F && static_cast<unsigned char>(bytes[1]) == 0x8B;
}

Result<std::string> inflate_gzip(std::string_view bytes, std::size_t max_bytes, const std::string& name) {
  // zlib counts input in uInt; larger inputs are refused by the file size cap first.
  if (bytes.size() > std::numeric_limits<uInt>::max()) return Error{name + ": too large to inflate"};
  Inflater inflater;
  if (!inflater.ok()) return Error{name + ": cannot start inflating (out of memory)"};
  z_stream& stream = inflater.stream();
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = static_cast<uInt>(bytes.size());
  std::string out;
  char buffer[1 << 16];
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int status = inflate(&stream, Z_NO_FLUSH);
    const std::size_t produced = sizeof buffer - stream.avail_out;
    if (out.size() + produced > max_bytes) {
      return Error{name + " inflates to more than the limit of " + std::to_string(max_bytes) + " bytes"};
    }
    out.append(buffer, produced);
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) return out;
      // Another gzip member follows; anything else after the first is junk.
      if (!looks_gzipped(std::string_view(reinterpret_cast<const char*>(stream.next_in), stream.avail_in))) {
        return Error{name + ": " + at_byte(bytes, stream) + ": data after the end of the gzip stream"};
      }
      if (inflateReset(&stream) != Z_OK) return Error{name + ": cannot inflate the next gzip member"};
      continue;
    }
    if (status == Z_BUF_ERROR && produced == 0) {
      return Error{name + ": " + at_byte(bytes, stream) + ": the gzip stream is truncated"};
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      const char* why = stream.msg != nullptr ? stream.msg : "corrupt data";
      return Error{name + ": " + at_byte(bytes, stream) + ": not valid gzip data (" + why + ")"};
    }
  }
}

}  // namespace kneecheck::runs
