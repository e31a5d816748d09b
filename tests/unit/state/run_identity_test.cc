#include "state/run_identity.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(RunIdentityTest, NamesTheOptionsThatMatter) {
  EXPECT_EQ((RunIdentity{"", false}.Encode()), "fk=none-given;preserve-triggers=0");
  EXPECT_EQ((RunIdentity{"rebuild_constraints", true}.Encode()),
            "fk=rebuild_constraints;preserve-triggers=1");
}

TEST(RunIdentityTest, RoundTrips) {
  for (const RunIdentity& identity :
       {RunIdentity{"", false}, RunIdentity{"", true}, RunIdentity{"auto", false},
        RunIdentity{"rebuild_constraints", true}, RunIdentity{"drop_swap", false},
        RunIdentity{"none", true}}) {
    StatusOr<RunIdentity> back = RunIdentity::Decode(identity.Encode());
    ASSERT_TRUE(back.ok()) << identity.Encode() << ": " << back.status().message();
    EXPECT_EQ(*back, identity) << identity.Encode();
  }
}

TEST(RunIdentityTest, ReadsWhatEarlierBuildsWrote) {
  StatusOr<RunIdentity> none = RunIdentity::Decode("fk=none-given;preserve-triggers=0");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->foreign_keys_method, "");
  EXPECT_FALSE(none->preserve_triggers);
  StatusOr<RunIdentity> given = RunIdentity::Decode("fk=drop_swap;preserve-triggers=1");
  ASSERT_TRUE(given.ok());
  EXPECT_EQ(given->foreign_keys_method, "drop_swap");
  EXPECT_TRUE(given->preserve_triggers);
}

TEST(RunIdentityTest, RevertibleIsAddedOnlyWhenSet) {
  RunIdentity plain{"auto", true};
  EXPECT_EQ(plain.Encode(), "fk=auto;preserve-triggers=1");
  RunIdentity revertible{"", false, true};
  EXPECT_EQ(revertible.Encode(), "fk=none-given;preserve-triggers=0;revertible=1");
  StatusOr<RunIdentity> back = RunIdentity::Decode(revertible.Encode());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, revertible);
  for (const char* bad :
       {"fk=auto;revertible=1", "fk=auto;preserve-triggers=1;revertible=0",
        "fk=auto;preserve-triggers=1;revertible=1;", "fk=auto;preserve-triggers=;revertible=1"}) {
    EXPECT_FALSE(RunIdentity::Decode(bad).ok()) << bad;
  }
}

TEST(RunIdentityTest, RefusesOtherText) {
  for (const char* bad :
       {"", "f", "fk", "fk=", "fk=auto", "fk=auto;",
        "fk=auto;preserve-triggers=", "fk=auto;preserve-triggers=2", "fk=auto;preserve-triggers=10",
        "fk=auto;preserve-triggers=1;", "fk=auto;preserve=1", "fk=auto;x;preserve-triggers=1",
        "FK=auto;preserve-triggers=1", " fk=auto;preserve-triggers=1", "=1"}) {
    StatusOr<RunIdentity> decoded = RunIdentity::Decode(bad);
    EXPECT_FALSE(decoded.ok()) << "'" << bad << "'";
    if (!decoded.ok()) {
      EXPECT_EQ(decoded.status().code(), Code::kInternal);
      EXPECT_NE(decoded.status().message().find("'" + std::string(bad) + "'"), std::string::npos)
          << decoded.status().message();
    }
  }
}

}  // namespace
}  // namespace shadowalter
