// The scripted session itself: a fake that let an unexpected statement pass would make every
// test built on it worthless.
#include "db/scripted_session.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "db/errors.h"

namespace shadowalter {
namespace {

TEST(ScriptedSessionTest, AnswersExpectedStatementsInOrderAndRecordsThem) {
  ScriptedSession s;
  s.Expect("SELECT 1").Returns({{"1"}, {std::nullopt}}, {"x"});
  s.ExpectPrefix("UPDATE t ").Affects(7).Warns({{"Warning", 1265, "Data truncated"}});
  s.ExpectRegex("DELETE FROM t WHERE id = [0-9]+");
  std::vector<std::string> observed;
  s.set_statement_observer([&](const std::string& sql) { observed.push_back(sql); });

  StatusOr<ResultSet> rs = s.Query("SELECT 1");
  ASSERT_TRUE(rs.ok());
  EXPECT_EQ(rs->column_names, std::vector<std::string>{"x"});
  ASSERT_EQ(rs->rows.size(), 2u);
  EXPECT_EQ(rs->Scalar(), "1");
  EXPECT_FALSE(rs->rows[1][0].has_value());
  ASSERT_TRUE(s.Execute("UPDATE t SET a = 1").ok());
  EXPECT_EQ(s.affected_rows(), 7u);
  EXPECT_EQ(s.warning_count(), 1u);
  StatusOr<std::vector<Warning>> w = s.Warnings();
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->at(0).code, 1265u);
  EXPECT_TRUE(s.Execute("DELETE FROM t WHERE id = 12").ok());
  EXPECT_EQ(s.warning_count(), 0u);
  EXPECT_EQ(s.pending(), 0u);
  EXPECT_EQ(s.statements(),
            (std::vector<std::string>{"SELECT 1", "UPDATE t SET a = 1", "SHOW WARNINGS",
                                      "DELETE FROM t WHERE id = 12"}));
  EXPECT_EQ(observed, (std::vector<std::string>{"SELECT 1", "UPDATE t SET a = 1",
                                                "DELETE FROM t WHERE id = 12"}));
}

TEST(ScriptedSessionTest, ServerErrorsLookLikeTheClientLibrarys) {
  ScriptedSession s;
  s.Expect("UPDATE t SET a = 1").Fails(ServerError(1213, "Deadlock found"));
  s.Expect("SELECT 2").Fails(ServerError(2013, "Lost connection"));
  Status deadlock = s.Execute("UPDATE t SET a = 1");
  EXPECT_EQ(deadlock.code(), Code::kServer);
  EXPECT_EQ(deadlock.server_errno(), 1213u);
  EXPECT_EQ(deadlock.message(), "Deadlock found (error 1213)");
  EXPECT_TRUE(IsLockConflict(deadlock));
  StatusOr<ResultSet> lost = s.Query("SELECT 2");
  EXPECT_TRUE(IsConnectionLost(lost.status()));
  EXPECT_EQ(lost.status().message(), "Lost connection");
}

TEST(ScriptedSessionTest, AnUnexpectedStatementFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(
      {
        ScriptedSession s("primary");
        s.Expect("SELECT 1");
        Status st = s.Execute("SELECT 2");
        EXPECT_EQ(st.code(), Code::kInternal);
        EXPECT_TRUE(s.Execute("SELECT 1").ok());  // the expectation still waits for its turn
      },
      "primary: unexpected statement #1: \"SELECT 2\"");
  EXPECT_NONFATAL_FAILURE(
      {
        ScriptedSession s;
        (void)s.Execute("SELECT 3");
      },
      "expected: no more statements");
}

TEST(ScriptedSessionTest, AStatementNeverSentFailsTheTest) {
  EXPECT_NONFATAL_FAILURE(
      {
        ScriptedSession s("replica");
        s.Expect("COMMIT");
      },
      "replica: expected statement #1 was never sent: \"COMMIT\"");
}

TEST(ScriptedSessionTest, ThenRunsWhenTheStatementArrives) {
  ScriptedSession s;
  int calls = 0;
  s.Expect("DO 1").Then([&] { ++calls; });
  EXPECT_EQ(calls, 0);
  EXPECT_TRUE(s.Execute("DO 1").ok());
  EXPECT_EQ(calls, 1);
}

TEST(ScriptedConnectionsTest, ConnectHandsOutTheScriptedSessionsInOrder) {
  ScriptedConnections connections;
  ScriptedSession& first = connections.Add(std::make_unique<ScriptedSession>("first"));
  connections.AddFailure(ServerError(2003, "Can't connect"));
  first.Expect("SELECT 1");
  ConnectParams p;
  p.host = "replica1";
  p.port = 3307;
  StatusOr<std::unique_ptr<Session>> a = Session::Connect(p);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->get(), &first);
  EXPECT_TRUE((*a)->Execute("SELECT 1").ok());
  StatusOr<std::unique_ptr<Session>> b = Session::Connect(p);
  EXPECT_EQ(b.status().code(), Code::kConnection);
  ASSERT_EQ(connections.requests().size(), 2u);
  EXPECT_EQ(connections.requests()[0].host, "replica1");
  EXPECT_EQ(connections.requests()[0].port, 3307u);
}

}  // namespace
}  // namespace shadowalter
