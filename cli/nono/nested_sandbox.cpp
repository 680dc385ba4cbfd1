// nono: the agents whose own sandbox cannot start inside nono (see nested_sandbox.hpp).
#include "cli/nono/nested_sandbox.hpp"

#include <algorithm>
#include <initializer_list>
#include <cstdlib>
#include <regex>

#include "runtime/text_file.hpp"

namespace nono::cli {

namespace {

using runtime::read_text;

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

bool has_any(const std::vector<std::string>& args, std::initializer_list<const char*> words) {
    return std::any_of(args.begin(), args.end(), [&](const std::string& a) {
        return std::any_of(words.begin(), words.end(), [&](const char* w) { return a == w || a.rfind(std::string(w) + "=", 0) == 0; });
    });
}

// The values of `--name VALUE`, `--name=VALUE` and `-n VALUE` in `args`, in order.
std::vector<std::string> values(const std::vector<std::string>& args, const std::string& name, const std::string& letter) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if ((args[i] == name || args[i] == letter) && i + 1 < args.size()) out.push_back(args[++i]);
        else if (args[i].rfind(name + "=", 0) == 0) out.push_back(args[i].substr(name.size() + 1));
    }
    return out;
}

// codex: its sandbox modes but danger-full-access run each command in bubblewrap.
std::optional<std::string> codex(const std::vector<std::string>& args) {
    if (has_any(args, {"--dangerously-bypass-approvals-and-sandbox", "--yolo", "--version", "-V", "--help", "-h", "login",
                       "logout", "mcp", "completion"}))
        return std::nullopt;
    const std::vector<std::string> modes = values(args, "--sandbox", "-s");
    if (!modes.empty() && modes.back() == "danger-full-access") return std::nullopt;
    static const std::regex off(R"((^|\n)\s*sandbox_mode\s*=\s*"?danger-full-access)");
    for (const std::string& setting : values(args, "--config", "-c"))
        if (std::regex_search(setting, off)) return std::nullopt;
    const std::string home = env_or("CODEX_HOME", env_or("HOME", "") + "/.codex");
    if (modes.empty() && std::regex_search(read_text(home + "/config.toml"), off)) return std::nullopt;
    return "codex runs each command in its own bubblewrap sandbox, which cannot start inside nono (it needs a user "
           "namespace); nono is its sandbox: pass --sandbox danger-full-access, or set sandbox_mode = "
           "\"danger-full-access\" in " + home + "/config.toml";
}

// claude: its sandbox mode ("sandbox": {"enabled": true} in a settings file) runs commands in bubblewrap.
std::optional<std::string> claude() {
    static const std::regex on(R"re("sandbox"\s*:\s*\{[^}]*"enabled"\s*:\s*true)re");
    const std::string config = env_or("CLAUDE_CONFIG_DIR", env_or("HOME", "") + "/.claude");
    for (const std::string& file : {config + "/settings.json", std::string(".claude/settings.json"),
                                    std::string(".claude/settings.local.json")})
        if (std::regex_search(read_text(file), on))
            return "claude's sandbox mode (" + file + ") runs commands in bubblewrap, which cannot start inside nono; "
                   "nono is its sandbox: set \"sandbox\": {\"enabled\": false} there";
    return std::nullopt;
}

// gemini: --sandbox / GEMINI_SANDBOX run it in docker or podman, whose socket nono does not open.
std::optional<std::string> gemini(const std::vector<std::string>& args) {
    const std::string variable = env_or("GEMINI_SANDBOX", "false");
    if (!has_any(args, {"--sandbox", "-s"}) && (variable == "false" || variable == "0")) return std::nullopt;
    return "gemini's sandbox (--sandbox, GEMINI_SANDBOX) runs it in a container, which cannot start inside nono; "
           "nono is its sandbox: leave --sandbox out and unset GEMINI_SANDBOX";
}

}  // namespace

std::optional<std::string> nested_sandbox_hint(const std::vector<std::string>& command) {
    if (command.empty()) return std::nullopt;
    const std::string& first = command.front();
    const std::string program = first.substr(first.rfind('/') + 1);
    const std::vector<std::string> args(command.begin() + 1, command.end());
    if (program == "codex") return codex(args);
    if (program == "claude") return claude();
    if (program == "gemini") return gemini(args);
    return std::nullopt;
}

}  // namespace nono::cli
