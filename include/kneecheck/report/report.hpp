// report: an Assessment for people, as terminal or plain text, Markdown or
// one printable HTML page. It only formats: nothing here changes a score, a
// rank or an escalation. Every sentence the formats share comes from
// wording.hpp.
#pragma once

#include <cstddef>
#include <string>

#include "kneecheck/engine/engine.hpp"

namespace kneecheck {

struct TextOptions {
  std::size_t width = 80;
  bool color = false;    // ANSI colours and bold
  bool unicode = false;  // block characters for bars and a box for the escalation
  bool explain = false;  // every indicator of every cause: matched or not, and the answers that decided
  bool sources = true;   // the numbered list of sources; otherwise a line saying how to see it
};

// The report a runner reads: escalation first when a red flag was raised,
// the causes in rank order with bar, band, reasons and advice, what to do
// next, and the disclaimer last.
std::string render_text(const Assessment& assessment, const TextOptions& options);

// The report a runner reads, as Markdown: the content and order of
// render_text, plus the answers given. Every text from the rule file or the
// answers is escaped, so none of it can add a link, an image, HTML or a
// heading. Newlines in those texts become spaces. `explain` adds how every
// sign of every cause was judged.
std::string render_markdown(const Assessment& assessment, bool explain = false);

// The report a runner reads, as one self-contained, printable HTML5 document:
// inline CSS only (no scripts, no external resources; its Content Security
// Policy forbids both), an inline SVG bar chart of every cause's score, and
// the content and order of render_text plus the answers given. Every text
// from the rule file or the answers is escaped (& < > " '), in text and in
// attributes alike. `explain` adds how every sign of every cause was judged.
std::string render_html(const Assessment& assessment, bool explain = false);

}  // namespace kneecheck
