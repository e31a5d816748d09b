#include "cli/option_groups.h"

#include <sstream>

namespace shadowalter {

std::optional<std::string> GivenText(const boost::program_options::variables_map& vm,
                                     const std::string& name) {
  if (vm.count(name) == 0) return std::nullopt;
  return vm[name].as<std::string>();
}

std::string FormatNumber(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace shadowalter
