// `nonoc fmt FILE…`: print .nono profiles in the canonical layout, or rewrite them.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/common/write_file.hpp"
#include "cli/nonoc/check.hpp"
#include "grammar/print_nono.hpp"

namespace nono::cli {

namespace {

bool is_yaml(const std::string& path) {
    auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.ends_with(s); };
    return ends(".yaml") || ends(".yml");
}

}  // namespace

void add_fmt(CLI::App& app, int& status) {
    struct Options {
        std::vector<std::string> files;
        bool in_place = false;
        bool check = false;
    };
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("fmt", "Print .nono profiles in the canonical layout");
    cmd->footer(
        "Two-space indent, one statement per line, access words in canonical order; comments are\n"
        "kept and the meaning never changes. An invalid profile is reported, not formatted.\n"
        "Exit status: 0 on success, 1 when a file is invalid (or, with --check, would change), 2 on bad usage.");
    cmd->add_option("files", options->files, "Profiles to format (.nono)")->required();
    auto* in_place = cmd->add_flag("-i,--in-place", options->in_place, "Rewrite the files instead of printing them");
    cmd->add_flag("--check", options->check, "Print nothing; list the files that are not formatted, exit 1 if any")
        ->excludes(in_place);
    cmd->callback([options, &status] {
        SourceMap sources;
        for (const std::string& path : options->files) {
            if (is_yaml(path)) {
                std::cerr << path << ": error: fmt formats .nono profiles; `nonoc convert` turns YAML into .nono\n";
                status = 1;
                continue;
            }
            Diagnostics diags;
            ast::File file = check_profile(path, sources, diags);
            if (diags.has_errors()) {
                diags.render(std::cerr, sources, use_color(2));
                status = 1;
                continue;
            }
            const std::string formatted = print_nono(file);
            const bool changed = formatted != *sources.text(path);
            std::string error;
            if (options->check) {
                if (changed) {
                    std::cout << path << '\n';
                    status = 1;
                }
            } else if (options->in_place) {
                if (changed && !replace_file(path, formatted, error)) {
                    std::cerr << path << ": error: cannot write: " << error << '\n';
                    status = 1;
                }
            } else {
                std::cout << formatted;
            }
        }
    });
}

}  // namespace nono::cli
