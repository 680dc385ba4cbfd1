// Stage 1a: the .nono grammar, as PEGTL 3.2.7 rules only (actions live in parse.cpp, error
// messages in errors.hpp). grammar/nono.ebnf is the same grammar written for people.
//
// Shape of the grammar:
// - Every statement starts with a keyword; once the keyword matched, the rest is under
//   must<>, so a broken statement is an error at the spot, never a silent backtrack.
// - recover<statement> catches that error, records it and skips to the end of the line,
//   so all errors of a file are reported in one run.
// - Recursion exists only through `on` blocks; parse.cpp refuses blocks nested more than
//   a few deep before recursing, so no input can exhaust the stack.
#pragma once

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace nono::grammar {

using namespace tao::pegtl;

// ---- Lexical -------------------------------------------------------------------------

struct blank : one<' ', '\t'> {};
struct continuation : seq<one<'\\'>, eol> {};  // a line ending in `\` goes on
struct ws : plus<sor<blank, continuation>> {};
struct opt_ws : star<sor<blank, continuation>> {};
struct line_end : sor<eol, eof> {};

struct comment_body : seq<one<'#'>, star<not_one<'\r', '\n'>>> {};
struct line_comment : comment_body {};      // a comment alone on its line
struct trailing_comment : comment_body {};  // a comment after a statement
struct header_comment : comment_body {};    // a comment after a block's `{`

struct word_char : sor<alnum, one<'_', '-', '.'>> {};
struct word : plus<word_char> {};

// A keyword is a whole word: `kill` is not the start of `kill-thread`.
template <typename Text>
struct keyword : seq<Text, not_at<word_char>> {};

struct kw_profile : keyword<TAO_PEGTL_STRING("profile")> {};
struct kw_extends : keyword<TAO_PEGTL_STRING("extends")> {};
struct kw_description : keyword<TAO_PEGTL_STRING("description")> {};
struct kw_param : keyword<TAO_PEGTL_STRING("param")> {};
struct kw_syscalls : keyword<TAO_PEGTL_STRING("syscalls")> {};
struct kw_default : keyword<TAO_PEGTL_STRING("default")> {};
struct kw_allow : keyword<TAO_PEGTL_STRING("allow")> {};
struct kw_deny : keyword<TAO_PEGTL_STRING("deny")> {};
struct kw_syscall : keyword<TAO_PEGTL_STRING("syscall")> {};
struct kw_syscall_group : keyword<TAO_PEGTL_STRING("syscall-group")> {};
struct kw_if : keyword<TAO_PEGTL_STRING("if")> {};
struct kw_in : keyword<TAO_PEGTL_STRING("in")> {};
struct kw_errno : keyword<TAO_PEGTL_STRING("errno")> {};
struct kw_kill_process : keyword<TAO_PEGTL_STRING("kill-process")> {};
struct kw_kill_thread : keyword<TAO_PEGTL_STRING("kill-thread")> {};
struct kw_trap : keyword<TAO_PEGTL_STRING("trap")> {};
struct kw_log : keyword<TAO_PEGTL_STRING("log")> {};
struct kw_connect : keyword<TAO_PEGTL_STRING("connect")> {};
struct kw_bind : keyword<TAO_PEGTL_STRING("bind")> {};
struct kw_tcp : keyword<TAO_PEGTL_STRING("tcp")> {};
struct kw_udp : keyword<TAO_PEGTL_STRING("udp")> {};
struct kw_network : keyword<TAO_PEGTL_STRING("network")> {};
struct kw_unix : keyword<TAO_PEGTL_STRING("unix")> {};
struct kw_loopback : keyword<TAO_PEGTL_STRING("loopback")> {};
struct kw_signal : keyword<TAO_PEGTL_STRING("signal")> {};
struct kw_abstract_socket : keyword<TAO_PEGTL_STRING("abstract-socket")> {};
struct kw_outside : keyword<TAO_PEGTL_STRING("outside")> {};
struct kw_mach_lookup : keyword<TAO_PEGTL_STRING("mach-lookup")> {};
struct kw_sysctl_read : keyword<TAO_PEGTL_STRING("sysctl-read")> {};
struct kw_env : keyword<TAO_PEGTL_STRING("env")> {};
struct kw_keep : keyword<TAO_PEGTL_STRING("keep")> {};
struct kw_drop : keyword<TAO_PEGTL_STRING("drop")> {};
struct kw_set : keyword<TAO_PEGTL_STRING("set")> {};
struct kw_limit : keyword<TAO_PEGTL_STRING("limit")> {};
struct kw_on : keyword<TAO_PEGTL_STRING("on")> {};
struct kw_protect : keyword<TAO_PEGTL_STRING("protect")> {};

// Where a list item may still follow: not at the end of the statement.
struct statement_ends_here : sor<one<'#', '}'>, eol, eof> {};
// One more item of a space-separated list; once something other than the end of the
// statement follows the space, it must be an item.
template <typename Item>
struct more : seq<ws, not_at<statement_ends_here>, must<Item>> {};

// ---- Paths and values ------------------------------------------------------------------
//   /usr/lib   ~/.ssh   $HOME/x   ${workspace}/src   ${env:NAME:-fallback}   "a b/${x}"

struct variable_name : seq<ranges<'a', 'z', 'A', 'Z', '_'>, star<ranges<'a', 'z', 'A', 'Z', '0', '9', '_'>>> {};
struct bare_variable : variable_name {};    // $NAME
struct braced_variable : variable_name {};  // ${NAME}
struct env_name : variable_name {};         // ${env:NAME}
struct env_fallback : star<not_one<'}', '"', '\\', '\r', '\n', '\0'>> {};
struct env_reference : seq<TAO_PEGTL_STRING("env:"), must<env_name>, opt<TAO_PEGTL_STRING(":-"), env_fallback>> {};
struct closing_variable_brace : one<'}'> {};
struct braced_reference : seq<one<'{'>, sor<env_reference, must<braced_variable>>, must<closing_variable_brace>> {};
struct variable_reference : sor<braced_reference, bare_variable> {};
struct variable : seq<one<'$'>, must<variable_reference>> {};

// `~` means the home directory only as the first character, before `/` or the end.
struct tilde_end : at<sor<one<'/'>, blank, statement_ends_here, one<'"'>>> {};
struct tilde : seq<one<'~'>, must<tilde_end>> {};

// Unquoted text runs to the next space, tab, `#`, `"`, `{` or `}` (or a `\` line break).
struct path_char : seq<not_at<continuation>, not_one<' ', '\t', '\r', '\n', '#', '"', '{', '}', '$', '\0'>> {};
struct path_text : plus<path_char> {};
struct unquoted_value : seq<sor<tilde, variable, path_text>, star<sor<variable, path_text>>> {};

struct quoted_escaped : one<'"', '\\', '$'> {};
struct quoted_escape : seq<one<'\\'>, must<quoted_escaped>> {};
struct quoted_text : plus<sor<quoted_escape, not_one<'"', '\\', '$', '\r', '\n', '\0'>>> {};
struct quoted_tilde : seq<one<'~'>, at<one<'/', '"'>>> {};
struct nul_byte : one<'\0'> {};
struct closing_quote : one<'"'> {};
struct quoted_value : seq<one<'"'>, opt<quoted_tilde>, star<sor<variable, quoted_text, nul_byte>>, must<closing_quote>> {};

struct value : sor<quoted_value, unquoted_value> {};
struct fs_path : value {};      // a path in allow/deny: must be absolute, ~ or $VAR (checked)
struct socket_path : value {};  // allow unix connect PATH: checked as fs_path
struct param_value : value {};  // param NAME = VALUE
struct env_value : value {};    // env set NAME VALUE

// ---- Numbers ----------------------------------------------------------------------------

struct hex_number : seq<one<'0'>, one<'x', 'X'>, plus<xdigit>> {};
struct octal_number : seq<one<'0'>, one<'o', 'O'>, plus<range<'0', '7'>>> {};
struct binary_number : seq<one<'0'>, one<'b', 'B'>, plus<one<'0', '1'>>> {};
struct decimal_number : plus<digit> {};
struct number : seq<sor<hex_number, octal_number, binary_number, decimal_number>, not_at<word_char>> {};
struct constant_name : seq<ranges<'a', 'z', 'A', 'Z', '_'>, star<ranges<'a', 'z', 'A', 'Z', '0', '9', '_'>>> {};

// ---- Profile-level statements -------------------------------------------------------------

struct description_escaped : one<'"', '\\'> {};
struct description_escape : seq<one<'\\'>, must<description_escaped>> {};
struct description_text : star<sor<description_escape, not_one<'"', '\\', '\r', '\n', '\0'>>> {};
struct description_arguments : seq<ws, one<'"'>, description_text, must<closing_quote>> {};
struct description_statement : seq<kw_description, must<description_arguments>> {};

struct param_name : word {};
struct equals_sign : one<'='> {};
struct param_arguments : seq<ws, param_name, opt_ws, must<equals_sign>, opt_ws, must<param_value>> {};
struct param_statement : seq<kw_param, must<param_arguments>> {};

// ---- Syscall actions and conditions --------------------------------------------------------

struct errno_value;
struct errno_argument : seq<ws, errno_value> {};
struct errno_action : seq<kw_errno, must<errno_argument>> {};
struct syscall_action : sor<kw_allow, errno_action, kw_kill_process, kw_kill_thread, kw_trap, kw_log> {};
struct unknown_action : word {};  // reported with a suggestion
struct default_action : sor<syscall_action, unknown_action> {};
struct default_arguments : seq<ws, kw_default, ws, must<default_action>> {};
struct syscalls_default_statement : seq<kw_syscalls, must<default_arguments>> {};

struct value_term : sor<number, constant_name> {};
struct more_value_terms : star<opt_ws, one<'|'>, opt_ws, must<value_term>> {};
template <typename Tag>
struct value_of : seq<value_term, more_value_terms> {};
struct errno_value : value_of<struct errno_tag> {};
struct compared_value : value_of<struct compared_tag> {};
struct mask_value : value_of<struct mask_tag> {};
struct masked_value : value_of<struct masked_tag> {};
struct listed_value : value_of<struct listed_tag> {};

struct argument_index : plus<digit> {};
struct argument : seq<TAO_PEGTL_STRING("arg"), argument_index, not_at<word_char>> {};
struct op_eq : TAO_PEGTL_STRING("==") {};
struct op_ne : TAO_PEGTL_STRING("!=") {};
struct op_le : TAO_PEGTL_STRING("<=") {};
struct op_ge : TAO_PEGTL_STRING(">=") {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct comparison_operator : sor<op_eq, op_ne, op_le, op_ge, op_lt, op_gt> {};
struct comparison : seq<comparison_operator, opt_ws, must<compared_value>> {};
struct mask_equals : TAO_PEGTL_STRING("==") {};
struct masked_comparison : seq<one<'&'>, not_at<one<'&'>>, opt_ws, must<mask_value>, opt_ws, must<mask_equals>, opt_ws, must<masked_value>> {};
struct opening_set_brace : one<'{'> {};
struct closing_set_brace : one<'}'> {};
struct set_membership : seq<kw_in, opt_ws, must<opening_set_brace>, opt_ws, must<listed_value>,
                            star<opt_ws, one<','>, opt_ws, must<listed_value>>, opt_ws, must<closing_set_brace>> {};
struct condition_operator : sor<comparison, masked_comparison, set_membership> {};
struct condition : seq<argument, opt_ws, must<condition_operator>> {};
struct and_operator : TAO_PEGTL_STRING("&&") {};
struct conditions : seq<ws, condition, star<opt_ws, and_operator, opt_ws, must<condition>>> {};
struct condition_clause : seq<kw_if, must<conditions>> {};

// ---- allow / deny ------------------------------------------------------------------------

struct group_name : word {};
struct group_reference : seq<one<'@'>, must<group_name>> {};
struct syscall_word : word {};
// In a syscall list, `if` and the action words end the names.
struct reserved_after_names : sor<kw_if, syscall_action> {};
struct syscall_reference : seq<not_at<reserved_after_names>, sor<group_reference, syscall_word>> {};
struct rule_action : syscall_action {};
struct syscall_rule_arguments : seq<ws, syscall_reference, star<ws, syscall_reference>,
                                    opt<ws, condition_clause>, opt<ws, rule_action>> {};
struct syscall_rule : seq<kw_syscall, must<syscall_rule_arguments>> {};

struct port_first : plus<digit> {};
struct port_last : plus<digit> {};
struct port_range : seq<port_first, opt<one<'-'>, must<port_last>>, not_at<word_char>> {};
struct port_list : seq<ws, port_range, star<more<port_range>>> {};
struct tcp_ports : seq<ws, kw_tcp, must<port_list>> {};
// connect tcp 443 api.example.com:443 *.example.com:443 10.0.0.0/8:5432 [::1]:8080
// (the host is checked by the action, with plan/net_address)
struct host_text : sor<seq<one<'['>, plus<not_one<']', ' ', '\t', '\r', '\n', '#'>>, one<']'>>,
                       plus<sor<word_char, one<'*', '/'>>>> {};
struct host_prefix : seq<host_text, one<':'>> {};
struct connect_target : seq<opt<host_prefix>, port_range> {};
struct connect_list : seq<ws, connect_target, star<more<connect_target>>> {};
struct connect_tcp : seq<ws, kw_tcp, must<connect_list>> {};
struct connect_rule : seq<kw_connect, must<connect_tcp>> {};
struct bind_rule : seq<kw_bind, must<tcp_ports>> {};
struct udp_rule : kw_udp {};
struct network_rule : kw_network {};
struct loopback_rule : kw_loopback {};
struct unix_connect_word : keyword<TAO_PEGTL_STRING("connect")> {};
struct socket_paths : seq<ws, socket_path, star<more<socket_path>>> {};
struct unix_connect : seq<ws, unix_connect_word, must<socket_paths>> {};
struct unix_rule : seq<kw_unix, opt<unix_connect>> {};
struct outside_word : seq<ws, kw_outside> {};
struct signal_rule : seq<kw_signal, must<outside_word>> {};
struct abstract_socket_rule : seq<kw_abstract_socket, must<outside_word>> {};

struct service_name : word {};
struct service_list : seq<ws, service_name, star<more<service_name>>> {};
struct mach_lookup_rule : seq<kw_mach_lookup, must<service_list>> {};
struct sysctl_read_rule : kw_sysctl_read {};

struct access_word : word {};
struct access_list : seq<access_word, star<opt_ws, one<','>, opt_ws, must<access_word>>> {};
struct path_start : one<'/', '~', '$', '"'> {};
struct path_list : seq<fs_path, star<more<fs_path>>> {};
struct paths_after_access : seq<ws, path_list> {};
struct begin_fs_rule : success {};
struct fs_rule : seq<begin_fs_rule, sor<seq<at<path_start>, path_list>, seq<access_list, must<paths_after_access>>>> {};

struct rule_kind : sor<syscall_rule, connect_rule, bind_rule, udp_rule, network_rule, loopback_rule, unix_rule, signal_rule,
                       abstract_socket_rule, mach_lookup_rule, sysctl_read_rule, fs_rule> {};
struct rule_arguments : seq<ws, rule_kind> {};
struct effect : sor<kw_allow, kw_deny> {};
struct rule_statement : seq<effect, must<rule_arguments>> {};

// protect PATH…   (files through which code runs later, outside the sandbox)
struct protect_paths : seq<ws, path_list> {};
struct protect_statement : seq<kw_protect, must<protect_paths>> {};

// ---- env -------------------------------------------------------------------------------

struct env_variable : word {};
struct env_variables : seq<ws, env_variable, star<more<env_variable>>> {};
struct env_keep : seq<kw_keep, must<env_variables>> {};
struct env_drop : seq<kw_drop, must<env_variables>> {};
struct env_set_value : seq<ws, env_value> {};
struct env_set_arguments : seq<ws, env_variable, must<env_set_value>> {};
struct env_set : seq<kw_set, must<env_set_arguments>> {};
struct env_kind : seq<ws, sor<env_keep, env_drop, env_set>> {};
struct env_statement : seq<kw_env, must<env_kind>> {};

// ---- limit -----------------------------------------------------------------------------
//   limit memory 4G   (the kind and the amount are checked by the action, with plan/limits)

struct limit_kind : word {};
struct limit_amount : word {};
struct limit_amount_after_kind : seq<ws, limit_amount> {};
struct limit_arguments : seq<ws, limit_kind, must<limit_amount_after_kind>> {};
struct limit_statement : seq<kw_limit, must<limit_arguments>> {};

// ---- Strings of the YAML form ----------------------------------------------------------------
// The YAML form (yaml/yaml_form.cpp) carries pieces of this syntax in its strings: paths,
// values, conditions, actions, ports and `HOST:PORT`. Each rule below reads one whole string
// with the rules above; YAML does the quoting, so a path's text may hold any character but
// NUL and line breaks, with the escapes of a quoted path.

struct string_escaped : one<'"', '\\', '$'> {};
struct string_escape : seq<one<'\\'>, must<string_escaped>> {};
struct string_text : plus<sor<string_escape, not_one<'\\', '$', '\r', '\n', '\0'>>> {};
struct string_tilde_end : at<sor<one<'/'>, eof>> {};
struct string_tilde : seq<one<'~'>, must<string_tilde_end>> {};  // a path's `~`: the home directory
struct string_home : seq<one<'~'>, at<sor<one<'/'>, eof>>> {};  // a value's: `~x` is text there
struct path_string_end : eof {};  // only a line break can stop a path's text before the end
struct path_string : seq<opt<string_tilde>, star<sor<variable, string_text, nul_byte>>, must<path_string_end>> {};
struct value_string : seq<opt<string_home>, star<sor<variable, string_text, nul_byte>>, must<path_string_end>> {};

struct condition_string_end : eof {};
struct condition_in_string : seq<condition> {};
struct condition_string : seq<opt_ws, must<condition_in_string>, opt_ws, must<condition_string_end>> {};
struct action_string_end : eof {};
struct action_string : seq<opt_ws, must<default_action>, opt_ws, must<action_string_end>> {};

struct port_in_string : seq<must<port_first>, opt<one<'-'>, must<port_last>>> {};
struct port_string_end : eof {};
struct port_string : seq<port_in_string, must<port_string_end>> {};
struct host_port_string : seq<must<host_prefix>, port_in_string, must<port_string_end>> {};

// ---- Blocks -------------------------------------------------------------------------------

// Thrown by an action that has already reported why the statement is wrong.
struct statement_abandoned {};

// Tries Rule. When it raises an error (or an action abandons it), the state records the
// error and drops the half-built statement, the rest of the line is skipped, and parsing
// goes on with the next line. Without a state (grammar tests) errors propagate.
template <typename Rule>
struct recover {
    using rule_t = recover;
    using subs_t = type_list<Rule>;

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput>
    static bool match(ParseInput& in) {
        return Control<Rule>::template match<A, M, Action, Control>(in);
    }

    template <apply_mode A, rewind_mode M, template <typename...> class Action,
              template <typename...> class Control, typename ParseInput, typename State>
    static bool match(ParseInput& in, State& state) {
        const std::size_t start_line = in.position().line;
        const std::size_t depth = state.depth();
        try {
            return Control<Rule>::template match<A, M, Action, Control>(in, state);
        } catch (const parse_error& e) {
            state.report(e);
            // Unwinding may have rewound the input; resume from the error itself.
            const std::size_t at = e.positions().front().byte;
            if (at > in.byte()) in.bump(at - in.byte());
        } catch (const statement_abandoned&) {
        }
        state.discard_statement(depth);
        skip_rest_of_line(in, state.in_one_line_block(start_line));
        return true;
    }

    // Skips to the start of the next line (following `\` continuations). In a block
    // opened on this same line, a final `}` is left for the block to close.
    template <typename ParseInput>
    static void skip_rest_of_line(ParseInput& in, bool keep_closing_brace) {
        std::size_t n = 0;
        const std::size_t size = in.size();
        auto eol_at = [&](std::size_t i) {
            if (i < size && in.peek_char(i) == '\n') return std::size_t{1};
            if (i + 1 < size && in.peek_char(i) == '\r' && in.peek_char(i + 1) == '\n') return std::size_t{2};
            return std::size_t{0};
        };
        while (n < size && eol_at(n) == 0) n += (in.peek_char(n) == '\\' && eol_at(n + 1)) ? 1 + eol_at(n + 1) : 1;
        if (keep_closing_brace) {
            std::size_t last = n;
            while (last > 0 && (in.peek_char(last - 1) == ' ' || in.peek_char(last - 1) == '\t')) --last;
            if (last > 0 && in.peek_char(last - 1) == '}') {
                in.bump(last - 1);
                return;
            }
        }
        in.bump(n + eol_at(n));
    }
};

struct empty_line : eol {};
struct comment_line : seq<line_comment, line_end> {};
struct block_ends_here : seq<opt_ws, sor<one<'}'>, eof>> {};
template <typename Statement>
struct block_line : seq<opt_ws, sor<empty_line, comment_line, recover<Statement>>> {};
template <typename Statement>
struct block_body : star<not_at<block_ends_here>, block_line<Statement>> {};
// After `{`: the end of the line, or a single statement on the same line.
struct block_header_end : opt<opt_ws, opt<header_comment>, eol> {};

struct statement;

struct platform_name : word {};
struct opening_block_brace : one<'{'> {};
struct closing_block_brace : seq<opt_ws, one<'}'>> {};
struct on_arguments : seq<ws, platform_name, opt_ws, must<opening_block_brace>> {};
struct on_block : seq<kw_on, must<on_arguments>, block_header_end, block_body<statement>, must<closing_block_brace>> {};

struct unknown_statement : word {};  // reported with a suggestion
struct statement_kind : sor<description_statement, param_statement, syscalls_default_statement, env_statement,
                            limit_statement, protect_statement, on_block, rule_statement, unknown_statement> {};
struct statement_end : seq<opt_ws, sor<seq<opt<trailing_comment>, line_end>, at<one<'}'>>>> {};
struct begin_statement : success {};  // takes the comments seen since the last statement
struct statement : seq<begin_statement, must<statement_kind>, must<statement_end>> {};

// profile NAME [extends PARENT, PARENT…] { … }
struct profile_name : word {};
struct parent_name : word {};
struct parent_list : seq<ws, parent_name, star<opt_ws, one<','>, opt_ws, must<parent_name>>> {};
struct extends_clause : seq<kw_extends, must<parent_list>> {};
struct opening_profile_brace : one<'{'> {};
struct profile_header : seq<ws, profile_name, opt<ws, extends_clause>, opt_ws, must<opening_profile_brace>,
                            block_header_end> {};
struct closing_profile_brace : seq<opt_ws, one<'}'>> {};
// The header recovers on its own, so that a broken header line still lets the body be
// checked as the profile's body.
struct profile_definition : seq<kw_profile, recover<must<profile_header>>, block_body<statement>,
                                must<closing_profile_brace>> {};

// syscall-group @NAME { NAME|@GROUP… }: members separated by spaces or newlines.
struct group_member : sor<group_reference, syscall_word> {};
struct group_member_comment : comment_body {};
struct group_separator : plus<sor<blank, continuation, eol>> {};
struct group_body : star<sor<group_separator, group_member_comment, group_member>> {};
struct opening_group_brace : one<'{'> {};
struct closing_group_brace : one<'}'> {};
struct defined_group_name : word {};
struct group_arguments : seq<ws, one<'@'>, defined_group_name, opt_ws, must<opening_group_brace>, group_body,
                             must<closing_group_brace>> {};
struct group_definition : seq<kw_syscall_group, must<group_arguments>> {};

struct misplaced_statement : word {};  // a profile statement outside the profile, or a typo
struct top_statement_kind : sor<profile_definition, group_definition, misplaced_statement> {};
struct top_statement : seq<begin_statement, must<top_statement_kind>, must<statement_end>> {};

struct byte_order_mark : TAO_PEGTL_STRING("\xEF\xBB\xBF") {};
struct top_body : star<not_at<opt_ws, eof>, block_line<top_statement>> {};
struct file : seq<opt<byte_order_mark>, top_body, opt_ws, eof> {};

}  // namespace nono::grammar

// For analyze<>: recover<R> consumes what R consumes. Its error path skips to the end of
// the line; every loop around it also stops at the end of the file, so none can spin.
namespace tao::pegtl {
template <typename Name, typename Rule>
struct analyze_traits<Name, nono::grammar::recover<Rule>> : analyze_seq_traits<Rule> {};
}  // namespace tao::pegtl
