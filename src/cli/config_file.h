// --config FILE: the same long options as the command line, read from an INI-style file with
// Boost.Program_options' config-file parser, one `key = value` a line (no dashes, no quotes; '#'
// starts a comment, also inside a value). The command line wins: the file is stored after it,
// and Boost keeps a value already stored. Sections are not used: every key is top-level.
//
// Errors are one-line usage errors naming the file and the key, never a value: the file may
// hold the password.
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <string>
#include <vector>

#include "util/status.h"

namespace shadowalter {

// What the file supplied, so that a later error about one of its values can say where it came
// from, and its password can be hidden.
struct ConfigFileSource {
  std::string path;
  std::vector<std::string> keys;        // keys the file set that the command line did not
  std::optional<std::string> password;  // the file's password, if it had one
};

// Reads `path` and stores its options into `vm`, which already holds the command line. Only the
// options in `allowed` may appear in it.
Status StoreConfigFile(const std::string& path,
                       const boost::program_options::options_description& allowed,
                       boost::program_options::variables_map& vm, ConfigFileSource& source);

// `failure` as the user should see it: the file's password (quoted, as every message quotes
// user text) becomes '***', and a message about an option the file set names the file and key.
Status AttributeToConfigFile(const Status& failure, const ConfigFileSource& source);

}  // namespace shadowalter
