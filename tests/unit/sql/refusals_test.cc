#include "sql/refusals.h"

#include <gtest/gtest.h>

#include <string>

namespace shadowalter {
namespace {

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

TEST(RefusalsTest, TheLogIsTransactionalAndStoresBytes) {
  const std::string create = CreateRefusalsTable("shop", "_orders_refused");
  EXPECT_TRUE(Contains(create, "CREATE TABLE `shop`.`_orders_refused`"));
  // InnoDB: a write the application rolls back takes its record with it.
  EXPECT_TRUE(Contains(create, "ENGINE=InnoDB"));
  // Bytes: no character set conversion can fail the handler inside the application's write.
  EXPECT_TRUE(Contains(create, "message BLOB"));
  EXPECT_TRUE(Contains(create, "row_key BLOB"));
  EXPECT_TRUE(Contains(create, "covered TINYINT NOT NULL DEFAULT 0"));
}

TEST(RefusalsTest, RecordTakesTheErrorAndEveryKeyColumnAsBytesWithinBounds) {
  const std::string sql = RecordRefusal("s", "_t_refused", "update", "NEW", {"a`b", "c"}, "e", "m");
  EXPECT_EQ(sql,
            "INSERT INTO `s`.`_t_refused` (event, errno, message, row_key) VALUES ('update', e, "
            "LEFT(CAST(m AS BINARY), 1000), LEFT(CONCAT_WS(', ', CAST(QUOTE(NEW.`a``b`) AS "
            "BINARY), CAST(QUOTE(NEW.`c`) AS BINARY)), 3000))");
}

TEST(RefusalsTest, CoveringAndReadingLookOnlyAtUncoveredRecords) {
  EXPECT_EQ(CoverRefusals("s", "r"), "UPDATE `s`.`r` SET covered = 1 WHERE covered = 0");
  EXPECT_EQ(CountUncoveredRefusals("s", "r"), "SELECT COUNT(*) FROM `s`.`r` WHERE covered = 0");
  EXPECT_EQ(FirstUncoveredRefusals("s", "r", 3),
            "SELECT event, errno, message, row_key FROM `s`.`r` WHERE covered = 0 ORDER BY id "
            "LIMIT 3");
}

}  // namespace
}  // namespace shadowalter
