// Runtime: clipboard reads dropped from the command's output (see clipboard_reads.hpp).
#include "runtime/clipboard_reads.hpp"

namespace nono::runtime {

namespace {

// xterm's selections: clipboard, primary, secondary, select, cut buffers 0 to 7. An empty
// list means the terminal's default. More than this many is no request a terminal honours.
bool is_selection(char c) { return c == 'c' || c == 'p' || c == 'q' || c == 's' || (c >= '0' && c <= '7'); }
constexpr std::size_t kMaxSelections = 16;

enum class Request { kNo, kMaybe, kYes };

// Whether `text`, which starts with ESC, starts with a clipboard read; `length` is its length
// when it does. kMaybe: `text` ends before that is known.
Request clipboard_read(std::string_view text, std::size_t& length) {
    std::size_t at = 0;
    // Each expected byte in turn: kNo at another, kMaybe at the end of the text.
    auto expect = [&](std::string_view bytes) {
        for (char c : bytes) {
            if (at == text.size()) return Request::kMaybe;
            if (text[at++] != c) return Request::kNo;
        }
        return Request::kYes;
    };
    if (Request r = expect("\x1b]52;"); r != Request::kYes) return r;
    for (std::size_t n = 0; at < text.size() && is_selection(text[at]); ++n, ++at)
        if (n == kMaxSelections) return Request::kNo;
    if (Request r = expect(";?"); r != Request::kYes) return r;
    if (at == text.size()) return Request::kMaybe;
    if (text[at] == '\x07') {
        length = at + 1;
        return Request::kYes;
    }
    if (Request r = expect("\x1b\\"); r != Request::kYes) return r;
    length = at;
    return Request::kYes;
}

}  // namespace

std::string ClipboardReadFilter::pass(std::string_view chunk) {
    held_.append(chunk);
    std::string out;
    std::size_t from = 0;
    for (std::size_t esc; (esc = held_.find('\x1b', from)) != std::string::npos;) {
        std::size_t length = 0;
        const Request request = clipboard_read(std::string_view(held_).substr(esc), length);
        if (request == Request::kMaybe) {
            out.append(held_, from, esc - from);
            held_.erase(0, esc);
            return out;
        }
        out.append(held_, from, esc - from);
        if (request == Request::kYes) {
            from = esc + length;
        } else {
            out += '\x1b';
            from = esc + 1;
        }
    }
    out.append(held_, from);
    held_.clear();
    return out;
}

std::string ClipboardReadFilter::rest() {
    std::string out;
    out.swap(held_);
    return out;
}

}  // namespace nono::runtime
