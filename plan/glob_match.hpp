// The plan format: the glob matcher, one for the compiler's queries (core/paths.cpp) and for
// the runtime's expansion (runtime/glob_expand.hpp), so that `nonoc why` and the sandbox
// match a path alike. Pure: no file system.
#pragma once

#include <string_view>

namespace nono::landlock {

// `*` any characters and `?` one character, within one path component.
bool component_matches(std::string_view pattern, std::string_view name);

// A glob's wildcards in a directory component (`~/**/.env`, `/a/*/b`) reach directories
// that may hold no match when the sandbox starts; only a wildcard in the last component
// leaves one fixed directory that can be sealed. So a deny glob with a wildcard in a
// directory does not deny a match created later where none was: weaker than written.
bool wildcard_in_directory(std::string_view pattern);

}  // namespace nono::landlock
