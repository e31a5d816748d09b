// The run identity: the options a resumed run must share with the stopped one, kept in the
// checkpoint's `identity` column. Throttling, limits and output may differ between nights.
//
// Its text is "fk=<method>;preserve-triggers=<0|1>", with "none-given" for no
// --alter-foreign-keys-method, and ";revertible=1" after it for a --revertible run (so every
// earlier build's text is read as it was meant: not revertible).
#pragma once

#include <string>
#include <string_view>

#include "util/status.h"

namespace shadowalter {

struct RunIdentity {
  // --alter-foreign-keys-method as ForeignKeyMethodName() names it; "" when none was given.
  std::string foreign_keys_method;
  bool preserve_triggers = false;
  bool revertible = false;

  // The text stored in the checkpoint.
  std::string Encode() const;
  // Back from that text; an InternalError naming the text when it is not of that form.
  static StatusOr<RunIdentity> Decode(std::string_view text);

  bool operator==(const RunIdentity&) const = default;
};

}  // namespace shadowalter
