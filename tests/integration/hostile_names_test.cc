// Hostile names end to end: a schema, a 64-character table, columns, an index, a CHECK constraint
// and a foreign key whose names hold backticks, quotes, semicolons, "--", "/*", a backslash and
// unicode (the longest ones 64 characters, the limit) go through whole migrations, one of them
// under a concurrent writer, and come out with the data and the definition asked for: no
// statement the tool builds breaks out of a name's quoting.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "db/quote.h"
#include "model_writer.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// `core` padded with 'x' to exactly 64 characters.
std::string Max(const std::string& core) { return core + std::string(64 - CodePoints(core), 'x'); }

const std::string kCore = "`; DROP TABLE x; -- '\"☃é/*\\";

class HostileNamesTest : public SandboxTest {
 protected:
  void SetUp() override {
    SandboxTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    schema_h_ = "S" + kCore + schema_.substr(0, 20);
    table_ = Max("T" + kCore);
    parent_ = "P" + kCore;
    c1_ = Max("A" + kCore);
    c1b_ = "A2" + kCore;
    c2_ = "B" + kCore;
    c3_ = "C" + kCore;
    index_ = Max("I" + kCore);
    index2_ = "J" + kCore;
    check_ = Max("K" + kCore);
    fk_ = Max("F" + kCore);
    ASSERT_EQ(CodePoints(table_), 64u);
    admin_ = ConnectPrimary();
    ASSERT_TRUE(admin_);
    Exec(*admin_, "DROP DATABASE IF EXISTS " + QuoteIdentifier(schema_h_));
    Exec(*admin_, "CREATE DATABASE " + QuoteIdentifier(schema_h_) + " CHARACTER SET utf8mb4");
    h_ = ConnectPrimary(schema_h_);
    ASSERT_TRUE(h_);
    const auto q = [](const std::string& n) { return QuoteIdentifier(n); };
    Exec(*h_, "CREATE TABLE " + q(parent_) + " (pid INT NOT NULL PRIMARY KEY)");
    Exec(*h_, "INSERT INTO " + q(parent_) + " SELECT seq FROM seq_0_to_19");
    Exec(*h_, "CREATE TABLE " + q(table_) +
                  " (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, k INT NOT NULL, v VARCHAR(64) "
                  "NOT NULL, " +
                  q(c1_) + " VARCHAR(40) NOT NULL DEFAULT 'd''; --', " + q(c2_) +
                  " INT NOT NULL DEFAULT 7, KEY " + q(index_) + " (" + q(c1_) + "), CONSTRAINT " +
                  q(check_) + " CHECK (" + q(c2_) + " >= 0), CONSTRAINT " + q(fk_) +
                  " FOREIGN KEY (" + q(c2_) + ") REFERENCES " + q(parent_) + " (pid))");
    Exec(*h_, "INSERT INTO " + q(table_) + " (k, v, " + q(c1_) + ", " + q(c2_) +
                  ") SELECT seq, CONCAT('v', seq), CONCAT('h`''\";--', seq, '☃'), seq % 20 FROM "
                  "seq_1_to_2000");
  }
  void TearDown() override {
    if (admin_ && !HasFailure()) {
      (void)admin_->Execute("DROP DATABASE IF EXISTS " + QuoteIdentifier(schema_h_));
    }
    SandboxTest::TearDown();
  }

  RunResult Alter(const std::string& clauses, const std::string& chunk_size) {
    return RunShadowalter({"--alter", clauses, "--execute", "--no-attempt-instant", "--chunk-size",
                           chunk_size, PrimaryDsn(schema_h_, table_)});
  }

  std::vector<std::string> Names(const std::string& sql_tail) {
    return Rows(*h_, sql_tail + " TABLE_SCHEMA = " + QuoteString(schema_h_) +
                         " AND TABLE_NAME = " + QuoteString(table_) + " ORDER BY 1");
  }
  std::vector<std::string> Constraints() {
    return Names("SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE");
  }
  std::vector<std::string> Columns() {
    return Names("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE");
  }
  std::vector<std::string> Indexes() {
    return Names("SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE");
  }
  // Our artifacts in the hostile schema: anything besides the table and its parent.
  std::vector<std::string> Others() {
    std::vector<std::string> out =
        Rows(*h_, "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                      QuoteString(schema_h_) + " AND TABLE_NAME NOT IN (" + QuoteString(table_) +
                      ", " + QuoteString(parent_) + ")");
    for (const std::string& t :
         Rows(*h_, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
                       QuoteString(schema_h_))) {
      out.push_back("trigger " + t);
    }
    return out;
  }

  std::string schema_h_, table_, parent_, c1_, c1b_, c2_, c3_, index_, index2_, check_, fk_;
  std::unique_ptr<Session> admin_, h_;
};

TEST_F(HostileNamesTest, MigrationsKeepDataAndDefinitionWithHostileNames) {
  const auto q = [](const std::string& n) { return QuoteIdentifier(n); };
  const std::string select =
      "SELECT id, k, v, " + q(c1_) + ", " + q(c2_) + " FROM " + q(table_) + " ORDER BY id";
  const std::vector<std::string> before = Rows(*h_, select);
  ASSERT_EQ(before.size(), 2000u);
  const std::vector<std::string> constraints = Constraints();
  ASSERT_EQ(constraints.size(), 3u);  // PRIMARY, the CHECK, the foreign key

  // 1. Rename a column, add one, replace the index: every name hostile.
  RunResult r = Alter("CHANGE COLUMN " + q(c1_) + " " + q(c1b_) +
                          " VARCHAR(50) NOT NULL DEFAULT 'd', ADD COLUMN " + q(c3_) +
                          " INT NULL, DROP INDEX " + q(index_) + ", ADD INDEX " + q(index2_) +
                          " (" + q(c1b_) + ")",
                      "97");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Rows(*h_, "SELECT id, k, v, " + q(c1b_) + ", " + q(c2_) + " FROM " + q(table_) +
                          " ORDER BY id"),
            before);
  std::vector<std::string> columns = {"id", "k", "v", c1b_, c2_, c3_};
  std::sort(columns.begin(), columns.end());
  std::vector<std::string> got_columns = Columns();
  std::sort(got_columns.begin(), got_columns.end());
  EXPECT_EQ(got_columns, columns);
  const std::vector<std::string> indexes = Indexes();
  EXPECT_NE(std::find(indexes.begin(), indexes.end(), index2_), indexes.end());
  EXPECT_EQ(std::find(indexes.begin(), indexes.end(), index_), indexes.end());
  EXPECT_EQ(Constraints(), constraints) << "the CHECK and the foreign key keep their names";
  EXPECT_EQ(Others(), std::vector<std::string>{});
  // The constraints still work.
  Status bad_check = h_->Execute("UPDATE " + q(table_) + " SET " + q(c2_) + " = -1 WHERE id = 1");
  EXPECT_FALSE(bad_check.ok());
  Status bad_fk = h_->Execute("UPDATE " + q(table_) + " SET " + q(c2_) + " = 99 WHERE id = 1");
  EXPECT_FALSE(bad_fk.ok());

  // 2. Again, while an application writes to the table.
  ModelWriter writer(schema_h_, table_, 7);
  writer.LoadModel();
  writer.Start();
  ASSERT_TRUE(WaitUntil([&] { return writer.committed() >= 20; }));
  r = Alter("MODIFY v VARCHAR(80) NOT NULL", "50");
  ASSERT_TRUE(WaitUntil([&] { return writer.committed() >= 40; }));
  writer.Stop();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(writer.failed(), 0u) << writer.last_error();
  EXPECT_EQ(TableRows(*h_, QualifiedName(schema_h_, table_)), writer.model());
  EXPECT_EQ(Scalar(*h_,
                   "SELECT CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE "
                   "TABLE_SCHEMA = " +
                       QuoteString(schema_h_) + " AND TABLE_NAME = " + QuoteString(table_) +
                       " AND COLUMN_NAME = 'v'"),
            "80");
  EXPECT_EQ(Constraints(), constraints);
  EXPECT_EQ(Others(), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
