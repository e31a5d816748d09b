#include "sql/checksum.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "test_tables.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

using namespace test_tables;

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

std::vector<std::string> Sources(const std::vector<ColumnPair>& p) {
  std::vector<std::string> out;
  for (const auto& c : p) out.push_back(c.source);
  return out;
}
using Names = std::vector<std::string>;

// One column `c` (plus the key `id`) changed from `from` to `to`.
struct OneChange {
  TableInfo source, shadow;
  std::vector<ColumnPair> pairs;
  CopySpec spec;
};
OneChange Change(const Column& from, const Column& to) {
  OneChange o;
  o.source = Table("s", "t", {Col("id", "int"), from}, {Primary({"id"})});
  o.shadow = Table("s", "_t_new", {Col("id", "int"), to}, {Primary({"id"})});
  o.pairs = {{"id", "id"}, {from.name, to.name}};
  o.spec.schema = "s";
  o.spec.table = "t";
  o.spec.shadow_table = "_t_new";
  o.spec.columns = o.pairs;
  o.spec.key = Key("PRIMARY", {Col("id", "int")});
  return o;
}

// The checksum query of either side, for the whole table.
std::string Query(const OneChange& o, bool on_shadow) {
  ChecksumPlan plan = PlanChecksum(o.pairs, o.source, o.shadow);
  return ChecksumQuery(o.spec, plan, o.source, o.shadow, on_shadow, ChunkRange{});
}

// The source side's expression for column `c`: compares it as the new table holds it.
void ExpectSourceExpr(const Column& from, const Column& to, const std::string& expr) {
  OneChange o = Change(from, to);
  ChecksumPlan plan = PlanChecksum(o.pairs, o.source, o.shadow);
  EXPECT_EQ(Sources(plan.compared), (Names{"id", from.name}))
      << from.column_type << " -> " << to.column_type;
  EXPECT_TRUE(plan.skipped.empty());
  const std::string src = Query(o, false);
  const std::string dst = Query(o, true);
  EXPECT_TRUE(Contains(src, "IFNULL(LENGTH(" + expr + "), 'N'), " + expr + ")")) << src;
  // The new table's side reads its column as it is.
  const std::string col = "`" + to.name + "`";
  EXPECT_TRUE(Contains(dst, "IFNULL(LENGTH(" + col + "), 'N'), " + col + ")")) << dst;
}

void ExpectSkipped(const Column& from, const Column& to) {
  OneChange o = Change(from, to);
  ChecksumPlan plan = PlanChecksum(o.pairs, o.source, o.shadow);
  EXPECT_EQ(Sources(plan.compared), (Names{"id"})) << from.column_type << " -> " << to.column_type;
  ASSERT_EQ(plan.skipped.size(), 1u);
  // Names the column and both types.
  EXPECT_EQ(plan.skipped[0].rfind(from.name + " ", 0), 0u) << plan.skipped[0];
  EXPECT_TRUE(Contains(plan.skipped[0], from.column_type)) << plan.skipped[0];
  EXPECT_TRUE(Contains(plan.skipped[0], to.column_type)) << plan.skipped[0];
  // And leaves it out of both queries.
  EXPECT_FALSE(Contains(Query(o, false), "`" + from.name + "`"));
  EXPECT_FALSE(Contains(Query(o, true), "`" + to.name + "`"));
}

// ------------------------------------------------------------------------------- PlanChecksum

TEST(PlanChecksumTest, SameTypeComparedDirectly) {
  ExpectSourceExpr(Col("v", "varchar", "varchar(20)"), Col("v", "varchar", "varchar(20)"), "`v`");
  ExpectSourceExpr(Col("v", "json"), Col("v", "json"), "`v`");
  ExpectSourceExpr(Col("v", "double"), Col("v", "double"), "`v`");
  ExpectSourceExpr(Col("v", "enum", "enum('a','b')"), Col("v", "enum", "enum('a','b')"), "`v`");
}

TEST(PlanChecksumTest, IntToBigintAsSigned) {
  ExpectSourceExpr(Col("n", "int"), Col("n", "bigint"), "CAST(`n` AS SIGNED)");
  ExpectSourceExpr(Col("n", "smallint"), Col("n", "int", "int(11)"), "CAST(`n` AS SIGNED)");
}

TEST(PlanChecksumTest, UnsignedTargetAsUnsigned) {
  ExpectSourceExpr(Col("n", "int", "int unsigned"), Col("n", "bigint", "bigint unsigned"),
                   "CAST(`n` AS UNSIGNED)");
}

TEST(PlanChecksumTest, DecimalWidening) {
  OneChange o = Change(Col("p", "decimal", "decimal(10,2)"), Col("p", "decimal", "decimal(12,4)"));
  const std::string src = AsciiLower(Query(o, false));
  EXPECT_TRUE(Contains(src, "cast(`p` as decimal(12,4))")) << src;
  // An integer widened to DECIMAL, unsigned: the modifier is not part of CAST's type.
  OneChange u = Change(Col("p", "int"), Col("p", "decimal", "decimal(14,2) unsigned"));
  const std::string usrc = AsciiLower(Query(u, false));
  EXPECT_TRUE(Contains(usrc, "cast(`p` as decimal(14,2))")) << usrc;
}

TEST(PlanChecksumTest, DatetimeToDatetime6) {
  ExpectSourceExpr(Col("at", "datetime"), Col("at", "datetime", "datetime(6)"),
                   "CAST(`at` AS DATETIME(6))");
  ExpectSourceExpr(Col("at", "timestamp"), Col("at", "timestamp", "timestamp(3)"),
                   "CAST(`at` AS DATETIME(3))");
  ExpectSourceExpr(Col("at", "date"), Col("at", "datetime"), "CAST(`at` AS DATETIME)");
}

// Across TIMESTAMP the original's side is brought into the server's global zone, and the new
// table's side is read as it is: a value the copy shifted by the zone can't compare equal.
TEST(PlanChecksumTest, CrossingTimestampConvertsInTheGlobalZone) {
  ExpectSourceExpr(Col("at", "datetime"), Col("at", "timestamp"),
                   "CAST(COALESCE(CONVERT_TZ(`at`, @@global.time_zone, @@session.time_zone), "
                   "`at`) AS DATETIME)");
  ExpectSourceExpr(Col("at", "timestamp", "timestamp(3)"), Col("at", "datetime", "datetime(3)"),
                   "CAST(COALESCE(CONVERT_TZ(`at`, @@session.time_zone, @@global.time_zone), "
                   "`at`) AS DATETIME(3))");
  ExpectSourceExpr(Col("at", "timestamp"), Col("at", "varchar", "varchar(40)"),
                   "CONVERT(COALESCE(CONVERT_TZ(`at`, @@session.time_zone, @@global.time_zone), "
                   "`at`) USING utf8mb4)");
}

TEST(PlanChecksumTest, VarcharCharsetChangeConverted) {
  ExpectSourceExpr(Col("name", "varchar", "varchar(50)", "latin1_swedish_ci"),
                   Col("name", "varchar", "varchar(50)", "utf8mb4_unicode_ci"),
                   "CONVERT(`name` USING utf8mb4)");
}

TEST(PlanChecksumTest, VarcharWideningConverted) {
  ExpectSourceExpr(Col("name", "varchar", "varchar(50)"), Col("name", "varchar", "varchar(200)"),
                   "CONVERT(`name` USING utf8mb4)");
}

TEST(PlanChecksumTest, NonUtf8mb4TextComparedAsBytes) {
  OneChange o = Change(Col("name", "varchar", "varchar(50)", "utf8mb4_general_ci"),
                       Col("name", "varchar", "varchar(50)", "latin1_swedish_ci"));
  EXPECT_TRUE(Contains(Query(o, false), "CAST(CONVERT(`name` USING latin1) AS BINARY)"))
      << Query(o, false);
  EXPECT_TRUE(Contains(Query(o, true), "CAST(`name` AS BINARY)")) << Query(o, true);
}

TEST(PlanChecksumTest, JsonToTextSkipped) {
  ExpectSkipped(Col("doc", "json"), Col("doc", "text", "longtext"));
}

TEST(PlanChecksumTest, FloatChangesSkipped) {
  ExpectSkipped(Col("f", "float"), Col("f", "double"));
  ExpectSkipped(Col("f", "double"), Col("f", "float"));
  ExpectSkipped(Col("f", "float"), Col("f", "decimal", "decimal(10,2)"));
  ExpectSkipped(Col("f", "float"), Col("f", "varchar", "varchar(30)"));
  ExpectSkipped(Col("f", "decimal", "decimal(10,2)"), Col("f", "double"));
}

TEST(PlanChecksumTest, OtherUnknownChangesSkipped) {
  ExpectSkipped(Col("e", "enum", "enum('a','b')"), Col("e", "enum", "enum('a','b','c')"));
  ExpectSkipped(Col("d", "varchar", "varchar(20)"), Col("d", "date"));
  ExpectSkipped(Col("n", "varchar", "varchar(20)"), Col("n", "int"));
}

// BINARY(n) pads with 0x00 to its length, so a widened BINARY column holds more bytes than the
// original's value: BINARY(4) 'abcd' becomes 'abcd\0\0\0\0' in a BINARY(8). Compared as
// CAST(x AS BINARY) (4 bytes) against the new column (8 bytes), every row would differ and
// verification would stop a correct migration. Either pad the same way (CAST(x AS BINARY(8))) or
// skip the column.
TEST(PlanChecksumTest, BinaryWideningComparesPaddedBytes) {
  OneChange o = Change(Col("b", "binary", "binary(4)"), Col("b", "binary", "binary(8)"));
  ChecksumPlan plan = PlanChecksum(o.pairs, o.source, o.shadow);
  if (Sources(plan.compared) == Names{"id", "b"}) {
    const std::string src = Query(o, false);
    EXPECT_TRUE(Contains(src, "CAST(`b` AS BINARY(8))")) << src;
  } else {
    EXPECT_EQ(plan.skipped.size(), 1u);
  }
}

TEST(PlanChecksumTest, RenamedColumnsAndUnknownColumnsIgnored) {
  TableInfo src = Table("s", "t", {Col("id", "int"), Col("a", "int")}, {Primary({"id"})});
  TableInfo dst = Table("s", "_t_new", {Col("id", "int"), Col("b", "bigint")}, {Primary({"id"})});
  ChecksumPlan plan = PlanChecksum({{"id", "id"}, {"a", "b"}, {"gone", "gone"}}, src, dst);
  ASSERT_EQ(plan.compared.size(), 2u);
  EXPECT_EQ(plan.compared[1].source, "a");
  EXPECT_EQ(plan.compared[1].target, "b");
  EXPECT_TRUE(plan.skipped.empty());
}

// ------------------------------------------------------------------------ ChecksumQuery/RowHash

struct Fixture {
  TableInfo source, shadow;
  CopySpec spec;
  ChecksumPlan plan;
};

// s.t (id INT PK, v VARCHAR) -> s._t_new (order_id INT, unique ux_order; v) after
// CHANGE id order_id.
Fixture Renamed() {
  Fixture f;
  f.source = Table("s", "t", {Col("id", "int"), Nullable(Col("v", "varchar"))}, {Primary({"id"})});
  f.shadow = Table("s", "_t_new", {Col("order_id", "int"), Nullable(Col("v", "varchar"))},
                   {Unique("ux_order", {"order_id"})});
  f.spec.schema = "s";
  f.spec.table = "t";
  f.spec.shadow_table = "_t_new";
  f.spec.columns = {{"id", "order_id"}, {"v", "v"}};
  f.spec.key = Key("PRIMARY", {Col("id", "int")}, {"order_id"}, "ux_order");
  f.plan = PlanChecksum(f.spec.columns, f.source, f.shadow);
  return f;
}

TEST(ChecksumQueryTest, SourceSide) {
  Fixture f = Renamed();
  EXPECT_EQ(
      ChecksumQuery(f.spec, f.plan, f.source, f.shadow, false, {KeyTuple{"10"}, KeyTuple{"20"}}),
      "SELECT COUNT(*), SUM(CAST(CONV(LEFT(SHA2(CONCAT_WS(CHAR(0), "
      "IFNULL(LENGTH(`id`), 'N'), `id`, IFNULL(LENGTH(`v`), 'N'), `v`), 256), 16), 16, 10) "
      "AS UNSIGNED)) FROM `s`.`t` FORCE INDEX (`PRIMARY`) "
      "WHERE (`id` > 10) AND (`id` <= 20)");
}

TEST(ChecksumQueryTest, ShadowSideUsesTheNewNamesAndIndex) {
  Fixture f = Renamed();
  EXPECT_EQ(
      ChecksumQuery(f.spec, f.plan, f.source, f.shadow, true, {KeyTuple{"10"}, KeyTuple{"20"}}),
      "SELECT COUNT(*), SUM(CAST(CONV(LEFT(SHA2(CONCAT_WS(CHAR(0), "
      "IFNULL(LENGTH(`order_id`), 'N'), `order_id`, IFNULL(LENGTH(`v`), 'N'), `v`), 256), "
      "16), 16, 10) AS UNSIGNED)) FROM `s`.`_t_new` "
      "FORCE INDEX (`ux_order`) WHERE (`order_id` > 10) AND (`order_id` <= 20)");
}

// DROP PRIMARY KEY, ADD PRIMARY KEY (v, id): the new table's side is the mirrors of the range's
// original rows, found through its key; listed by the original's key.
Fixture NewPrimaryKey() {
  Fixture f;
  f.source = Table("s", "t", {Col("id", "int"), Col("v", "int")}, {Primary({"id"})});
  f.shadow = Table("s", "_t_new", f.source.columns, {Primary({"v", "id"})});
  f.spec.schema = "s";
  f.spec.table = "t";
  f.spec.shadow_table = "_t_new";
  f.spec.columns = {{"id", "id"}, {"v", "v"}};
  auto key = ChooseChunkKey(f.source, f.shadow, f.spec.columns);
  EXPECT_TRUE(key.ok()) << key.status().message();
  if (key.ok()) f.spec.key = *key;
  f.plan = PlanChecksum(f.spec.columns, f.source, f.shadow);
  return f;
}

TEST(ChecksumQueryTest, RowByRowShadowSideJoinsTheOriginalsRange) {
  Fixture f = NewPrimaryKey();
  const std::string from =
      " FROM `s`.`t` AS o FORCE INDEX (`PRIMARY`) STRAIGHT_JOIN `s`.`_t_new` AS s FORCE INDEX "
      "(`PRIMARY`) ON s.`v` <=> o.`v` AND s.`id` <=> o.`id` WHERE (o.`id` > 10) AND (o.`id` <= "
      "20)";
  EXPECT_EQ(
      ChecksumQuery(f.spec, f.plan, f.source, f.shadow, true, {KeyTuple{"10"}, KeyTuple{"20"}}),
      "SELECT COUNT(*), SUM(CAST(CONV(LEFT(SHA2(CONCAT_WS(CHAR(0), IFNULL(LENGTH(s.`id`), 'N'), "
      "s.`id`, IFNULL(LENGTH(s.`v`), 'N'), s.`v`), 256), 16), 16, 10) AS UNSIGNED))" +
          from);
  EXPECT_EQ(
      RowHashQuery(f.spec, f.plan, f.source, f.shadow, true, {KeyTuple{"10"}, KeyTuple{"20"}}),
      "SELECT o.`id`, CAST(CONV(LEFT(SHA2(CONCAT_WS(CHAR(0), IFNULL(LENGTH(s.`id`), 'N'), "
      "s.`id`, IFNULL(LENGTH(s.`v`), 'N'), s.`v`), 256), 16), 16, 10) AS UNSIGNED)" +
          from + " ORDER BY o.`id`");
  // The original's side is as ever.
  EXPECT_EQ(ChecksumQuery(f.spec, f.plan, f.source, f.shadow, false, {}).find(" AS o"),
            std::string::npos);
  EXPECT_EQ(TableRowsQuery(f.spec, true), "SELECT COUNT(*) FROM `s`.`_t_new`");
  EXPECT_EQ(TableRowsQuery(f.spec, false), "SELECT COUNT(*) FROM `s`.`t`");
}

TEST(ChecksumQueryTest, OpenRanges) {
  Fixture f = Renamed();
  const std::string whole = ChecksumQuery(f.spec, f.plan, f.source, f.shadow, false, ChunkRange{});
  EXPECT_TRUE(Contains(whole, " WHERE 1=1")) << whole;
  const std::string tail =
      ChecksumQuery(f.spec, f.plan, f.source, f.shadow, true, {KeyTuple{"5"}, std::nullopt});
  EXPECT_TRUE(Contains(tail, " WHERE (`order_id` > 5)")) << tail;
  for (const std::string& q : {whole, tail}) {
    EXPECT_TRUE(Contains(q, "COUNT(*)")) << q;
    EXPECT_TRUE(Contains(q, "SUM(")) << q;
    EXPECT_EQ(q.find("SHARE"), std::string::npos) << "non-locking: " << q;
    EXPECT_EQ(q.find("FOR UPDATE"), std::string::npos) << q;
  }
}

size_t Count(const std::string& s, const std::string& part) {
  size_t n = 0;
  for (size_t p = s.find(part); p != std::string::npos; p = s.find(part, p + 1)) ++n;
  return n;
}

TEST(ChecksumQueryTest, BothSidesHashTheSameColumnCount) {
  OneChange o = Change(Col("n", "int"), Col("n", "bigint"));
  const std::string src = Query(o, false), dst = Query(o, true);
  EXPECT_EQ(Count(src, "IFNULL(LENGTH("), 2u);
  EXPECT_EQ(Count(dst, "IFNULL(LENGTH("), 2u);
}

// Every value is preceded by its own length (NULL by 'N'), so the separator inside a value can't
// move a boundary: ('a\0', 'b') and ('a', '\0b') encode differently. The old encoding,
// CONCAT_WS(CHAR(0), a, b, <NULL bitmap>), gave both the same bytes.
TEST(ChecksumQueryTest, EveryValueIsLengthPrefixed) {
  TableInfo src = Table("s", "t",
                        {Col("id", "int"), Nullable(Col("a", "varbinary", "varbinary(8)")),
                         Nullable(Col("b", "varbinary", "varbinary(8)"))},
                        {Primary({"id"})});
  CopySpec spec;
  spec.schema = "s";
  spec.table = "t";
  spec.shadow_table = "_t_new";
  spec.columns = {{"id", "id"}, {"a", "a"}, {"b", "b"}};
  spec.key = Key("PRIMARY", {Col("id", "int")});
  TableInfo dst = src;
  dst.name = "_t_new";
  ChecksumPlan plan = PlanChecksum(spec.columns, src, dst);
  const std::string q = ChecksumQuery(spec, plan, src, dst, false, ChunkRange{});
  EXPECT_TRUE(Contains(q,
                       "CONCAT_WS(CHAR(0), IFNULL(LENGTH(`id`), 'N'), `id`, "
                       "IFNULL(LENGTH(`a`), 'N'), `a`, IFNULL(LENGTH(`b`), 'N'), `b`)"))
      << q;
  EXPECT_EQ(Count(q, "CONCAT_WS("), 1u) << q;
  EXPECT_FALSE(Contains(q, "CRC32")) << q;
  EXPECT_FALSE(Contains(q, "BIT_XOR")) << q;
}

// The checksum of a converted column goes through the same encoding on both sides: the length
// is taken of the converted value, not of the original's.
TEST(ChecksumQueryTest, ConvertedValueIsMeasuredAfterConversion) {
  OneChange o = Change(Col("name", "varchar", "varchar(50)", "latin1_swedish_ci"),
                       Col("name", "varchar", "varchar(50)", "utf8mb4_unicode_ci"));
  const std::string src = Query(o, false);
  EXPECT_TRUE(Contains(src,
                       "IFNULL(LENGTH(CONVERT(`name` USING utf8mb4)), 'N'), "
                       "CONVERT(`name` USING utf8mb4)"))
      << src;
  EXPECT_FALSE(Contains(src, "LENGTH(`name`)")) << src;
}

TEST(RowHashQueryTest, SourceSide) {
  Fixture f = Renamed();
  EXPECT_EQ(
      RowHashQuery(f.spec, f.plan, f.source, f.shadow, false, {KeyTuple{"10"}, KeyTuple{"20"}}),
      "SELECT `id`, CAST(CONV(LEFT(SHA2(CONCAT_WS(CHAR(0), IFNULL(LENGTH(`id`), 'N'), `id`, "
      "IFNULL(LENGTH(`v`), 'N'), `v`), 256), 16), 16, 10) AS UNSIGNED) FROM `s`.`t` "
      "FORCE INDEX (`PRIMARY`) WHERE (`id` > 10) AND (`id` <= 20) ORDER BY `id`");
}

TEST(RowHashQueryTest, ShadowSide) {
  Fixture f = Renamed();
  EXPECT_EQ(RowHashQuery(f.spec, f.plan, f.source, f.shadow, true, {std::nullopt, KeyTuple{"20"}}),
            "SELECT `order_id`, CAST(CONV(LEFT(SHA2(CONCAT_WS(CHAR(0), "
            "IFNULL(LENGTH(`order_id`), 'N'), `order_id`, IFNULL(LENGTH(`v`), 'N'), `v`), 256), "
            "16), 16, 10) AS UNSIGNED) FROM `s`.`_t_new` FORCE INDEX (`ux_order`) "
            "WHERE (`order_id` <= 20) ORDER BY `order_id`");
}

// The per-row hash the narrowing compares is the one the chunk's sum adds up.
TEST(RowHashQueryTest, SameHashAsTheChunkSum) {
  Fixture f = Renamed();
  const std::string rows = RowHashQuery(f.spec, f.plan, f.source, f.shadow, false, ChunkRange{});
  const std::string sum = ChecksumQuery(f.spec, f.plan, f.source, f.shadow, false, ChunkRange{});
  const std::string hash =
      rows.substr(rows.find("CAST("), rows.find(" FROM ") - rows.find("CAST("));
  EXPECT_TRUE(Contains(sum, "SUM(" + hash + ")")) << sum << "\n" << hash;
}

TEST(RowHashQueryTest, CompositeKeyOrdersByAllKeyColumns) {
  Fixture f = Renamed();
  f.source.columns.insert(f.source.columns.begin(), Col("tenant", "varchar"));
  f.shadow.columns.insert(f.shadow.columns.begin(), Col("tenant", "varchar"));
  f.spec.columns.insert(f.spec.columns.begin(), {"tenant", "tenant"});
  f.spec.key = Key("PRIMARY", {Col("tenant", "varchar"), Col("id", "int")}, {"tenant", "order_id"},
                   "ux_order");
  f.plan = PlanChecksum(f.spec.columns, f.source, f.shadow);
  const std::string q =
      RowHashQuery(f.spec, f.plan, f.source, f.shadow, true, {KeyTuple{"a", "1"}, std::nullopt});
  EXPECT_EQ(q.rfind("SELECT `tenant`, `order_id`, CAST(CONV(LEFT(SHA2(", 0), 0u) << q;
  EXPECT_TRUE(Contains(q,
                       " WHERE (`tenant` >= 'a' AND ((`tenant` > 'a') OR (`tenant` = 'a' AND "
                       "`order_id` > 1))) ORDER BY `tenant`, `order_id`"))
      << q;
}

}  // namespace
}  // namespace shadowalter
