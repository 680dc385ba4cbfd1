// The plan format: the resource limits of a run (`limit memory 4G`, `limit processes 512`, …).
//
// One table of kinds and one reading of amounts ("4G", "30m", "512"), which the grammar,
// the YAML form, `nono run --limit` and the plan reader all call, so a limit means the same
// wherever it is written. How the runtime applies them: runtime/enforce_limits.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nono::limits {

enum class Kind { Memory, Processes, OpenFiles, CpuTime, FileSize };
enum class Unit { Bytes, Count, Seconds };

struct KindInfo {
    Kind kind;
    std::string_view name;  // as written in a profile
    Unit unit;
};

// In the order profiles, plans and reports list them.
inline constexpr std::array<KindInfo, 5> kKinds{{
    {Kind::Memory, "memory", Unit::Bytes},
    {Kind::Processes, "processes", Unit::Count},
    {Kind::OpenFiles, "open-files", Unit::Count},
    {Kind::CpuTime, "cpu-time", Unit::Seconds},
    {Kind::FileSize, "file-size", Unit::Bytes},
}};

inline constexpr const KindInfo& info(Kind kind) { return kKinds[static_cast<std::size_t>(kind)]; }
std::optional<Kind> kind_named(std::string_view name);
std::vector<std::string> kind_names();

// The largest amount: what the cgroup files and every rlimit take as a plain number.
inline constexpr std::uint64_t kMaxAmount = INT64_MAX;

// An amount as written: a count ("512"), a size with K, M, G or T (powers of 1024), or a
// time with s, m or h. A size or a time without its unit is refused (is `limit memory 4`
// four bytes or four gigabytes?), and so are zero and amounts over kMaxAmount.
struct Amount {
    std::uint64_t value = 0;  // bytes, processes, descriptors or seconds
    std::string error;        // empty when the text is a valid amount
    std::size_t error_offset = 0;  // where in the text the fault is
    std::string hint;
};
Amount parse_amount(Kind kind, std::string_view text);
// The shortest text that parse_amount reads back as `value` ("4G", "90s", "512").
std::string format_amount(Kind kind, std::uint64_t value);

// At most one amount per kind; a kind without one is not limited.
struct Limits {
    std::array<std::optional<std::uint64_t>, kKinds.size()> amounts;

    std::optional<std::uint64_t>& operator[](Kind kind) { return amounts[static_cast<std::size_t>(kind)]; }
    const std::optional<std::uint64_t>& operator[](Kind kind) const { return amounts[static_cast<std::size_t>(kind)]; }
    bool empty() const;
    // Whether it states a limit only a cgroup of the run bounds whole: memory, processes.
    bool for_a_cgroup() const { return (*this)[Kind::Memory] || (*this)[Kind::Processes]; }
    bool operator==(const Limits&) const = default;
};

}  // namespace nono::limits
