#include "cli/config_file.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>

namespace shadowalter {

namespace po = boost::program_options;

namespace {

std::string Where(const std::string& path) { return "--config '" + path + "'"; }

// Boost's own message for a line without '=' quotes the whole line, which may be a password:
// find the line ourselves and name it by number.
std::optional<int> FirstLineWithoutEquals(const std::string& path) {
  std::ifstream in(path);
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    line = line.substr(0, line.find('#'));
    const size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '[') continue;
    if (line.find('=') == std::string::npos) return number;
  }
  return std::nullopt;
}

}  // namespace

Status StoreConfigFile(const std::string& path, const po::options_description& allowed,
                       po::variables_map& vm, ConfigFileSource& source) {
  source.path = path;
  std::ifstream in(path);
  if (!in) {
    return UsageError(Where(path) + ": can't read it (" + std::strerror(errno) + ")");
  }
  std::vector<std::string> on_command_line;
  for (const auto& [name, value] : vm) {
    if (!value.defaulted()) on_command_line.push_back(name);
  }
  try {
    const po::parsed_options parsed = po::parse_config_file(in, allowed, false);
    for (const po::option& option : parsed.options) {
      const std::string& key = option.string_key;
      if (key == "password" && !option.value.empty()) source.password = option.value.front();
      if (std::find(on_command_line.begin(), on_command_line.end(), key) == on_command_line.end()) {
        source.keys.push_back(key);
      }
    }
    po::store(parsed, vm);
  } catch (const po::unknown_option& e) {
    return UsageError(Where(path) + ": unknown key '" + e.get_option_name() +
                      "': the keys are the long options without their dashes, see --help");
  } catch (const po::invalid_config_file_syntax&) {
    const std::optional<int> line = FirstLineWithoutEquals(path);
    return UsageError(Where(path) + ": " +
                      (line ? "line " + std::to_string(*line) : std::string("a line")) +
                      " is not `key = value`");
  } catch (const po::multiple_occurrences& e) {
    return UsageError(Where(path) + ": key '" + e.get_option_name() + "' is given more than once");
  } catch (const po::validation_error& e) {
    // Only the switches are typed (bool); strings are checked later, with the rest.
    std::string key = e.get_option_name();
    if (key.rfind("--", 0) == 0) key = key.substr(2);
    return UsageError(Where(path) + ": bad value for key '" + key +
                      "': a switch takes true or false");
  } catch (const po::error& e) {
    // Boost's words may quote a value; name only the file.
    return UsageError(Where(path) + ": the file can't be read as options: see --help");
  }
  return Status::Ok();
}

Status AttributeToConfigFile(const Status& failure, const ConfigFileSource& source) {
  std::string message = failure.message();
  if (source.password && !source.password->empty()) {
    const std::string quoted = "'" + *source.password + "'";
    for (size_t at = message.find(quoted); at != std::string::npos;
         at = message.find(quoted, at + 1)) {
      message.replace(at, quoted.size(), "'***'");
    }
  }
  if (message.find(Where(source.path)) == std::string::npos) {
    // The option named first in the message is the one it is about.
    size_t best = std::string::npos;
    std::string best_key;
    for (const std::string& key : source.keys) {
      const std::string flag = "--" + key;
      for (size_t at = message.find(flag); at != std::string::npos;
           at = message.find(flag, at + 1)) {
        const size_t end = at + flag.size();
        const bool whole =
            end == message.size() ||
            !(std::isalnum(static_cast<unsigned char>(message[end])) || message[end] == '-');
        if (whole && at < best) {
          best = at;
          best_key = key;
        }
        if (whole) break;
      }
    }
    if (!best_key.empty()) message = Where(source.path) + ", key '" + best_key + "': " + message;
  }
  return Status(failure.code(), message, failure.server_errno());
}

}  // namespace shadowalter
