// information_schema rows recorded from MySQL 8.0 / 8.4 and MariaDB 10.11, fed to the pure code
// that turns them into schema/ structs. Each recorded row names where it comes from:
//   MySQL test suite result files (github.com/mysql/mysql-server, mysql-test/...), the MySQL 8.0
//   Reference Manual, section 28.3.8 "The INFORMATION_SCHEMA COLUMNS Table" (EXTRA lists
//   auto_increment, on update CURRENT_TIMESTAMP, STORED GENERATED / VIRTUAL GENERATED,
//   DEFAULT_GENERATED; GENERATION_EXPRESSION is "empty for nongenerated columns"), and
//   MariaDB 10.11.19 (the sandbox, scripts/sandbox.sh), table `meta`.`kinds` below.
// Where a result file shows a row as SHOW COLUMNS output rather than a COLUMNS row, the COLUMNS
// fields are the same values (DATA_TYPE is the type name of Type, IS_NULLABLE is Null).
#include "inspect/metadata_rows.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sql/column_map.h"
#include "sql/compare.h"

namespace shadowalter {
namespace {

// --- MySQL 8.0 / 8.4: information_schema.COLUMNS -------------------------------------------

// mysql-test/r/default_as_expr.result (8.0.13+), "Test UTF8":
//   SELECT COLUMN_NAME, COLUMN_DEFAULT, DATA_TYPE, EXTRA, GENERATION_EXPRESSION ...
//   i  _utf8mb4\'U+1F9DBâ\'  varchar  DEFAULT_GENERATED  <empty>
// and DESCRIBE t1 in the same test: i varchar(200) YES. The test's tables are
// utf8mb4_0900_ai_ci (its SHOW CREATE TABLE output).
const ColumnRow kMySqlExpressionDefaultUtf8{.column_name = "i",
                                            .data_type = "varchar",
                                            .column_type = "varchar(200)",
                                            .is_nullable = "YES",
                                            .extra = "DEFAULT_GENERATED",
                                            .collation_name = "utf8mb4_0900_ai_ci",
                                            .generation_expression = ""};

// mysql-test/r/default_as_expr.result, CREATE TABLE t1 (id char(36) DEFAULT (uuid())):
//   SHOW COLUMNS FROM t1;  id  char(36)  YES  uuid()  DEFAULT_GENERATED
const ColumnRow kMySqlDefaultUuid{.column_name = "id",
                                  .data_type = "char",
                                  .column_type = "char(36)",
                                  .is_nullable = "YES",
                                  .extra = "DEFAULT_GENERATED",
                                  .collation_name = "utf8mb4_0900_ai_ci",
                                  .generation_expression = ""};

// MySQL 8.4.9, SHOW FULL COLUMNS of `ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP` (a published
// capture of a live server):  ts  timestamp  NULL  YES  CURRENT_TIMESTAMP  DEFAULT_GENERATED.
// Field note 23: the same on 8.0.13+.
const ColumnRow kMySqlDefaultCurrentTimestamp{.column_name = "ts",
                                              .data_type = "timestamp",
                                              .column_type = "timestamp",
                                              .is_nullable = "YES",
                                              .extra = "DEFAULT_GENERATED",
                                              .collation_name = std::nullopt,
                                              .generation_expression = ""};

// MySQL 8.4.9, information_schema.COLUMNS row of mysql.innodb_table_stats.last_update (a
// system table, `last_update timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE
// CURRENT_TIMESTAMP`; published capture of a live server):
//   last_update 3 CURRENT_TIMESTAMP NO timestamp ... NULL NULL timestamp <empty>
//   DEFAULT_GENERATED on update CURRENT_TIMESTAMP
const ColumnRow kMySqlOnUpdate84{.column_name = "last_update",
                                 .data_type = "timestamp",
                                 .column_type = "timestamp",
                                 .is_nullable = "NO",
                                 .extra = "DEFAULT_GENERATED on update CURRENT_TIMESTAMP",
                                 .collation_name = std::nullopt,
                                 .generation_expression = ""};

// MySQL 8.4.9, SHOW FULL COLUMNS of `dt DATETIME DEFAULT CURRENT_TIMESTAMP ON UPDATE
// CURRENT_TIMESTAMP` (same capture):
//   dt  datetime  NULL  YES  CURRENT_TIMESTAMP  DEFAULT_GENERATED on update CURRENT_TIMESTAMP
const ColumnRow kMySqlOnUpdateDatetime84{.column_name = "dt",
                                         .data_type = "datetime",
                                         .column_type = "datetime",
                                         .is_nullable = "YES",
                                         .extra = "DEFAULT_GENERATED on update CURRENT_TIMESTAMP",
                                         .collation_name = std::nullopt,
                                         .generation_expression = ""};

// mysql-test/suite/funcs_1/r/is_columns_mysql.result (an 8.0 release before 8.0.13), the same
// system column before DEFAULT_GENERATED existed:
//   def mysql innodb_table_stats last_update 3 CURRENT_TIMESTAMP NO timestamp ... timestamp
//   <empty> on update CURRENT_TIMESTAMP select,insert,update,references <empty> <empty> NULL
const ColumnRow kMySqlOnUpdateBefore8013{.column_name = "last_update",
                                         .data_type = "timestamp",
                                         .column_type = "timestamp",
                                         .is_nullable = "NO",
                                         .extra = "on update CURRENT_TIMESTAMP",
                                         .collation_name = std::nullopt,
                                         .generation_expression = ""};

// mysql-test/suite/funcs_1/r/is_columns_mysql.result, mysql.engine_cost.default_value:
//   ... float YES ... float <empty> VIRTUAL GENERATED ... (case `cost_name` when
//   _utf8mb4\'io_block_read_cost\' then 1.0 when _utf8mb4\'memory_block_read_cost\' then 0.25
//   else NULL end)  NULL
const ColumnRow kMySqlVirtualGenerated{
    .column_name = "default_value",
    .data_type = "float",
    .column_type = "float",
    .is_nullable = "YES",
    .extra = "VIRTUAL GENERATED",
    .collation_name = std::nullopt,
    .generation_expression =
        "(case `cost_name` when _utf8mb4\\'io_block_read_cost\\' then 1.0 "
        "when _utf8mb4\\'memory_block_read_cost\\' then 0.25 else NULL end)"};

// mysql-test/r/invisible_columns.result (8.0.23+), CREATE TABLE t1 (f1 INT, f2 INT VISIBLE,
// f3 INT INVISIBLE, f4 INT GENERATED ALWAYS AS ((`f1` + `f2`)) VIRTUAL INVISIBLE, f5 INT
// GENERATED ALWAYS AS ((`f1` + `f2`)) STORED INVISIBLE); SHOW COLUMNS FROM t1:
//   f3  int  YES  NULL  INVISIBLE
//   f4  int  YES  NULL  VIRTUAL GENERATED INVISIBLE
//   f5  int  YES  NULL  STORED GENERATED INVISIBLE
// GENERATION_EXPRESSION is the expression inside AS (...) of its SHOW CREATE TABLE.
const ColumnRow kMySqlInvisible{.column_name = "f3",
                                .data_type = "int",
                                .column_type = "int",
                                .is_nullable = "YES",
                                .extra = "INVISIBLE",
                                .collation_name = std::nullopt,
                                .generation_expression = ""};
const ColumnRow kMySqlVirtualInvisible{.column_name = "f4",
                                       .data_type = "int",
                                       .column_type = "int",
                                       .is_nullable = "YES",
                                       .extra = "VIRTUAL GENERATED INVISIBLE",
                                       .collation_name = std::nullopt,
                                       .generation_expression = "(`f1` + `f2`)"};
const ColumnRow kMySqlStoredInvisible{.column_name = "f5",
                                      .data_type = "int",
                                      .column_type = "int",
                                      .is_nullable = "YES",
                                      .extra = "STORED GENERATED INVISIBLE",
                                      .collation_name = std::nullopt,
                                      .generation_expression = "(`f1` + `f2`)"};
// The same file, "Primary Key creation on INVISIBLE column" then SHOW COLUMNS FROM t2 (CREATE
// TABLE t2 LIKE t1):  f1  int  NO  PRI  NULL  INVISIBLE
const ColumnRow kMySqlInvisiblePrimaryKey{.column_name = "f1",
                                          .data_type = "int",
                                          .column_type = "int",
                                          .is_nullable = "NO",
                                          .extra = "INVISIBLE",
                                          .collation_name = std::nullopt,
                                          .generation_expression = ""};

// mysql-test/suite/gis/r/ddl.result: `srid_4326 POINT SRID 4326 DEFAULT NULL` is reported by
// ST_GEOMETRY_COLUMNS as  srid_4326  WGS 84  4326  point; the SRID lives in COLUMNS.SRS_ID (manual
// 28.3.8), so COLUMN_TYPE is the bare type, as invisible_columns.result shows for c31 POINT.
const ColumnRow kMySqlSridPoint{.column_name = "srid_4326",
                                .data_type = "point",
                                .column_type = "point",
                                .is_nullable = "YES",
                                .extra = "",
                                .collation_name = std::nullopt,
                                .generation_expression = ""};
// ddl.result, `col2 POINT AS (ST_SRID(col1, 0)) SRID 0`: a generated column with an SRID.
const ColumnRow kMySqlSridGenerated{.column_name = "col2",
                                    .data_type = "point",
                                    .column_type = "point",
                                    .is_nullable = "YES",
                                    .extra = "VIRTUAL GENERATED",
                                    .collation_name = std::nullopt,
                                    .generation_expression = "st_srid(`col1`,0)"};

// mysql-test/r/information_schema_statistics.result: SHOW COLUMNS of `f2 int primary key`:
//   f2  int  NO  PRI  NULL  NULL    (EXTRA NULL: a temporary table)
// and an ordinary AUTO_INCREMENT column (manual 28.3.8: EXTRA auto_increment).
const ColumnRow kMySqlAutoIncrement{.column_name = "id",
                                    .data_type = "int",
                                    .column_type = "int",
                                    .is_nullable = "NO",
                                    .extra = "auto_increment",
                                    .collation_name = std::nullopt,
                                    .generation_expression = ""};

// --- MariaDB 10.11.19: information_schema.COLUMNS (recorded on the sandbox) ------------------
// CREATE TABLE meta.kinds (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
//   created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
//   updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
//   token CHAR(36) DEFAULT (uuid()), a INT NOT NULL, v INT AS (a + 1) VIRTUAL,
//   s INT AS (a * 2) STORED, p INT AS (a * 3) PERSISTENT, hidden INT INVISIBLE,
//   g POINT REF_SYSTEM_ID=4326 NOT NULL, name VARCHAR(20) COLLATE utf8mb4_unicode_ci,
//   UNIQUE KEY uk_a_name (a, name(10)), SPATIAL KEY sp_g (g));
// SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, EXTRA, COLLATION_NAME,
//   GENERATION_EXPRESSION FROM information_schema.COLUMNS ... ORDER BY ORDINAL_POSITION:
const std::vector<ColumnRow> kMariaDbKinds = {
    {"id", "int", "int(11)", "NO", "auto_increment", std::nullopt, std::nullopt},
    {"created_at", "timestamp", "timestamp", "NO", "", std::nullopt, std::nullopt},
    {"updated_at", "timestamp", "timestamp", "NO", "on update current_timestamp()", std::nullopt,
     std::nullopt},
    {"token", "char", "char(36)", "YES", "", "utf8mb4_general_ci", std::nullopt},
    {"a", "int", "int(11)", "NO", "", std::nullopt, std::nullopt},
    {"v", "int", "int(11)", "YES", "VIRTUAL GENERATED", std::nullopt, "`a` + 1"},
    {"s", "int", "int(11)", "YES", "STORED GENERATED", std::nullopt, "`a` * 2"},
    {"p", "int", "int(11)", "YES", "STORED GENERATED", std::nullopt, "`a` * 3"},
    {"hidden", "int", "int(11)", "YES", "INVISIBLE", std::nullopt, std::nullopt},
    {"g", "point", "point", "NO", "", std::nullopt, std::nullopt},
    {"name", "varchar", "varchar(20)", "YES", "", "utf8mb4_unicode_ci", std::nullopt},
};

std::vector<Column> Columns(const std::vector<ColumnRow>& rows) {
  std::vector<Column> out;
  for (const ColumnRow& r : rows) out.push_back(ColumnFromRow(r));
  return out;
}

TEST(ColumnFromRowTest, MySqlDefaultGeneratedIsAnOrdinaryColumn) {
  for (const ColumnRow& row :
       {kMySqlExpressionDefaultUtf8, kMySqlDefaultUuid, kMySqlDefaultCurrentTimestamp,
        kMySqlOnUpdate84, kMySqlOnUpdateDatetime84}) {
    const Column c = ColumnFromRow(row);
    EXPECT_FALSE(c.generated) << row.column_name << " (EXTRA " << row.extra << ")";
    EXPECT_FALSE(c.auto_increment) << row.column_name;
  }
}

// COLUMN_DEFAULT NULL is "no default"; MariaDB's 'NULL' (DEFAULT NULL) and any value or
// expression is a default (MariaDB 10.11's rows for `a INT NOT NULL`, `b INT DEFAULT NULL`,
// `c INT NOT NULL DEFAULT 5`).
TEST(ColumnFromRowTest, ADefaultIsAnyColumnDefaultButSqlNull) {
  ColumnRow row{.column_name = "a",
                .data_type = "int",
                .column_type = "int(11)",
                .is_nullable = "NO",
                .extra = "",
                .collation_name = std::nullopt,
                .generation_expression = std::nullopt,
                .column_default = std::nullopt};
  EXPECT_FALSE(ColumnFromRow(row).has_default);
  row.is_nullable = "YES";
  row.column_default = "NULL";
  EXPECT_TRUE(ColumnFromRow(row).has_default);
  row.is_nullable = "NO";
  row.column_default = "5";
  EXPECT_TRUE(ColumnFromRow(row).has_default);
}

TEST(ColumnFromRowTest, MySqlOnUpdateBefore8013IsAnOrdinaryColumn) {
  const Column c = ColumnFromRow(kMySqlOnUpdateBefore8013);
  EXPECT_FALSE(c.generated);
  EXPECT_FALSE(c.nullable);
  EXPECT_EQ(c.kind, ValueKind::kTemporal);
}

TEST(ColumnFromRowTest, MySqlGeneratedColumnsAreGenerated) {
  for (const ColumnRow& row : {kMySqlVirtualGenerated, kMySqlVirtualInvisible,
                               kMySqlStoredInvisible, kMySqlSridGenerated}) {
    EXPECT_TRUE(ColumnFromRow(row).generated) << row.column_name << " (EXTRA " << row.extra << ")";
  }
}

TEST(ColumnFromRowTest, MySqlInvisibleAndSridColumnsAreOrdinary) {
  const Column invisible = ColumnFromRow(kMySqlInvisible);
  EXPECT_FALSE(invisible.generated);
  EXPECT_TRUE(invisible.nullable);
  EXPECT_EQ(invisible.kind, ValueKind::kInteger);

  const Column srid = ColumnFromRow(kMySqlSridPoint);
  EXPECT_FALSE(srid.generated);
  EXPECT_EQ(srid.data_type, "point");
  EXPECT_EQ(srid.kind, ValueKind::kOther);  // never a chunk key column
  EXPECT_EQ(srid.collation, "");

  const Column id = ColumnFromRow(kMySqlAutoIncrement);
  EXPECT_TRUE(id.auto_increment);
  EXPECT_FALSE(id.generated);
  EXPECT_FALSE(id.nullable);
}

TEST(ColumnFromRowTest, MySqlFieldsCarryOver) {
  const Column c = ColumnFromRow(kMySqlExpressionDefaultUtf8);
  EXPECT_EQ(c.name, "i");
  EXPECT_EQ(c.data_type, "varchar");
  EXPECT_EQ(c.column_type, "varchar(200)");
  EXPECT_TRUE(c.nullable);
  EXPECT_EQ(c.collation, "utf8mb4_0900_ai_ci");
  EXPECT_EQ(c.kind, ValueKind::kString);
}

TEST(ColumnFromRowTest, MariaDbKinds) {
  const std::vector<Column> cols = Columns(kMariaDbKinds);
  ASSERT_EQ(cols.size(), kMariaDbKinds.size());
  for (const Column& c : cols) {
    const bool generated = c.name == "v" || c.name == "s" || c.name == "p";
    EXPECT_EQ(c.generated, generated) << c.name;
    EXPECT_EQ(c.auto_increment, c.name == "id") << c.name;
  }
  EXPECT_EQ(cols[3].collation, "utf8mb4_general_ci");
  EXPECT_EQ(cols[0].column_type, "int(11)");
  EXPECT_FALSE(cols[4].nullable);
}

// A MySQL table with every column kind, as ColumnFromRow reads it.
TableInfo MySqlKindsTable(const std::string& name) {
  TableInfo t;
  t.schema = "shop";
  t.name = name;
  t.engine = "InnoDB";
  t.columns = Columns({kMySqlAutoIncrement, kMySqlDefaultCurrentTimestamp, kMySqlOnUpdate84,
                       kMySqlDefaultUuid, kMySqlInvisible, kMySqlVirtualInvisible,
                       kMySqlStoredInvisible, kMySqlSridPoint});
  Index primary;
  primary.name = "PRIMARY";
  primary.primary = primary.unique = true;
  primary.columns = {"id"};
  t.indexes = {primary};
  return t;
}

bool HasPair(const std::vector<ColumnPair>& pairs, const std::string& name) {
  for (const ColumnPair& p : pairs) {
    if (p.source == name && p.target == name) return true;
  }
  return false;
}

// DEFAULT_GENERATED and INVISIBLE columns are copied and verified like any other; generated
// columns are neither written nor compared.
TEST(MySqlColumnKindsTest, CopiedAndVerifiedLikeAnyOther) {
  const TableInfo original = MySqlKindsTable("orders");
  const TableInfo shadow = MySqlKindsTable("_orders_new");
  StatusOr<std::vector<ColumnPair>> pairs = MapColumns(original, shadow, AlterAnalysis{});
  ASSERT_TRUE(pairs.ok()) << pairs.status().message();
  for (const char* copied : {"id", "ts", "last_update", "f3", "srid_4326"}) {
    EXPECT_TRUE(HasPair(*pairs, copied)) << copied << " is not copied";
  }
  EXPECT_TRUE(HasPair(*pairs, "id"));
  EXPECT_TRUE(HasPair(*pairs, "f3"));  // INVISIBLE: the copy names it explicitly
  EXPECT_FALSE(HasPair(*pairs, "f4"));
  EXPECT_FALSE(HasPair(*pairs, "f5"));

  const ComparisonPlan plan = PlanComparison(*pairs, original, shadow);
  for (const char* compared : {"ts", "last_update", "f3"}) {
    EXPECT_TRUE(HasPair(plan.compared, compared)) << compared << " is not verified";
  }
}

// The copy's statements name every copied column, so an INVISIBLE column (left out of SELECT *)
// is copied.
TEST(MySqlColumnKindsTest, CopyStatementNamesInvisibleAndDefaultGeneratedColumns) {
  const TableInfo original = MySqlKindsTable("orders");
  const TableInfo shadow = MySqlKindsTable("_orders_new");
  StatusOr<std::vector<ColumnPair>> pairs = MapColumns(original, shadow, AlterAnalysis{});
  ASSERT_TRUE(pairs.ok());
  StatusOr<ChunkKey> key = ChooseChunkKey(original, shadow, *pairs);
  ASSERT_TRUE(key.ok()) << key.status().message();
  const CopySpec spec{"shop", "orders", "_orders_new", *pairs, *key, ServerFlavor::kMySQL};
  const std::string sql = CopyChunk(spec, ChunkRange{{KeyTuple{"0"}}, KeyTuple{"100"}});
  for (const char* column : {"`f3`", "`ts`", "`last_update`", "`id`"}) {
    EXPECT_NE(sql.find(column), std::string::npos) << column << " missing from " << sql;
  }
  EXPECT_EQ(sql.find("`f4`"), std::string::npos) << sql;
}

// An INVISIBLE primary key column is an ordinary chunk key.
TEST(MySqlColumnKindsTest, InvisiblePrimaryKeyIsAChunkKey) {
  TableInfo t;
  t.schema = "test";
  t.name = "t1";
  t.columns = Columns({kMySqlInvisiblePrimaryKey, kMySqlInvisible});
  Index primary;
  primary.name = "PRIMARY";
  primary.primary = primary.unique = true;
  primary.columns = {"f1"};
  t.indexes = {primary};
  StatusOr<std::vector<ColumnPair>> pairs = MapColumns(t, t, AlterAnalysis{});
  ASSERT_TRUE(pairs.ok());
  StatusOr<ChunkKey> key = ChooseChunkKey(t, t, *pairs);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->index_name, "PRIMARY");
  EXPECT_EQ(key->target_names, std::vector<std::string>{"f1"});
}

// --- information_schema.STATISTICS -------------------------------------------------------------

// mysql-test/r/information_schema_statistics.result (MySQL 8.0), SHOW INDEXES FROM t1 of
// CREATE TEMPORARY TABLE t1 (f1 int, f2 int primary key, UNIQUE KEY (f1)):
//   t1 0 PRIMARY 1 f2 A 0 NULL NULL  BTREE   YES NULL
//   t1 0 f1      1 f1 A 0 NULL NULL YES BTREE   YES NULL
const std::vector<StatisticsRow> kMySqlPlainKeys = {
    {"PRIMARY", "0", "f2", std::nullopt, std::nullopt},
    {"f1", "0", "f1", std::nullopt, std::nullopt},
};

// mysql-test/r/functional_index.result (8.0.13+), SELECT * FROM INFORMATION_SCHEMA.STATISTICS
// WHERE INDEX_NAME IN ('int_func_index', 'string_func_index'):
//   def test t1 1 test int_func_index 1 NULL A 1 NULL NULL YES BTREE   YES abs(`int_col`)
//   def test t1 1 test string_func_index 1 NULL A 2 NULL NULL YES BTREE   YES
//   substr(`string_col`,1,2)
const std::vector<StatisticsRow> kMySqlFunctional = {
    {"int_func_index", "1", std::nullopt, std::nullopt, "abs(`int_col`)"},
    {"string_func_index", "1", std::nullopt, std::nullopt, "substr(`string_col`,1,2)"},
};

// functional_index.result, CREATE INDEX idx1 ON t1 (col1, (col1 + col2)); SHOW KEYS FROM t1:
//   t1 1 idx1 1 col1 A 0 NULL NULL YES BTREE   YES NULL
//   t1 1 idx1 2 NULL A 0 NULL NULL YES BTREE   YES (`col1` + `col2`)
const std::vector<StatisticsRow> kMySqlMixed = {
    {"idx1", "1", "col1", std::nullopt, std::nullopt},
    {"idx1", "1", std::nullopt, std::nullopt, "(`col1` + `col2`)"},
};

// The same shapes made UNIQUE (NON_UNIQUE 0), as functional_index.result creates them
// (`UNIQUE INDEX i((a+b))`, `UNIQUE INDEX functional_index ((ABS(col1)))`): the dangerous case.
std::vector<StatisticsRow> Unique(std::vector<StatisticsRow> rows) {
  for (StatisticsRow& r : rows) r.non_unique = "0";
  return rows;
}

// MariaDB 10.11.19, meta.kinds above: SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART
// FROM information_schema.STATISTICS ... (MariaDB's STATISTICS has no EXPRESSION column):
//   PRIMARY 0 id NULL / sp_g 1 g 32 / uk_a_name 0 a NULL / uk_a_name 0 name 10
const std::vector<StatisticsRow> kMariaDbKeys = {
    {"PRIMARY", "0", "id", std::nullopt, std::nullopt},
    {"sp_g", "1", "g", "32", std::nullopt},
    {"uk_a_name", "0", "a", std::nullopt, std::nullopt},
    {"uk_a_name", "0", "name", "10", std::nullopt},
};

TEST(IndexesFromRowsTest, MySqlPlainKeys) {
  const std::vector<Index> idx = IndexesFromRows(kMySqlPlainKeys);
  ASSERT_EQ(idx.size(), 2u);
  EXPECT_TRUE(idx[0].primary);
  EXPECT_TRUE(idx[0].unique);
  EXPECT_EQ(idx[0].columns, std::vector<std::string>{"f2"});
  EXPECT_TRUE(idx[1].unique);
  EXPECT_FALSE(idx[1].primary);
  for (const Index& i : idx) {
    EXPECT_FALSE(i.functional) << i.name;
    EXPECT_TRUE(i.IdentifiesRowsByColumns()) << i.name;
  }
}

TEST(IndexesFromRowsTest, MySqlFunctionalKeyPartsAreMarked) {
  for (const auto& rows :
       {kMySqlFunctional, kMySqlMixed, Unique(kMySqlFunctional), Unique(kMySqlMixed)}) {
    for (const Index& i : IndexesFromRows(rows)) {
      EXPECT_TRUE(i.functional) << i.name;
      EXPECT_FALSE(i.IdentifiesRowsByColumns()) << i.name;
    }
  }
  const std::vector<Index> mixed = IndexesFromRows(kMySqlMixed);
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].columns, (std::vector<std::string>{"col1", ""}));
}

TEST(IndexesFromRowsTest, MariaDbKeys) {
  const std::vector<Index> idx = IndexesFromRows(kMariaDbKeys);
  ASSERT_EQ(idx.size(), 3u);
  EXPECT_EQ(idx[0].name, "PRIMARY");
  EXPECT_TRUE(idx[1].has_prefix);  // MariaDB reports SUB_PART 32 for a SPATIAL key
  EXPECT_FALSE(idx[1].unique);
  EXPECT_EQ(idx[2].columns, (std::vector<std::string>{"a", "name"}));
  EXPECT_TRUE(idx[2].has_prefix);
  EXPECT_FALSE(idx[2].IdentifiesRowsByColumns());
  for (const Index& i : idx) EXPECT_FALSE(i.functional) << i.name;
}

// A NOT NULL column in a UNIQUE functional index: the index does not identify rows by that
// column (two rows may share col1), so it is never the chunk key.
TEST(IndexesFromRowsTest, UniqueFunctionalIndexIsNeverTheChunkKey) {
  TableInfo t;
  t.schema = "test";
  t.name = "t1";
  ColumnRow col1 = kMySqlAutoIncrement;
  col1.column_name = "col1";
  col1.extra = "";
  ColumnRow col2 = col1;
  col2.column_name = "col2";
  t.columns = Columns({col1, col2});
  t.indexes = IndexesFromRows(Unique(kMySqlMixed));
  StatusOr<std::vector<ColumnPair>> pairs = MapColumns(t, t, AlterAnalysis{});
  ASSERT_TRUE(pairs.ok());
  StatusOr<ChunkKey> key = ChooseChunkKey(t, t, *pairs);
  EXPECT_FALSE(key.ok()) << "chose " << key->index_name;

  // With a real unique key beside it, that one is chosen.
  std::vector<StatisticsRow> rows = Unique(kMySqlMixed);
  rows.push_back({"uk_col2", "0", "col2", std::nullopt, std::nullopt});
  t.indexes = IndexesFromRows(rows);
  key = ChooseChunkKey(t, t, *pairs);
  ASSERT_TRUE(key.ok()) << key.status().message();
  EXPECT_EQ(key->index_name, "uk_col2");
}

TEST(FunctionalKeyPartsTest, OnlyMySql8013AndLaterReportExpressions) {
  EXPECT_FALSE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "8.0.12"));
  EXPECT_TRUE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "8.0.13"));
  EXPECT_TRUE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "8.0.36-0ubuntu0.22.04.1"));
  EXPECT_TRUE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "8.4.9"));
  EXPECT_TRUE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "9.1.0"));
  EXPECT_FALSE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "5.7.44-log"));
  EXPECT_FALSE(
      ServerReportsKeyExpressions(ServerFlavor::kMariaDB, "10.11.19-MariaDB-0+deb12u1-log"));
  EXPECT_FALSE(ServerReportsKeyExpressions(ServerFlavor::kMySQL, "garbage"));
}

}  // namespace
}  // namespace shadowalter
