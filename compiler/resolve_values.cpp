// Stage 2a, resolve: constants (see resolve_values.hpp).
#include "compiler/resolve_values.hpp"

#include "compiler/constants.hpp"
#include "core/suggest.hpp"

namespace nono {

std::optional<std::uint64_t> resolve_value(const ast::Value& v, Diagnostics& diags) {
    std::uint64_t out = 0;
    bool ok = true;
    for (const ast::Value::Term& t : v.terms) {
        if (t.number) {
            out |= *t.number;
            continue;
        }
        if (auto c = constant_value(t.name)) {
            out |= *c;
            continue;
        }
        diags.error(t.loc, "unknown constant `" + t.name + "`", did_you_mean(t.name, constant_names()));
        ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
}

std::optional<ir::Action> resolve_action(const std::optional<ast::Action>& written, ast::Effect effect,
                                         Diagnostics& diags) {
    if (!written) {
        if (effect == ast::Effect::Allow) return ir::Action{ir::Action::Kind::Allow, 0};
        return ir::Action{ir::Action::Kind::Errno, *errno_value("EPERM")};
    }
    using K = ast::Action::Kind;
    switch (written->kind) {
        case K::Allow:
            if (effect == ast::Effect::Deny) {
                diags.error(written->loc, "`deny syscall` cannot have the action `allow`",
                             "write `allow syscall …`, or give an errno: `errno EPERM`");
                return std::nullopt;
            }
            return ir::Action{ir::Action::Kind::Allow, 0};
        case K::Kill: return ir::Action{ir::Action::Kind::KillProcess, 0};
        case K::KillThread: return ir::Action{ir::Action::Kind::KillThread, 0};
        case K::Trap: return ir::Action{ir::Action::Kind::Trap, 0};
        case K::Log: return ir::Action{ir::Action::Kind::Log, 0};
        case K::Errno: break;
    }
    if (!written->errno_value) return ir::Action{ir::Action::Kind::Errno, *errno_value("EPERM")};
    const ast::Value& v = *written->errno_value;
    if (v.terms.size() == 1 && !v.terms[0].number) {
        if (auto e = errno_value(v.terms[0].name)) return ir::Action{ir::Action::Kind::Errno, *e};
        diags.error(v.terms[0].loc, "unknown errno name `" + v.terms[0].name + "`",
                     did_you_mean(v.terms[0].name, errno_names()));
        return std::nullopt;
    }
    if (v.terms.size() == 1 && *v.terms[0].number <= 4095)
        return ir::Action{ir::Action::Kind::Errno, static_cast<std::uint16_t>(*v.terms[0].number)};
    diags.error(v.loc, "an errno is one name or a number from 0 to 4095");
    return std::nullopt;
}

std::optional<std::vector<std::vector<ir::ArgCheck>>> resolve_conditions(const std::vector<ast::Condition>& conditions,
                                                                          Diagnostics& diags) {
    std::vector<std::vector<ir::ArgCheck>> out{{}};
    bool ok = true;
    for (const ast::Condition& c : conditions) {
        if (c.arg > 5) {
            diags.error(c.loc, "syscalls have six arguments: arg0 to arg5");
            ok = false;
            continue;
        }
        ir::ArgCheck base;
        base.arg = static_cast<std::uint8_t>(c.arg);
        std::uint64_t mask = ~0ull;
        if (c.op == ast::Condition::Op::MaskedEq && c.mask) {
            std::optional<std::uint64_t> m = resolve_value(*c.mask, diags);
            ok = ok && m.has_value();
            mask = m.value_or(0);
        }
        // One check per value: `in {a, b}` multiplies the alternatives.
        std::vector<ir::ArgCheck> choices;
        for (const ast::Value& v : c.values) {
            std::optional<std::uint64_t> n = resolve_value(v, diags);
            if (!n) {
                ok = false;
                continue;
            }
            ir::ArgCheck check = base;
            check.value = *n;
            switch (c.op) {
                case ast::Condition::Op::Eq:
                case ast::Condition::Op::In: check.op = ir::ArgCheck::Op::Eq; break;
                case ast::Condition::Op::Ne: check.op = ir::ArgCheck::Op::Ne; break;
                case ast::Condition::Op::Lt: check.op = ir::ArgCheck::Op::Lt; break;
                case ast::Condition::Op::Le: check.op = ir::ArgCheck::Op::Le; break;
                case ast::Condition::Op::Gt: check.op = ir::ArgCheck::Op::Gt; break;
                case ast::Condition::Op::Ge: check.op = ir::ArgCheck::Op::Ge; break;
                case ast::Condition::Op::MaskedEq:
                    check.op = ir::ArgCheck::Op::MaskedEq;
                    check.mask = mask;
                    break;
            }
            choices.push_back(check);
        }
        std::vector<std::vector<ir::ArgCheck>> next;
        for (const auto& alt : out)
            for (const ir::ArgCheck& choice : choices) {
                next.push_back(alt);
                next.back().push_back(choice);
            }
        out = std::move(next);
    }
    if (!ok) return std::nullopt;
    return out;
}

}  // namespace nono
