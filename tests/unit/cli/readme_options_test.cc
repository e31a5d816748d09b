// The README's options table and `shadowalter --help` list the same options.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "cli/options.h"

namespace shadowalter {
namespace {

std::set<std::string> OptionsIn(const std::string& text, const std::regex& pattern) {
  std::set<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), pattern), end; it != end; ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

std::string ReadmeOptionsTable() {
  std::ifstream in(std::string(SHADOWALTER_SOURCE_DIR) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const auto start = readme.find("### Options");
  const auto end = readme.find("\n### ", start + 1);
  EXPECT_NE(start, std::string::npos) << "README has no '### Options' section";
  return readme.substr(start, end - start);
}

TEST(ReadmeOptionsTest, ReadmeTableMatchesHelp) {
  const std::set<std::string> in_help = OptionsIn(HelpText(), std::regex(R"(\n\s+(--[a-z-]+))"));
  const std::set<std::string> in_readme =
      OptionsIn(ReadmeOptionsTable(), std::regex(R"(\n\| `(--[a-z-]+))"));
  EXPECT_GT(in_help.size(), 10u);
  EXPECT_EQ(in_help, in_readme);
}

}  // namespace
}  // namespace shadowalter
