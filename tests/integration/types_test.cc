// Every value survives the copy byte for byte: text with emoji, NULLs, binary bytes that need
// escaping (0x00, 0x5C, 0x27, invalid UTF-8), JSON, fractional temporals, wide DECIMALs, ENUM,
// SET, BIT, FLOAT/DOUBLE, BIGINT UNSIGNED keys near 2^64, and generated columns, which are
// recomputed rather than copied. And names that need quoting: the table, its columns, its key,
// through ADD, RENAME/CHANGE and DROP COLUMN.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "db/quote.h"
#include "sandbox.h"

namespace shadowalter::testing {
namespace {

std::string ShowCreate(Session& s, const std::string& table) {
  auto rows = Rows(s, "SHOW CREATE TABLE " + QuoteIdentifier(table));
  return rows.empty() ? "" : rows[0];
}

std::vector<std::string> ColumnNames(Session& s, const std::string& table) {
  return Rows(s,
              "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
              "DATABASE() AND TABLE_NAME = " +
                  QuoteString(table) + " ORDER BY ORDINAL_POSITION");
}

class ColumnTypesTest : public SandboxTest {
 protected:
  // ----- all types -----
  // One column of each kind (plus latin1 text, DATE, TIME, YEAR, TINYINT), all nullable.
  void CreateTable() {
    Exec(*db_,
         "CREATE TABLE t ("
         " id BIGINT UNSIGNED NOT NULL PRIMARY KEY,"
         " txt VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,"
         " body MEDIUMTEXT NULL,"
         " latin VARCHAR(20) CHARACTER SET latin1 NULL,"
         " bin VARBINARY(40) NULL,"
         " bl BLOB NULL,"
         " js JSON NULL,"
         " dt DATETIME(6) NULL,"
         " ts TIMESTAMP(6) NULL DEFAULT NULL,"
         " d DATE NULL,"
         " tm TIME(3) NULL,"
         " y YEAR NULL,"
         " amount DECIMAL(20,6) NULL,"
         " e ENUM('small','medium','large','x''quote') NULL,"
         " st SET('red','green','blue') NULL,"
         " flags BIT(8) NULL,"
         " f FLOAT NULL,"
         " dbl DOUBLE NULL,"
         " ti TINYINT NULL,"
         " gv INT AS (CHAR_LENGTH(txt)) VIRTUAL,"
         " gs VARCHAR(200) AS (CONCAT(id, ':', COALESCE(txt, '-'))) STORED"
         ") ENGINE=InnoDB");
  }

  // Hand-written edge values, one row per id (7 ids).
  void InsertEdgeRows(const std::vector<std::string>& ids) {
    ASSERT_EQ(ids.size(), 7u);
    Exec(
        *db_,
        "INSERT INTO t (id, txt, body, latin, bin, bl, js, dt, ts, d, tm, y, amount, e, st, flags,"
        " f, dbl, ti) VALUES "
        "(" +
            ids[0] +
            ", 'emoji 😀🎉 and 日本語', REPEAT('long text 🚀 ', 2000), "
            " 'café', X'00', X'005C27FF00', "
            " '{\"a\": [1, 2.5, \"x\\\\\"y\"], \"emoji\": \"😀\", \"nested\": {\"null\": null}}', "
            " '2038-01-18 03:14:07.999999', '2038-01-18 03:14:07.999999', '1000-01-01', "
            " '-838:59:59.000', 1901, -99999999999999.999999, 'x''quote', 'red,blue', b'11111111', "
            " 3.4028234e38, 1.7976931348623157e308, -128),"
            "(" +
            ids[1] +
            ", NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
            " NULL, NULL, NULL, NULL, NULL, NULL, NULL),"
            "(" +
            ids[2] +
            ", '', '', '', X'', X'', 'null', '1000-01-01 00:00:00.000000', "
            " '1970-01-02 00:00:01.000000', '9999-12-31', '838:59:59.999', 2155, 0.000001, "
            " 'small', '', b'00000000', -1.17549435e-38, 2.2250738585072014e-308, 127),"
            "(" +
            ids[3] +
            ", 'O''Brien \\\\ back\\\\slash \"dq\"', 'line1\\nline2\\r\\n\\ttab', "
            " 'x', X'5C', X'27', '[]', '2024-02-29 12:34:56.000001', '2024-02-29 12:34:56.000001', "
            " '2024-02-29', '00:00:00.001', 2024, -0.000001, 'large', 'red,green,blue', "
            "b'01011100', "
            " -0.5, -2.2250738585072014e-308, 0),"
            "(" +
            ids[4] +
            ", 'trailing  ', 'trailing\\t', 'a ', X'00000000', X'C3', "
            " '{\"k\": \"\\\\u0000\"}', '9999-12-31 23:59:59.999999', NULL, NULL, NULL, NULL, "
            " 12345678901234.5, 'medium', 'green', b'00000001', 1.5, 0.1, 1),"
            "(" +
            ids[5] +
            ", 'zero', 'zero', 'zero', X'00', X'00', '0', NULL, NULL, NULL, NULL, "
            " NULL, 0, NULL, NULL, NULL, 0, 0, NULL),"
            "(" +
            ids[6] +
            ", 'one', NULL, NULL, NULL, UNHEX(REPEAT('00FF5C27', 64)), '\"str\"', "
            " NULL, NULL, NULL, NULL, NULL, 1, NULL, NULL, NULL, NULL, NULL, NULL)");
  }

  // Generated rows, id = `id_expr` over seq 1..n: every byte value in the binary columns.
  void InsertGeneratedRows(const std::string& id_expr, int n) {
    Exec(*db_,
         "INSERT INTO t (id, txt, body, latin, bin, bl, js, dt, ts, amount, e, st, flags, f, dbl, "
         "ti)"
         " SELECT " +
             id_expr +
             ", CONCAT('row ', seq, IF(seq % 5 = 0, ' 😀', '')),"
             " IF(seq % 7 = 0, NULL, REPEAT(CHAR(65 + seq % 26), seq % 50)), CHAR(seq % 256 USING "
             "latin1),"
             " UNHEX(LPAD(HEX(seq % 256), 2, '0')), UNHEX(SHA2(seq, 256)),"
             " JSON_OBJECT('seq', seq, 'half', seq / 2, 's', CONCAT('v\\'', seq)),"
             " '2001-01-01 00:00:00' + INTERVAL seq * 1000001 MICROSECOND,"
             " '2001-01-01 00:00:00' + INTERVAL seq * 999999 MICROSECOND,"
             " (CAST(seq AS SIGNED) - 250) * 1234.567891, ELT(1 + seq % 3, 'small', 'medium', "
             "'large'),"
             " MAKE_SET(seq % 8, 'red', 'green', 'blue'), seq % 256, seq / 7, seq / 3, seq % 128"
             " FROM seq_1_to_" +
             std::to_string(n));
  }

  // Every stored value in a form that shows every byte, per row in key order.
  std::vector<std::string> Content(const std::string& table = "t") {
    return Rows(*db_,
                "SELECT id, HEX(txt), HEX(body), HEX(latin), HEX(bin), HEX(bl), HEX(js), "
                "CAST(dt AS CHAR), UNIX_TIMESTAMP(ts), d, tm, y, amount, HEX(e), e + 0, HEX(st), "
                "st + 0, HEX(flags), CAST(f AS DOUBLE), dbl, ti, gv, HEX(gs) FROM " +
                    table + " ORDER BY id");
  }

  // Rows of `a` and `b` (joined on id) whose column `c` differs in any byte, and the rows either
  // side lacks.
  std::string Differences(const std::string& a, const std::string& b, const std::string& c) {
    const bool numeric = c == "f" || c == "dbl";  // compared exactly as numbers
    const std::string cmp =
        numeric ? "x." + c + " <=> y." + c : "BINARY x." + c + " <=> BINARY y." + c;
    return Scalar(*db_, "SELECT COUNT(*) FROM " + a + " x JOIN " + b + " y USING (id) WHERE NOT (" +
                            cmp + ")");
  }

  // ----- names that need quoting -----
  // A table name with a dash, a backtick, a space and a non-ASCII character; columns named by a
  // reserved word, with a space, with a backtick and non-ASCII; a primary key column with a space.
  const std::string table_ = "order-items `x` ☃";

  void CreateQuotedTable() {
    Exec(*db_, "CREATE TABLE " + QuoteIdentifier(table_) +
                   " (`my id` INT NOT NULL PRIMARY KEY, `select` VARCHAR(20) NOT NULL, "
                   "`a b` INT NULL, `c``d` VARCHAR(20) NULL, `ünï` VARCHAR(10) NULL)");
    Exec(*db_, "INSERT INTO " + QuoteIdentifier(table_) +
                   " SELECT seq, CONCAT('sel', seq), IF(seq % 10 = 0, NULL, seq * 3), "
                   "CONCAT('cd''', seq), CONCAT('ü', seq) FROM seq_1_to_1000");
  }

  std::vector<std::string> SelectQuoted(const std::string& columns) {
    return Rows(*db_, "SELECT " + columns + " FROM " + QuoteIdentifier(table_) + " ORDER BY 1");
  }

  RunResult AlterQuoted(const std::string& clauses) {
    return RunShadowalter({"--alter", clauses, "--execute", "--no-attempt-instant", "--chunk-size",
                           "7", PrimaryDsn(schema_, table_)});
  }
};

const std::vector<std::string> kEdgeIds = {"18446744073709551615",
                                           "18446744073709551614",
                                           "18446744073709551613",
                                           "9223372036854775808",
                                           "9223372036854775807",
                                           "0",
                                           "1"};

TEST_F(ColumnTypesTest, EveryValueIsByteIdenticalAfterAddColumn) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_NO_FATAL_FAILURE(InsertEdgeRows(kEdgeIds));
  // Keys just below 2^64 - 1: chunk boundaries there must not lose precision.
  ASSERT_NO_FATAL_FAILURE(InsertGeneratedRows("18446744073709551615 - 10 - seq", 500));
  const auto before = Content();
  ASSERT_EQ(before.size(), 507u);

  RunResult r =
      RunShadowalter({"--alter", "ADD COLUMN added INT NOT NULL DEFAULT 7", "--execute",
                      "--no-attempt-instant", "--chunk-size", "3", PrimaryDsn(schema_, "t")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("copied 507 rows"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos)
      << "verification should compare every column: " << r.err;

  const auto after = Content();
  ASSERT_EQ(after.size(), before.size());
  for (size_t i = 0; i < before.size(); ++i) {
    EXPECT_EQ(after[i], before[i]) << "row " << i << " changed";
  }
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t WHERE added = 7"), "507");

  // Still generated columns, still computed from the copied values (and for new writes).
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = "
                   "DATABASE() AND TABLE_NAME = 't' AND COLUMN_NAME IN ('gv', 'gs') AND "
                   "IS_GENERATED = 'ALWAYS'"),
            "2");
  EXPECT_EQ(Scalar(*db_,
                   "SELECT COUNT(*) FROM t WHERE NOT (gv <=> CHAR_LENGTH(txt)) OR "
                   "BINARY gs <> BINARY CONCAT(id, ':', COALESCE(txt, '-'))"),
            "0");
  Exec(*db_, "UPDATE t SET txt = 'changed 😀' WHERE id = 0");
  EXPECT_EQ(Scalar(*db_, "SELECT CONCAT(gv, '|', gs) FROM t WHERE id = 0"), "9|0:changed 😀");

  const std::string create_after = ShowCreate(*db_, "t");
  EXPECT_NE(create_after.find("`added` int(11) NOT NULL DEFAULT 7"), std::string::npos)
      << create_after;
  EXPECT_NE(create_after.find("`gv` int(11) GENERATED ALWAYS AS (char_length(`txt`)) VIRTUAL"),
            std::string::npos)
      << create_after;
  EXPECT_NE(create_after.find("`gs` varchar(200) GENERATED ALWAYS AS"), std::string::npos)
      << create_after;
  EXPECT_NE(create_after.find(") STORED"), std::string::npos) << create_after;
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

// The same values through the triggers: rows inserted and updated behind the copy's position
// reach the new table by INSERT ... VALUES (NEW.col, ...) and UPDATE ... SET col = NEW.col, not
// by INSERT ... SELECT. With --no-drop-old-table the original is kept, and both tables must
// then hold the same bytes in every column.
TEST_F(ColumnTypesTest, ValuesWrittenThroughTheTriggersArriveExactly) {
  ASSERT_NO_FATAL_FAILURE(CreateTable());
  ASSERT_NO_FATAL_FAILURE(InsertGeneratedRows("1000 + seq", 30000));
  Background bg =
      StartShadowalter({"--alter", "ADD COLUMN added INT NULL", "--execute", "--no-attempt-instant",
                        "--no-drop-old-table", "--chunk-size", "5", PrimaryDsn(schema_, "t")});
  // Wait (bounded) until the copy is past id 6000, then write behind it.
  bool passed = false;
  for (int i = 0; i < 6000 && !passed; ++i) {
    auto rs = db_->Query("SELECT COUNT(*) FROM _t_new WHERE id > 6000");
    passed = rs.ok() && rs->Scalar().value_or("0") != "0";
    if (!passed) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::string triggers =
      "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_SCHEMA = DATABASE() "
      "AND EVENT_OBJECT_TABLE = 't'";
  std::string triggers_during_writes = "not written";
  if (passed) {
    Exec(*db_, "START TRANSACTION");
    InsertEdgeRows({"100", "101", "102", "103", "104", "105", "106"});
    // Updates of copied rows to other edge values, key unchanged.
    Exec(*db_,
         "UPDATE t SET txt = CONCAT('upd 🎉 ', id), bl = UNHEX(SHA2(id, 512)), "
         "bin = X'5C2700', js = JSON_ARRAY(id, 'q\"', NULL), dt = '1999-12-31 23:59:59.5', "
         "ts = NULL, amount = -id / 1000000, e = 'x''quote', st = 'blue,red', flags = 0xAA, "
         "f = -id / 3, dbl = id / 7, latin = 'ÿ' WHERE id BETWEEN 1001 AND 1500");
    // A key-changing update into the copied range.
    Exec(*db_, "UPDATE t SET id = id - 1000 WHERE id BETWEEN 1501 AND 1600");
    Exec(*db_, "DELETE FROM t WHERE id BETWEEN 1601 AND 1700");
    // Our writes hold t's metadata lock until COMMIT: the triggers seen here are the ones that
    // fired for them.
    triggers_during_writes = Scalar(*db_, triggers);
    Exec(*db_, "COMMIT");
  }
  RunResult r = WaitShadowalter(bg);
  ASSERT_TRUE(passed) << "the copy never got past id 6000: " << r.err;
  ASSERT_EQ(triggers_during_writes, "3") << "the writes happened outside the copy";
  ASSERT_EQ(r.exit_code, 0) << r.err;

  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM t"), "29907");
  EXPECT_EQ(Scalar(*db_, "SELECT COUNT(*) FROM _t_old"), "29907");
  for (const char* c :
       {"id", "txt",    "body", "latin", "bin",   "bl", "js",  "dt", "ts", "d", "tm",
        "y",  "amount", "e",    "st",    "flags", "f",  "dbl", "ti", "gv", "gs"}) {
    EXPECT_EQ(Differences("t", "_t_old", c), "0") << "column " << c;
  }
  const auto kept = Content("_t_old");
  const auto now = Content("t");
  EXPECT_TRUE(now == kept) << "the new table differs from the original it replaced";
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{"table _t_old"});
  Exec(*db_, "DROP TABLE _t_old");
}

// ----- names that need quoting -----

TEST_F(ColumnTypesTest, AddColumnToATableWhoseNamesNeedQuoting) {
  ASSERT_NO_FATAL_FAILURE(CreateQuotedTable());
  const auto before = SelectQuoted("`my id`, `select`, `a b`, `c``d`, `ünï`");
  ASSERT_EQ(before.size(), 1000u);

  RunResult r = AlterQuoted("ADD COLUMN `new col` INT NULL");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(SelectQuoted("`my id`, `select`, `a b`, `c``d`, `ünï`") == before);
  EXPECT_EQ(ColumnNames(*db_, table_),
            (std::vector<std::string>{"my id", "select", "a b", "c`d", "ünï", "new col"}));
  // The old table was dropped, the new one carries the name, nothing else is left.
  EXPECT_EQ(Rows(*db_,
                 "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = "
                 "DATABASE()"),
            std::vector<std::string>{table_});
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(ColumnTypesTest, RenameAndChangeColumnMoveTheData) {
  ASSERT_NO_FATAL_FAILURE(CreateQuotedTable());
  const auto before = SelectQuoted("`my id`, `select`, `a b`, `c``d`, `ünï`");

  RunResult r = AlterQuoted(
      "RENAME COLUMN `a b` TO `a  b2`, CHANGE COLUMN `c``d` `e``f` VARCHAR(30) "
      "NULL, CHANGE `select` `from` VARCHAR(20) NOT NULL, "
      "RENAME COLUMN `ünï` TO `ñ`");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ColumnNames(*db_, table_),
            (std::vector<std::string>{"my id", "from", "a  b2", "e`f", "ñ"}));
  // The data is under the new names, unchanged.
  EXPECT_TRUE(SelectQuoted("`my id`, `from`, `a  b2`, `e``f`, `ñ`") == before);
  EXPECT_EQ(
      Scalar(*db_, "SELECT COUNT(*) FROM " + QuoteIdentifier(table_) + " WHERE `a  b2` IS NULL"),
      "100");
  EXPECT_EQ(Scalar(*db_, "SELECT `e``f` FROM " + QuoteIdentifier(table_) + " WHERE `my id` = 42"),
            "cd'42");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(ColumnTypesTest, RenamingTheKeyColumnKeepsRowsMatched) {
  ASSERT_NO_FATAL_FAILURE(CreateQuotedTable());
  const auto before = SelectQuoted("`my id`, `select`, `a b`, `c``d`, `ünï`");

  RunResult r = AlterQuoted("CHANGE COLUMN `my id` `the ``id``` INT NOT NULL");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ColumnNames(*db_, table_),
            (std::vector<std::string>{"the `id`", "select", "a b", "c`d", "ünï"}));
  EXPECT_TRUE(SelectQuoted("`the ``id```, `select`, `a b`, `c``d`, `ünï`") == before);
  EXPECT_EQ(Scalar(*db_,
                   "SELECT GROUP_CONCAT(COLUMN_NAME) FROM information_schema.STATISTICS "
                   "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = 'PRIMARY'"),
            "the `id`");
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

TEST_F(ColumnTypesTest, DroppedColumnIsNotCopied) {
  ASSERT_NO_FATAL_FAILURE(CreateQuotedTable());
  const auto kept = SelectQuoted("`my id`, `a b`, `c``d`, `ünï`");

  RunResult plan =
      RunShadowalter({"--alter", "DROP COLUMN `select`", "--dry-run", PrimaryDsn(schema_, table_)});
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  EXPECT_NE(plan.out.find("dropped: `select`"), std::string::npos) << plan.out;
  EXPECT_EQ(plan.out.find("`select` -> "), std::string::npos) << plan.out;

  RunResult r = AlterQuoted("DROP COLUMN `select`");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ColumnNames(*db_, table_), (std::vector<std::string>{"my id", "a b", "c`d", "ünï"}));
  EXPECT_TRUE(SelectQuoted("`my id`, `a b`, `c``d`, `ünï`") == kept);
  EXPECT_EQ(Leftovers(*db_, schema_), std::vector<std::string>{});
}

}  // namespace
}  // namespace shadowalter::testing
