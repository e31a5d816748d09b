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

TEST(ClassifyEngineTest, OnlyInnoDbIsAllowedInAnyCase) {
  EXPECT_EQ(ClassifyEngine("InnoDB"), EngineKind::kInnoDB);
  EXPECT_EQ(ClassifyEngine("innodb"), EngineKind::kInnoDB);
  for (const char* e : {"ROCKSDB", "RocksDB", "TokuDB", "ndbcluster"}) {
    EXPECT_EQ(ClassifyEngine(e), EngineKind::kOtherTransactional) << e;
  }
  for (const char* e : {"MyISAM", "Aria", "MEMORY", "CSV", "ARCHIVE", "BLACKHOLE", "MRG_MyISAM",
                        "MRG_MYISAM", "FEDERATED", "SEQUENCE", "S3", "SPIDER", "", "NewEngine"}) {
    EXPECT_EQ(ClassifyEngine(e), EngineKind::kNonTransactional) << e;
  }
}

TEST(NewTableEngineProblemTest, NamesTheEngineWhyAndWhatToDo) {
  EXPECT_FALSE(NewTableEngineProblem("InnoDB"));
  auto aria = NewTableEngineProblem("Aria");
  ASSERT_TRUE(aria.has_value());
  EXPECT_EQ(aria->rfind("with the ALTER applied the new table uses the Aria engine, which is not "
                        "transactional: ",
                        0),
            0u)
      << *aria;
  EXPECT_NE(aria->find("writes the application rolls back would stay in it"), std::string::npos);
  EXPECT_NE(aria->find("no deadlock detector sees"), std::string::npos);
  EXPECT_NE(aria->find("keep the table InnoDB (no ENGINE= in --alter)"), std::string::npos);
  auto rocks = NewTableEngineProblem("ROCKSDB");
  ASSERT_TRUE(rocks.has_value());
  EXPECT_NE(rocks->find("the ROCKSDB engine; shadowalter supports InnoDB only"), std::string::npos)
      << *rocks;
  EXPECT_NE(rocks->find("keep the table InnoDB"), std::string::npos);
}

TEST(OriginalEngineProblemTest, SameRuleForTheOriginal) {
  EXPECT_FALSE(OriginalEngineProblem("InnoDB"));
  auto myisam = OriginalEngineProblem("MyISAM");
  ASSERT_TRUE(myisam.has_value());
  EXPECT_EQ(myisam->rfind("the table uses the MyISAM engine, which is not transactional", 0), 0u)
      << *myisam;
  EXPECT_NE(myisam->find("ENGINE=InnoDB"), std::string::npos);
  auto toku = OriginalEngineProblem("TokuDB");
  ASSERT_TRUE(toku.has_value());
  EXPECT_NE(toku->find("the TokuDB engine; shadowalter supports InnoDB only"), std::string::npos);
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
