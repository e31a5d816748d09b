#include "db/session_variables.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(SetSessionVariablesTest, NumbersAndBareWordsAsTheyAreTextQuoted) {
  EXPECT_EQ(SetSessionVariables({}), "");
  EXPECT_EQ(SetSessionVariables({{"wait_timeout", "28800"}}), "SET SESSION `wait_timeout` = 28800");
  EXPECT_EQ(SetSessionVariables({{"long_query_time", "0.5"},
                                 {"big_tables", "ON"},
                                 {"optimizer_switch", "index_merge=off,mrr=on"},
                                 {"sql_warnings", "DEFAULT"}}),
            "SET SESSION `long_query_time` = 0.5, `big_tables` = ON, `optimizer_switch` = "
            "'index_merge=off,mrr=on', `sql_warnings` = DEFAULT");
  // Anything that is not plainly a number or a word is a string literal, quotes escaped.
  EXPECT_EQ(SetSessionVariables({{"x", "1; DROP TABLE t"}}), "SET SESSION `x` = '1; DROP TABLE t'");
  EXPECT_EQ(SetSessionVariables({{"x", "it's"}}).find("'it"),
            std::string("SET SESSION `x` = ").size());
  EXPECT_EQ(SetSessionVariables({{"x", "1e5"}}), "SET SESSION `x` = '1e5'");
  EXPECT_EQ(SetSessionVariables({{"x", "-1"}}), "SET SESSION `x` = -1");
}

}  // namespace
}  // namespace shadowalter
