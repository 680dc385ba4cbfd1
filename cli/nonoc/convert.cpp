// `nonoc convert FILE.nono|FILE.yaml [-o OUT]`: a profile from one form to the other.
// The input must parse; the output is parsed back before it is written, so a converted
// profile that would not load is never produced.
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cli/common/write_file.hpp"
#include "compiler/load.hpp"
#include "grammar/parse.hpp"
#include "grammar/print_nono.hpp"
#include "yaml/yaml_form.hpp"

namespace nono::cli {

namespace {

bool is_yaml(const std::string& path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

}  // namespace

void add_convert(CLI::App& app, int& status) {
    struct Options {
        std::string file;
        std::string output;
    };
    auto options = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("convert", "Convert a profile between .nono and YAML");
    cmd->footer(
        "A .yaml/.yml file becomes .nono; anything else is read as .nono and becomes YAML.\n"
        "The meaning and the comments are kept; YAML groups statements by kind (filesystem,\n"
        "network, …), which changes nothing: statement order has no meaning in a profile.\n"
        "Exit status: 0 on success, 1 when the profile is invalid or cannot be converted, 2 on bad usage.");
    cmd->add_option("file", options->file, "The profile to convert (.nono, .yaml, .yml)")->required();
    cmd->add_option("-o,--output", options->output, "Write here (replaced whole) instead of to stdout");
    cmd->callback([options, &status] {
        const std::string& path = options->file;
        const bool to_nono = is_yaml(path);
        if (!options->output.empty() && is_yaml(options->output) == to_nono) {
            std::cerr << "nonoc convert: " << options->output << ": the output of converting " << path
                      << " is " << (to_nono ? ".nono" : "YAML") << "; name it " << (to_nono ? "*.nono" : "*.yaml")
                      << '\n';
            status = 2;
            return;
        }
        SourceMap sources;
        Diagnostics diags;
        ast::File file = load_profile_file(path, sources, diags);
        std::string converted;
        if (!diags.has_errors()) {
            try {
                converted = to_nono ? print_nono(file) : print_yaml(file);
            } catch (const YamlUnrepresentable& e) {
                diags.error(e.loc, e.what());
            }
        }
        if (!diags.has_errors()) {
            // Fail closed: what we write must load, in the form its name says.
            const std::string shown = options->output.empty() ? "(converted " + path + ")" : options->output;
            sources.add(shown, converted);
            Diagnostics again;
            if (to_nono)
                parse_nono(converted, shown, again);
            else
                parse_yaml(converted, shown, again);
            if (again.has_errors()) {
                diags.error({path, 0, 0}, "internal error: the converted profile does not parse; nothing written");
                diags.render(std::cerr, sources, use_color(2));
                again.render(std::cerr, sources, use_color(2));
                status = 1;
                return;
            }
        }
        diags.render(std::cerr, sources, use_color(2));
        if (diags.has_errors()) {
            status = 1;
            return;
        }
        if (options->output.empty()) {
            std::cout << converted;
            return;
        }
        std::string error;
        if (!replace_file(options->output, converted, error)) {
            std::cerr << options->output << ": error: cannot write: " << error << '\n';
            status = 1;
        }
    });
}

}  // namespace nono::cli
