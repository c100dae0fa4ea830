// libFuzzer entry point: see fuzz_xml in targets.hpp.
#include <cstddef>
#include <cstdint>

#include "targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return kneecheck::fuzz::fuzz_xml(data, size);
}
