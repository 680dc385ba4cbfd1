// Runtime: the count of what the supervisor's network part refused (the proxy, the
// mediation), kept while the run goes on and listed at its end with `nono exec -v`.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace nono::runtime {

class Refusals {
public:
    // Counts one refusal of `what` ("api.example.com:25: not allowed by the profile"); any thread.
    void count(const std::string& what) {
        std::lock_guard lock(mutex_);
        ++counts_[what];
    }
    // One line per refused peer and reason, in order, with its count when above one.
    std::vector<std::string> lines() const {
        std::lock_guard lock(mutex_);
        std::vector<std::string> out;
        for (const auto& [what, n] : counts_) out.push_back(what + (n > 1 ? "  (" + std::to_string(n) + " times)" : ""));
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::map<std::string, unsigned> counts_;
};

}  // namespace nono::runtime
