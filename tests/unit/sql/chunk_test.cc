#include "sql/chunk.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "test_tables.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

using namespace test_tables;
using std::string_literals::operator""s;

// ------------------------------------------------------------------------------------ KeyLiteral

TEST(KeyLiteralTest, IntegersUnquoted) {
  const Column c = Col("id", "int");
  EXPECT_EQ(KeyLiteral(c, "0"), "0");
  EXPECT_EQ(KeyLiteral(c, "42"), "42");
  EXPECT_EQ(KeyLiteral(c, "-7"), "-7");
  EXPECT_EQ(KeyLiteral(Col("y", "year"), "2024"), "2024");
}

TEST(KeyLiteralTest, BigintExtremesStayExact) {
  // Quoted, they would compare as DOUBLE and lose precision.
  EXPECT_EQ(KeyLiteral(Col("id", "bigint", "bigint unsigned"), "18446744073709551615"),
            "18446744073709551615");
  EXPECT_EQ(KeyLiteral(Col("id", "bigint"), "-9223372036854775808"), "-9223372036854775808");
  EXPECT_EQ(KeyLiteral(Col("id", "bigint"), "9007199254740993"), "9007199254740993");
}

TEST(KeyLiteralTest, DecimalsUnquoted) {
  const Column c = Col("price", "decimal", "decimal(10,2)");
  EXPECT_EQ(KeyLiteral(c, "123.45"), "123.45");
  EXPECT_EQ(KeyLiteral(c, "-0.50"), "-0.50");
  EXPECT_EQ(KeyLiteral(c, "7"), "7");
}

TEST(KeyLiteralTest, NonNumericIntegerValueFallsBackToHex) {
  // Never spliced into the SQL text as it is.
  const Column c = Col("id", "int");
  EXPECT_EQ(KeyLiteral(c, "abc"), "X'616263'");
  EXPECT_EQ(KeyLiteral(c, "1; DROP TABLE t"), "X'313B2044524F50205441424C452074'");
  EXPECT_EQ(KeyLiteral(c, "1e5"), "X'316535'");
  EXPECT_EQ(KeyLiteral(c, ""), "X''");
  EXPECT_EQ(KeyLiteral(c, "-"), "X'2D'");
  EXPECT_EQ(KeyLiteral(c, "1.2.3"), "X'312E322E33'");
  EXPECT_EQ(KeyLiteral(c, " 1"), "X'2031'");
  EXPECT_EQ(KeyLiteral(Col("d", "decimal"), "1'"), "X'3127'");
}

TEST(KeyLiteralTest, BinaryAsHex) {
  EXPECT_EQ(KeyLiteral(Col("b", "varbinary"), "ab\x00\xff"s), "X'616200FF'");
  EXPECT_EQ(KeyLiteral(Col("b", "binary"), "123"), "X'313233'");  // digits too: bytes, not numbers
  EXPECT_EQ(KeyLiteral(Col("b", "varbinary"), ""), "X''");
}

TEST(KeyLiteralTest, StringsQuoted) {
  const Column c = Col("name", "varchar");
  EXPECT_EQ(KeyLiteral(c, "abc"), "'abc'");
  EXPECT_EQ(KeyLiteral(c, "123"), "'123'");  // text compares as text
  EXPECT_EQ(KeyLiteral(c, "O'Brien"), "'O''Brien'");
  EXPECT_EQ(KeyLiteral(c, "ünï 😀"), "'ünï 😀'");
  EXPECT_EQ(KeyLiteral(c, "a\\b"), "_utf8mb4 X'615C62'");
  EXPECT_EQ(KeyLiteral(c, ""), "''");
}

TEST(KeyLiteralTest, TemporalQuoted) {
  EXPECT_EQ(KeyLiteral(Col("d", "date"), "2024-02-29"), "'2024-02-29'");
  EXPECT_EQ(KeyLiteral(Col("t", "datetime", "datetime(6)"), "2024-02-29 23:59:59.123456"),
            "'2024-02-29 23:59:59.123456'");
  EXPECT_EQ(KeyLiteral(Col("t", "time"), "-12:00:00"), "'-12:00:00'");
  EXPECT_EQ(KeyLiteral(Col("t", "timestamp"), "2024-01-01 00:00:00"), "'2024-01-01 00:00:00'");
}

// -------------------------------------------------------------------------------- RangePredicate

ChunkKey IntKey(size_t n) {
  std::vector<Column> cols;
  for (size_t i = 0; i < n; ++i) cols.push_back(Col(std::string(1, char('a' + i)), "int"));
  return Key("PRIMARY", cols);
}
std::vector<std::string> KeyNames(size_t n) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back(std::string(1, char('a' + i)));
  return out;
}

TEST(RangePredicateTest, NeitherBound) {
  for (size_t n : {1u, 2u, 3u}) {
    EXPECT_EQ(RangePredicate(IntKey(n), KeyNames(n), ChunkRange{}), "1=1");
  }
}

TEST(RangePredicateTest, SingleColumn) {
  const ChunkKey k = IntKey(1);
  const auto names = KeyNames(1);
  EXPECT_EQ(RangePredicate(k, names, {KeyTuple{"10"}, std::nullopt}), "(`a` > 10)");
  EXPECT_EQ(RangePredicate(k, names, {std::nullopt, KeyTuple{"20"}}), "(`a` <= 20)");
  EXPECT_EQ(RangePredicate(k, names, {KeyTuple{"10"}, KeyTuple{"20"}}),
            "(`a` > 10) AND (`a` <= 20)");
}

TEST(RangePredicateTest, TwoColumns) {
  const ChunkKey k = IntKey(2);
  const auto names = KeyNames(2);
  const std::string after = "`a` >= 1 AND ((`a` > 1) OR (`a` = 1 AND `b` > 2))";
  const std::string through = "`a` <= 5 AND ((`a` < 5) OR (`a` = 5 AND `b` <= 7))";
  EXPECT_EQ(RangePredicate(k, names, {KeyTuple{"1", "2"}, std::nullopt}), "(" + after + ")");
  EXPECT_EQ(RangePredicate(k, names, {std::nullopt, KeyTuple{"5", "7"}}), "(" + through + ")");
  EXPECT_EQ(RangePredicate(k, names, {KeyTuple{"1", "2"}, KeyTuple{"5", "7"}}),
            "(" + after + ") AND (" + through + ")");
}

TEST(RangePredicateTest, ThreeColumns) {
  const ChunkKey k = IntKey(3);
  const auto names = KeyNames(3);
  const std::string after =
      "`a` >= 1 AND ((`a` > 1) OR (`a` = 1 AND `b` > 2) OR (`a` = 1 AND `b` = 2 AND `c` > 3))";
  const std::string through =
      "`a` <= 4 AND ((`a` < 4) OR (`a` = 4 AND `b` < 5) OR (`a` = 4 AND `b` = 5 AND `c` <= 6))";
  EXPECT_EQ(RangePredicate(k, names, {KeyTuple{"1", "2", "3"}, std::nullopt}), "(" + after + ")");
  EXPECT_EQ(RangePredicate(k, names, {std::nullopt, KeyTuple{"4", "5", "6"}}), "(" + through + ")");
  EXPECT_EQ(RangePredicate(k, names, {KeyTuple{"1", "2", "3"}, KeyTuple{"4", "5", "6"}}),
            "(" + after + ") AND (" + through + ")");
}

TEST(RangePredicateTest, LiteralsFollowEachColumnsKind) {
  const ChunkKey k = Key("ux", {Col("tenant", "varchar"), Col("blob", "varbinary"),
                                Col("day", "date"), Col("n", "bigint")});
  EXPECT_EQ(RangePredicate(k, {"tenant", "blob", "day", "n"},
                           {KeyTuple{"it's", "\x01", "2024-01-01", "9"}, std::nullopt}),
            "(`tenant` >= 'it''s' AND ((`tenant` > 'it''s') OR (`tenant` = 'it''s' AND `blob` > "
            "X'01') OR (`tenant` = 'it''s' AND `blob` = X'01' AND `day` > '2024-01-01') OR "
            "(`tenant` = 'it''s' AND `blob` = X'01' AND `day` = '2024-01-01' AND `n` > 9)))");
}

TEST(RangePredicateTest, NamesComeFromTheCaller) {
  // The same key on the new table, where the columns were renamed.
  const ChunkKey k = Key("PRIMARY", {Col("id", "int"), Col("x", "int")}, {"new id", "y`z"});
  EXPECT_EQ(RangePredicate(k, k.target_names, {KeyTuple{"1", "2"}, std::nullopt}),
            "(`new id` >= 1 AND ((`new id` > 1) OR (`new id` = 1 AND `y``z` > 2)))");
}

// --------------------------------------------------------- composite bounds are lexicographic
//
// The expected predicate is built here as a structure -- a leading-column bound AND a disjunction
// of conjunctions of (column op value) -- that is both rendered to SQL text and evaluated in C++.
// The text must equal what RangePredicate builds, and the evaluation must equal the lexicographic
// comparison of tuples for every tuple of a small grid and many bounds. Together: the SQL the
// copy runs selects exactly the keys after `after` and through `through` in index order.

using Tuple = std::vector<int64_t>;

struct Atom {
  size_t col;
  std::string op;  // > >= < <= =
  int64_t value;
};

struct Bound {
  std::optional<Atom> lead;             // none for a one-column key
  std::vector<std::vector<Atom>> disj;  // OR of ANDs
};

// (k0 > v0) OR (k0 = v0 AND k1 > v1) OR ... with `last_op` on the last column.
Bound Lexicographic(const Tuple& v, const std::string& strict_op, const std::string& last_op,
                    const std::string& lead_op) {
  Bound b;
  const size_t n = v.size();
  if (n == 1) {
    b.disj = {{Atom{0, last_op, v[0]}}};
    return b;
  }
  b.lead = Atom{0, lead_op, v[0]};
  for (size_t i = 0; i < n; ++i) {
    std::vector<Atom> conj;
    for (size_t j = 0; j < i; ++j) conj.push_back(Atom{j, "=", v[j]});
    conj.push_back(Atom{i, i + 1 == n ? last_op : strict_op, v[i]});
    b.disj.push_back(conj);
  }
  return b;
}
Bound After(const Tuple& v) { return Lexicographic(v, ">", ">", ">="); }
Bound Through(const Tuple& v) { return Lexicographic(v, "<", "<=", "<="); }

std::string Render(const Atom& a) {
  return "`" + std::string(1, char('a' + a.col)) + "` " + a.op + " " + std::to_string(a.value);
}
std::string Render(const Bound& b) {
  if (!b.lead) return Render(b.disj.at(0).at(0));
  std::vector<std::string> ors;
  for (const auto& conj : b.disj) {
    std::vector<std::string> ands;
    for (const Atom& a : conj) ands.push_back(Render(a));
    ors.push_back("(" + Join(ands, " AND ") + ")");
  }
  return Render(*b.lead) + " AND (" + Join(ors, " OR ") + ")";
}
std::string Render(const std::optional<Bound>& after, const std::optional<Bound>& through) {
  std::vector<std::string> parts;
  if (after) parts.push_back("(" + Render(*after) + ")");
  if (through) parts.push_back("(" + Render(*through) + ")");
  return parts.empty() ? "1=1" : Join(parts, " AND ");
}

bool Eval(const Atom& a, const Tuple& t) {
  const int64_t x = t.at(a.col);
  if (a.op == ">") return x > a.value;
  if (a.op == ">=") return x >= a.value;
  if (a.op == "<") return x < a.value;
  if (a.op == "<=") return x <= a.value;
  if (a.op == "=") return x == a.value;
  ADD_FAILURE() << "operator " << a.op;
  return false;
}
bool Eval(const Bound& b, const Tuple& t) {
  if (b.lead && !Eval(*b.lead, t)) return false;
  return std::any_of(b.disj.begin(), b.disj.end(), [&](const std::vector<Atom>& conj) {
    return std::all_of(conj.begin(), conj.end(), [&](const Atom& a) { return Eval(a, t); });
  });
}

KeyTuple ToKey(const Tuple& t) {
  KeyTuple k;
  for (int64_t x : t) k.push_back(std::to_string(x));
  return k;
}

// Every tuple with n columns whose values are in `values`.
std::vector<Tuple> Grid(size_t n, const std::vector<int64_t>& values) {
  std::vector<Tuple> out = {{}};
  for (size_t i = 0; i < n; ++i) {
    std::vector<Tuple> next;
    for (const Tuple& t : out) {
      for (int64_t v : values) {
        Tuple u = t;
        u.push_back(v);
        next.push_back(u);
      }
    }
    out = next;
  }
  return out;
}

void CheckBounds(size_t n, const Tuple& lo, const Tuple& hi, const std::vector<Tuple>& tuples) {
  const ChunkKey key = IntKey(n);
  const auto names = KeyNames(n);
  const Bound after = After(lo), through = Through(hi);
  // 1. The text is exactly the structure.
  ASSERT_EQ(RangePredicate(key, names, {ToKey(lo), std::nullopt}), Render(after, std::nullopt));
  ASSERT_EQ(RangePredicate(key, names, {std::nullopt, ToKey(hi)}), Render(std::nullopt, through));
  ASSERT_EQ(RangePredicate(key, names, {ToKey(lo), ToKey(hi)}), Render(after, through));
  // 2. The structure is the lexicographic comparison (std::vector compares lexicographically).
  for (const Tuple& t : tuples) {
    ASSERT_EQ(Eval(after, t), t > lo) << "after, n=" << n;
    ASSERT_EQ(Eval(through, t), t <= hi) << "through, n=" << n;
    ASSERT_EQ(Eval(after, t) && Eval(through, t), lo < t && t <= hi);
  }
}

TEST(RangePredicateLexicographicTest, EveryBoundOfASmallGrid) {
  for (size_t n : {1u, 2u, 3u}) {
    // Three values per column are enough for every pattern of <, = and > between key and bound.
    const std::vector<Tuple> tuples =
        Grid(n, n < 3 ? std::vector<int64_t>{-1, 0, 1, 2} : std::vector<int64_t>{-1, 0, 1});
    for (const Tuple& lo : tuples) {
      for (const Tuple& hi : tuples) {
        CheckBounds(n, lo, hi, tuples);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

TEST(RangePredicateLexicographicTest, RandomBounds) {
  std::mt19937 rng(20240229);
  std::uniform_int_distribution<int64_t> value(-3, 3);
  for (size_t n : {2u, 3u}) {
    const std::vector<Tuple> tuples = Grid(n, {-3, -2, -1, 0, 1, 2, 3});
    for (int round = 0; round < 100; ++round) {
      Tuple lo, hi;
      for (size_t i = 0; i < n; ++i) {
        lo.push_back(value(rng));
        hi.push_back(value(rng));
      }
      CheckBounds(n, lo, hi, tuples);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }
}

// Consecutive chunks (after = previous through) partition the table: every key exactly once.
TEST(RangePredicateLexicographicTest, ChunksPartitionTheKeys) {
  std::vector<Tuple> keys = Grid(3, {0, 1, 2});
  std::sort(keys.begin(), keys.end());
  for (size_t step : {1u, 2u, 5u, 7u}) {
    std::vector<int> seen(keys.size(), 0);
    std::optional<Tuple> prev;
    for (size_t end = step - 1;; end += step) {
      const bool last = end >= keys.size() - 1;
      std::optional<Bound> after, through;
      if (prev) after = After(*prev);
      if (!last) through = Through(keys[end]);
      ChunkRange range;
      if (prev) range.after = ToKey(*prev);
      if (!last) range.through = ToKey(keys[end]);
      ASSERT_EQ(RangePredicate(IntKey(3), KeyNames(3), range), Render(after, through));
      for (size_t i = 0; i < keys.size(); ++i) {
        if ((!after || Eval(*after, keys[i])) && (!through || Eval(*through, keys[i]))) ++seen[i];
      }
      if (last) break;
      prev = keys[end];
    }
    for (size_t i = 0; i < keys.size(); ++i)
      EXPECT_EQ(seen[i], 1) << "step " << step << " key " << i;
  }
}

// ----------------------------------------------------------------------------- chunk statements

CopySpec Orders(ServerFlavor flavor = ServerFlavor::kMariaDB) {
  CopySpec s;
  s.schema = "shop";
  s.table = "orders";
  s.shadow_table = "_orders_new";
  s.columns = {{"id", "id"}, {"customer", "customer"}, {"qty", "qty"}};
  s.key = Key("PRIMARY", {Col("id", "bigint")});
  s.flavor = flavor;
  return s;
}

// CHANGE id order_id, CHANGE customer client; the new table's key index is `ux_order`.
CopySpec Renamed() {
  CopySpec s = Orders();
  s.columns = {{"id", "order_id"}, {"customer", "client"}, {"qty", "qty"}};
  s.key = Key("PRIMARY", {Col("id", "bigint")}, {"order_id"}, "ux_order");
  return s;
}

CopySpec Composite(ServerFlavor flavor = ServerFlavor::kMariaDB) {
  CopySpec s;
  s.schema = "s";
  s.table = "t";
  s.shadow_table = "_t_new";
  s.columns = {{"tenant", "tenant"}, {"id", "id"}, {"v", "v"}};
  s.key = Key("ux_tenant_id", {Col("tenant", "varchar"), Col("id", "int")});
  s.flavor = flavor;
  return s;
}

TEST(LockNextChunkTest, MariaDB) {
  EXPECT_EQ(LockNextChunk(Orders(ServerFlavor::kMariaDB), KeyTuple{"100"}, 1000),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) "
            "ORDER BY `id` LIMIT 1 OFFSET 999 LOCK IN SHARE MODE NOWAIT");
}

TEST(LockNextChunkTest, MySQL) {
  EXPECT_EQ(LockNextChunk(Orders(ServerFlavor::kMySQL), KeyTuple{"100"}, 1000),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) "
            "ORDER BY `id` LIMIT 1 OFFSET 999 FOR SHARE NOWAIT");
}

TEST(LockNextChunkTest, FirstChunkStartsAtTheBeginning) {
  EXPECT_EQ(LockNextChunk(Orders(), std::nullopt, 500),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE 1=1 "
            "ORDER BY `id` LIMIT 1 OFFSET 499 LOCK IN SHARE MODE NOWAIT");
}

TEST(LockNextChunkTest, CompositeKey) {
  EXPECT_EQ(LockNextChunk(Composite(ServerFlavor::kMySQL), KeyTuple{"acme", "7"}, 1),
            "SELECT `tenant`, `id` FROM `s`.`t` FORCE INDEX (`ux_tenant_id`) WHERE (`tenant` >= "
            "'acme' AND ((`tenant` > 'acme') OR (`tenant` = 'acme' AND `id` > 7))) "
            "ORDER BY `tenant`, `id` LIMIT 1 OFFSET 0 FOR SHARE NOWAIT");
}

TEST(LockNextChunkTest, UsesTheOriginalsNamesEvenWhenRenamed) {
  const std::string sql = LockNextChunk(Renamed(), KeyTuple{"5"}, 10);
  EXPECT_EQ(sql,
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 5) "
            "ORDER BY `id` LIMIT 1 OFFSET 9 LOCK IN SHARE MODE NOWAIT");
}

TEST(NthKeyAfterTest, NonLocking) {
  EXPECT_EQ(NthKeyAfter(Orders(), KeyTuple{"100"}, 1),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) "
            "ORDER BY `id` LIMIT 1 OFFSET 0");
  EXPECT_EQ(NthKeyAfter(Orders(ServerFlavor::kMySQL), std::nullopt, 250),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE 1=1 "
            "ORDER BY `id` LIMIT 1 OFFSET 249");
  for (ServerFlavor f : {ServerFlavor::kMariaDB, ServerFlavor::kMySQL}) {
    const std::string sql = NthKeyAfter(Composite(f), KeyTuple{"a", "1"}, 3);
    EXPECT_EQ(sql.find("SHARE"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("NOWAIT"), std::string::npos) << sql;
    EXPECT_EQ(LockNextChunk(Composite(f), KeyTuple{"a", "1"}, 3).rfind(sql, 0), 0u);
  }
}

TEST(NthKeyAfterTest, QuotesIndexAndNames) {
  CopySpec s = Orders();
  s.schema = "my db";
  s.table = "t`1";
  s.key = Key("ux`k", {Col("k ey", "int")});
  EXPECT_EQ(NthKeyAfter(s, KeyTuple{"1"}, 2),
            "SELECT `k ey` FROM `my db`.`t``1` FORCE INDEX (`ux``k`) WHERE (`k ey` > 1) "
            "ORDER BY `k ey` LIMIT 1 OFFSET 1");
}

TEST(NthKeyInRangeTest, StaysInsideTheChunkAndLocksNothing) {
  EXPECT_EQ(NthKeyInRange(Orders(), {KeyTuple{"100"}, KeyTuple{"9000"}}, 500),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) AND "
            "(`id` <= 9000) ORDER BY `id` LIMIT 1 OFFSET 499");
  // The last chunk runs to the end of the table.
  EXPECT_EQ(NthKeyInRange(Orders(), {KeyTuple{"100"}, std::nullopt}, 1),
            "SELECT `id` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) "
            "ORDER BY `id` LIMIT 1 OFFSET 0");
  for (ServerFlavor f : {ServerFlavor::kMariaDB, ServerFlavor::kMySQL}) {
    const std::string sql =
        NthKeyInRange(Composite(f), {KeyTuple{"a", "1"}, KeyTuple{"b", "2"}}, 3);
    EXPECT_EQ(sql.find("SHARE"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("UPDATE"), std::string::npos) << sql;
  }
}

TEST(ShadowKeysInRangeTest, ReadsTheNewTablesKeysWithoutLocking) {
  EXPECT_EQ(ShadowKeysInRange(Renamed(), {KeyTuple{"100"}, KeyTuple{"200"}}),
            "SELECT `order_id` FROM `shop`.`_orders_new` WHERE (`order_id` > 100) AND "
            "(`order_id` <= 200) ORDER BY `order_id`");
  EXPECT_EQ(ShadowKeysInRange(Orders(), {std::nullopt, std::nullopt}),
            "SELECT `id` FROM `shop`.`_orders_new` WHERE 1=1 ORDER BY `id`");
  for (ServerFlavor f : {ServerFlavor::kMariaDB, ServerFlavor::kMySQL}) {
    const std::string sql = ShadowKeysInRange(Orders(f), {std::nullopt, KeyTuple{"9"}});
    EXPECT_EQ(sql.find("SHARE"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("UPDATE"), std::string::npos) << sql;
  }
}

TEST(ShadowKeysInRangeTest, CompositeRenamed) {
  CopySpec s = Composite();
  s.key.target_names = {"org", "id"};
  EXPECT_EQ(ShadowKeysInRange(s, {KeyTuple{"a", "1"}, std::nullopt}),
            "SELECT `org`, `id` FROM `s`.`_t_new` WHERE (`org` >= 'a' AND ((`org` > 'a') OR "
            "(`org` = 'a' AND `id` > 1))) ORDER BY `org`, `id`");
}

TEST(ClearRowsInShadowTest, ExactKeysOnly) {
  // Equality on the key, never a range: only these rows are locked, no gap after them.
  EXPECT_EQ(ClearRowsInShadow(Renamed(), {KeyTuple{"7"}, KeyTuple{"42"}}),
            "DELETE FROM `shop`.`_orders_new` WHERE `order_id` IN (7, 42)");
  CopySpec s = Composite();
  s.key.target_names = {"org", "id"};
  EXPECT_EQ(ClearRowsInShadow(s, {KeyTuple{"a", "1"}, KeyTuple{"o'k", "-2"}}),
            "DELETE FROM `s`.`_t_new` WHERE (`org` = 'a' AND `id` = 1) OR "
            "(`org` = 'o''k' AND `id` = -2)");
}

// `k` VARCHAR utf8mb4_general_ci -> utf8mb4_bin, and DROP PRIMARY KEY, ADD PRIMARY KEY (id, k):
// the new table is matched row by row (sql/shadow_match.h).
CopySpec CollationChange() {
  CopySpec s;
  s.schema = "s";
  s.table = "t";
  s.shadow_table = "_t_new";
  s.columns = {{"k", "k"}, {"v", "v"}};
  const Column from = Col("k", "varchar", "varchar(9)", "utf8mb4_general_ci");
  const Column to = Col("k", "varchar", "varchar(9)", "utf8mb4_bin");
  s.key = Key("PRIMARY", {from});
  s.key.shadow_key = {to};
  s.key.match = {{from, to}};
  return s;
}

CopySpec NewPrimaryKey() {
  CopySpec s;
  s.schema = "s";
  s.table = "t";
  s.shadow_table = "_t_new";
  s.columns = {{"id", "id"}, {"k", "k"}};
  s.key = Key("PRIMARY", {Col("id", "int")});
  s.key.shadow_key = {Col("id", "int"), Col("k", "int")};
  s.key.match = {{Col("id", "int"), Col("id", "int")}, {Col("k", "int"), Col("k", "int")}};
  return s;
}

TEST(ShadowKeysInRangeTest, RowByRowJoinsTheLockedRangeToItsMirrors) {
  // The range is the original's, in its collation; each mirror is found through the new table's
  // key in its own collation, then compared as bytes.
  EXPECT_EQ(ShadowKeysInRange(CollationChange(), {KeyTuple{"a"}, KeyTuple{"m"}}),
            "SELECT s.`k` FROM `s`.`t` AS o FORCE INDEX (`PRIMARY`) STRAIGHT_JOIN `s`.`_t_new` "
            "AS s FORCE INDEX (`PRIMARY`) ON s.`k` <=> CONVERT(o.`k` USING utf8mb4) COLLATE "
            "utf8mb4_bin AND CAST(s.`k` AS BINARY) <=> CAST(CONVERT(o.`k` USING utf8mb4) "
            "COLLATE utf8mb4_bin AS BINARY) WHERE (o.`k` > 'a') AND (o.`k` <= 'm')");
  EXPECT_EQ(ShadowKeysInRange(NewPrimaryKey(), {KeyTuple{"5"}, std::nullopt}),
            "SELECT s.`id`, s.`k` FROM `s`.`t` AS o FORCE INDEX (`PRIMARY`) STRAIGHT_JOIN "
            "`s`.`_t_new` AS s FORCE INDEX (`PRIMARY`) ON s.`id` <=> o.`id` AND s.`k` <=> o.`k` "
            "WHERE (o.`id` > 5)");
}

TEST(ClearRowsInShadowTest, RowByRowDeletesByTheNewTablesKey) {
  EXPECT_EQ(ClearRowsInShadow(NewPrimaryKey(), {KeyTuple{"5", "1"}, KeyTuple{"6", "-2"}}),
            "DELETE FROM `s`.`_t_new` WHERE (`id` = 5 AND `k` = 1) OR (`id` = 6 AND `k` = -2)");
  EXPECT_EQ(ClearRowsInShadow(CollationChange(), {KeyTuple{"A"}}),
            "DELETE FROM `s`.`_t_new` WHERE (`k` = 'A')");
}

TEST(ClearRowInShadowTest, RowByRowFindsTheKeyInTheNewTablesTerms) {
  EXPECT_EQ(ClearRowInShadow(CollationChange(), KeyTuple{"x"}),
            "DELETE FROM `s`.`_t_new` WHERE `k` <=> CONVERT('x' USING utf8mb4) COLLATE "
            "utf8mb4_bin AND CAST(`k` AS BINARY) <=> CAST(CONVERT('x' USING utf8mb4) COLLATE "
            "utf8mb4_bin AS BINARY)");
  EXPECT_EQ(ClearRowInShadow(NewPrimaryKey(), KeyTuple{"7"}),
            "DELETE FROM `s`.`_t_new` WHERE `id` <=> 7");
}

TEST(LockRangeTest, CountsAndShareLocksTheRangeWithoutWaiting) {
  EXPECT_EQ(LockRange(Orders(), {KeyTuple{"100"}, KeyTuple{"200"}}),
            "SELECT COUNT(*) FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) AND "
            "(`id` <= 200) LOCK IN SHARE MODE NOWAIT");
  EXPECT_EQ(LockRange(Orders(ServerFlavor::kMySQL), {KeyTuple{"100"}, std::nullopt}),
            "SELECT COUNT(*) FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) WHERE (`id` > 100) "
            "FOR SHARE NOWAIT");
}

TEST(CopyChunkTest, TargetColumnsInInsertSourceColumnsInSelect) {
  EXPECT_EQ(CopyChunk(Renamed(), {KeyTuple{"100"}, KeyTuple{"200"}}),
            "INSERT INTO `shop`.`_orders_new` (`order_id`, `client`, `qty`) "
            "SELECT `id`, `customer`, `qty` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
            "WHERE (`id` > 100) AND (`id` <= 200) ORDER BY `id` LOCK IN SHARE MODE");
}

TEST(CopyChunkTest, ColumnCrossingTimestampIsSelectedInTheGlobalZone) {
  CopySpec s = Orders();
  s.columns.push_back({"at", "at", ZoneShift::kOutOfTimestamp});
  EXPECT_EQ(CopyChunk(s, {KeyTuple{"100"}, std::nullopt}),
            "INSERT INTO `shop`.`_orders_new` (`id`, `customer`, `qty`, `at`) "
            "SELECT `id`, `customer`, `qty`, "
            "COALESCE(CONVERT_TZ(`at`, @@session.time_zone, @@global.time_zone), `at`) "
            "FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
            "WHERE (`id` > 100) ORDER BY `id` LOCK IN SHARE MODE");
}

// A FLOAT into text is written as its own text, as a native ALTER writes it.
TEST(CopyChunkTest, FloatIntoTextIsCastToItsText) {
  CopySpec s = Orders();
  s.columns.push_back({"price", "price", ZoneShift::kNone, true});
  EXPECT_EQ(CopyChunk(s, {KeyTuple{"100"}, std::nullopt}),
            "INSERT INTO `shop`.`_orders_new` (`id`, `customer`, `qty`, `price`) "
            "SELECT `id`, `customer`, `qty`, CAST(`price` AS CHAR) "
            "FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
            "WHERE (`id` > 100) ORDER BY `id` LOCK IN SHARE MODE");
}

// An added NOT NULL column without a DEFAULT gets its implicit value as a literal.
TEST(CopyChunkTest, ImplicitFillsFollowTheMappedColumns) {
  CopySpec s = Orders();
  s.fills = {{"added", "0"}, {"kind", "1"}};
  EXPECT_EQ(CopyChunk(s, {KeyTuple{"100"}, std::nullopt}),
            "INSERT INTO `shop`.`_orders_new` (`id`, `customer`, `qty`, `added`, `kind`) "
            "SELECT `id`, `customer`, `qty`, 0, 1 "
            "FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
            "WHERE (`id` > 100) ORDER BY `id` LOCK IN SHARE MODE");
}

TEST(CopyChunkTest, LastChunkRunsToTheEnd) {
  EXPECT_EQ(CopyChunk(Orders(ServerFlavor::kMySQL), {KeyTuple{"100"}, std::nullopt}),
            "INSERT INTO `shop`.`_orders_new` (`id`, `customer`, `qty`) "
            "SELECT `id`, `customer`, `qty` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
            "WHERE (`id` > 100) ORDER BY `id` LOCK IN SHARE MODE");
}

TEST(CopyChunkTest, NeverIgnoreOrReplace) {
  for (const std::string& sql : {CopyChunk(Orders(), {}), CopyRow(Orders(), KeyTuple{"1"})}) {
    EXPECT_EQ(sql.rfind("INSERT INTO ", 0), 0u) << sql;
    EXPECT_EQ(sql.find("IGNORE"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("REPLACE"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("DUPLICATE"), std::string::npos) << sql;
  }
}

TEST(CopyRowTest, ExactKey) {
  EXPECT_EQ(CopyRow(Renamed(), KeyTuple{"42"}),
            "INSERT INTO `shop`.`_orders_new` (`order_id`, `client`, `qty`) "
            "SELECT `id`, `customer`, `qty` FROM `shop`.`orders` FORCE INDEX (`PRIMARY`) "
            "WHERE `id` = 42 ORDER BY `id` LOCK IN SHARE MODE");
  EXPECT_EQ(CopyRow(Composite(), KeyTuple{"o'k", "7"}),
            "INSERT INTO `s`.`_t_new` (`tenant`, `id`, `v`) SELECT `tenant`, `id`, `v` "
            "FROM `s`.`t` FORCE INDEX (`ux_tenant_id`) WHERE `tenant` = 'o''k' AND `id` = 7 "
            "ORDER BY `tenant`, `id` LOCK IN SHARE MODE");
}

TEST(ClearRowInShadowTest, ExactKeyByTheNewTablesNames) {
  EXPECT_EQ(ClearRowInShadow(Renamed(), KeyTuple{"42"}),
            "DELETE FROM `shop`.`_orders_new` WHERE `order_id` = 42");
  CopySpec s = Composite();
  s.key.target_names = {"org", "id"};
  EXPECT_EQ(ClearRowInShadow(s, KeyTuple{"a", "-1"}),
            "DELETE FROM `s`.`_t_new` WHERE `org` = 'a' AND `id` = -1");
}

TEST(SourceKeyNamesTest, OriginalNamesInIndexOrder) {
  EXPECT_EQ(SourceKeyNames(Renamed().key), (std::vector<std::string>{"id"}));
  EXPECT_EQ(SourceKeyNames(Composite().key), (std::vector<std::string>{"tenant", "id"}));
  EXPECT_TRUE(SourceKeyNames(ChunkKey{}).empty());
}

}  // namespace
}  // namespace shadowalter
