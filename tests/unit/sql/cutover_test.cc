#include "sql/cutover.h"

#include <gtest/gtest.h>

#include "sql/names.h"

namespace shadowalter {
namespace {

Trigger Audit() {
  Trigger t;
  t.name = "orders_ai";
  t.timing = "AFTER";
  t.event = "INSERT";
  t.action_order = 2;
  t.definer = "app@10.0.%";
  t.body = "INSERT INTO audit VALUES (NEW.id, 'caf\xe9')";  // latin1 bytes, passed through
  t.sql_mode = "PIPES_AS_CONCAT,STRICT_TRANS_TABLES";
  t.character_set_client = "latin1";
  t.collation_connection = "latin1_swedish_ci";
  return t;
}

TEST(CutoverTest, LockAndUnlock) {
  EXPECT_EQ(LockTableWrite("shop", "or`ders"), "LOCK TABLES `shop`.`or``ders` WRITE");
  EXPECT_EQ(UnlockTables(), "UNLOCK TABLES");
}

TEST(CutoverTest, CreateTriggerOnKeepsNameDefinerTimingEventAndBody) {
  EXPECT_EQ(CreateTriggerOn("shop", "_orders_new", Audit()),
            "CREATE DEFINER=`app`@`10.0.%` TRIGGER `shop`.`orders_ai` AFTER INSERT ON "
            "`shop`.`_orders_new` FOR EACH ROW INSERT INTO audit VALUES (NEW.id, 'caf\xe9')");
}

TEST(CutoverTest, DefinerSplitsAtTheLastAtAndQuotesBothParts) {
  Trigger t = Audit();
  t.definer = "odd@user`x@localhost";
  EXPECT_EQ(CreateTriggerOn("s", "t", t).rfind("CREATE DEFINER=`odd@user``x`@`localhost` ", 0), 0u);
  t.definer = "some_role";
  EXPECT_EQ(CreateTriggerOn("s", "t", t).rfind("CREATE DEFINER=`some_role` TRIGGER", 0), 0u);
}

TEST(CutoverTest, TriggerContextSetsWhatTheServerRecords) {
  EXPECT_EQ(TriggerContext(Audit()),
            "SET SESSION sql_mode = 'PIPES_AS_CONCAT,STRICT_TRANS_TABLES', character_set_client "
            "= 'latin1', collation_connection = 'latin1_swedish_ci'");
  EXPECT_EQ(RestoreSessionContext("", "utf8mb4", "utf8mb4_general_ci"),
            "SET SESSION sql_mode = '', character_set_client = 'utf8mb4', collation_connection = "
            "'utf8mb4_general_ci'");
}

TEST(CutoverTest, ProcesslistAndKill) {
  EXPECT_EQ(ConnectionStateQuery(42),
            "SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = 42");
  EXPECT_EQ(KillQuery(42), "KILL QUERY 42");
  EXPECT_STREQ(kWaitingForMetadataLock, "Waiting for table metadata lock");
}

TEST(CutoverTest, ScratchTable) {
  EXPECT_EQ(CreateTableLike("shop", "_orders_trg", "_orders_new"),
            "CREATE TABLE `shop`.`_orders_trg` LIKE `shop`.`_orders_new`");
}

TEST(CutoverTest, ScratchNamesFitAndDiffer) {
  EXPECT_EQ(NamesFor("orders").trigger_check_table, "_orders_trg");
  EXPECT_EQ(TriggerCheckName("orders", 3), "sa_orders_chk3");
  const std::string long_name(64, 'x');
  EXPECT_LE(TriggerCheckName(long_name, 12).size(), 64u);
  EXPECT_NE(TriggerCheckName(long_name, 1), TriggerCheckName(long_name, 2));
  EXPECT_LE(NamesFor(long_name).trigger_check_table.size(), 64u);
}

}  // namespace
}  // namespace shadowalter
