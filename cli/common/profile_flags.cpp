// Shared profile flags for nonoc's and nono's commands.
#include "cli/common/profile_flags.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>

namespace nono::cli {

void add_profile_flags(CLI::App& command, ProfileFlags& flags, bool with_platform) {
    command.add_option("--param", flags.params, "Set a profile param: NAME=VALUE")->type_name("K=V");
    command.add_option("--bind", flags.bindings, "Fix a variable such as HOME: VAR=VALUE (env:NAME for ${env:NAME})")
        ->type_name("VAR=VAL");
    command.add_option("--workdir", flags.workdir, "The directory $CWD stands for")->type_name("DIR");
    if (with_platform)
        command.add_option("--platform", flags.platform, "The platform to resolve `on` blocks for")
            ->check(CLI::IsMember({"linux", "macos"}));
}

namespace {

bool split_pairs(const std::vector<std::string>& items, const char* flag, std::map<std::string, std::string>& out) {
    for (const std::string& item : items) {
        std::size_t eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
            std::cerr << "nonoc: " << flag << " " << item << ": expected NAME=VALUE\n";
            return false;
        }
        out[item.substr(0, eq)] = item.substr(eq + 1);
    }
    return true;
}

}  // namespace

std::optional<CompileOptions> compile_options(const ProfileFlags& flags) {
    CompileOptions options;
    options.platform = flags.platform == "macos" ? ir::Platform::Macos : ir::Platform::Linux;
    if (!split_pairs(flags.params, "--param", options.params) || !split_pairs(flags.bindings, "--bind", options.bindings))
        return std::nullopt;
    if (!flags.workdir.empty()) options.workdir = flags.workdir;
    return options;
}

void one_value_per_flag(CLI::App& app) {
    for (CLI::App* command : app.get_subcommands({}))
        for (CLI::Option* option : command->get_options())
            if (!option->get_positional()) option->allow_extra_args(false);
}

void print_diagnostics(const Diagnostics& diags, const SourceMap& sources) {
    diags.render(std::cerr, sources, use_color(STDERR_FILENO));
}

}  // namespace nono::cli
