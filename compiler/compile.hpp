// The pipeline, one call: find the profile, load and resolve it with its parents, lower it
// to the IR, run the optimizer passes. What `nonoc compile|explain|why|diff|check` and
// `nono exec` use.
#pragma once

#include <iosfwd>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir.hpp"
#include "compiler/optimize.hpp"
#include "compiler/resolve.hpp"
#include "core/diagnostics.hpp"

namespace nono {

struct CompileOptions {
    ir::Platform platform = ir::Platform::Linux;
    std::map<std::string, std::string> params;    // --param K=V
    std::map<std::string, std::string> bindings;  // --bind VAR=VAL
    std::optional<std::string> workdir;           // --workdir DIR
    // The architectures to build syscall tables for: every one, unless the caller needs
    // fewer (`nono exec` installs only the host's filter).
    std::vector<ir::Arch> arches{std::begin(ir::kAllArches), std::end(ir::kAllArches)};
    // --dump-ir=after:PASS: print the IR to `dump_ir_to` after PASS (one of dump_points()).
    std::optional<std::string> dump_ir_after;
    // `nonoc why`: keep the rules the drop-implied pass would remove, so that a deny that
    // changes nothing (nothing above it allows) still shows as the statement that decided.
    bool keep_implied_rules = false;
    std::ostream* dump_ir_to = nullptr;
};

// "lower", then every optimizer pass ("drop-implied", "ranges"): the names --dump-ir accepts.
std::vector<std::string> dump_points();

// Reads profile files from disk (a missing file is nullopt; others go to the parser).
FileLoader disk_loader(SourceMap& sources, Diagnostics& diags);

// The profile named `name_or_path` (see find_profile), compiled; nullopt after errors,
// which are all in `diags`.
std::optional<OptimizedPolicy> compile_profile(const std::string& name_or_path, const CompileOptions& options,
                                               SourceMap& sources, Diagnostics& diags);

// The same from a file, through `load` (tests give their own).
std::optional<OptimizedPolicy> compile_file(const std::string& path, const CompileOptions& options,
                                            const FileLoader& load, SourceMap& sources, Diagnostics& diags);

}  // namespace nono
