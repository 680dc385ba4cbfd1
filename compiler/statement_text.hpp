// Stage 2a, resolve: rendering. The one-line text of a statement as written, which every
// fact's origin carries for `nonoc explain`, `why` and the fidelity report.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/source.hpp"

namespace nono {

class StatementTexts {
public:
    explicit StatementTexts(const SourceMap& sources) : sources_(sources) {}

    // The statement at `loc`: its source line from `loc` on, without the comment and the
    // surrounding blanks. Empty for a location in no file read. Line starts are indexed once
    // per file, so asking for every statement stays linear in the size of the profile.
    std::string text_at(const SourceLocation& loc);

private:
    const SourceMap& sources_;
    std::map<std::string, std::vector<std::size_t>> line_starts_;
};

}  // namespace nono
