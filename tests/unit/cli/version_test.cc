#include "cli/version.h"

#include <gtest/gtest.h>

#include <regex>

#include "db/client_library.h"

namespace shadowalter {
namespace {

TEST(VersionTest, FirstLineNamesTheVersion) {
  BuildInfo info;
  info.version = "1.2.3";
  info.git_commit = "0123456789ab";
  info.build_type = "Release";
  info.compiler = "GNU 12.2.0";
  info.client_library = "3.3.9";
  info.client_headers = "3.3.8";
  info.license = "Apache-2.0";
  EXPECT_EQ(VersionText(info),
            "shadowalter 1.2.3\n"
            "commit:         0123456789ab\n"
            "build type:     Release\n"
            "compiler:       GNU 12.2.0\n"
            "client library: MariaDB Connector/C 3.3.9 (built with 3.3.8)\n"
            "license:        Apache-2.0\n");
  info.client_headers = info.client_library;
  EXPECT_NE(VersionText(info).find("client library: MariaDB Connector/C 3.3.9\n"),
            std::string::npos);
}

TEST(VersionTest, UnknownFieldsSaySo) {
  BuildInfo info;
  info.version = "1.2.3";
  const std::string text = VersionText(info);
  EXPECT_NE(text.find("commit:         unknown (not built from a git checkout)\n"),
            std::string::npos);
  EXPECT_NE(text.find("build type:     unknown\n"), std::string::npos);
  EXPECT_NE(text.find("client library: MariaDB Connector/C unknown\n"), std::string::npos);
}

TEST(VersionTest, CurrentBuild) {
  const BuildInfo info = CurrentBuildInfo();
  EXPECT_EQ(info.version, SHADOWALTER_VERSION);
  EXPECT_EQ(info.license, "Apache-2.0");  // as LICENSE says
  EXPECT_FALSE(info.compiler.empty());
  EXPECT_TRUE(std::regex_match(info.client_library, std::regex(R"(\d+\.\d+\.\d+.*)")))
      << info.client_library;
  EXPECT_EQ(info.client_library, ClientLibraryVersion());
  EXPECT_TRUE(std::regex_match(ClientLibraryBuildVersion(), std::regex(R"(\d+\.\d+\.\d+.*)")));
  EXPECT_TRUE(info.git_commit.empty() ||
              std::regex_match(info.git_commit, std::regex("[0-9a-f]{7,40}(-dirty)?")))
      << info.git_commit;
  EXPECT_EQ(VersionText().rfind("shadowalter " + std::string(SHADOWALTER_VERSION) + "\n", 0), 0u);
}

}  // namespace
}  // namespace shadowalter
