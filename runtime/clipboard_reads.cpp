// Runtime: clipboard reads dropped from the command's output (see clipboard_reads.hpp).
#include "runtime/clipboard_reads.hpp"

namespace nono::runtime {

namespace {

// xterm's selections: clipboard, primary, secondary, select, cut buffers 0 to 7. An empty
// list means the terminal's default. More than this many is no request a terminal honours.
bool is_selection(char c) { return c == 'c' || c == 'p' || c == 'q' || c == 's' || (c >= '0' && c <= '7'); }
constexpr std::size_t kMaxSelections = 16;

enum class Request { kNo, kMaybe, kYes };

// OSC and ST, each in its 7-bit form, as an 8-bit C1 control, and as that control written in
// UTF-8 (U+009D, U+009C), which terminals in UTF-8 mode may honour too.
constexpr std::string_view kIntroducers[] = {"\x1b]", "\x9d", "\xc2\x9d"};
constexpr std::string_view kTerminators[] = {"\x07", "\x1b\\", "\x9c", "\xc2\x9c"};
// The bytes that may begin an introducer.
constexpr const char* kIntroducerStarts = "\x1b\x9d\xc2";

// Whether `text`, which starts with a byte of kIntroducerStarts, starts with a clipboard read;
// `length` is its length when it does. kMaybe: `text` ends before that is known.
Request clipboard_read(std::string_view text, std::size_t& length) {
    std::size_t at = 0;
    // One of `choices` at `at`, which it passes: kNo when none is, kMaybe when the text ends
    // inside one that may be.
    auto one_of = [&](auto const& choices) {
        const std::string_view rest = text.substr(at);
        bool maybe = false;
        for (std::string_view choice : choices) {
            if (rest.starts_with(choice)) {
                at += choice.size();
                return Request::kYes;
            }
            maybe = maybe || (rest.size() < choice.size() && choice.starts_with(rest));
        }
        return maybe ? Request::kMaybe : Request::kNo;
    };
    const std::string_view kSelectionsStart[] = {"52;"}, kQuery[] = {";?"};
    if (Request r = one_of(kIntroducers); r != Request::kYes) return r;
    if (Request r = one_of(kSelectionsStart); r != Request::kYes) return r;
    for (std::size_t n = 0; at < text.size() && is_selection(text[at]); ++n, ++at)
        if (n == kMaxSelections) return Request::kNo;
    if (Request r = one_of(kQuery); r != Request::kYes) return r;
    if (Request r = one_of(kTerminators); r != Request::kYes) return r;
    length = at;
    return Request::kYes;
}

}  // namespace

std::string ClipboardReadFilter::pass(std::string_view chunk) {
    held_.append(chunk);
    std::string out;
    std::size_t from = 0;
    for (std::size_t start; (start = held_.find_first_of(kIntroducerStarts, from)) != std::string::npos;) {
        std::size_t length = 0;
        const Request request = clipboard_read(std::string_view(held_).substr(start), length);
        out.append(held_, from, start - from);
        if (request == Request::kMaybe) {
            held_.erase(0, start);
            return out;
        }
        if (request == Request::kYes) {
            from = start + length;
        } else {
            out += held_[start];
            from = start + 1;
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
