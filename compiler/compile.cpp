// The compiler pipeline: find → load → resolve → lower → optimize.
#include "compiler/compile.hpp"

#include <algorithm>
#include <filesystem>
#include <ostream>

#include "compiler/dump_ir.hpp"
#include "compiler/load.hpp"
#include "compiler/lower.hpp"
#include "compiler/optimize.hpp"
#include "compiler/verify_ir.hpp"

namespace nono {

std::vector<std::string> dump_points() { return {"lower", "drop-implied", "ranges"}; }

FileLoader disk_loader(SourceMap& sources, Diagnostics& diags) {
    return [&sources, &diags](const std::string& path) -> std::optional<ast::File> {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return std::nullopt;
        return load_profile_file(path, sources, diags);
    };
}

namespace {

// The verifier runs in debug and test builds only: it walks the whole IR after every pass.
template <typename Ir>
void check_ir([[maybe_unused]] const Ir& policy, [[maybe_unused]] std::string_view after) {
#ifdef NONO_VERIFY_IR
    verify_ir(policy, after);
#endif
}

// drop_implied_paths on `policy`; in debug and test builds, checked to leave every path's
// rights as they were (which costs a copy of the trie).
void drop_implied_checked(ir::Policy& policy) {
#ifdef NONO_VERIFY_IR
    const ir::PathNode before = policy.root;
    drop_implied_paths(policy);
    verify_same_rights(before, policy.root, "drop-implied");
#else
    drop_implied_paths(policy);
#endif
    check_ir(policy, "drop-implied");
}

ResolveOptions resolve_options(const CompileOptions& options) {
    ResolveOptions r;
    r.platform = options.platform;
    r.params = options.params;
    r.bindings = options.bindings;
    r.workdir = options.workdir;
    r.profile_path = profile_path_from_env();
    r.builtin_dir = builtin_profile_dir();
    return r;
}

}  // namespace

std::optional<OptimizedPolicy> compile_file(const std::string& path, const CompileOptions& options,
                                            const FileLoader& load, SourceMap& sources, Diagnostics& diags) {
    if (options.dump_ir_after) {
        std::vector<std::string> points = dump_points();
        if (std::find(points.begin(), points.end(), *options.dump_ir_after) == points.end()) {
            std::string list;
            for (const std::string& p : points) list += (list.empty() ? "" : ", ") + p;
            diags.error({"--dump-ir=after:" + *options.dump_ir_after, 0, 0}, "unknown pass `" + *options.dump_ir_after + "`",
                        "passes: " + list);
            return std::nullopt;
        }
    }
    std::size_t errors = diags.error_count();
    ResolvedProfile resolved = resolve_profile(path, resolve_options(options), load, sources, diags);
    if (diags.error_count() > errors) return std::nullopt;
    // The dump after a pass names the parts of the IR the pass changed.
    const bool dumping = options.dump_ir_after && options.dump_ir_to;
    std::string before_dump;
    auto before = [&](std::string_view point, const ir::Policy& policy) {
        if (dumping && options.dump_ir_after == point) before_dump = dump_ir(policy);
    };
    auto after = [&](std::string_view point, const auto& policy) {
        if (!dumping || options.dump_ir_after != point) return;
        const std::string text = dump_ir(policy);
        *options.dump_ir_to << "# IR after " << point;
        if (point != "lower") {
            const std::vector<std::string> changed = changed_parts(before_dump, text);
            *options.dump_ir_to << " (changed: " << (changed.empty() ? "nothing" : joined(changed, ", ")) << ")";
        }
        *options.dump_ir_to << '\n' << text;
    };
    try {
        ir::Policy policy = lower(resolved, options.arches);
        check_ir(policy, "lower");
        after("lower", policy);
        if (!options.keep_implied_rules) {
            before("drop-implied", policy);
            drop_implied_checked(policy);
            after("drop-implied", policy);
        }
        before("ranges", policy);
        OptimizedPolicy optimized = coalesce_syscall_ranges(std::move(policy));
        check_ir(optimized, "ranges");
        after("ranges", optimized);
        return optimized;
    } catch (const InvalidIr& e) {
        diags.error({path, 0, 0}, std::string("internal error: ") + e.what(), "please report it, with the profile");
        return std::nullopt;
    }
}

std::optional<OptimizedPolicy> compile_profile(const std::string& name_or_path, const CompileOptions& options,
                                               SourceMap& sources, Diagnostics& diags) {
    ResolveOptions search = resolve_options(options);
    std::optional<std::string> path = find_profile(name_or_path, search, diags);
    if (!path) return std::nullopt;
    return compile_file(*path, options, disk_loader(sources, diags), sources, diags);
}

}  // namespace nono
