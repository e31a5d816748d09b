#include "sql/inspect_queries.h"

#include <gtest/gtest.h>

#include <string>

namespace shadowalter {
namespace {

TEST(InspectQueriesTest, TableQueries) {
  EXPECT_EQ(TableExistsQuery("db", "t"),
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'db' AND "
            "TABLE_NAME = 't'");
  EXPECT_EQ(TableEngineQuery("db", "t"),
            "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'db' AND "
            "TABLE_NAME = 't'");
  EXPECT_EQ(TableSummaryQuery("db", "t"),
            "SELECT ENGINE, TABLE_ROWS, TABLE_TYPE, DATA_LENGTH + INDEX_LENGTH FROM "
            "information_schema.TABLES WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 't'");
  EXPECT_EQ(ShowCreateTable("db", "t"), "SHOW CREATE TABLE `db`.`t`");
}

TEST(InspectQueriesTest, HostileNamesStayQuoted) {
  EXPECT_EQ(TableExistsQuery("it's", "a`b"),
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'it''s' AND "
            "TABLE_NAME = 'a`b'");
  EXPECT_EQ(ShowCreateTable("it's", "a`b"), "SHOW CREATE TABLE `it's`.`a``b`");
  EXPECT_EQ(TriggersNamedQuery("db", {"x'); DROP TABLE t; --"}),
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'db' AND "
            "TRIGGER_NAME IN ('x''); DROP TABLE t; --')");
}

// Tables are named by their file names there: only plain names are looked up, '_' escaped in the
// partitions' pattern.
TEST(InspectQueriesTest, InnodbTableIds) {
  EXPECT_EQ(InnodbTableIdsQuery(ServerFlavor::kMariaDB, "shop", "order_items"),
            "SELECT GROUP_CONCAT(TABLE_ID ORDER BY NAME) FROM information_schema.INNODB_SYS_TABLES "
            "WHERE NAME = 'shop/order_items' OR NAME LIKE 'shop/order!_items#P#%' ESCAPE '!'");
  EXPECT_EQ(InnodbTableIdsQuery(ServerFlavor::kMySQL, "shop", "t"),
            "SELECT GROUP_CONCAT(TABLE_ID ORDER BY NAME) FROM information_schema.INNODB_TABLES "
            "WHERE NAME = 'shop/t' OR NAME LIKE 'shop/t#P#%' ESCAPE '!'");
  EXPECT_EQ(InnodbTableIdsQuery(ServerFlavor::kMariaDB, "shop", "t-1"), "");
  EXPECT_EQ(InnodbTableIdsQuery(ServerFlavor::kMariaDB, "my db", "t"), "");
}

TEST(InspectQueriesTest, TriggersCreated) {
  EXPECT_EQ(TriggersCreatedQuery("shop", {"sa_t_ins", "sa_t_upd"}),
            "SELECT GROUP_CONCAT(TRIGGER_NAME, '@', CREATED ORDER BY TRIGGER_NAME) FROM "
            "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'shop' AND TRIGGER_NAME IN "
            "('sa_t_ins', 'sa_t_upd')");
}

TEST(InspectQueriesTest, ColumnsAndIndexes) {
  EXPECT_EQ(ColumnsQuery("db", "t"),
            "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA, COLLATION_NAME, "
            "GENERATION_EXPRESSION, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE "
            "TABLE_SCHEMA = 'db' AND TABLE_NAME = 't' ORDER BY ORDINAL_POSITION");
  EXPECT_EQ(IndexColumnsQuery("db", "t", true),
            "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, EXPRESSION FROM "
            "information_schema.STATISTICS WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 't' ORDER "
            "BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
  EXPECT_EQ(IndexColumnsQuery("db", "t", false),
            "SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, NULL FROM "
            "information_schema.STATISTICS WHERE TABLE_SCHEMA = 'db' AND TABLE_NAME = 't' ORDER "
            "BY INDEX_NAME = 'PRIMARY' DESC, INDEX_NAME, SEQ_IN_INDEX");
}

const char kForeignKeysSelect[] =
    "SELECT rc.CONSTRAINT_NAME, rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.UNIQUE_CONSTRAINT_SCHEMA, "
    "rc.REFERENCED_TABLE_NAME, rc.DELETE_RULE, rc.UPDATE_RULE, k.COLUMN_NAME, "
    "k.REFERENCED_COLUMN_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS rc JOIN "
    "information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = rc.CONSTRAINT_SCHEMA AND "
    "k.CONSTRAINT_NAME = rc.CONSTRAINT_NAME AND k.TABLE_NAME = rc.TABLE_NAME AND "
    "k.REFERENCED_TABLE_NAME IS NOT NULL WHERE ";
const char kForeignKeysOrder[] =
    " ORDER BY rc.CONSTRAINT_SCHEMA, rc.TABLE_NAME, rc.CONSTRAINT_NAME, k.ORDINAL_POSITION";

TEST(InspectQueriesTest, ForeignKeys) {
  EXPECT_EQ(ForeignKeysOfTableQuery("db", "t"),
            std::string(kForeignKeysSelect) +
                "rc.CONSTRAINT_SCHEMA = 'db' AND rc.TABLE_NAME = 't'" + kForeignKeysOrder);
  EXPECT_EQ(ForeignKeysReferencingTableQuery("db", "t"),
            std::string(kForeignKeysSelect) +
                "rc.UNIQUE_CONSTRAINT_SCHEMA = 'db' AND rc.REFERENCED_TABLE_NAME = 't' AND NOT "
                "(rc.CONSTRAINT_SCHEMA = 'db' AND rc.TABLE_NAME = 't')" +
                kForeignKeysOrder);
  EXPECT_EQ(ConstraintsReferencingTableQuery("db", "_t_new"),
            "SELECT CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME FROM "
            "information_schema.REFERENTIAL_CONSTRAINTS WHERE UNIQUE_CONSTRAINT_SCHEMA = 'db' AND "
            "REFERENCED_TABLE_NAME = '_t_new'");
}

TEST(InspectQueriesTest, Triggers) {
  EXPECT_EQ(TableTriggersQuery("db", "t"),
            "SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, DEFINER, "
            "SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION, DATABASE_COLLATION FROM "
            "information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = 'db' AND EVENT_OBJECT_TABLE "
            "= 't' ORDER BY ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER");
  EXPECT_EQ(TriggerPlacesQuery("db", {"a", "b"}),
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, "
            "ACTION_ORDER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'db' AND "
            "TRIGGER_NAME IN ('a', 'b')");
  EXPECT_EQ(TriggersNamedQuery("db", {"a", "b", "c"}),
            "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'db' AND "
            "TRIGGER_NAME IN ('a', 'b', 'c')");
  EXPECT_EQ(TriggerTablesQuery("db", {"i", "u", "d"}),
            "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE "
            "TRIGGER_SCHEMA = 'db' AND TRIGGER_NAME IN ('i', 'u', 'd') ORDER BY TRIGGER_NAME");
  EXPECT_EQ(TriggerDefinitionsQuery("db", {"i", "u", "d"}),
            "SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, HEX(ACTION_STATEMENT) FROM "
            "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'db' AND TRIGGER_NAME IN ('i', "
            "'u', 'd') ORDER BY TRIGGER_NAME");
}

TEST(InspectQueriesTest, TriggerBodyConvertsToAPlainCharsetOnly) {
  EXPECT_EQ(TriggerBodyQuery("db", "t_bi", "latin1"),
            "SELECT HEX(CONVERT(ACTION_STATEMENT USING latin1)) FROM information_schema.TRIGGERS "
            "WHERE TRIGGER_SCHEMA = 'db' AND TRIGGER_NAME = 't_bi'");
  for (const char* odd : {"", "latin1) --", "utf8 mb4"}) {
    EXPECT_EQ(TriggerBodyQuery("db", "t_bi", odd),
              "SELECT HEX(CONVERT(ACTION_STATEMENT USING utf8mb4)) FROM "
              "information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'db' AND TRIGGER_NAME = 't_bi'")
        << odd;
  }
}

}  // namespace
}  // namespace shadowalter
