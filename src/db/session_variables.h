// Session variables a run's user asks to set on every session it opens to the primary
// (--set-vars), after the session's own setup, which they may not undo (see
// cli/option_values.h, ParseSetVars, for the variables that are refused).
#pragma once

#include <string>
#include <vector>

namespace shadowalter {

struct SessionVariable {
  std::string name;   // letters, digits and '_' only
  std::string value;  // a number, a bare word (ON, OFF, DEFAULT), or text, which gets quoted
};

// SET SESSION `name` = value, ... for all of them; "" when there are none.
std::string SetSessionVariables(const std::vector<SessionVariable>& variables);

}  // namespace shadowalter
