// The options table of docs/options.md (moved there from the README) and `shadowalter --help`
// list the same options.
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

// The "## Options" section of docs/options.md, up to the next "## " heading or the end.
std::string ReadmeOptionsTable() {
  std::ifstream in(std::string(SHADOWALTER_SOURCE_DIR) + "/docs/options.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  const auto start = doc.find("\n## Options\n");
  EXPECT_NE(start, std::string::npos) << "docs/options.md has no '## Options' section";
  if (start == std::string::npos) return "";
  const auto end = doc.find("\n## ", start + 1);
  return doc.substr(start, end == std::string::npos ? std::string::npos : end - start);
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
