// Stage 1a: the message for every error point of grammar.hpp (every rule under must<>).
// The control below keeps RequireMessage on: a rule under must<> without a message here
// fails the build, so no error can reach a user as a PEGTL rule name.
#pragma once

#include "grammar/grammar.hpp"

namespace nono::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr auto error_message<statement_kind> = "expected a statement: allow, deny, param, description, syscalls, env, limit or on";
template <> inline constexpr auto error_message<statement_end> = "unexpected text; expected the end of the statement";
template <> inline constexpr auto error_message<top_statement_kind> = "expected `profile NAME { … }` or `syscall-group @NAME { … }`";

template <> inline constexpr auto error_message<profile_header> = "expected a profile name: `profile NAME [extends PARENT, …] {`";
template <> inline constexpr auto error_message<parent_list> = "expected a parent profile name after `extends`";
template <> inline constexpr auto error_message<parent_name> = "expected a parent profile name after `,`";
template <> inline constexpr auto error_message<opening_profile_brace> = "expected `{` to open the profile";
template <> inline constexpr auto error_message<closing_profile_brace> = "expected `}` to close the profile";

template <> inline constexpr auto error_message<on_arguments> = "expected a platform: `on linux {` or `on macos {`";
template <> inline constexpr auto error_message<opening_block_brace> = "expected `{` after the platform name";
template <> inline constexpr auto error_message<closing_block_brace> = "expected `}` to close the `on` block";

template <> inline constexpr auto error_message<group_arguments> = "expected a group name: `syscall-group @NAME {`";
template <> inline constexpr auto error_message<opening_group_brace> = "expected `{` after the group name";
template <> inline constexpr auto error_message<closing_group_brace> = "expected a syscall name, an @group or `}` to close the group";
template <> inline constexpr auto error_message<group_name> = "expected a group name after `@`";

template <> inline constexpr auto error_message<description_arguments> = "expected a quoted text: `description \"…\"`";
template <> inline constexpr auto error_message<description_escaped> = "unknown escape: in a description only `\\\"` and `\\\\` escape";
template <> inline constexpr auto error_message<closing_quote> = "expected `\"` to end the quoted text on this line";

template <> inline constexpr auto error_message<param_arguments> = "expected a parameter name: `param NAME = VALUE`";
template <> inline constexpr auto error_message<equals_sign> = "expected `=` after the parameter name";
template <> inline constexpr auto error_message<param_value> = "expected the parameter's default value after `=`";

template <> inline constexpr auto error_message<rule_arguments> = "expected access words and paths, `connect`, `bind`, `udp`, `network`, `loopback`, `unix`, `signal`, `abstract-socket` or `syscall`";
template <> inline constexpr auto error_message<access_word> = "expected an access word after `,`";
template <> inline constexpr auto error_message<paths_after_access> = "expected a path: `/absolute`, `~/…`, `$VARIABLE/…` or `\"quoted\"`";
template <> inline constexpr auto error_message<fs_path> = "expected a path: `/absolute`, `~/…`, `$VARIABLE/…` or `\"quoted\"`";
template <> inline constexpr auto error_message<variable_reference> = "expected a variable name after `$`: `$NAME` or `${NAME}`";
template <> inline constexpr auto error_message<braced_variable> = "expected a variable name: `${NAME}` or `${env:NAME}`";
template <> inline constexpr auto error_message<env_name> = "expected an environment variable name after `env:`";
template <> inline constexpr auto error_message<closing_variable_brace> = "expected `}` to end the variable reference";
template <> inline constexpr auto error_message<tilde_end> = "`~` must be followed by `/` (`~user` is not supported)";
template <> inline constexpr auto error_message<quoted_escaped> = "unknown escape: inside quotes only `\\\"`, `\\\\` and `\\$` escape";

template <> inline constexpr auto error_message<tcp_ports> = "expected `tcp`: ports are allowed for TCP only (UDP is `allow udp`)";
template <> inline constexpr auto error_message<connect_tcp> = "expected `tcp`: ports are allowed for TCP only (UDP is `allow udp`)";
template <> inline constexpr auto error_message<connect_list> = "expected a port (1-65535), a range `FIRST-LAST` or `HOST:PORT`";
template <> inline constexpr auto error_message<connect_target> = "expected a port (1-65535), a range `FIRST-LAST` or `HOST:PORT`";
template <> inline constexpr auto error_message<protect_paths> = "expected the path of a file to protect: `protect ~/.claude/settings.json`";
template <> inline constexpr auto error_message<socket_paths> = "expected the path of a unix socket: `allow unix connect /run/x.sock`";
template <> inline constexpr auto error_message<socket_path> = "expected the path of a unix socket";
template <> inline constexpr auto error_message<port_list> = "expected a port (1-65535) or a range `FIRST-LAST`";
template <> inline constexpr auto error_message<port_range> = "expected a port (1-65535) or a range `FIRST-LAST`";
template <> inline constexpr auto error_message<port_last> = "expected the last port of the range after `-`";
template <> inline constexpr auto error_message<outside_word> = "expected `outside`";
template <> inline constexpr auto error_message<service_list> = "expected a Mach service name";
template <> inline constexpr auto error_message<service_name> = "expected a Mach service name";

template <> inline constexpr auto error_message<syscall_rule_arguments> = "expected a syscall name or an @group after `syscall`";
template <> inline constexpr auto error_message<conditions> = "expected a condition after `if`: `argN == VALUE`";
template <> inline constexpr auto error_message<condition> = "expected a condition after `&&`: `argN == VALUE`";
template <> inline constexpr auto error_message<condition_operator> = "expected a comparison: `==`, `!=`, `<`, `<=`, `>`, `>=`, `& MASK ==` or `in {…}`";
template <> inline constexpr auto error_message<value_term> = "expected a number or a constant name after `|`";
template <> inline constexpr auto error_message<compared_value> = "expected a number or a constant name to compare with";
template <> inline constexpr auto error_message<mask_value> = "expected a mask (a number or a constant name) after `&`";
template <> inline constexpr auto error_message<mask_equals> = "expected `==` after the mask";
template <> inline constexpr auto error_message<masked_value> = "expected a number or a constant name after `==`";
template <> inline constexpr auto error_message<opening_set_brace> = "expected `{` after `in`";
template <> inline constexpr auto error_message<listed_value> = "expected a number or a constant name in the set";
template <> inline constexpr auto error_message<closing_set_brace> = "expected `,` or `}` to close the set";
template <> inline constexpr auto error_message<errno_argument> = "expected an errno name or number after `errno`: `errno EPERM`";
template <> inline constexpr auto error_message<default_arguments> = "expected `default ACTION` after `syscalls`";
template <> inline constexpr auto error_message<default_action> = "expected an action: allow, errno NAME, kill-process, kill-thread, trap or log";

template <> inline constexpr auto error_message<env_kind> = "expected `keep`, `drop` or `set` after `env`";
template <> inline constexpr auto error_message<env_variables> = "expected an environment variable name";
template <> inline constexpr auto error_message<env_variable> = "expected an environment variable name";
template <> inline constexpr auto error_message<env_set_arguments> = "expected an environment variable name: `env set NAME VALUE`";
template <> inline constexpr auto error_message<env_set_value> = "expected a value after the variable name";

template <> inline constexpr auto error_message<limit_arguments> = "expected what to limit: memory, processes, open-files, cpu-time or file-size";
template <> inline constexpr auto error_message<limit_amount_after_kind> = "expected an amount after the kind: `limit memory 4G`";

template <> inline constexpr auto error_message<string_escaped> = "unknown escape: only `\\\"`, `\\\\` and `\\$` escape";
template <> inline constexpr auto error_message<string_tilde_end> = "`~` must be followed by `/` (`~user` is not supported)";
template <> inline constexpr auto error_message<path_string_end> = "a path cannot contain a line break";
template <> inline constexpr auto error_message<condition_in_string> = "expected a condition: `argN == VALUE`";
template <> inline constexpr auto error_message<condition_string_end> = "expected the end of the condition";
template <> inline constexpr auto error_message<action_string_end> = "expected the end of the action";
template <> inline constexpr auto error_message<port_first> = "expected a port (1-65535) or a range `FIRST-LAST`";
template <> inline constexpr auto error_message<port_string_end> = "expected a port (1-65535) or a range `FIRST-LAST`";
template <> inline constexpr auto error_message<host_prefix> = "expected `HOST:PORT`: `api.example.com:443`";
// clang-format on

// must_if's view of the messages: raise only under must<>, never on an ordinary local
// failure, even for rules that have a message.
struct errors {
    template <typename Rule>
    static constexpr bool raise_on_failure = false;
    template <typename Rule>
    static constexpr auto message = error_message<Rule>;
};

template <typename Rule>
using control = tao::pegtl::must_if<errors>::control<Rule>;

}  // namespace nono::grammar
