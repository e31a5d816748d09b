#include "sql/status_queries.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(StatusQueriesTest, NamesEachVariableQuotedInOrder) {
  EXPECT_EQ(GlobalStatusQuery({"Threads_running", "Innodb_checkpoint_age"}),
            "SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_checkpoint_age', "
            "'Threads_running')");
  EXPECT_EQ(GlobalStatusQuery({"it's"}), "SHOW GLOBAL STATUS WHERE Variable_name IN ('it''s')");
}

}  // namespace
}  // namespace shadowalter
