// The plan format: reading and printing limit amounts (see limits.hpp).
#include "plan/limits.hpp"

#include <algorithm>
#include <span>

namespace nono::limits {

namespace {

struct Suffix {
    char letter;
    std::uint64_t factor;
};
constexpr Suffix kSizeSuffixes[] = {{'K', 1ull << 10}, {'M', 1ull << 20}, {'G', 1ull << 30}, {'T', 1ull << 40}};
constexpr Suffix kTimeSuffixes[] = {{'s', 1}, {'m', 60}, {'h', 3600}};

std::string unit_words(Unit unit) {
    return unit == Unit::Bytes ? "a size needs a unit: K, M, G or T (powers of 1024), as in `4G`"
                               : "a time needs a unit: s, m or h, as in `30m`";
}

}  // namespace

std::optional<Kind> kind_named(std::string_view name) {
    for (const KindInfo& k : kKinds)
        if (k.name == name) return k.kind;
    return std::nullopt;
}

std::vector<std::string> kind_names() {
    std::vector<std::string> names;
    for (const KindInfo& k : kKinds) names.emplace_back(k.name);
    return names;
}

Amount parse_amount(Kind kind, std::string_view text) {
    const Unit unit = info(kind).unit;
    Amount a;
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0) {
        a.error = "expected a number";
        a.hint = unit == Unit::Count ? "as in `limit " + std::string(info(kind).name) + " 512`" : unit_words(unit);
        return a;
    }
    std::uint64_t factor = 1;
    const std::string_view rest = text.substr(digits);
    auto bad_unit = [&](const char* what) {
        const std::string shown = rest.size() <= 8 ? std::string(rest) : std::string(rest.substr(0, 8)) + "…";
        a.error = std::string(what) + " `" + shown + "` for " + std::string(info(kind).name);
        a.error_offset = digits;
        a.hint = unit == Unit::Count ? std::string(info(kind).name) + " is a count, written without a unit"
                                     : unit_words(unit);
        return a;
    };
    if (unit == Unit::Count) {
        if (!rest.empty()) return bad_unit("unexpected unit");
    } else {
        if (rest.empty()) {
            a.error = "missing unit after the number";
            a.error_offset = digits;
            a.hint = unit_words(unit);
            return a;
        }
        const auto& suffixes = unit == Unit::Bytes ? std::span<const Suffix>(kSizeSuffixes) : std::span<const Suffix>(kTimeSuffixes);
        auto it = std::find_if(suffixes.begin(), suffixes.end(), [&](const Suffix& s) { return rest.size() == 1 && rest[0] == s.letter; });
        if (it == suffixes.end()) return bad_unit("unknown unit");
        factor = it->factor;
    }
    std::uint64_t number = 0;
    for (char c : text.substr(0, digits)) {
        const std::uint64_t d = static_cast<std::uint64_t>(c - '0');
        if (number > (kMaxAmount - d) / 10) number = kMaxAmount + 1ull;
        else number = number * 10 + d;
    }
    if (number == 0) {
        a.error = "a limit of zero";
        a.hint = "zero would let the command do nothing at all; leave the limit out for no limit";
        return a;
    }
    if (number > kMaxAmount / factor) {
        a.error = "limit too large";
        a.hint = "at most " + format_amount(kind, kMaxAmount / factor * factor);
        return a;
    }
    a.value = number * factor;
    return a;
}

std::string format_amount(Kind kind, std::uint64_t value) {
    const Unit unit = info(kind).unit;
    if (unit == Unit::Count) return std::to_string(value);
    const auto& suffixes = unit == Unit::Bytes ? std::span<const Suffix>(kSizeSuffixes) : std::span<const Suffix>(kTimeSuffixes);
    // Sizes below 1K have no unit of their own: the YAML form may state bytes exactly.
    for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it)
        if (value % it->factor == 0) return std::to_string(value / it->factor) + it->letter;
    return std::to_string(value);
}

bool Limits::empty() const {
    return std::none_of(amounts.begin(), amounts.end(), [](const auto& a) { return a.has_value(); });
}

}  // namespace nono::limits
