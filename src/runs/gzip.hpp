// gzip: inflating .gz files with a cap on what they inflate to.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "kneecheck/base/result.hpp"

namespace kneecheck::runs {

// True when `bytes` start with gzip's magic number.
bool looks_gzipped(std::string_view bytes);

// The inflated bytes of a gzip file (several members one after another are
// read as one, as gunzip does). Inflating past `max_bytes` stops with an
// error; so does a corrupt or truncated stream, at its compressed byte
// offset. The error's message names `name`.
Result<std::string> inflate_gzip(std::string_view bytes, std::size_t max_bytes, const std::string& name);

}  // namespace kneecheck::runs
