// Stage 2a, resolve: what a run decides beyond the profile's text.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "compiler/find_profile.hpp"
#include "compiler/ir.hpp"

namespace nono {

struct ResolveOptions : ProfileSearch {
    ir::Platform platform = ir::Platform::Linux;
    std::map<std::string, std::string> params;    // --param K=V
    std::map<std::string, std::string> bindings;  // --bind VAR=VAL ("env:NAME" binds ${env:NAME})
    std::optional<std::string> workdir;           // --workdir: the value of CWD
};

}  // namespace nono
