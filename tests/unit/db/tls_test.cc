#include "db/tls.h"

#include <gtest/gtest.h>

namespace shadowalter {
namespace {

TEST(TlsModeTest, NamesRoundTripCaseInsensitively) {
  for (TlsMode m : {TlsMode::kDisabled, TlsMode::kPreferred, TlsMode::kRequired, TlsMode::kVerifyCa,
                    TlsMode::kVerifyIdentity}) {
    EXPECT_EQ(ParseTlsMode(TlsModeName(m)), m);
  }
  EXPECT_EQ(ParseTlsMode("verify_ca"), TlsMode::kVerifyCa);
  EXPECT_EQ(ParseTlsMode("Required"), TlsMode::kRequired);
  EXPECT_FALSE(ParseTlsMode("VERIFY-CA").has_value());
  EXPECT_FALSE(ParseTlsMode("").has_value());
}

TEST(TlsModeTest, ModesAreOrderedByStrictness) {
  // Session relies on the order: REQUIRED and beyond must be encrypted.
  EXPECT_LT(TlsMode::kDisabled, TlsMode::kPreferred);
  EXPECT_LT(TlsMode::kPreferred, TlsMode::kRequired);
  EXPECT_LT(TlsMode::kRequired, TlsMode::kVerifyCa);
  EXPECT_LT(TlsMode::kVerifyCa, TlsMode::kVerifyIdentity);
}

}  // namespace
}  // namespace shadowalter
