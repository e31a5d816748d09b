#include "check/server_rules.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(ServerVersionProblemTest, AcceptsMariaDb103AndMySql80AndLater) {
  EXPECT_FALSE(ServerVersionProblem(ServerFlavor::kMariaDB, "10.11.19-MariaDB-0+deb12u1-log"));
  EXPECT_FALSE(ServerVersionProblem(ServerFlavor::kMariaDB, "10.3.39-MariaDB"));
  EXPECT_FALSE(ServerVersionProblem(ServerFlavor::kMariaDB, "11.4.2-MariaDB"));
  EXPECT_FALSE(ServerVersionProblem(ServerFlavor::kMySQL, "8.0.36"));
  EXPECT_FALSE(ServerVersionProblem(ServerFlavor::kMySQL, "9.1.0"));
}

TEST(ServerVersionProblemTest, RefusesOlderServersNamingTheMinimum) {
  auto maria = ServerVersionProblem(ServerFlavor::kMariaDB, "10.2.44-MariaDB");
  ASSERT_TRUE(maria.has_value());
  EXPECT_NE(maria->find("needs MariaDB 10.3 or later"), std::string::npos) << *maria;
  auto mysql = ServerVersionProblem(ServerFlavor::kMySQL, "5.7.44-log");
  ASSERT_TRUE(mysql.has_value());
  EXPECT_NE(mysql->find("MySQL 5.7.44-log is too old"), std::string::npos) << *mysql;
  EXPECT_TRUE(ServerVersionProblem(ServerFlavor::kMySQL, "garbage").has_value());
}

TEST(DiskHoldingTest, PicksTheLongestMountPrefix) {
  const std::vector<DiskSpace> disks = {
      {"/", 100}, {"/var", 200}, {"/var/lib/mysql-x", 300}, {"/var/lib/mysql", 400}};
  auto d = DiskHolding(disks, "/var/lib/mysql/");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->path, "/var/lib/mysql");
  EXPECT_EQ(DiskHolding(disks, "/var/lib/mysql-y/")->path, "/var");
  EXPECT_EQ(DiskHolding(disks, "/srv/db/")->path, "/");
  EXPECT_FALSE(DiskHolding({{"/data", 1}}, "/srv/db/").has_value());
}

TEST(BytesNeededForCopyTest, CountsTheBinaryLogToo) {
  EXPECT_EQ(BytesNeededForCopy(1000, false), 1000u);
  EXPECT_EQ(BytesNeededForCopy(1000, true), 2000u);
}

}  // namespace
}  // namespace shadowalter
