#include "sql/triggers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "db/errors.h"
#include "sql/names.h"
#include "test_tables.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

using namespace test_tables;

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

size_t Count(const std::string& s, const std::string& part) {
  size_t n = 0;
  for (size_t p = s.find(part); p != std::string::npos; p = s.find(part, p + part.size())) ++n;
  return n;
}

// Splits `sql` into the backtick-quoted identifiers it holds (unescaped) and the text outside
// them. Fails the test on an unterminated quote.
struct Split {
  std::vector<std::string> identifiers;
  std::string rest;
};
Split SplitQuoted(const std::string& sql) {
  Split out;
  size_t i = 0;
  while (i < sql.size()) {
    if (sql[i] != '`') {
      out.rest += sql[i++];
      continue;
    }
    std::string id;
    ++i;
    bool closed = false;
    while (i < sql.size()) {
      if (sql[i] == '`') {
        if (i + 1 < sql.size() && sql[i + 1] == '`') {
          id += '`';
          i += 2;
          continue;
        }
        ++i;
        closed = true;
        break;
      }
      id += sql[i++];
    }
    EXPECT_TRUE(closed) << "unterminated identifier in " << sql;
    out.identifiers.push_back(id);
    out.rest += " ID ";
  }
  return out;
}

// The handler every INSERT and UPDATE trigger starts with: skip the refused write, record it in
// the refusal log with the error and NEW's key.
std::string Handler(const TriggerSpec& s, const std::string& event) {
  std::vector<std::string> codes, key;
  for (unsigned e : TriggerSkippedErrors()) codes.push_back(std::to_string(e));
  for (const Column& c : s.key.columns)
    key.push_back("CAST(QUOTE(NEW.`" + c.name + "`) AS BINARY)");
  return "DECLARE sa_refused_errno INT UNSIGNED DEFAULT 0; DECLARE sa_refused_message TEXT "
         "CHARACTER SET utf8mb4 DEFAULT ''; DECLARE CONTINUE HANDLER FOR " +
         Join(codes, ", ") +
         " BEGIN GET DIAGNOSTICS CONDITION 1 sa_refused_errno = MYSQL_ERRNO, sa_refused_message "
         "= MESSAGE_TEXT; INSERT INTO `" +
         s.schema + "`.`" + s.refusals_table + "` (event, errno, message, row_key) VALUES ('" +
         event +
         "', sa_refused_errno, LEFT(CAST(sa_refused_message AS BINARY), 1000), "
         "LEFT(CONCAT_WS(', ', " +
         Join(key, ", ") + "), 3000)); END;";
}

// shop.orders (id INT PK, name VARCHAR, qty INT)
TriggerSpec Orders() {
  TriggerSpec s;
  s.schema = "shop";
  s.table = "orders";
  s.shadow_table = "_orders_new";
  s.refusals_table = "_orders_refused";
  s.columns = {{"id", "id"}, {"name", "name"}, {"qty", "qty"}};
  s.key = Key("PRIMARY", {Col("id", "int")});
  return s;
}

// ---------------------------------------------------------------------------------- exact text

TEST(BuildTriggersTest, SingleKeyInsert) {
  EXPECT_EQ(BuildTriggers(Orders()).create_insert,
            "CREATE TRIGGER `shop`.`sa_orders_ins` AFTER INSERT ON `shop`.`orders` FOR EACH ROW "
            "BEGIN " +
                Handler(Orders(), "insert") +
                " INSERT INTO `shop`.`_orders_new` (`id`, `name`, `qty`) "
                "VALUES (NEW.`id`, NEW.`name`, NEW.`qty`); END");
}

TEST(BuildTriggersTest, SingleKeyUpdate) {
  EXPECT_EQ(BuildTriggers(Orders()).create_update,
            "CREATE TRIGGER `shop`.`sa_orders_upd` AFTER UPDATE ON `shop`.`orders` FOR EACH ROW "
            "BEGIN " +
                Handler(Orders(), "update") +
                " "
                "IF OLD.`id` <=> NEW.`id` THEN "
                "INSERT INTO `shop`.`_orders_new` (`id`, `name`, `qty`) "
                "VALUES (NEW.`id`, NEW.`name`, NEW.`qty`) ON DUPLICATE KEY UPDATE "
                "`id` = IF(`id` <=> VALUES(`id`), `id`, NULL), `name` = VALUES(`name`), "
                "`qty` = VALUES(`qty`); "
                "ELSE "
                "UPDATE `shop`.`_orders_new` SET `id` = NEW.`id`, `name` = NEW.`name`, "
                "`qty` = NEW.`qty` WHERE `id` <=> OLD.`id`; "
                "IF ROW_COUNT() = 0 THEN INSERT INTO `shop`.`_orders_new` (`id`, `name`, `qty`) "
                "VALUES (NEW.`id`, NEW.`name`, NEW.`qty`); END IF; "
                "END IF; END");
}

// Rows the triggers insert carry the implicit values of added NOT NULL columns without a
// DEFAULT; an update of a row already there leaves them alone.
TEST(BuildTriggersTest, ImplicitFillsOnInsertOnly) {
  TriggerSpec s = Orders();
  s.fills = {{"added", "''"}};
  const TriggerStatements t = BuildTriggers(s);
  EXPECT_NE(t.create_insert.find("INSERT INTO `shop`.`_orders_new` (`id`, `name`, `qty`, "
                                 "`added`) VALUES (NEW.`id`, NEW.`name`, NEW.`qty`, '')"),
            std::string::npos)
      << t.create_insert;
  EXPECT_NE(t.create_update.find("VALUES (NEW.`id`, NEW.`name`, NEW.`qty`, '') ON DUPLICATE KEY "
                                 "UPDATE `id` = IF(`id` <=> VALUES(`id`), `id`, NULL), `name` = "
                                 "VALUES(`name`), `qty` = VALUES(`qty`); ELSE"),
            std::string::npos)
      << t.create_update;
  EXPECT_EQ(t.create_update.find("`added` = "), std::string::npos) << t.create_update;
}

TEST(BuildTriggersTest, SingleKeyDelete) {
  EXPECT_EQ(BuildTriggers(Orders()).create_delete,
            "CREATE TRIGGER `shop`.`sa_orders_del` AFTER DELETE ON `shop`.`orders` FOR EACH ROW "
            "DELETE FROM `shop`.`_orders_new` WHERE `id` <=> OLD.`id`");
}

// DROP PRIMARY KEY, ADD PRIMARY KEY (id, qty) on Orders(): rows are found by (id, qty), an
// update of qty moves the row, and the upsert's same-row test covers both columns.
TriggerSpec NewPrimaryKey() {
  TriggerSpec s = Orders();
  s.key.shadow_key = {Col("id", "int"), Col("qty", "int")};
  s.key.match = {{Col("id", "int"), Col("id", "int")}, {Col("qty", "int"), Col("qty", "int")}};
  return s;
}

TEST(BuildTriggersTest, NewPrimaryKeyMatchesAndMovesByItsColumns) {
  const TriggerStatements t = BuildTriggers(NewPrimaryKey());
  EXPECT_EQ(t.create_delete,
            "CREATE TRIGGER `shop`.`sa_orders_del` AFTER DELETE ON `shop`.`orders` FOR EACH ROW "
            "DELETE FROM `shop`.`_orders_new` WHERE `id` <=> OLD.`id` AND `qty` <=> OLD.`qty`");
  EXPECT_TRUE(
      Contains(t.create_update, "IF OLD.`id` <=> NEW.`id` AND OLD.`qty` <=> NEW.`qty` THEN"))
      << t.create_update;
  EXPECT_TRUE(Contains(t.create_update,
                       "ON DUPLICATE KEY UPDATE `id` = IF(`id` <=> VALUES(`id`) AND `qty` <=> "
                       "VALUES(`qty`), `id`, NULL), `name` = VALUES(`name`); ELSE"))
      << t.create_update;
  EXPECT_TRUE(Contains(t.create_update,
                       "WHERE `id` <=> OLD.`id` AND `qty` <=> OLD.`qty`; IF "
                       "ROW_COUNT() = 0 THEN"))
      << t.create_update;
}

// utf8mb4_general_ci -> utf8mb4_bin on a text key: never `k` <=> OLD.`k` across two collations
// (error 1267 would fail the application's write); the same-row test compares bytes.
TEST(BuildTriggersTest, ChangedKeyCollationComparesInTheNewTablesTerms) {
  TriggerSpec s = Orders();
  s.columns = {{"code", "code"}, {"qty", "qty"}};
  const Column from = Col("code", "varchar", "varchar(9)", "utf8mb4_general_ci");
  const Column to = Col("code", "varchar", "varchar(9)", "utf8mb4_bin");
  s.key = Key("PRIMARY", {from});
  s.key.shadow_key = {to};
  s.key.match = {{from, to}};
  const TriggerStatements t = BuildTriggers(s);
  const std::string match =
      "`code` <=> CONVERT(OLD.`code` USING utf8mb4) COLLATE utf8mb4_bin AND CAST(`code` AS "
      "BINARY) <=> CAST(CONVERT(OLD.`code` USING utf8mb4) COLLATE utf8mb4_bin AS BINARY)";
  EXPECT_TRUE(Contains(t.create_delete, "WHERE " + match)) << t.create_delete;
  EXPECT_TRUE(Contains(t.create_update, "WHERE " + match + "; IF ROW_COUNT()")) << t.create_update;
  EXPECT_TRUE(Contains(t.create_update,
                       "`code` = IF(CAST(`code` AS BINARY) <=> CAST(VALUES(`code`) AS BINARY), "
                       "`code`, NULL)"))
      << t.create_update;
  EXPECT_FALSE(Contains(t.create_delete, "`code` <=> OLD.`code`")) << t.create_delete;
}

// A column whose type crosses TIMESTAMP is assigned through the zone conversion wherever a
// trigger writes it: the INSERT's values, which the upsert's VALUES() reuse, and the key-changing
// UPDATE's SET list. The other columns are assigned as they are.
TEST(BuildTriggersTest, ColumnCrossingTimestampIsConvertedInEveryWrite) {
  TriggerSpec s = Orders();
  s.columns.push_back({"at", "at", ZoneShift::kIntoTimestamp});
  const TriggerStatements t = BuildTriggers(s);
  const std::string converted =
      "COALESCE(CONVERT_TZ(NEW.`at`, @@global.time_zone, @@session.time_zone), NEW.`at`)";
  const std::string values = "VALUES (NEW.`id`, NEW.`name`, NEW.`qty`, " + converted + ")";
  EXPECT_TRUE(Contains(t.create_insert, values)) << t.create_insert;
  EXPECT_EQ(Count(t.create_update, values), 2u) << t.create_update;
  EXPECT_TRUE(Contains(t.create_update, "`at` = VALUES(`at`)")) << t.create_update;
  EXPECT_TRUE(Contains(t.create_update, "`qty` = NEW.`qty`, `at` = " + converted + " WHERE"))
      << t.create_update;
  // Three writes of `at`, each converted: NEW.`at` appears nowhere else.
  EXPECT_EQ(Count(t.create_update, converted), 3u) << t.create_update;
  EXPECT_EQ(Count(t.create_update, "NEW.`at`"), 6u) << t.create_update;
}

TEST(BuildTriggersTest, TriggerNamesComeFromNamesFor) {
  TriggerSpec s = Orders();
  s.table = std::string(70, 't');
  s.shadow_table = NamesFor(s.table).shadow_table;
  const ArtifactNames n = NamesFor(s.table);
  TriggerStatements t = BuildTriggers(s);
  EXPECT_EQ(
      t.create_insert.rfind("CREATE TRIGGER `shop`.`" + n.insert_trigger + "` AFTER INSERT", 0),
      0u);
  EXPECT_EQ(
      t.create_update.rfind("CREATE TRIGGER `shop`.`" + n.update_trigger + "` AFTER UPDATE", 0),
      0u);
  EXPECT_EQ(
      t.create_delete.rfind("CREATE TRIGGER `shop`.`" + n.delete_trigger + "` AFTER DELETE", 0),
      0u);
}

TEST(DropTriggerStatementTest, IfExistsAndQuoted) {
  EXPECT_EQ(DropTriggerStatement("shop", "sa_orders_ins"),
            "DROP TRIGGER IF EXISTS `shop`.`sa_orders_ins`");
  EXPECT_EQ(DropTriggerStatement("my db", "sa_o`x_del"),
            "DROP TRIGGER IF EXISTS `my db`.`sa_o``x_del`");
}

// ------------------------------------------------------------------------------ skipped errors

TEST(TriggerSkippedErrorsTest, DuplicatesAndConversions) {
  const auto& codes = TriggerSkippedErrors();
  std::set<unsigned> set(codes.begin(), codes.end());
  EXPECT_EQ(set.size(), codes.size()) << "no code twice";
  EXPECT_TRUE(set.count(1062));  // duplicate on a key the ALTER added
  EXPECT_TRUE(set.count(1452));  // a self-referencing new table's parent not copied yet
  EXPECT_FALSE(set.count(1451)) << "a RESTRICT refusal must reach the application";
  // A value the new table's type refuses, however each server words it (JSON and spatial
  // columns the ALTER made included: MySQL 3140, 3144; 1416), and a row no partition takes.
  for (unsigned e : {1048u, 1263u, 1264u, 1265u, 1292u, 1366u, 1406u, 3751u, 3752u,
                     3140u, 3144u, 1416u, 1526u, 1365u, 1690u, 1441u, 1411u, 1300u,
                     1977u, 1958u, 4036u, 4037u, 4038u, 4039u, 4040u, 4078u}) {
    EXPECT_TRUE(set.count(e)) << e;
  }
  // Only refusals of the value; never lock conflicts or anything that means "retry".
  for (unsigned e : codes) {
    Status s(Code::kServer, "x", e);
    EXPECT_TRUE(IsDuplicateKey(s) || IsDataConversionError(s) || e == errnum::kNoReferencedRow)
        << e;
    EXPECT_FALSE(IsLockConflict(s)) << e;
  }
}

TEST(BuildTriggersTest, InsertAndUpdateCarryTheHandlerDeleteNeedsNone) {
  TriggerStatements t = BuildTriggers(Orders());
  EXPECT_EQ(Count(t.create_insert, Handler(Orders(), "insert")), 1u);
  EXPECT_EQ(Count(t.create_update, Handler(Orders(), "update")), 1u);
  // The handler is the first statement of the body, so it covers every statement after it.
  EXPECT_TRUE(Contains(t.create_insert, "FOR EACH ROW BEGIN " + Handler(Orders(), "insert") + " "));
  EXPECT_TRUE(Contains(t.create_update, "FOR EACH ROW BEGIN " + Handler(Orders(), "update") + " "));
  EXPECT_FALSE(Contains(t.create_delete, "HANDLER"));
}

TEST(BuildTriggersTest, TheHandlerRecordsIntoTheRefusalLog) {
  TriggerSpec s = Orders();
  s.key = Key("PRIMARY", {Col("tenant", "char"), Col("day", "datetime"), Col("id", "int")});
  s.refusals_table = "_t_refused";
  const std::string ins = BuildTriggers(s).create_insert;
  EXPECT_TRUE(Contains(ins, "GET DIAGNOSTICS CONDITION 1 sa_refused_errno = MYSQL_ERRNO"));
  EXPECT_TRUE(Contains(ins,
                       "INSERT INTO `shop`.`_t_refused` (event, errno, message, row_key) VALUES "
                       "('insert', sa_refused_errno,"));
  // Every key column, as bytes: no mix of character sets can fail the handler itself.
  EXPECT_TRUE(Contains(ins,
                       "CAST(QUOTE(NEW.`tenant`) AS BINARY), CAST(QUOTE(NEW.`day`) AS "
                       "BINARY), CAST(QUOTE(NEW.`id`) AS BINARY)"));
}

// Inside a trigger an unqualified name is a local variable before it is a column: the handler's
// variables must not take a column's name, or the upsert's `col <=> VALUES(col)` would read them.
TEST(BuildTriggersTest, HandlerVariablesNeverShadowAColumn) {
  TriggerSpec s = Orders();
  s.columns.push_back({"sa_refused_errno", "SA_REFUSED_MESSAGE"});
  const std::string upd = BuildTriggers(s).create_update;
  EXPECT_TRUE(Contains(upd, "DECLARE sa_refused_errno_ INT UNSIGNED"));
  EXPECT_TRUE(Contains(upd, "DECLARE sa_refused_message_ TEXT"));
  EXPECT_FALSE(Contains(upd, "DECLARE sa_refused_errno INT"));
}

// docs/design.md ("How the copy stays correct") promises that a write the new table refuses never
// fails the application's statement.
// An ALTER that adds a CHECK constraint makes the new table refuse values with 4025 (MariaDB,
// ER_CONSTRAINT_FAILED) or 3819 (MySQL, ER_CHECK_CONSTRAINT_VIOLATED); IsDataConversionError
// already counts both as refused values.
TEST(TriggerSkippedErrorsTest, CheckConstraintViolationsAreSkipped) {
  const auto& codes = TriggerSkippedErrors();
  EXPECT_NE(std::find(codes.begin(), codes.end(), 4025u), codes.end());
  EXPECT_NE(std::find(codes.begin(), codes.end(), 3819u), codes.end());
}

TEST(BuildTriggersTest, NeverReplaceOrIgnore) {
  TriggerSpec s = Orders();
  // Identifiers may say anything; the statement text outside them must not.
  s.columns.push_back({"replace", "replace"});
  s.columns.push_back({"ignore", "ignore"});
  TriggerStatements t = BuildTriggers(s);
  for (const std::string& sql : {t.create_insert, t.create_update, t.create_delete}) {
    const std::string rest = AsciiLower(SplitQuoted(sql).rest);
    EXPECT_FALSE(Contains(rest, "replace")) << sql;
    EXPECT_FALSE(Contains(rest, "ignore")) << sql;
    // ON DUPLICATE KEY UPDATE appears only in the update trigger, guarded by the key check.
    if (sql != t.create_update) {
      EXPECT_FALSE(Contains(rest, "on duplicate")) << sql;
    }
  }
}

// ---------------------------------------------------------------------------- composite keys

TriggerSpec Composite() {
  TriggerSpec s;
  s.schema = "s";
  s.table = "t";
  s.shadow_table = "_t_new";
  s.refusals_table = "_t_refused";
  s.columns = {{"tenant", "tenant"}, {"day", "day"}, {"id", "id"}, {"v", "v"}, {"w", "w"}};
  s.key = Key("PRIMARY", {Col("tenant", "varchar"), Col("day", "date"), Col("id", "bigint")});
  return s;
}

TEST(BuildTriggersTest, CompositeKeyUpdate) {
  EXPECT_EQ(
      BuildTriggers(Composite()).create_update,
      "CREATE TRIGGER `s`.`sa_t_upd` AFTER UPDATE ON `s`.`t` FOR EACH ROW "
      "BEGIN " +
          Handler(Composite(), "update") +
          " "
          "IF CAST(OLD.`tenant` AS BINARY) <=> CAST(NEW.`tenant` AS BINARY) "
          "AND OLD.`day` <=> NEW.`day` AND OLD.`id` <=> NEW.`id` THEN "
          "INSERT INTO `s`.`_t_new` (`tenant`, `day`, `id`, `v`, `w`) "
          "VALUES (NEW.`tenant`, NEW.`day`, NEW.`id`, NEW.`v`, NEW.`w`) "
          "ON DUPLICATE KEY UPDATE `tenant` = IF(`tenant` <=> VALUES(`tenant`) AND "
          "`day` <=> VALUES(`day`) AND `id` <=> VALUES(`id`), `tenant`, NULL), "
          "`v` = VALUES(`v`), `w` = VALUES(`w`); "
          "ELSE "
          "UPDATE `s`.`_t_new` SET `tenant` = NEW.`tenant`, `day` = NEW.`day`, `id` = "
          "NEW.`id`, `v` = NEW.`v`, `w` = NEW.`w` "
          "WHERE `tenant` <=> OLD.`tenant` AND `day` <=> OLD.`day` AND `id` <=> OLD.`id`; "
          "IF ROW_COUNT() = 0 THEN INSERT INTO `s`.`_t_new` (`tenant`, `day`, `id`, `v`, `w`) "
          "VALUES (NEW.`tenant`, NEW.`day`, NEW.`id`, NEW.`v`, NEW.`w`); END IF; "
          "END IF; END");
}

TEST(BuildTriggersTest, CompositeKeyDelete) {
  EXPECT_EQ(BuildTriggers(Composite()).create_delete,
            "CREATE TRIGGER `s`.`sa_t_del` AFTER DELETE ON `s`.`t` FOR EACH ROW "
            "DELETE FROM `s`.`_t_new` "
            "WHERE `tenant` <=> OLD.`tenant` AND `day` <=> OLD.`day` AND `id` <=> OLD.`id`");
}

TEST(BuildTriggersTest, OnlyTextKeyColumnsAreComparedAsBytes) {
  TriggerSpec s = Composite();
  s.key = Key("PRIMARY", {Col("tenant", "char"), Col("day", "datetime"), Col("id", "varbinary"),
                          Col("v", "decimal")});
  const std::string whole = BuildTriggers(s).create_update;
  const std::string upd = whole.substr(whole.find(" END; ") + 6);  // after the handler
  EXPECT_TRUE(Contains(upd, "CAST(OLD.`tenant` AS BINARY) <=> CAST(NEW.`tenant` AS BINARY)"));
  EXPECT_TRUE(Contains(upd, "OLD.`day` <=> NEW.`day`"));
  EXPECT_TRUE(Contains(upd, "OLD.`id` <=> NEW.`id`"));  // already bytes
  EXPECT_TRUE(Contains(upd, "OLD.`v` <=> NEW.`v`"));
  EXPECT_EQ(Count(upd, "AS BINARY"), 2u);
  // Never a plain '=' between OLD and NEW (NULL-unsafe, and collation-aware for text) in the
  // test of whether the key changed.
  const size_t if_at = upd.find("IF ");
  const std::string condition = upd.substr(if_at, upd.find(" THEN") - if_at);
  EXPECT_FALSE(Contains(condition, "` = NEW.`tenant`"));
  EXPECT_FALSE(Contains(condition, "OLD.`tenant` = "));
}

TEST(BuildTriggersTest, AllColumnsInTheKeyLeaveOnlyTheKeyChangeBranch) {
  TriggerSpec s;
  s.schema = "s";
  s.table = "link";
  s.shadow_table = "_link_new";
  s.refusals_table = "_link_refused";
  s.columns = {{"a", "a"}, {"b", "b"}};
  s.key = Key("PRIMARY", {Col("a", "int"), Col("b", "varchar")});
  EXPECT_EQ(
      BuildTriggers(s).create_update,
      "CREATE TRIGGER `s`.`sa_link_upd` AFTER UPDATE ON `s`.`link` FOR EACH ROW "
      "BEGIN " +
          Handler(s, "update") +
          " "
          "IF NOT (OLD.`a` <=> NEW.`a` AND CAST(OLD.`b` AS BINARY) <=> CAST(NEW.`b` AS BINARY)) "
          "THEN "
          "UPDATE `s`.`_link_new` SET `a` = NEW.`a`, `b` = NEW.`b` "
          "WHERE `a` <=> OLD.`a` AND `b` <=> OLD.`b`; "
          "IF ROW_COUNT() = 0 THEN INSERT INTO `s`.`_link_new` (`a`, `b`) VALUES (NEW.`a`, "
          "NEW.`b`); END IF; "
          "END IF; END");
}

// The upsert never moves a row to another key: the only key assignment keeps the key or, when the
// conflicting row has another key (a duplicate on a new unique key), makes it NULL (an error).
// (Only the key-change branch moves a row, and only the row with the old key.)
TEST(BuildTriggersTest, KeyColumnsAreNeverSetInPlace) {
  const std::string upd = BuildTriggers(Composite()).create_update;
  const size_t from = upd.find("ON DUPLICATE KEY UPDATE ");
  const std::string set_list = upd.substr(from, upd.find("; ELSE ") - from);
  EXPECT_TRUE(Contains(set_list, "`tenant` = IF("));
  EXPECT_FALSE(Contains(set_list, "`tenant` = VALUES"));
  EXPECT_FALSE(Contains(set_list, "`day` ="));
  EXPECT_FALSE(Contains(set_list, "`id` ="));
}

// -------------------------------------------------------------------------------- renamed columns

// CHANGE id order_id ..., CHANGE customer client ...: the new table side uses the new names,
// NEW./OLD. the original's.
TriggerSpec Renamed() {
  TriggerSpec s;
  s.schema = "shop";
  s.table = "orders";
  s.shadow_table = "_orders_new";
  s.refusals_table = "_orders_refused";
  s.columns = {{"id", "order_id"}, {"customer", "client"}, {"qty", "qty"}};
  s.key = Key("PRIMARY", {Col("id", "bigint")}, {"order_id"});
  return s;
}

TEST(BuildTriggersTest, RenamedColumnsInsert) {
  const std::string ins = BuildTriggers(Renamed()).create_insert;
  EXPECT_TRUE(Contains(ins,
                       "INSERT INTO `shop`.`_orders_new` (`order_id`, `client`, `qty`) "
                       "VALUES (NEW.`id`, NEW.`customer`, NEW.`qty`);"))
      << ins;
}

TEST(BuildTriggersTest, RenamedColumnsUpdate) {
  EXPECT_EQ(BuildTriggers(Renamed()).create_update,
            "CREATE TRIGGER `shop`.`sa_orders_upd` AFTER UPDATE ON `shop`.`orders` FOR EACH ROW "
            "BEGIN " +
                Handler(Renamed(), "update") +
                " "
                "IF OLD.`id` <=> NEW.`id` THEN "
                "INSERT INTO `shop`.`_orders_new` (`order_id`, `client`, `qty`) "
                "VALUES (NEW.`id`, NEW.`customer`, NEW.`qty`) ON DUPLICATE KEY UPDATE "
                "`order_id` = IF(`order_id` <=> VALUES(`order_id`), `order_id`, NULL), "
                "`client` = VALUES(`client`), `qty` = VALUES(`qty`); "
                "ELSE "
                "UPDATE `shop`.`_orders_new` SET `order_id` = NEW.`id`, `client` = NEW.`customer`, "
                "`qty` = NEW.`qty` WHERE `order_id` <=> OLD.`id`; "
                "IF ROW_COUNT() = 0 THEN INSERT INTO `shop`.`_orders_new` (`order_id`, `client`, "
                "`qty`) VALUES (NEW.`id`, NEW.`customer`, NEW.`qty`); END IF; "
                "END IF; END");
}

TEST(BuildTriggersTest, RenamedColumnsDelete) {
  EXPECT_EQ(BuildTriggers(Renamed()).create_delete,
            "CREATE TRIGGER `shop`.`sa_orders_del` AFTER DELETE ON `shop`.`orders` FOR EACH ROW "
            "DELETE FROM `shop`.`_orders_new` WHERE `order_id` <=> OLD.`id`");
}

TEST(BuildTriggersTest, RenamedColumnsNeverCrossSides) {
  TriggerStatements t = BuildTriggers(Renamed());
  for (const std::string& sql : {t.create_insert, t.create_update, t.create_delete}) {
    EXPECT_FALSE(Contains(sql, "NEW.`order_id`")) << sql;
    EXPECT_FALSE(Contains(sql, "OLD.`order_id`")) << sql;
    EXPECT_FALSE(Contains(sql, "NEW.`client`")) << sql;
    EXPECT_FALSE(Contains(sql, "WHERE `id`")) << sql;  // the new table has no `id`
    EXPECT_FALSE(Contains(sql, "AND `id`")) << sql;
    EXPECT_FALSE(Contains(sql, "`customer` =")) << sql;
    EXPECT_FALSE(Contains(sql, "(`id`")) << sql;
  }
}

// ---------------------------------------------------------------------------------- quoting

TEST(BuildTriggersTest, EveryIdentifierIsQuoted) {
  TriggerSpec s;
  s.schema = "my db";
  s.table = "ord`ers";
  s.shadow_table = "_ord`ers_new";
  s.columns = {
      {"i`d", "i`d 2"}, {"näme 1", "näme 1"}, {"😀", "😀"}, {"select", "from"}, {"NEW.x", "OLD.y"}};
  s.key = Key("PRIMARY", {Col("i`d", "int"), Col("näme 1", "varchar")}, {"i`d 2", "näme 1"});
  const ArtifactNames n = NamesFor(s.table);
  s.refusals_table = n.refusals_table;
  const std::set<std::string> names = {s.schema,
                                       s.table,
                                       s.shadow_table,
                                       n.refusals_table,
                                       n.insert_trigger,
                                       n.update_trigger,
                                       n.delete_trigger,
                                       "i`d",
                                       "i`d 2",
                                       "näme 1",
                                       "😀",
                                       "select",
                                       "from",
                                       "NEW.x",
                                       "OLD.y"};
  TriggerStatements t = BuildTriggers(s);
  for (const std::string& sql : {t.create_insert, t.create_update, t.create_delete}) {
    Split split = SplitQuoted(sql);
    for (const std::string& id : split.identifiers) {
      EXPECT_TRUE(names.count(id)) << "unexpected identifier `" << id << "` in " << sql;
    }
    // Outside the quotes: keywords, NEW./OLD., punctuation and digits only.
    for (const char* raw :
         {"näme", "😀", "select", "from", "i`d", "ord", "my db", "NEW.x", "OLD.y", "`"}) {
      EXPECT_FALSE(Contains(split.rest, raw)) << raw << " unquoted in " << sql;
    }
    EXPECT_TRUE(Contains(sql, "`my db`.`ord``ers`")) << sql;
  }
  EXPECT_TRUE(
      Contains(t.create_insert, "`my db`.`" + n.insert_trigger.substr(0, 6) + "``ers_ins`"));
  EXPECT_TRUE(Contains(t.create_insert,
                       "INSERT INTO `my db`.`_ord``ers_new` "
                       "(`i``d 2`, `näme 1`, `😀`, `from`, `OLD.y`) VALUES "
                       "(NEW.`i``d`, NEW.`näme 1`, NEW.`😀`, NEW.`select`, "
                       "NEW.`NEW.x`)"))
      << t.create_insert;
  EXPECT_TRUE(Contains(t.create_update,
                       "CAST(OLD.`näme 1` AS BINARY) <=> CAST(NEW.`näme 1` AS "
                       "BINARY)"));
  EXPECT_TRUE(Contains(t.create_delete,
                       "WHERE `i``d 2` <=> OLD.`i``d` AND `näme 1` <=> "
                       "OLD.`näme 1`"));
}

}  // namespace
}  // namespace shadowalter

namespace shadowalter {
namespace {

Trigger OwnTrigger(std::string name, std::string timing, std::string event, uint64_t order) {
  Trigger t;
  t.name = std::move(name);
  t.timing = std::move(timing);
  t.event = std::move(event);
  t.action_order = order;
  return t;
}

TEST(BuildTriggersTest, WithoutOwnTriggersNoFollows) {
  const TriggerStatements t = BuildTriggers(Orders());
  for (const std::string* s : {&t.create_insert, &t.create_update, &t.create_delete}) {
    EXPECT_FALSE(Contains(*s, "FOLLOWS")) << *s;
  }
}

TEST(BuildTriggersTest, MirrorsFollowTheLastOwnAfterTriggerOfTheirEvent) {
  TriggerSpec spec = Orders();
  spec.own_triggers = {
      OwnTrigger("a2", "AFTER", "INSERT", 2), OwnTrigger("a1", "AFTER", "INSERT", 1),
      OwnTrigger("b1", "BEFORE", "INSERT", 1), OwnTrigger("odd`name", "AFTER", "DELETE", 1),
      OwnTrigger("bu", "BEFORE", "UPDATE", 1)};
  const TriggerStatements t = BuildTriggers(spec);
  EXPECT_TRUE(Contains(t.create_insert, " FOR EACH ROW FOLLOWS `a2` BEGIN ")) << t.create_insert;
  EXPECT_TRUE(Contains(t.create_delete, " FOR EACH ROW FOLLOWS `odd``name` DELETE FROM "))
      << t.create_delete;
  // A BEFORE trigger has no place in an AFTER trigger's order.
  EXPECT_FALSE(Contains(t.create_update, "FOLLOWS")) << t.create_update;
}

}  // namespace
}  // namespace shadowalter
