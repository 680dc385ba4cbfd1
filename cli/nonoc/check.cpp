// `nonoc check FILE…`: parse and validate profiles; diagnostics only.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/nonoc/check.hpp"
#include "compiler/compile.hpp"
#include "compiler/load.hpp"

namespace nono::cli {

ast::File check_profile(const std::string& path, SourceMap& sources, Diagnostics& diags) {
    ast::File file = load_profile_file(path, sources, diags);
    if (diags.has_errors() || !file.profile) return file;
    // Resolve and lower too, so that unknown parents, params, variables, syscalls and
    // groups are check errors. The file is parsed already: the loader hands it back.
    FileLoader disk = disk_loader(sources, diags);
    FileLoader load = [&](const std::string& p) { return p == path ? std::optional<ast::File>(file) : disk(p); };
    // Linux first; macOS then reaches the `on macos` blocks (only when Linux found no
    // error, so that an error outside the blocks is reported once).
    for (ir::Platform platform : {ir::Platform::Linux, ir::Platform::Macos}) {
        CompileOptions options;
        options.platform = platform;
        if (!compile_file(path, options, load, sources, diags)) break;
    }
    return file;
}

void add_check(CLI::App& app, int& status) {
    struct Options {
        std::vector<std::string> files;
        bool verbose = false;
    };
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("check", "Parse and validate profiles; print only what is wrong");
    cmd->footer(
        "Each problem is printed as `file:line:col: error: message`, with the line and a caret.\n"
        "Exit status: 0 when every file is valid, 1 when one is not, 2 on bad usage.");
    cmd->add_option("files", options->files, "Profiles to check (.nono, .yaml)")->required();
    cmd->add_flag("-v,--verbose", options->verbose, "Also say which files are valid");
    cmd->callback([options, &status] {
        SourceMap sources;
        for (const std::string& path : options->files) {
            Diagnostics diags;
            check_profile(path, sources, diags);
            diags.render(std::cerr, sources, use_color(2));
            if (diags.has_errors())
                status = 1;
            else if (options->verbose)
                std::cout << path << ": ok\n";
        }
    });
}

}  // namespace nono::cli
