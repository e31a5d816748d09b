// The verification's comparison, evaluated by the server: rows whose compared values differ in
// any way (case, trailing spaces, NULL against '' or 'NULL', a NUL byte moved across a column
// boundary) compare apart, equal rows (all-NULL ones too) compare equal, and the counts name
// missing rows and rows only the new table has.
#include "sql/compare.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inspect/inspector.h"
#include "sandbox.h"
#include "sql/column_map.h"

namespace shadowalter::testing {
namespace {

class ComparisonTest : public SandboxTest {
 protected:
  // t and t2 (the "new table") as inspected; the comparison of (id, a, b).
  void Plan() {
    auto source = InspectTable(*db_, schema_, "t");
    auto shadow = InspectTable(*db_, schema_, "t2");
    ASSERT_TRUE(source.ok()) << source.status().message();
    ASSERT_TRUE(shadow.ok()) << shadow.status().message();
    source_ = *source;
    shadow_ = *shadow;
    spec_ = CopySpec{schema_, "t", "t2", {{"id", "id"}, {"a", "a"}, {"b", "b"}}, {}, db_->flavor()};
    auto key = ChooseChunkKey(source_, shadow_, spec_.columns);
    ASSERT_TRUE(key.ok()) << key.status().message();
    spec_.key = *key;
    plan_ = PlanComparison(spec_.columns, source_, shadow_);
  }

  // (original rows, equal rows, new table's rows) of the keys after `after` through `through`.
  std::vector<std::string> Counts(int after, int through) {
    auto rs = db_->Query(
        CompareRangeQuery(spec_, plan_, source_, shadow_,
                          {KeyTuple{std::to_string(after)}, KeyTuple{std::to_string(through)}}));
    EXPECT_TRUE(rs.ok()) << rs.status().message();
    if (!rs.ok() || rs->empty()) return {};
    std::vector<std::string> out;
    for (const auto& v : rs->rows[0]) out.push_back(v.value_or("NULL"));
    return out;
  }

  CopySpec spec_;
  TableInfo source_, shadow_;
  ComparisonPlan plan_;
};

TEST_F(ComparisonTest, AnyDifferenceComparesApartEqualRowsAlike) {
  const std::string ddl =
      " (id INT NOT NULL PRIMARY KEY, a VARCHAR(8) NULL, b VARBINARY(8) NULL) "
      "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci";
  Exec(*db_, "CREATE TABLE t" + ddl);
  Exec(*db_, "CREATE TABLE t2" + ddl);
  // Row by row: the original's (a, b) and the new table's. Rows 1-9 differ, 10-13 are equal.
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"'a', 'b'", "'A', 'b'"},        // case, under a _ci collation
      {"'a', 'b'", "'a ', 'b'"},       // a trailing space, under PAD SPACE
      {"'a\\0', 'b'", "'a', '\\0b'"},  // a NUL byte moved across the boundary
      {"NULL, ''", "'', ''"},          // NULL against ''
      {"NULL, 'x'", "'NULL', 'x'"},    // NULL against the text NULL
      {"'1', ''", "'', '1'"},          // values swapped between columns
      {"'é', 'b'", "'e', 'b'"},        // an accent, equal under general_ci
      {"'a', 'b'", "'a', 'B'"},        // case in binary
      {"'a', 'b\\0'", "'a', 'b'"},     // a trailing NUL byte
      {"NULL, NULL", "NULL, NULL"},    // equal, all NULL
      {"'', ''", "'', ''"},            // equal, empty
      {"'a', 'b'", "'a', 'b'"},        // equal
      {"'ß', 'x'", "'ß', 'x'"},        // equal
  };
  for (size_t i = 0; i < rows.size(); ++i) {
    const std::string id = std::to_string(i + 1);
    Exec(*db_, "INSERT INTO t VALUES (" + id + ", " + rows[i].first + ")");
    Exec(*db_, "INSERT INTO t2 VALUES (" + id + ", " + rows[i].second + ")");
  }
  ASSERT_NO_FATAL_FAILURE(Plan());
  for (size_t i = 0; i < rows.size(); ++i) {
    const bool equal = i >= 9;
    EXPECT_EQ(Counts(i, i + 1), (std::vector<std::string>{"1", equal ? "1" : "0", "1"}))
        << "row " << i + 1 << ": " << rows[i].first << " vs " << rows[i].second;
  }
  // The whole table: 13 rows, 4 equal; the first difference is row 1, present in both.
  EXPECT_EQ(Counts(0, 100), (std::vector<std::string>{"13", "4", "13"}));
  auto first = db_->Query(FirstDifferenceQuery(spec_, plan_, source_, shadow_, {}));
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->rows.size(), 1u);
  EXPECT_EQ(first->rows[0][0].value_or("NULL"), "1");
  EXPECT_EQ(first->rows[0][1].value_or("NULL"), "1");
}

TEST_F(ComparisonTest, MissingAndExtraRowsAreCounted) {
  Exec(*db_, "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(8) NULL, b BLOB NULL)");
  Exec(*db_, "CREATE TABLE t2 LIKE t");
  Exec(*db_, "INSERT INTO t VALUES (1, NULL, NULL), (2, 'x', 'y'), (3, 'z', NULL)");
  // Row 1 is missing (its values all NULL: still not equal to nothing); row 5 is extra.
  Exec(*db_, "INSERT INTO t2 VALUES (2, 'x', 'y'), (3, 'z', NULL), (5, 'q', 'q')");
  ASSERT_NO_FATAL_FAILURE(Plan());
  EXPECT_EQ(Counts(0, 10), (std::vector<std::string>{"3", "2", "3"}));
  EXPECT_EQ(Counts(1, 10), (std::vector<std::string>{"2", "2", "3"}));
  EXPECT_EQ(Counts(1, 3), (std::vector<std::string>{"2", "2", "2"}));
  EXPECT_EQ(Counts(10, 20), (std::vector<std::string>{"0", "0", "0"}));

  auto first = db_->Query(FirstDifferenceQuery(spec_, plan_, source_, shadow_, {}));
  ASSERT_TRUE(first.ok()) << first.status().message();
  ASSERT_EQ(first->rows.size(), 1u);
  EXPECT_EQ(first->rows[0][0].value_or("NULL"), "1");
  EXPECT_EQ(first->rows[0][1].value_or("NULL"), "0");  // missing
  auto extra = db_->Query(FirstExtraRowQuery(spec_, {KeyTuple{"1"}, std::nullopt}));
  ASSERT_TRUE(extra.ok()) << extra.status().message();
  ASSERT_EQ(extra->rows.size(), 1u);
  EXPECT_EQ(extra->rows[0][0].value_or("NULL"), "5");
}

}  // namespace
}  // namespace shadowalter::testing
