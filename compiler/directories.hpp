// Which directories may stand for HOME, TMPDIR or an XDG directory: the resolver asks it
// of the environment's values that rules use, and `nono exec` of the directory it makes the
// run's private temporary directory in.
#pragma once

#include <string>

namespace nono {

// Why an environment variable's directory cannot stand for HOME, TMPDIR or an XDG directory
// in rules, or empty when it can: `TMPDIR=/` would grant the whole file system, and a
// directory of someone else's is not the user's to hand to a program. A directory shared
// by everyone with the sticky bit (`/tmp`, `/var/tmp`) is a temporary directory too. An XDG
// directory may not exist yet: its rules then grant nothing.
std::string unfit_directory(const std::string& name, const std::string& value);

}  // namespace nono
