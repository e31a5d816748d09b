// The plan notes the new table's AUTO-INC lock when the server allocates AUTO_INCREMENT values
// under a table lock (innodb_autoinc_lock_mode below 2, the sandbox's setting), and only then.
#include <gtest/gtest.h>

#include <string>

#include "sandbox.h"

namespace shadowalter::testing {
namespace {

class AutoincNoteTest : public SandboxTest {
 protected:
  RunResult DryRun() {
    return RunShadowalter({"--alter", "ADD COLUMN w INT NULL", "--dry-run", "--no-attempt-instant",
                           PrimaryDsn(schema_, "t")});
  }
};

TEST_F(AutoincNoteTest, NotedForAnAutoIncrementColumnUnderALockingMode) {
  const std::string mode = Scalar(*db_, "SELECT @@GLOBAL.innodb_autoinc_lock_mode");
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v INT)");
  const RunResult r = DryRun();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const bool noted = r.err.find("innodb_autoinc_lock_mode is " + mode) != std::string::npos;
  EXPECT_EQ(noted, mode != "2") << r.err;
}

TEST_F(AutoincNoteTest, NotNotedWithoutAnAutoIncrementColumn) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT)");
  const RunResult r = DryRun();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("innodb_autoinc_lock_mode"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace shadowalter::testing
