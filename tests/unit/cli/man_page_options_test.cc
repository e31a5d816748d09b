// docs/shadowalter.1 lists the same options as `shadowalter --help`, in the same groups.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/options.h"

namespace shadowalter {
namespace {

// Each group's name and options, in the order they appear.
using Groups = std::vector<std::pair<std::string, std::set<std::string>>>;

// --help: a group starts with an unindented "Name (comment):" or "Name:" line, and each option
// with "--name" indented by two blanks (wrapped descriptions are indented further).
Groups HelpGroups() {
  Groups groups;
  std::istringstream lines(HelpText());
  const std::regex heading(R"(^([A-Z][A-Za-z ]*?)( \(.*\))?:$)");
  const std::regex option(R"(^  (--[a-z-]+))");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, heading) && m[1] != "Usage" && m[1] != "DSN") {
      groups.emplace_back(m[1], std::set<std::string>());
    } else if (!groups.empty() && std::regex_search(line, m, option)) {
      groups.back().second.insert(m[1]);
    }
  }
  return groups;
}

std::string ReadManPage() {
  std::ifstream in(std::string(SHADOWALTER_SOURCE_DIR) + "/docs/shadowalter.1");
  EXPECT_TRUE(in.good()) << "cannot read docs/shadowalter.1";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  // roff writes a hyphen as "\-".
  for (std::string::size_type at; (at = text.find("\\-")) != std::string::npos;) {
    text.erase(at, 1);
  }
  return text;
}

// The man page: groups are .SS headings of the OPTIONS section, options are the .B/.BI line
// after each .TP.
Groups ManPageGroups() {
  const std::string page = ReadManPage();
  const auto start = page.find("\n.SH OPTIONS");
  EXPECT_NE(start, std::string::npos) << "the man page has no OPTIONS section";
  const auto end = page.find("\n.SH ", start + 1);
  std::istringstream lines(page.substr(start, end - start));
  Groups groups;
  bool after_tp = false;
  const std::regex heading(R"re(^\.SS "?([^"]*)"?$)re");
  const std::regex option(R"(^\.BI? (--[a-z-]+))");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, heading)) {
      groups.emplace_back(m[1], std::set<std::string>());
    } else if (after_tp && std::regex_search(line, m, option)) {
      if (groups.empty()) {
        ADD_FAILURE() << m[1] << " is outside any .SS group";
        continue;
      }
      groups.back().second.insert(m[1]);
    }
    after_tp = line == ".TP";
  }
  return groups;
}

TEST(ManPageOptionsTest, OptionsAndGroupsMatchHelp) {
  const Groups help = HelpGroups();
  ASSERT_GE(help.size(), 5u);
  size_t options = 0;
  for (const auto& [name, names] : help) options += names.size();
  EXPECT_GT(options, 10u);
  EXPECT_EQ(help, ManPageGroups());
}

TEST(ManPageOptionsTest, TitleLineNamesTheVersion) {
  const std::string page = ReadManPage();
  const auto start = page.find("\n.TH ");
  ASSERT_NE(start, std::string::npos);
  const std::string title = page.substr(start + 1, page.find('\n', start + 1) - start - 1);
  EXPECT_NE(title.find("\"shadowalter " SHADOWALTER_VERSION "\""), std::string::npos)
      << title << ": update the version in docs/shadowalter.1";
}

TEST(ManPageOptionsTest, SynopsisNamesTheVerifyCommand) {
  const std::string page = ReadManPage();
  const auto start = page.find("\n.SH SYNOPSIS");
  ASSERT_NE(start, std::string::npos);
  const std::string synopsis = page.substr(start, page.find("\n.SH ", start + 1) - start);
  EXPECT_NE(synopsis.find(".B shadowalter verify"), std::string::npos);
}

}  // namespace
}  // namespace shadowalter
