// Test support for the SBPL back end, with no Mac at hand: a reader for the SBPL the
// emitter writes (TinyScheme's string rules, as simbple's reimplementation documents them),
// a checker of its vocabulary and parameters, an evaluator of the subset it uses (last
// match wins per operation; a rule on an operation beats one on its wildcard), and a
// reference for the IR's own semantics, applied literally (no ordering tricks).
#pragma once

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir.hpp"

namespace nono::sbpl::test {

struct Sexp {
    enum class Kind { List, Symbol, String, Number };
    Kind kind = Kind::List;
    std::string text;  // Symbol and Number: as written; String: the value after escapes
    bool raw = false;  // a #"…" string
    std::vector<Sexp> items;

    bool is_symbol(std::string_view s) const { return kind == Kind::Symbol && text == s; }
    std::string head() const { return kind == Kind::List && !items.empty() ? items[0].text : std::string(); }
};

struct ReadError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Reads every top-level form. Throws ReadError on unbalanced parentheses, an unterminated
// string, or an escape the emitter never writes (only \\ and \" are expected: the real
// reader would silently turn "\." into ".").
std::vector<Sexp> read_sbpl(std::string_view text);

// Problems with a read profile: not starting with (version 1) (deny default), an operation
// or filter not in the vocabulary, a (param X) with X not in `defined`, a regex that does
// not compile as POSIX ERE.
std::vector<std::string> check_profile(const std::vector<Sexp>& forms, const std::set<std::string>& defined);

// A question to the evaluator: an operation on a path, or on a network endpoint.
struct Query {
    std::string operation;
    std::string path;          // file operations
    std::string remote_proto;  // network-outbound: "tcp", "udp" (with port), "unix-socket"
    std::string local_proto;   // network-bind / network-inbound
    unsigned port = 0;
};

// The decision of the profile for the query, with parameters bound to `params`.
bool evaluate(const std::vector<Sexp>& forms, const Query& q, const std::map<std::string, std::string>& params = {});

// The IR's decision for a right on a concrete path, from the statements literally: the
// deepest rule (trie node or glob match, by core/paths.hpp's glob_match) speaking of the
// right decides, deny on a tie.
bool ir_allows(const ir::PathNode& root, const std::vector<ir::GlobRule>& globs, std::string_view path, ir::Right right);

// The IR's rules, read literally: what the SBPL must decide like.
struct Reference {
    ir::PathNode root;
    std::vector<ir::GlobRule> globs;

    explicit Reference(const ir::Policy& p);
    // An operation is allowed where the IR allows every right it needs.
    bool allows(ir::Rights needed, std::string_view path) const;
};

}  // namespace nono::sbpl::test
