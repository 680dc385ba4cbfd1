#include <doctest/doctest.h>

#include <stdexcept>

#include "compiler/ir.hpp"

using namespace nono::ir;

TEST_CASE("access words name the right rights") {
    CHECK(rights_of_word("read") == (ReadFile | ReadDir));
    CHECK(rights_of_word("create-file") == CreateFile);
    CHECK((*rights_of_word("write") & (CreateChar | CreateBlock | IoctlDev)) == 0);
    CHECK_FALSE(rights_of_word("wrte").has_value());
    CHECK(rights_to_string(kRead | Execute) == "read, exec");
}

TEST_CASE("the path trie accepts only canonical absolute paths") {
    Policy p;
    add_path_rule(p, "/home/u/.ssh", {Effect::Deny, kAllRights, {}});
    REQUIRE(find_node(p.root, "/home/u/.ssh") != nullptr);
    CHECK(find_node(p.root, "/home/u/.ssh")->rules.size() == 1);
    CHECK(find_node(p.root, "/home/x") == nullptr);
    CHECK_THROWS_AS(add_path_rule(p, "relative", {}), std::invalid_argument);
    CHECK_THROWS_AS(add_path_rule(p, "/a/../b", {}), std::invalid_argument);
    CHECK_THROWS_AS(add_path_rule(p, "/a//b", {}), std::invalid_argument);
    CHECK_THROWS_AS(add_path_rule(p, "/a/", {}), std::invalid_argument);
}
