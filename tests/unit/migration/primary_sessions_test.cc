// The run's sessions without a server: the run lock taken, kept and taken again after a lost
// connection, the DDL session replaced when the server closed it, reconnecting within a time
// limit, and the session cleanup runs on. Losing the server for real is tested against the
// sandbox (tests/integration: RestartTest, ResumeTest).
#include "migration/primary_sessions.h"

#include <gtest/gtest.h>

#include <csignal>
#include <deque>
#include <memory>

#include "db/scripted_session.h"
#include "sql/ddl.h"

namespace shadowalter {
namespace {

const char kLock[] = "shadowalter.shop.orders";

// Hands out the scripted sessions in order; when none is left, the server is unreachable.
struct Sessions {
  std::deque<std::unique_ptr<ScriptedSession>> ready;
  int opened = 0;
  int fail_next = 0;  // this many opens fail first

  ScriptedSession& Add(const std::string& name) {
    ready.push_back(std::make_unique<ScriptedSession>(name));
    return *ready.back();
  }
  PrimarySessions Make() {
    return PrimarySessions(kLock, [this]() -> StatusOr<std::unique_ptr<Session>> {
      if (fail_next > 0 || ready.empty()) {
        if (fail_next > 0) --fail_next;
        return ServerError(2003, "Can't connect to server");
      }
      std::unique_ptr<Session> s = std::move(ready.front());
      ready.pop_front();
      ++opened;
      return s;
    });
  }
};

TEST(PrimarySessionsTest, TheRunLockIsTakenOnASessionOfItsOwn) {
  Sessions s;
  s.Add("lock").Expect(TakeNamedLock(kLock)).Returns({{"1"}});
  PrimarySessions sessions = s.Make();
  StatusOr<bool> taken = sessions.TakeRunLock();
  ASSERT_TRUE(taken.ok()) << taken.status().message();
  EXPECT_TRUE(*taken);
  EXPECT_FALSE(sessions.connected());  // the DDL session is another one
}

TEST(PrimarySessionsTest, ALockHeldByAnotherRunIsNotTaken) {
  Sessions s;
  s.Add("lock").Expect(TakeNamedLock(kLock)).Returns({{"0"}});
  PrimarySessions sessions = s.Make();
  StatusOr<bool> taken = sessions.TakeRunLock();
  ASSERT_TRUE(taken.ok());
  EXPECT_FALSE(*taken);
}

TEST(PrimarySessionsTest, ALockStillHeldByItsSessionIsKeptAsItIs) {
  Sessions s;
  ScriptedSession& lock = s.Add("lock");
  lock.Expect(TakeNamedLock(kLock)).Returns({{"1"}});
  lock.Expect(HoldsNamedLock(kLock)).Returns({{"1"}});
  PrimarySessions sessions = s.Make();
  ASSERT_TRUE(sessions.TakeRunLock().ok());
  EXPECT_TRUE(sessions.RetakeRunLock().ok());
  EXPECT_EQ(s.opened, 1);
}

TEST(PrimarySessionsTest, ALockLostWithItsSessionIsTakenAgainOnANewOne) {
  Sessions s;
  ScriptedSession& lock = s.Add("lock");
  lock.Expect(TakeNamedLock(kLock)).Returns({{"1"}});
  lock.Expect(HoldsNamedLock(kLock)).Fails(ServerError(2013, "Lost connection"));
  // The server has not yet noticed the dead session: the lock is free a moment later.
  ScriptedSession& again = s.Add("lock again");
  again.Expect(TakeNamedLock(kLock)).Returns({{"0"}});
  again.Expect(TakeNamedLock(kLock)).Returns({{"1"}});
  PrimarySessions sessions = s.Make();
  ASSERT_TRUE(sessions.TakeRunLock().ok());
  EXPECT_TRUE(sessions.RetakeRunLock().ok());
  EXPECT_EQ(s.opened, 2);
}

TEST(PrimarySessionsTest, AnIdleDdlSessionTheServerClosedIsReplaced) {
  Sessions s;
  s.Add("ddl").Expect("DO 1").Fails(ServerError(2006, "MySQL server has gone away"));
  s.Add("ddl again").Expect("DO 1");
  PrimarySessions sessions = s.Make();
  ASSERT_TRUE(sessions.Connect().ok());
  ASSERT_TRUE(sessions.EnsureDdl().ok());
  EXPECT_EQ(s.opened, 2);
  EXPECT_TRUE(sessions.EnsureDdl().ok());  // the new one answers: kept
  EXPECT_EQ(s.opened, 2);
}

TEST(PrimarySessionsTest, ReconnectingRetakesTheLockAndReplacesTheDdlSession) {
  Sessions s;
  ScriptedSession& lock = s.Add("lock");
  lock.Expect(TakeNamedLock(kLock)).Returns({{"1"}});
  lock.Expect(HoldsNamedLock(kLock)).Returns({{"1"}});  // only the copy's connection died
  s.Add("ddl");
  ScriptedSession* copy = &s.Add("copy");
  ScriptedSession* new_ddl = &s.Add("new ddl");
  PrimarySessions sessions = s.Make();
  ASSERT_TRUE(sessions.TakeRunLock().ok());
  ASSERT_TRUE(sessions.Connect().ok());
  StopFlag stop;
  s.fail_next = 1;  // the primary is back only at the second try
  StatusOr<std::unique_ptr<Session>> r = sessions.Reconnect(60.0, stop);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->get(), copy);
  EXPECT_EQ(&sessions.ddl(), new_ddl);
  EXPECT_EQ(s.opened, 4);
}

TEST(PrimarySessionsTest, ReconnectingGivesUpOnceTheTimeIsUp) {
  Sessions s;  // nothing answers
  StopFlag stop;
  PrimarySessions sessions = s.Make();
  StatusOr<std::unique_ptr<Session>> r = sessions.Reconnect(0.0, stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConnection);
  EXPECT_NE(r.status().message().find("stayed unreachable"), std::string::npos)
      << r.status().message();
}

TEST(PrimarySessionsTest, ReconnectingStopsAtAStopRequest) {
  Sessions s;
  StopFlag stop;
  stop.Request(SIGTERM);
  PrimarySessions sessions = s.Make();
  StatusOr<std::unique_ptr<Session>> r = sessions.Reconnect(60.0, stop);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAborted);
}

TEST(PrimarySessionsTest, CleanupRunsOnTheDdlSessionWhileItAnswersElseOnAFreshOne) {
  Sessions s;
  s.Add("ddl").Expect("DO 1").Fails(ServerError(2013, "Lost connection"));
  s.Add("fresh");
  PrimarySessions sessions = s.Make();
  ASSERT_TRUE(sessions.Connect().ok());
  std::unique_ptr<Session> fresh;
  Session* live = sessions.LiveForCleanup(fresh);
  ASSERT_NE(live, nullptr);
  EXPECT_EQ(live, fresh.get());
  std::unique_ptr<Session> none;
  PrimarySessions unreachable = s.Make();
  EXPECT_EQ(unreachable.LiveForCleanup(none), nullptr);
}

}  // namespace
}  // namespace shadowalter
