// The constant tables behind syscall conditions and `errno NAME`: Linux's values, kept in
// the repository (linux_constants.inc, linux_errnos.inc) so that a profile compiles to the
// same filter on any build host, macOS included; tests/unit/linux_constants_test.cpp checks
// them against this Linux's headers and rewrites them (UPDATE=1). Flags whose values differ
// between architectures (a few O_* flags on aarch64) take x86_64's.
#include "compiler/constants.hpp"

#include <map>

namespace nono {

namespace {

const std::map<std::string, std::uint64_t>& constants() {
    static const std::map<std::string, std::uint64_t> table = {
#include "compiler/linux_constants.inc"
    };
    return table;
}

const std::map<std::string, std::uint16_t>& errnos() {
    static const std::map<std::string, std::uint16_t> table = {
#include "compiler/linux_errnos.inc"
    };
    return table;
}

template <typename Map>
std::vector<std::string> keys(const Map& m) {
    std::vector<std::string> out;
    for (const auto& [k, v] : m) out.push_back(k);
    return out;
}

}  // namespace

std::optional<std::uint64_t> constant_value(const std::string& name) {
    auto it = constants().find(name);
    if (it == constants().end()) return std::nullopt;
    return it->second;
}

const std::vector<std::string>& constant_names() {
    static const std::vector<std::string> names = keys(constants());
    return names;
}

std::optional<std::uint16_t> errno_value(const std::string& name) {
    auto it = errnos().find(name);
    if (it == errnos().end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> errno_name(std::uint16_t value) {
    for (const auto& [name, v] : errnos())
        if (v == value) return name;
    return std::nullopt;
}

const std::vector<std::string>& errno_names() {
    static const std::vector<std::string> names = keys(errnos());
    return names;
}

}  // namespace nono
