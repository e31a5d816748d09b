#include "sql/session_statements.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(SessionStatementsTest, Transactions) {
  EXPECT_EQ(StartTransaction(), "START TRANSACTION");
  EXPECT_EQ(StartConsistentSnapshot(), "START TRANSACTION WITH CONSISTENT SNAPSHOT");
  EXPECT_EQ(CommitTransaction(), "COMMIT");
  EXPECT_EQ(RollbackTransaction(), "ROLLBACK");
}

TEST(SessionStatementsTest, ProbeSavepoint) {
  EXPECT_EQ(SetProbeSavepoint(), "SAVEPOINT sa_diagnose");
  EXPECT_EQ(RollbackToProbeSavepoint(), "ROLLBACK TO SAVEPOINT sa_diagnose");
}

TEST(SessionStatementsTest, KeepAlivePing) { EXPECT_EQ(KeepAlivePing(), "DO 1"); }

}  // namespace
}  // namespace shadowalter
