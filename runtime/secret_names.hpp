// Runtime: the environment variables that carry secrets by their name (DESIGN.md,
// "Environment"). The command does not get them unless the profile says `env keep NAME`.
//
// The rule, on the name in upper case cut into words at every character that is not a
// letter or digit (`npm_config_//host/:_authToken` -> NPM CONFIG HOST AUTHTOKEN):
//   - a word that is TOKEN(S), SECRET(S), PASSWORD(S), PASSWD, PASS, PASSPHRASE, KEY(S),
//     APIKEY, CREDENTIAL(S), CREDS, AUTH, PAT, COOKIE(S): GITHUB_PAT, OPENAI_API_KEY,
//     SSH_AUTH_SOCK (the agent signs with the user's keys), DB_PASS;
//   - a word that ends in TOKEN, SECRET, PASSWORD, PASSWD or APIKEY: PGPASSWORD, AUTHTOKEN;
//   - SESSION as the last word: BW_SESSION (XDG_SESSION_ID and DBUS_SESSION_BUS_ADDRESS
//     name no secret);
//   - PWD as a word of a longer name: MYSQL_PWD (PWD and OLDPWD are directories);
//   - the known names whose words say nothing: DATABASE_URL and the other connection URLs
//     that carry a password, SENTRY_DSN.
// KEY counts only as a whole word: KEYBOARD, KEYMAP, XKB_* and LESSKEY pass.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "plan/landlock_plan.hpp"

namespace nono::runtime {

bool is_secret_name(std::string_view name);

// The names of the variables in `parent_environ` that the command does not get as they
// are (secrets, code injectors, `env drop`, `env set` replacing them), sorted: for
// --dry-run, which shows names only, never values.
std::vector<std::string> dropped_variables(const landlock::EnvPlan& env, char** parent_environ);

}  // namespace nono::runtime
