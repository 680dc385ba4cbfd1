// Emitter: syscall table → seccomp BPF. Three steps: the ranges become dispatch spans
// (bad-arch ranges folded in, one class per distinct decision); a search tree over the
// spans is chosen (weighted optimal under a depth bound); the tree and the decision
// blocks are written back to front, so every jump is forward and its distance known.
#include "compiler/emitters/seccomp/emit_seccomp.hpp"

#include <linux/seccomp.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <limits>
#include <map>
#include <optional>
#include <string>

namespace nono::seccomp {

namespace {

constexpr std::uint32_t kX32Bit = 0x40000000;
constexpr std::uint32_t kLastNumber = std::numeric_limits<std::uint32_t>::max();
constexpr std::uint32_t kNrOffset = offsetof(seccomp_data, nr);
constexpr std::uint32_t kArchOffset = offsetof(seccomp_data, arch);
constexpr std::uint32_t arg_offset(unsigned arg, bool high) {
    // seccomp_data.args are 64-bit and every supported architecture is little-endian.
    return offsetof(seccomp_data, args) + 8 * arg + (high ? 4 : 0);
}

// ---------------------------------------------------------------------------- spans

// A run of numbers dispatched to one decision class. `weight` is what the tree search
// minimizes the depth for: allowed numbers count most, other plausible numbers once,
// numbers no syscall can have (x32 space, -1) not at all.
struct Span {
    std::uint32_t first = 0;
    std::uint32_t last = 0;
    std::size_t cls = 0;
    std::uint64_t weight = 0;
    bool singleton() const { return first == last; }
};

struct Dispatch {
    std::vector<ir::SyscallDecision> classes;  // distinct behaviours
    std::vector<Span> spans;
};

bool allows_something(const ir::SyscallDecision& d) {
    if (d.otherwise.kind == ir::Action::Kind::Allow) return true;
    return std::any_of(d.rules.begin(), d.rules.end(),
                       [](const ir::CondRule& r) { return r.action.kind == ir::Action::Kind::Allow; });
}

void check_decision(const ir::SyscallDecision& d) {
    auto check_action = [](const ir::Action& a) {
        if (a.kind == ir::Action::Kind::Errno && a.errno_value > 4095)
            throw EmitError("errno " + std::to_string(a.errno_value) + " is out of range (at most 4095)");
    };
    check_action(d.otherwise);
    for (const auto& rule : d.rules) {
        check_action(rule.action);
        for (const auto& c : rule.checks)
            if (c.arg > 5) throw EmitError("argument index " + std::to_string(c.arg) + " is out of range (0 to 5)");
    }
}

// `ranges` cover every number (ir::SyscallRanges).
Dispatch make_dispatch(const ir::SyscallTable& table, const ir::SyscallRanges& table_ranges) {
    // x32 calls reach an x86_64 filter with the same AUDIT_ARCH, and native calls an x32
    // one: they are told apart by bit 30 of nr. Number -1 (a tracer skipping a call) keeps
    // the table's decision, as in libseccomp.
    const ir::SyscallDecision bad_arch{{}, table.bad_arch_action, {}};
    std::vector<ir::SyscallRange> ranges;
    auto overlay = [&](std::uint32_t first, std::uint32_t last) {
        for (const auto& r : table_ranges) {
            if (r.last < first || r.first > last) {
                ranges.push_back(r);
                continue;
            }
            if (r.first < first) ranges.push_back({r.first, first - 1, r.decision});
            if (ranges.empty() || ranges.back().last != last) ranges.push_back({first, last, bad_arch});
            if (r.last > last) ranges.push_back({last + 1, r.last, r.decision});
        }
    };
    if (table.arch == ir::Arch::X86_64)
        overlay(kX32Bit, kLastNumber - 1);
    else if (table.arch == ir::Arch::X32)
        overlay(0, kX32Bit - 1);
    else
        ranges = table_ranges.list();

    const std::uint32_t bias = ir::syscall_number_bias(table.arch);
    const std::uint32_t plausible_last = table.names.empty() ? bias + 1023 : table.names.back().nr;
    Dispatch out;
    for (const auto& r : ranges) {
        check_decision(r.decision);
        std::size_t cls = 0;
        while (cls < out.classes.size() && !out.classes[cls].same_behaviour(r.decision)) ++cls;
        if (cls == out.classes.size()) out.classes.push_back(r.decision);
        if (!out.spans.empty() && out.spans.back().cls == cls) {
            out.spans.back().last = r.last;
        } else {
            out.spans.push_back({r.first, r.last, cls, 0});
        }
    }
    for (auto& s : out.spans) {
        const std::uint64_t lo = std::max(s.first, bias), hi = std::min(s.last, plausible_last);
        const std::uint64_t plausible = lo <= hi ? hi - lo + 1 : 0;
        s.weight = plausible * (allows_something(out.classes[s.cls]) ? 4 : 1);
    }
    return out;
}

// A position in the program counted from its end (0 = the last instruction), which is
// fixed once written, since code is written back to front.
using Label = std::size_t;

// ---------------------------------------------------------------------------- the search tree

// A node either splits the spans [i, j] after `split` (`nr >= spans[split + 1].first`), or is a chain:
// JEQ tests for the singleton spans whose class differs from `background`, heaviest
// first, then the background class. A chain of no tests is a plain leaf.
// Eight bytes, since the search keeps one per interval and depth, and every page of that
// table is a page the kernel must hand over at start-up (Tree::fits_search bounds both).
struct Choice {
    std::uint32_t cost = std::numeric_limits<std::uint32_t>::max();  // sum of weight × depth
    std::uint16_t nodes = 0;                                         // comparisons emitted
    std::int16_t split = -1;                                         // -1: the best chain
    bool feasible() const { return cost != std::numeric_limits<std::uint32_t>::max(); }
    bool better_than(const Choice& o) const { return cost < o.cost || (cost == o.cost && nodes < o.nodes); }
};

struct Chain {
    std::vector<std::size_t> tests;  // span indexes, in test order
    std::size_t background = 0;
};

// What the search compares of a chain, found without building it.
struct ChainCost {
    std::size_t background = 0;
    std::size_t tests = 0;
    std::uint64_t cost = 0;
};

// The classes a chain over spans [i, j] could fall back to, into `out`: every class of a
// singleton span, or only the class of the wide spans when there are some (a wide span
// cannot be tested with one JEQ); none if the wide spans differ in class.
void chain_backgrounds(const Dispatch& d, std::size_t i, std::size_t j, std::vector<std::size_t>& out) {
    out.clear();
    std::optional<std::size_t> wide_class;
    for (std::size_t s = i; s <= j; ++s) {
        const Span& span = d.spans[s];
        if (!span.singleton()) {
            if (wide_class && *wide_class != span.cls) {
                out.clear();
                return;
            }
            wide_class = span.cls;
        } else if (std::find(out.begin(), out.end(), span.cls) == out.end()) {
            out.push_back(span.cls);
        }
    }
    if (wide_class) out.assign(1, *wide_class);
}

// The cost of the chain over spans [i, j] that falls back to `background`, heaviest test
// first: each test's weight times its place, and the background's weight times them all.
// `weights` is scratch space.
ChainCost chain_cost(const Dispatch& d, std::size_t i, std::size_t j, std::size_t background,
                     std::vector<std::uint64_t>& weights) {
    weights.clear();
    std::uint64_t rest = 0;
    for (std::size_t s = i; s <= j; ++s)
        if (d.spans[s].cls != background)
            weights.push_back(d.spans[s].weight);
        else
            rest += d.spans[s].weight;
    std::sort(weights.begin(), weights.end(), std::greater<>());
    ChainCost c{background, weights.size(), rest * weights.size()};
    for (std::size_t t = 0; t < weights.size(); ++t) c.cost += weights[t] * (t + 1);
    return c;
}

// Neighbouring spans differ in class, so a chain of t tests covers at most 2t + 1 spans.
bool chain_may_fit(std::size_t i, std::size_t j, std::size_t max_tests) { return j - i <= 2 * max_tests; }

// What the chains over spans [i, j] cost, one per possible background, into `out`.
// `backgrounds` and `weights` are scratch space, so that the search allocates nothing here.
void chain_costs(const Dispatch& d, std::size_t i, std::size_t j, std::vector<ChainCost>& out,
                 std::vector<std::size_t>& backgrounds, std::vector<std::uint64_t>& weights) {
    out.clear();
    chain_backgrounds(d, i, j, backgrounds);
    for (std::size_t background : backgrounds) out.push_back(chain_cost(d, i, j, background, weights));
}

// The cheapest chain of at most `max_tests` tests among `costs` (fewer tests on a tie in
// cost, the earliest on a full tie), or nullptr.
const ChainCost* cheapest_chain(const std::vector<ChainCost>& costs, std::size_t max_tests) {
    const ChainCost* best = nullptr;
    for (const ChainCost& c : costs) {
        if (c.tests > max_tests) continue;
        if (!best || c.cost < best->cost || (c.cost == best->cost && c.tests < best->tests)) best = &c;
    }
    return best;
}

// The cheapest chain for spans [i, j], if one of at most `max_tests` tests exists: its
// tests in span order, heaviest first.
std::optional<Chain> best_chain(const Dispatch& d, std::size_t i, std::size_t j, std::size_t max_tests) {
    if (!chain_may_fit(i, j, max_tests)) return std::nullopt;
    std::vector<ChainCost> costs;
    std::vector<std::size_t> backgrounds;
    std::vector<std::uint64_t> weights;
    chain_costs(d, i, j, costs, backgrounds, weights);
    const ChainCost* best = cheapest_chain(costs, max_tests);
    if (!best) return std::nullopt;
    Chain chain{{}, best->background};
    for (std::size_t s = i; s <= j; ++s)
        if (d.spans[s].cls != best->background) chain.tests.push_back(s);
    std::stable_sort(chain.tests.begin(), chain.tests.end(),
                     [&](std::size_t a, std::size_t b) { return d.spans[a].weight > d.spans[b].weight; });
    return chain;
}

unsigned ceil_log2(std::size_t n) { return n <= 1 ? 0 : std::bit_width(n - 1); }

// Above this many spans the exact search (cubic) is too slow for a compiler, and a
// balanced tree is used; its depth is still ⌈log2(spans)⌉.
constexpr std::size_t kMaxSpansForSearch = 320;

class Tree {
public:
    Tree(const Dispatch& d, std::size_t depth_bound) : d_(d), n_(d.spans.size()), depth_(depth_bound) {
        if (fits_search()) search();
    }

    // Writes the tree through `on_split(bound, right, left)` and `on_chain(chain)`, each
    // returning its entry; the right subtree first, since it lies further down the program.
    template <typename OnSplit, typename OnChain>
    Label write(OnSplit on_split, OnChain on_chain) const {
        return write(0, n_ - 1, depth_, on_split, on_chain);
    }

private:
    // Whether the search is fast enough, and its figures fit a Choice: no cost exceeds
    // weight × depth, no tree has more than two comparisons per span.
    bool fits_search() const {
        std::uint64_t weight = 0;
        for (const Span& s : d_.spans) weight += s.weight;
        return n_ <= kMaxSpansForSearch && weight * depth_ < std::numeric_limits<std::uint32_t>::max();
    }

    // Per depth, a row of `width_[depth]` lengths for each first span i, depth-major, so
    // the split loop reads left subtrees contiguously. No interval longer than the depth
    // can reach has a place: it is infeasible there.
    Choice& at(std::size_t i, std::size_t j, std::size_t depth) { return table_[row_[depth] + i * width_[depth] + j - i]; }
    const Choice& at(std::size_t i, std::size_t j, std::size_t depth) const {
        return table_[row_[depth] + i * width_[depth] + j - i];
    }

    void search() {
        // The most spans a tree of each depth can cover: a chain of d tests covers 2d + 1,
        // a split twice what depth d - 1 covers.
        std::vector<std::size_t> reach(depth_ + 1, 1);
        for (std::size_t depth = 1; depth <= depth_; ++depth)
            reach[depth] = std::max(2 * depth + 1, 2 * reach[depth - 1]);
        // Only the whole range is asked for at the top depth, so it has one row (i = 0);
        // one depth below, only the prefixes and suffixes its splits make. Every interval
        // is needed below that. Skipping the rest (two of the cubic rows) changes no result.
        auto needed = [&](std::size_t i, std::size_t j, std::size_t depth) {
            return depth + 2 <= depth_ || (depth + 1 == depth_ && (i == 0 || j == n_ - 1)) || (i == 0 && j == n_ - 1);
        };
        std::size_t cells = 0;
        for (std::size_t depth = 0; depth <= depth_; ++depth) {
            width_.push_back(std::min(reach[depth], n_));
            row_.push_back(cells);
            cells += (depth == depth_ ? 1 : n_) * width_[depth];
        }
        table_.assign(cells, Choice{});
        std::vector<ChainCost> chains;
        std::vector<std::size_t> backgrounds;
        std::vector<std::uint64_t> weights;
        std::vector<std::uint64_t> prefix(n_ + 1, 0);
        for (std::size_t s = 0; s < n_; ++s) prefix[s + 1] = prefix[s] + d_.spans[s].weight;
        for (std::size_t len = 1; len <= n_; ++len) {
            for (std::size_t i = 0; i + len <= n_; ++i) {
                const std::size_t j = i + len - 1;
                const std::uint64_t weight = prefix[j + 1] - prefix[i];
                // The chains do not depend on the depth, only whether they fit in it.
                chains.clear();
                if (chain_may_fit(i, j, depth_)) chain_costs(d_, i, j, chains, backgrounds, weights);
                for (std::size_t depth = 0; depth <= depth_; ++depth) {
                    if (len > reach[depth] || !needed(i, j, depth)) continue;
                    Choice best;
                    if (const ChainCost* chain = cheapest_chain(chains, depth))
                        best = {static_cast<std::uint32_t>(chain->cost), static_cast<std::uint16_t>(chain->tests), -1};
                    // Both halves within reach of depth - 1.
                    const std::size_t half = depth > 0 ? reach[depth - 1] : 0;
                    const std::size_t first_m = j >= i + half ? j - half : i;
                    const std::size_t last_m = std::min(j, i + half);  // exclusive
                    for (std::size_t m = first_m; m < last_m; ++m) {
                        const Choice& left = at(i, m, depth - 1);
                        const Choice& right = at(m + 1, j, depth - 1);
                        if (!left.feasible() || !right.feasible()) continue;
                        const Choice split{static_cast<std::uint32_t>(weight + left.cost + right.cost),
                                           static_cast<std::uint16_t>(1 + left.nodes + right.nodes),
                                           static_cast<std::int16_t>(m)};
                        if (split.better_than(best)) best = split;
                    }
                    at(i, j, depth) = best;
                }
            }
        }
    }

    template <typename OnSplit, typename OnChain>
    Label write(std::size_t i, std::size_t j, std::size_t depth, OnSplit& on_split, OnChain& on_chain) const {
        std::optional<std::size_t> split;
        if (!table_.empty()) {
            const Choice& c = at(i, j, depth);
            if (c.split >= 0) split = static_cast<std::size_t>(c.split);
        } else if (!best_chain(d_, i, j, 1)) {
            split = i + (j - i) / 2;
        }
        if (!split) return on_chain(*best_chain(d_, i, j, depth));
        const Label right = write(*split + 1, j, depth - 1, on_split, on_chain);
        const Label left = write(i, *split, depth - 1, on_split, on_chain);
        return on_split(d_.spans[*split + 1].first, right, left);
    }

    const Dispatch& d_;
    std::size_t n_;
    std::size_t depth_;
    std::vector<std::size_t> width_, row_;
    std::vector<Choice> table_;
};

// ---------------------------------------------------------------------------- code

class Writer {
public:
    Label size() const { return code_.size(); }

    Label put(std::uint16_t code, std::uint32_t k) {
        code_.push_back(BPF_STMT(code, k));
        return code_.size() - 1;
    }
    Label load(std::uint32_t offset) { return put(BPF_LD | BPF_W | BPF_ABS, offset); }

    Label ret(std::uint32_t value) {
        auto [it, fresh] = returns_.try_emplace(value, 0);
        if (fresh) it->second = put(BPF_RET | BPF_K, value);
        return it->second;
    }

    // A conditional jump. `a_holds` is the word A holds when it jumps (an offset into
    // seccomp_data), so a target that starts by loading that same word is entered past
    // the load. Targets beyond the 8-bit offset go through a JA trampoline.
    Label jump(std::uint16_t op, std::uint32_t k, Label yes, Label no, std::optional<std::uint32_t> a_holds) {
        yes = past_reload(yes, a_holds);
        no = past_reload(no, a_holds);
        // A trampoline moves this jump one further from the other target: check again.
        while (too_far(yes) || too_far(no)) {
            if (too_far(yes)) yes = trampoline(yes);
            if (too_far(no)) no = trampoline(no);
        }
        const Label here = code_.size();
        code_.push_back(BPF_JUMP(BPF_JMP | op | BPF_K, k, static_cast<std::uint8_t>(here - 1 - yes),
                                 static_cast<std::uint8_t>(here - 1 - no)));
        return here;
    }

    // The program in execution order, without the instructions no path reaches (a load
    // that every jump into it skips). Removing code only shortens jumps.
    std::vector<sock_filter> program() const {
        const std::vector<sock_filter> all(code_.rbegin(), code_.rend());
        std::vector<bool> reached(all.size(), false);
        reached[0] = true;
        for (std::size_t pc = 0; pc < all.size(); ++pc) {
            if (!reached[pc]) continue;
            const sock_filter& insn = all[pc];
            if (BPF_CLASS(insn.code) == BPF_RET) continue;
            if (insn.code == (BPF_JMP | BPF_JA)) {
                reached[pc + 1 + insn.k] = true;
            } else if (BPF_CLASS(insn.code) == BPF_JMP) {
                reached[pc + 1 + insn.jt] = reached[pc + 1 + insn.jf] = true;
            } else {
                reached[pc + 1] = true;
            }
        }
        std::vector<std::size_t> new_index(all.size() + 1);
        for (std::size_t pc = 0, kept = 0; pc <= all.size(); ++pc) {
            new_index[pc] = kept;
            if (pc < all.size() && reached[pc]) ++kept;
        }
        std::vector<sock_filter> out;
        for (std::size_t pc = 0; pc < all.size(); ++pc) {
            if (!reached[pc]) continue;
            sock_filter insn = all[pc];
            const auto distance = [&](std::size_t offset) { return new_index[pc + 1 + offset] - new_index[pc] - 1; };
            if (insn.code == (BPF_JMP | BPF_JA)) {
                insn.k = static_cast<std::uint32_t>(distance(insn.k));
            } else if (BPF_CLASS(insn.code) == BPF_JMP) {
                insn.jt = static_cast<std::uint8_t>(distance(insn.jt));
                insn.jf = static_cast<std::uint8_t>(distance(insn.jf));
            }
            out.push_back(insn);
        }
        return out;
    }

private:
    Label past_reload(Label target, std::optional<std::uint32_t> a_holds) const {
        const sock_filter& insn = code_[target];
        if (a_holds && insn.code == (BPF_LD | BPF_W | BPF_ABS) && insn.k == *a_holds) return target - 1;
        return target;
    }

    // Whether a jump written next could not reach `target`.
    bool too_far(Label target) const { return code_.size() - 1 - target > 255; }

    Label trampoline(Label target) {
        auto it = trampolines_.find(target);
        if (it != trampolines_.end() && !too_far(it->second)) return it->second;
        const Label here = code_.size();
        code_.push_back(BPF_STMT(BPF_JMP | BPF_JA, static_cast<std::uint32_t>(here - 1 - target)));
        return trampolines_[target] = here;
    }

    std::vector<sock_filter> code_;  // reversed
    std::map<std::uint32_t, Label> returns_;
    std::map<Label, Label> trampolines_;  // target -> its latest trampoline
};

// Argument checks. Each emitter of a test writes code that goes to `yes` when the test
// holds and to `no` otherwise, and returns its entry; a test decided at compile time
// writes nothing and returns `yes` or `no`.
class ArgCode {
public:
    ArgCode(Writer& w, bool wide) : w_(w), wide_(wide) {}

    Label check(const ir::ArgCheck& c, Label yes, Label no) {
        using Op = ir::ArgCheck::Op;
        switch (c.op) {
            case Op::Eq: return masked_eq(c.arg, ~0ull, c.value, yes, no);
            case Op::Ne: return masked_eq(c.arg, ~0ull, c.value, no, yes);
            case Op::MaskedEq: return masked_eq(c.arg, c.mask, c.value, yes, no);
            case Op::Ge: return at_least(c.arg, c.value, yes, no);
            case Op::Lt: return at_least(c.arg, c.value, no, yes);
            case Op::Gt: return c.value == ~0ull ? no : at_least(c.arg, c.value + 1, yes, no);
            case Op::Le: return c.value == ~0ull ? yes : at_least(c.arg, c.value + 1, no, yes);
        }
        return no;
    }

private:
    static std::uint32_t high(std::uint64_t v) { return static_cast<std::uint32_t>(v >> 32); }
    static std::uint32_t low(std::uint64_t v) { return static_cast<std::uint32_t>(v); }

    // (arg & mask) == value, the low word first: it is the one that usually differs, and a
    // failed test leaves it in A for the next rule on the same argument.
    Label masked_eq(unsigned arg, std::uint64_t mask, std::uint64_t value, Label yes, Label no) {
        if (value & ~mask) return no;
        const Label high_test = wide_ ? word_eq(arg_offset(arg, true), high(mask), high(value), yes, no)
                                      : (high(value) == 0 ? yes : no);  // 32-bit: the high word is 0
        return word_eq(arg_offset(arg, false), low(mask), low(value), high_test, no);
    }

    Label word_eq(std::uint32_t offset, std::uint32_t mask, std::uint32_t value, Label yes, Label no) {
        if (mask == 0) return yes;  // value & ~mask == 0 was checked: value is 0 here
        if (mask == 0xffffffffu) {
            w_.jump(BPF_JEQ, value, yes, no, offset);
        } else if (value == 0) {
            w_.jump(BPF_JSET, mask, no, yes, offset);
        } else if (value == mask && std::has_single_bit(mask)) {
            w_.jump(BPF_JSET, mask, yes, no, offset);
        } else {
            w_.jump(BPF_JEQ, value, yes, no, std::nullopt);
            w_.put(BPF_ALU | BPF_AND | BPF_K, mask);
        }
        return w_.load(offset);
    }

    // arg >= value (unsigned 64-bit): high word greater, or equal with the low word >= .
    Label at_least(unsigned arg, std::uint64_t value, Label yes, Label no) {
        if (value == 0) return yes;
        const std::uint32_t lo_offset = arg_offset(arg, false), hi_offset = arg_offset(arg, true);
        if (!wide_) {
            if (high(value) != 0) return no;
            w_.jump(BPF_JGE, low(value), yes, no, lo_offset);
            return w_.load(lo_offset);
        }
        if (low(value) == 0) {
            w_.jump(BPF_JGE, high(value), yes, no, hi_offset);
            return w_.load(hi_offset);
        }
        w_.jump(BPF_JGE, low(value), yes, no, lo_offset);
        const Label low_test = w_.load(lo_offset);
        // With high == 0, "not greater" already means "equal".
        Label entry = high(value) == 0 ? w_.jump(BPF_JGT, 0, yes, low_test, hi_offset)
                                       : w_.jump(BPF_JEQ, high(value), low_test, no, hi_offset);
        if (high(value) != 0 && high(value) != 0xffffffffu) entry = w_.jump(BPF_JGT, high(value), yes, entry, hi_offset);
        return w_.load(hi_offset);
    }

    Writer& w_;
    bool wide_;
};

// The first rule whose checks all hold decides; otherwise `otherwise`.
Label emit_decision(Writer& w, const ir::SyscallDecision& d, bool wide) {
    Label next = w.ret(return_value(d.otherwise));
    ArgCode args(w, wide);
    for (auto rule = d.rules.rbegin(); rule != d.rules.rend(); ++rule) {
        Label entry = w.ret(return_value(rule->action));
        for (auto c = rule->checks.rbegin(); c != rule->checks.rend(); ++c) entry = args.check(*c, entry, next);
        next = entry;
    }
    return next;
}

}  // namespace

std::uint32_t return_value(const ir::Action& action) {
    switch (action.kind) {
        case ir::Action::Kind::Allow: return SECCOMP_RET_ALLOW;
        case ir::Action::Kind::Errno: return SECCOMP_RET_ERRNO | (action.errno_value & SECCOMP_RET_DATA);
        case ir::Action::Kind::KillProcess: return SECCOMP_RET_KILL_PROCESS;
        case ir::Action::Kind::KillThread: return SECCOMP_RET_KILL_THREAD;
        case ir::Action::Kind::Trap: return SECCOMP_RET_TRAP;
        case ir::Action::Kind::Log: return SECCOMP_RET_LOG;
    }
    return SECCOMP_RET_KILL_PROCESS;
}

std::vector<sock_filter> emit_seccomp(const ir::SyscallTable& table, const ir::SyscallRanges& ranges) {
    const Dispatch d = make_dispatch(table, ranges);
    // Every path: ld arch, jeq, ld nr, the tree, ret. The bound keeps the tree within one
    // comparison of a balanced one over the table's ranges.
    const std::size_t depth =
        std::max<std::size_t>(ceil_log2(d.spans.size()), ceil_log2(ranges.size()) + 1);
    const Tree tree(d, depth);

    Writer w;
    const bool wide = table.arch != ir::Arch::I386;
    std::vector<Label> class_entry;
    for (const auto& cls : d.classes) class_entry.push_back(emit_decision(w, cls, wide));
    const Label bad_arch = w.ret(return_value(table.bad_arch_action));

    const Label dispatch = tree.write(
        [&](std::uint32_t bound, Label right, Label left) { return w.jump(BPF_JGE, bound, right, left, kNrOffset); },
        [&](const Chain& chain) {
            Label entry = class_entry[chain.background];
            for (auto t = chain.tests.rbegin(); t != chain.tests.rend(); ++t)
                entry = w.jump(BPF_JEQ, d.spans[*t].first, class_entry[d.spans[*t].cls], entry, kNrOffset);
            return entry;
        });
    // A tree of no tests (one class for every number) needs no nr.
    const Label after_arch = dispatch + 1 == w.size() ? w.load(kNrOffset) : dispatch;
    w.jump(BPF_JEQ, ir::audit_arch(table.arch), after_arch, bad_arch, kArchOffset);
    w.load(kArchOffset);

    auto program = w.program();
    if (program.size() > kMaxInstructions)
        throw EmitError("the seccomp filter for " + std::string(ir::arch_name(table.arch)) + " needs " +
                        std::to_string(program.size()) + " instructions; the kernel accepts at most " +
                        std::to_string(kMaxInstructions));
    return program;
}

}  // namespace nono::seccomp
