// Stage 2a, resolve: inheritance. A profile's file and those of its ancestors (`extends`),
// each loaded once, however many routes reach it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/find_profile.hpp"
#include "core/ast.hpp"
#include "core/diagnostics.hpp"

namespace nono {

// Reads one profile file, or nullopt when no file exists at `path`. Parse errors go to
// the diagnostics the loader was made with (the resolver checks them after each load).
using FileLoader = std::function<std::optional<ast::File>(const std::string& path)>;

struct LoadedFile {
    std::string path;
    ast::File file;
};

struct Family {
    std::vector<LoadedFile> files;  // the compiled profile first, then its ancestors
    bool unparsed = false;    // a parent had parse errors: its AST means nothing
    bool incomplete = false;  // a parent was not found
};

// The profile in `path` and its ancestors. Nullopt when the file itself cannot be read,
// does not parse or holds no profile; a missing parent or a cycle is reported and leaves
// the rest, so that every error is reported in one run.
std::optional<Family> load_family(const std::string& path, const ProfileSearch& search, const FileLoader& load,
                                  Diagnostics& diags);

}  // namespace nono
