// report/html_escape: the one escape every HTML format uses: & < > " '
// become character references, in text and in attributes alike. Private to
// report/.
#pragma once

#include <string>
#include <string_view>

namespace kneecheck::html {

inline std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace kneecheck::html
