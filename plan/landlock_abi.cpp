// Compile-time checks that our copy of the uapi matches the kernel's layout.
#include "plan/landlock_abi.hpp"

namespace nono::landlock {

static_assert(sizeof(RulesetAttr) == 24);
static_assert(sizeof(PathBeneathAttr) == 12);
static_assert(sizeof(NetPortAttr) == 16);
static_assert(kFsRightsByAbi[kNewestKnownAbi] == (kAccessFsIoctlDev << 1) - 1);

}  // namespace nono::landlock
