#include "migration/cleanup_stack.h"

#include "report/log.h"

namespace shadowalter {

std::vector<std::string> CleanupStack::Pending() const {
  std::vector<std::string> out;
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) out.push_back(it->sql);
  return out;
}

std::vector<std::string> CleanupStack::Unwind(
    const std::function<Status(const std::string&)>& run) {
  std::vector<std::string> failed;
  while (!items_.empty()) {
    Item item = std::move(items_.back());
    items_.pop_back();
    Status s = run(item.sql);
    if (s.ok()) {
      LogInfo("removed " + item.what);
      continue;
    }
    // Stop here: dropping the shadow while a trigger still writes into it would break every
    // write on the original. What is left is reported, in order, for a human to run.
    LogError("could not remove " + item.what + ": " + s.message());
    failed.push_back(item.sql);
    while (!items_.empty()) {
      failed.push_back(items_.back().sql);
      items_.pop_back();
    }
  }
  return failed;
}

}  // namespace shadowalter
