#include "db/errors.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

Status ServerError(unsigned errnum) { return Status(Code::kServer, "server said no", errnum); }

TEST(ErrorsTest, UnreachableIsNothingListeningNotASayingNo) {
  const auto failed = [](unsigned e) { return Status(CodeForErrno(e), "connect failed", e); };
  EXPECT_TRUE(IsUnreachable(failed(2002)));   // no socket
  EXPECT_TRUE(IsUnreachable(failed(2003)));   // nothing listening on the port
  EXPECT_TRUE(IsUnreachable(failed(2005)));   // unknown host
  EXPECT_TRUE(IsUnreachable(failed(1053)));   // the server is shutting down
  EXPECT_TRUE(IsUnreachable(failed(1040)));   // too many connections, for now
  EXPECT_FALSE(IsUnreachable(failed(1045)));  // access denied: the server answered
  EXPECT_FALSE(IsUnreachable(failed(1049)));  // unknown database
  EXPECT_FALSE(IsUnreachable(failed(2026)));  // TLS could not be set up: a setting, not a wait
  EXPECT_FALSE(IsUnreachable(failed(2059)));  // an authentication plugin that can't be loaded
  EXPECT_FALSE(IsUnreachable(Status(Code::kConnection, "no errno")));
}

TEST(ErrorsTest, LockConflicts) {
  EXPECT_TRUE(IsLockConflict(ServerError(1205)));  // lock wait timeout (also MariaDB's NOWAIT)
  EXPECT_TRUE(IsLockConflict(ServerError(1213)));  // deadlock
  EXPECT_TRUE(IsLockConflict(ServerError(3572)));  // MySQL NOWAIT
  EXPECT_EQ(errnum::kLockWaitTimeout, 1205u);
  EXPECT_EQ(errnum::kDeadlock, 1213u);
  EXPECT_EQ(errnum::kLockNowait, 3572u);
}

TEST(ErrorsTest, OtherErrorsAreNotLockConflicts) {
  for (unsigned e : {0u, 1062u, 1146u, 1317u, 1264u, 2013u}) {
    EXPECT_FALSE(IsLockConflict(ServerError(e))) << e;
  }
  EXPECT_FALSE(IsLockConflict(Status::Ok()));
  EXPECT_FALSE(IsLockConflict(Status(Code::kConnection, "gone")));
}

TEST(ErrorsTest, DuplicateKey) {
  EXPECT_TRUE(IsDuplicateKey(ServerError(1062)));
  EXPECT_TRUE(IsDuplicateKey(ServerError(1169)));
  EXPECT_FALSE(IsDuplicateKey(ServerError(1213)));
  EXPECT_FALSE(IsDuplicateKey(ServerError(1264)));
  EXPECT_FALSE(IsDuplicateKey(Status::Ok()));
}

TEST(ErrorsTest, DataConversionErrors) {
  for (unsigned e : {1048u, 1264u, 1265u, 1292u, 1366u, 1406u}) {
    EXPECT_TRUE(IsDataConversionError(ServerError(e))) << e;
  }
  // CHECK constraint violations are values the new table refuses too.
  EXPECT_TRUE(IsDataConversionError(ServerError(4025)));  // MariaDB
  EXPECT_TRUE(IsDataConversionError(ServerError(3819)));  // MySQL
}

// MySQL 8.0.13+ functional indexes: a value the index's expression can't hold fails the row.
// mysql-test/r/functional_index.result: "INSERT INTO t1 (f1) VALUES (CAST(1000 AS JSON));
// ERROR 22003: Value is out of range for functional index 'my_functional_index' at row 1", and
// in non-strict mode the same as "Warning 3752 Value is out of range for functional index ...".
TEST(ErrorsTest, MySqlFunctionalIndexValuesAreConversions) {
  EXPECT_TRUE(IsDataConversionError(ServerError(3751)));  // ER_WARN_DATA_TRUNCATED_FUNCTIONAL_INDEX
  EXPECT_TRUE(IsDataConversionError(ServerError(3752)));  // ..._OUT_OF_RANGE_FUNCTIONAL_INDEX
  EXPECT_FALSE(IsLockConflict(ServerError(3752)));
}

TEST(ErrorsTest, OtherErrorsAreNotConversions) {
  for (unsigned e : {0u, 1062u, 1205u, 1213u, 1146u, 1045u, 1317u}) {
    EXPECT_FALSE(IsDataConversionError(ServerError(e))) << e;
  }
}

TEST(ErrorsTest, ConnectionLostIsDecidedByCode) {
  EXPECT_TRUE(IsConnectionLost(Status(Code::kConnection, "Lost connection", 2013)));
  EXPECT_TRUE(IsConnectionLost(Status(Code::kConnection, "could not connect")));
  EXPECT_FALSE(IsConnectionLost(ServerError(1205)));
  EXPECT_FALSE(IsConnectionLost(Status::Ok()));
  EXPECT_FALSE(IsConnectionLost(Status(Code::kInternal, "bug")));
}

TEST(ErrorsTest, ConnectionErrnosOfBothFlavours) {
  EXPECT_EQ(CodeForErrno(2013), Code::kConnection);  // CR_SERVER_LOST
  EXPECT_EQ(CodeForErrno(2006), Code::kConnection);  // CR_SERVER_GONE_ERROR
  EXPECT_EQ(CodeForErrno(1053), Code::kConnection);  // ER_SERVER_SHUTDOWN
  EXPECT_EQ(CodeForErrno(1927), Code::kConnection);  // MariaDB ER_CONNECTION_KILLED
  // MySQL 8.0.24+ ER_CLIENT_INTERACTION_TIMEOUT: "The client was disconnected by the server
  // because of inactivity" (MySQL 8.0 Error Reference, server error 4031).
  EXPECT_EQ(CodeForErrno(4031), Code::kConnection);
  for (unsigned e : {1205u, 1213u, 3572u, 3819u, 1062u, 1146u}) {
    EXPECT_EQ(CodeForErrno(e), Code::kServer) << e;
  }
}

TEST(ErrorsTest, CategoriesAreDisjoint) {
  for (unsigned e : {1205u, 1213u, 3572u, 1062u, 1169u, 1048u, 1264u, 1265u, 1292u, 1366u, 1406u,
                     4025u, 3819u}) {
    const Status s = ServerError(e);
    int n = IsLockConflict(s) + IsDuplicateKey(s) + IsDataConversionError(s) + IsConnectionLost(s);
    EXPECT_EQ(n, 1) << e;
  }
}

}  // namespace
}  // namespace shadowalter
