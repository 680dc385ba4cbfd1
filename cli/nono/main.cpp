// nono: the runtime's command line — apply a compiled profile to this process and exec.
#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
    CLI::App app{"nono: run a program under a kernel-enforced sandbox profile"};
    app.set_version_flag("--version", std::string("nono ") + NONO_VERSION);
    app.require_subcommand(1);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : 2;
    }
    return 0;
}
