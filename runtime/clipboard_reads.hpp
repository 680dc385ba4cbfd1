// Runtime: the command's output on its way to the user's terminal, without clipboard reads.
// OSC 52 with `?` for its data (`ESC ] 52 ; SELECTIONS ; ? BEL`, or ST for BEL; OSC and ST
// also as 8-bit controls) asks the terminal to type the clipboard's contents back, where the
// command reads them: a password just copied from a password manager, outside everything the
// profile grants. Terminals that allow it (by a setting, or once the user agrees) answer;
// nono's relay drops the request, so none is ever asked. Writes to the clipboard (any data
// but `?`) and every other sequence pass unchanged.
#pragma once

#include <string>
#include <string_view>

namespace nono::runtime {

class ClipboardReadFilter {
public:
    // What of `chunk`, the next bytes of the output, goes to the terminal now. The output
    // comes in chunks that may split a request anywhere: the start of what may be one is
    // held back until it is known (a few bytes at most).
    std::string pass(std::string_view chunk);
    // What is held back, at the end of the output: it was no request.
    std::string rest();

private:
    std::string held_;
};

}  // namespace nono::runtime
