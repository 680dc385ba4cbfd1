// Stage 1a: the grammar's rules, table style — does a rule accept, reject (locally), or
// raise an error on each input — and PEGTL's analysis of the whole grammar.
#include <doctest/doctest.h>

#include <initializer_list>
#include <string_view>
#include <tao/pegtl/contrib/analyze.hpp>
#include <utility>

#include "grammar/errors.hpp"

namespace {

namespace pegtl = tao::pegtl;
namespace g = nono::grammar;

enum class Result { Success, LocalFailure, GlobalFailure };

// Whether `Rule` matches all of `text`. Errors raised under must<> are GlobalFailure.
template <typename Rule>
Result match(std::string_view text) {
    pegtl::memory_input in(text.data(), text.size(), "test");
    try {
        return pegtl::parse<pegtl::seq<Rule, pegtl::eof>, pegtl::nothing, g::control>(in) ? Result::Success
                                                                                           : Result::LocalFailure;
    } catch (const pegtl::parse_error&) {
        return Result::GlobalFailure;
    }
}

template <typename Rule>
void verify(std::initializer_list<std::pair<std::string_view, Result>> table) {
    for (const auto& [text, expected] : table) {
        CAPTURE(text);
        CHECK(match<Rule>(text) == expected);
    }
}

constexpr Result ok = Result::Success;
constexpr Result no = Result::LocalFailure;
constexpr Result error = Result::GlobalFailure;

}  // namespace

TEST_CASE("grammar: no rule can loop without progress") {
    CHECK(pegtl::analyze<g::file>() == 0);
    // The rules that read the YAML form's strings, which no .nono file reaches.
    CHECK(pegtl::analyze<pegtl::sor<g::path_string, g::value_string, g::condition_string, g::action_string,
                                    g::port_string, g::host_port_string>>() == 0);
}

TEST_CASE("grammar: keywords are whole words") {
    verify<g::kw_kill_process>({{"kill-process", ok}, {"kill", no}, {"kill-processes", no}});
    verify<g::kw_allow>({{"allow", ok}, {"allowed", no}, {"Allow", no}});
    verify<g::kw_syscall>({{"syscall", ok}, {"syscalls", no}, {"syscall-group", no}});
}

TEST_CASE("grammar: paths") {
    verify<g::fs_path>({
        {"/usr/lib", ok},
        {"/usr/lib/*.so", ok},
        {"~", ok},
        {"~/.ssh", ok},
        {"~root/.ssh", error},
        {"$HOME/x", ok},
        {"${workspace}/src", ok},
        {"${env:NAME}", ok},
        {"${env:NAME:-/tmp/x}", ok},
        {"${env:}", error},
        {"${}", error},
        {"${HOME", error},
        {"$/x", error},
        {"\"/a b/c\"", ok},
        {"\"/a \\\"b\\\" \\\\ \\$x\"", ok},
        {"\"/tmp/\\q\"", error},
        {"\"/unterminated", error},
        {"\"~/x\"", ok},
        {"/a b", no},
        {"/a#b", no},
        {"/a{b}", no},
    });
}

TEST_CASE("grammar: numbers and values") {
    verify<g::number>({{"42", ok}, {"0x5412", ok}, {"0o644", ok}, {"0b101", ok}, {"0x", no}, {"12ab", no}});
    verify<g::compared_value>({{"TIOCSTI", ok}, {"A|B", ok}, {"A | 0x10", ok}, {"A|", error}, {"-1", no}});
}

TEST_CASE("grammar: conditions") {
    verify<g::condition>({
        {"arg1 == TIOCSTI", ok},
        {"arg0 != 0", ok},
        {"arg2 <= 1", ok},
        {"arg2 >= 1", ok},
        {"arg2 < 1", ok},
        {"arg2 > 1", ok},
        {"arg0 & CLONE_NEWUSER == CLONE_NEWUSER", ok},
        {"arg0 & 0xff", error},
        {"arg0 in {1, 2, AF_UNIX}", ok},
        {"arg0 in {1, 2", error},
        {"arg0 in {}", error},
        {"arg1 = 2", error},
        {"argx == 1", no},
    });
}

TEST_CASE("grammar: ports") {
    verify<g::port_range>({{"443", ok}, {"8000-8099", ok}, {"8000-", error}, {"http", no}, {"80x", no}});
    verify<g::port_list>({{" 443 80 8000-8099", ok}, {" 443 http", error}, {"", no}});
}

TEST_CASE("grammar: statements") {
    verify<g::statement>({
        {"allow read /usr\n", ok},
        {"allow read, write /a \"/b c\"  # both\n", ok},
        {"deny ~/.ssh", ok},
        {"allow read \\\n  /usr\n", ok},
        {"allow read\n", error},
        {"allow\n", error},
        {"allow connect tcp 443 80\n", ok},
        {"allow connect udp 53\n", error},
        {"allow bind tcp 8000-8099\n", ok},
        {"allow udp\n", ok},
        {"allow udp please\n", error},
        {"allow signal outside\n", ok},
        {"allow signal\n", error},
        {"allow mach-lookup com.apple.x com.apple.y\n", ok},
        {"syscalls default errno EPERM\n", ok},
        {"syscalls default\n", error},
        {"deny syscall ptrace kill @debug errno EPERM\n", ok},
        {"deny syscall ioctl if arg1 == TIOCSTI && arg0 < 3 kill-process\n", ok},
        {"deny syscall if arg0 == 1\n", error},
        {"allow syscall read log\n", ok},
        {"param workspace = $CWD\n", ok},
        {"param workspace $CWD\n", error},
        {"description \"a \\\"quoted\\\" text\"\n", ok},
        {"description text\n", error},
        {"env keep LD_PRELOAD PATH\n", ok},
        {"env set LANG C.UTF-8\n", ok},
        {"env unset X\n", error},
        {"on linux {\n  allow udp\n}\n", ok},
        {"on macos { allow sysctl-read }\n", ok},
        {"on linux {\n  allow udp\n", error},
        {"frobnicate\n", ok},  // a word: the parser reports it as an unknown statement
        {"%\n", error},
    });
}

TEST_CASE("grammar: files") {
    verify<g::file>({
        {"", ok},
        {"profile p {\n}\n", ok},
        {"profile p extends a, b {  # header\n  allow udp\n}\n", ok},
        {"profile p { allow udp }", ok},
        {"syscall-group @g {\n  read write  # io\n  @other\n}\n", ok},
        {"\xEF\xBB\xBFprofile p {\n}\n", ok},
        {"profile p {\r\n  allow udp\r\n}\r\n", ok},
        {"profile p {\n", error},
        {"}\n", error},
        {"syscall-group g { read }\n", error},
    });
}
