#include "db/errors.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

Status ServerError(unsigned errnum) { return Status(Code::kServer, "server said no", errnum); }

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

TEST(ErrorsTest, CategoriesAreDisjoint) {
  for (unsigned e : {1205u, 1213u, 3572u, 1062u, 1169u, 1048u, 1264u, 1265u, 1292u, 1366u,
                     1406u, 4025u, 3819u}) {
    const Status s = ServerError(e);
    int n = IsLockConflict(s) + IsDuplicateKey(s) + IsDataConversionError(s) + IsConnectionLost(s);
    EXPECT_EQ(n, 1) << e;
  }
}

}  // namespace
}  // namespace shadowalter
