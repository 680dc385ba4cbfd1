// Runtime: secrets by name in the environment (see secret_names.hpp).
#include "runtime/secret_names.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "runtime/command.hpp"

namespace nono::runtime {

namespace {

constexpr std::string_view kSecretWords[] = {
    "TOKEN",  "TOKENS", "SECRET",     "SECRETS", "PASSWORD",    "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE", "KEY",
    "KEYS",   "APIKEY", "CREDENTIAL", "CREDENTIALS", "CREDS",   "AUTH",      "PAT",    "COOKIE", "COOKIES",
};
constexpr std::string_view kSecretEndings[] = {"TOKEN", "SECRET", "PASSWORD", "PASSWD", "APIKEY"};
constexpr std::string_view kSecretNames[] = {
    "DATABASE_URL", "REDIS_URL", "MONGODB_URI", "MONGO_URL", "AMQP_URL", "CELERY_BROKER_URL", "SENTRY_DSN",
};

template <typename List>
bool listed(const List& list, std::string_view word) {
    return std::find(std::begin(list), std::end(list), word) != std::end(list);
}

std::vector<std::string> words_of(std::string_view name) {
    std::vector<std::string> words(1);
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c)))
            words.back() += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        else if (!words.back().empty())
            words.emplace_back();
    }
    if (words.back().empty()) words.pop_back();
    return words;
}

}  // namespace

bool is_secret_name(std::string_view name) {
    const std::vector<std::string> words = words_of(name);
    std::string upper;
    for (std::size_t i = 0; i < words.size(); ++i) upper += (i ? "_" : "") + words[i];
    if (listed(kSecretNames, upper)) return true;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string& word = words[i];
        if (listed(kSecretWords, word)) return true;
        for (std::string_view ending : kSecretEndings)
            if (word.size() > ending.size() && word.compare(word.size() - ending.size(), ending.size(), ending) == 0)
                return true;
        if (word == "SESSION" && i + 1 == words.size()) return true;
        if (word == "PWD" && words.size() > 1) return true;
    }
    return false;
}

std::vector<std::string> dropped_variables(const landlock::EnvPlan& env, char** parent_environ) {
    std::set<std::string> passed;
    for (const std::string& entry : command_environment(env, parent_environ)) passed.insert(entry);
    std::set<std::string> dropped;
    for (char** e = parent_environ; e && *e; ++e)
        if (!passed.count(*e)) dropped.insert(std::string(*e).substr(0, std::string_view(*e).find('=')));
    return {dropped.begin(), dropped.end()};
}

}  // namespace nono::runtime
