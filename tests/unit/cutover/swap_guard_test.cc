#include "cutover/swap_guard.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace shadowalter {
namespace {

const char* kBefore =
    "CREATE TABLE `t` (\n"
    "  `id` int(11) NOT NULL,\n"
    "  `c` int(11) NOT NULL,\n"
    "  PRIMARY KEY (`id`)\n"
    ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4";

TEST(DefinitionChangesTest, NamesTheLinesAddedAndRemoved) {
  const std::string after =
      "CREATE TABLE `t` (\n"
      "  `id` int(11) NOT NULL,\n"
      "  `c` bigint(20) NOT NULL,\n"
      "  `extra` int(11) NOT NULL DEFAULT 7,\n"
      "  PRIMARY KEY (`id`)\n"
      ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4";
  EXPECT_EQ(DefinitionChanges(kBefore, after),
            (std::vector<std::string>{"- `c` int(11) NOT NULL", "+ `c` bigint(20) NOT NULL",
                                      "+ `extra` int(11) NOT NULL DEFAULT 7"}));
}

// The AUTO_INCREMENT counter moves with every insert: that is no change of definition.
TEST(DefinitionChangesTest, IgnoresTheAutoIncrementCounter) {
  std::string after = kBefore;
  after.replace(after.find("AUTO_INCREMENT=5"), 16, "AUTO_INCREMENT=90");
  EXPECT_TRUE(DefinitionChanges(kBefore, after).empty());
}

// A column moved to the end is the same lines in another order; still a change the fingerprint
// sees, named by nothing here (the message then says only that the definition differs).
TEST(DefinitionChangesTest, AReorderingNamesNoLine) {
  const std::string moved =
      "CREATE TABLE `t` (\n"
      "  `c` int(11) NOT NULL,\n"
      "  `id` int(11) NOT NULL,\n"
      "  PRIMARY KEY (`id`)\n"
      ") ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4";
  EXPECT_TRUE(DefinitionChanges(kBefore, moved).empty());
  EXPECT_TRUE(DefinitionChanges(kBefore, kBefore).empty());
}

}  // namespace
}  // namespace shadowalter
