// nono profiles: the built-in profiles, one line each, with their descriptions.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <set>

#include "cli/common/profile_flags.hpp"
#include "cli/nono/commands.hpp"
#include "compiler/load.hpp"
#include "compiler/resolve.hpp"

namespace nono::cli {

void add_profiles(CLI::App& app, int& status) {
    auto* command = app.add_subcommand("profiles", "List the built-in profiles");
    command->callback([&status] {
        std::string dir = builtin_profile_dir();
        std::set<std::filesystem::path> files;
        std::error_code ec;
        for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
            if (entry.path().extension() == ".nono") files.insert(entry.path());
        if (ec) {
            std::fprintf(stderr, "nono: cannot list the built-in profiles in %s: %s\n", dir.c_str(), ec.message().c_str());
            status = 1;
            return;
        }
        SourceMap sources;
        Diagnostics diags;
        for (const auto& path : files) {
            ast::File file = load_profile_file(path.string(), sources, diags);
            if (!file.profile) continue;  // the syscall groups file
            std::string description;
            for (const ast::Statement& s : file.profile->statements)
                if (auto* d = std::get_if<ast::Description>(&s.body)) description = d->text;
            std::printf("%-16s %s\n", file.profile->name.c_str(), description.c_str());
        }
        if (diags.has_errors()) {
            print_diagnostics(diags, sources);
            status = 1;
        }
    });
}

}  // namespace nono::cli
