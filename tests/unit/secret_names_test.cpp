// The environment's secrets by name: what the rule in runtime/secret_names.hpp catches and
// what it must leave alone.
#include <doctest/doctest.h>

#include "runtime/secret_names.hpp"

using nono::runtime::is_secret_name;

TEST_CASE("names that say token, secret, password, key, auth, credential or session are secrets") {
    for (const char* name :
         {"ANTHROPIC_API_KEY", "OPENAI_API_KEY", "GEMINI_API_KEY", "AWS_SECRET_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
          "AWS_SESSION_TOKEN", "GITHUB_PAT", "GITHUB_TOKEN", "GH_TOKEN", "HF_TOKEN", "NPM_TOKEN", "CI_JOB_TOKEN",
          "PGPASSWORD", "MYSQL_PWD", "BW_SESSION", "DATABASE_URL", "REDIS_URL", "SSH_AUTH_SOCK", "TWINE_PASSWORD",
          "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_SECRET", "DB_PASS", "SMTP_PASSWD", "MY_APIKEY",
          "github_token", "npm_config_//registry.npmjs.org/:_authToken", "CLAUDE_CODE_OAUTH_TOKEN", "SIGNING_KEYS"}) {
        CAPTURE(name);
        CHECK(is_secret_name(name));
    }
}

TEST_CASE("names that only look alike pass: keyboards, sessions of the desktop, the working directory") {
    for (const char* name : {"PATH", "HOME", "PWD", "OLDPWD", "KEYBOARD", "KEYMAP", "XKB_DEFAULT_LAYOUT", "LESSKEY",
                             "XDG_SESSION_ID", "XDG_SESSION_TYPE", "DBUS_SESSION_BUS_ADDRESS", "GIT_AUTHOR_NAME",
                             "XAUTHORITY", "LANG", "TERM", "MONKEY_PATCH", "PASSAGE", "TOKENIZERS_PARALLELISM"}) {
        CAPTURE(name);
        CHECK_FALSE(is_secret_name(name));
    }
}
