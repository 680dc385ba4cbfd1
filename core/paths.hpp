// Path text: lexical canonicalization and globs.
//
// Globs: `*` (any characters within one component), `?` (one character but '/'), and
// `**` as a whole component (any number of components, zero included).
#pragma once

#include <string>
#include <string_view>

namespace nono {

// "/a/./b//c/../d/" -> "/a/b/d". Lexical only: symlinks are resolved at apply time.
// `path` must be absolute; ".." at the root stays at the root.
std::string canonical_path(std::string_view path);

bool is_glob(std::string_view path);
// Whether the canonical absolute `path` matches the canonical absolute `pattern`.
bool glob_match(std::string_view pattern, std::string_view path);

}  // namespace nono
