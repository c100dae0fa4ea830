# Writes OUTPUT, a C++ source defining kneecheck::embedded_rules() that returns
# the text of INPUT. Hex bytes rather than a raw string literal: the file may
# contain any sequence, and compilers cap string literal length.
file(READ ${INPUT} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE ${OUTPUT} "// Generated from data/rules.json by cmake/embed.cmake. Do not edit.
#include <string_view>
namespace kneecheck {
namespace {
const unsigned char kRules[] = {
${bytes}
0};
}  // namespace
std::string_view embedded_rules() { return {reinterpret_cast<const char*>(kRules), ${byte_count}}; }
}  // namespace kneecheck
")
