#include "sql/server_queries.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(ServerQueriesTest, ExactText) {
  EXPECT_EQ(ShowGrants(), "SHOW GRANTS");
  EXPECT_EQ(BinlogTrustQuery(),
            "SELECT @@GLOBAL.log_bin, @@GLOBAL.log_bin_trust_function_creators");
  EXPECT_EQ(BinlogFormatQuery(), "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format");
  EXPECT_EQ(DisksQuery(), "SELECT Path, Available FROM information_schema.DISKS");
  EXPECT_EQ(DatadirQuery(), "SELECT @@GLOBAL.datadir, @@GLOBAL.log_bin");
  EXPECT_EQ(AutoincLockModeQuery(), "SELECT @@GLOBAL.innodb_autoinc_lock_mode");
}

}  // namespace
}  // namespace shadowalter
