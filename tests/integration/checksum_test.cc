// The verification's row hash, evaluated by the server: rows whose compared values differ hash
// apart (NULL, '', a value 'N', NUL bytes at a column boundary), rows with equal values hash alike,
// and the chunk sum is the sum of the row hashes.
#include "sql/checksum.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "inspect/inspector.h"
#include "sandbox.h"
#include "sql/column_map.h"

namespace shadowalter::testing {
namespace {

class RowHashTest : public SandboxTest {
 protected:
  // id -> row hash of (a, b) only, so rows differ in nothing but those two values.
  std::map<std::string, std::string> HashesOfAB() {
    auto source = InspectTable(*db_, schema_, "t");
    EXPECT_TRUE(source.ok()) << source.status().message();
    if (!source.ok()) return {};
    spec_ = CopySpec{schema_, "t", "t", {{"id", "id"}, {"a", "a"}, {"b", "b"}}, {}, db_->flavor()};
    auto key = ChooseChunkKey(*source, *source, spec_.columns);
    EXPECT_TRUE(key.ok()) << key.status().message();
    if (!key.ok()) return {};
    spec_.key = *key;
    table_ = *source;
    plan_ = PlanChecksum({{"a", "a"}, {"b", "b"}}, table_, table_);
    auto rs = db_->Query(RowHashQuery(spec_, plan_, table_, table_, false, {}));
    EXPECT_TRUE(rs.ok()) << rs.status().message();
    std::map<std::string, std::string> out;
    if (!rs.ok()) return out;
    for (const auto& row : rs->rows) out[row[0].value_or("NULL")] = row[1].value_or("NULL");
    return out;
  }

  CopySpec spec_;
  TableInfo table_;
  ChecksumPlan plan_;
};

TEST_F(RowHashTest, DifferentValuesHashApartEqualValuesAlike) {
  Exec(*db_,
       "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(8) NULL, b VARBINARY(8) NULL) "
       "CHARACTER SET utf8mb4");
  // Rows 1-12 are pairwise different in (a, b); row 13 repeats row 12.
  Exec(*db_,
       "INSERT INTO t VALUES (1, 'a\\0', 'b'), (2, 'a', '\\0b'), (3, NULL, ''), "
       "(4, '', NULL), (5, 'N', NULL), (6, NULL, 'N'), (7, NULL, NULL), (8, '', ''), "
       "(9, '1', ''), (10, '', '1'), (11, '1\\0', 'x'), (12, 'a', 'b'), (13, 'a', 'b')");
  std::map<std::string, std::string> h = HashesOfAB();
  ASSERT_EQ(h.size(), 13u);
  std::map<std::string, std::string> seen;  // hash -> id
  for (int id = 1; id <= 12; ++id) {
    const std::string& hash = h[std::to_string(id)];
    EXPECT_NE(hash, "NULL") << id;
    auto [it, fresh] = seen.emplace(hash, std::to_string(id));
    EXPECT_TRUE(fresh) << "rows " << it->second << " and " << id << " hash alike: " << hash;
  }
  EXPECT_EQ(h["12"], h["13"]);

  // The chunk's checksum is the exact sum of the rows' hashes (no wrap-around at 2^64).
  unsigned __int128 total = 0;
  for (const auto& [id, hash] : h) total += std::stoull(hash);
  std::string sum;
  for (; total > 0; total /= 10) sum.insert(sum.begin(), static_cast<char>('0' + total % 10));
  auto rs = db_->Query(ChecksumQuery(spec_, plan_, table_, table_, false, {}));
  ASSERT_TRUE(rs.ok()) << rs.status().message();
  EXPECT_EQ(rs->rows[0][0].value_or("NULL"), "13");
  EXPECT_EQ(rs->rows[0][1].value_or("NULL"), sum);
}

// An empty range has no checksum on either side (NULL), which the verifier compares as equal.
TEST_F(RowHashTest, EmptyRangeSumsToNull) {
  Exec(*db_,
       "CREATE TABLE t (id INT NOT NULL PRIMARY KEY, a VARCHAR(8) NULL, b VARBINARY(8) NULL)");
  EXPECT_EQ(HashesOfAB().size(), 0u);
  auto rs = db_->Query(ChecksumQuery(spec_, plan_, table_, table_, false, {}));
  ASSERT_TRUE(rs.ok()) << rs.status().message();
  EXPECT_EQ(rs->rows[0][0].value_or("NULL"), "0");
  EXPECT_FALSE(rs->rows[0][1].has_value());
}

}  // namespace
}  // namespace shadowalter::testing
