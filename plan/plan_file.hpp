// Runtime: the compiled plan file (`nonoc compile --target plan`, `nono exec --plan`).
//
// A plan file holds what `nono exec` applies, so that starting a command needs no
// profile parsing and no compile: the Landlock plan (paths and globs before expansion,
// ports, scopes, environment), the limits and the seccomp filter for one architecture. It is as
// trusted as the profile it was compiled from, and it is only ever named explicitly by
// the user: nono never writes one by itself, so a sandboxed program cannot leave one for
// the next sandbox to pick up.
//
// Format, version 5 (4 had no peers, 3 no directories to make, 2 no limits, 1 no tmpdir).
// Integers are little-endian; a string
// is a u32 byte count and the bytes (no NUL inside); a list is a u32 count and its items.
//
//   magic      8 bytes  "NONOPLAN"
//   version    u32      5
//   name       string   the profile's name
//   handled    u64      handled filesystem rights (LANDLOCK_ACCESS_FS_*)
//   handle_tcp u8       0 or 1
//   scoped     u64      LANDLOCK_SCOPE_*
//   connect    list of  {u16 first, u16 last}   allowed TCP connect ports
//   bind       list of  {u16 first, u16 last}   allowed TCP bind ports
//   paths      list of  {string path, u64 allow, u64 deny}     canonical absolute paths
//   make       list of  string          canonical directories to make when missing
//   globs      list of  {string pattern, u64 allow, u64 deny}  canonical absolute patterns
//   keep       list of  string          environment variables kept
//   drop       list of  string          environment variables removed
//   set        list of  {string name, string value}
//   tmpdir     string   the canonical path $TMPDIR stood for when compiled
//   limits     list of  {u8 kind, u64 amount}   kinds in plan/limits.hpp's order, each
//                       at most once, increasing; amounts 1 to 2^63-1 (bytes, count, seconds)
//   hosts      list of  {string host, u16 first, u16 last}  `connect tcp HOST:PORTS`, the host
//                       canonical (plan/net_address), sorted, unique
//   loopback   u8       0 or 1: `allow loopback`
//   sockets    list of  string   `allow unix connect`: canonical absolute paths, sorted, unique
//   arch       string   the architecture the filter is for: x86_64, i386, x32 or aarch64
//   filter     list of  {u16 code, u8 jt, u8 jf, u32 k}, 1 to BPF_MAXINSNS instructions
//
// Nothing may follow. The reader checks every field and refuses the whole file at the
// first fault, so a plan either loads exactly as written or not at all; what it accepts,
// the writer writes back byte for byte.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "plan/landlock_plan.hpp"

namespace nono::plan {

// The path $TMPDIR stands for when a plan is compiled without --bind TMPDIR: a name no
// system has, so that only what the profile says of $TMPDIR becomes the run's directory.
inline constexpr std::string_view kPlanTmpdir = "/.nono-run-tmpdir";

struct CompiledPlan {
    landlock::Plan landlock;  // PathEntry::sealed is not stored: only glob expansion sets it
    std::string arch;         // "x86_64", "i386", "x32", "aarch64": the filter's
    std::vector<sock_filter> filter;
    // What $TMPDIR stood for when the plan was compiled: `nono exec` puts the run's private
    // temporary directory in its place (place_private_tmp).
    std::string tmpdir{kPlanTmpdir};
};

// Moves what the plan says of plan.tmpdir (and below it) to `dir`, the run's private
// temporary directory. Throws PlanFileError when a glob would move into a `dir` whose
// name holds a glob character.
void place_private_tmp(CompiledPlan& plan, const std::string& dir);

// What is wrong with a plan file, and at which byte.
struct PlanFileError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Plans larger than this are refused before they are read.
inline constexpr std::size_t kMaxPlanFileBytes = 64u << 20;

std::string write_plan(const CompiledPlan& plan);

// Throws PlanFileError.
CompiledPlan read_plan(std::string_view bytes);

// The architecture nono runs as, named as in a plan: the one filter it can install.
std::string_view host_arch_name();

}  // namespace nono::plan
