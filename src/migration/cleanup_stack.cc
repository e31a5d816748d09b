#include "migration/cleanup_stack.h"

#include "report/log.h"

namespace shadowalter {

std::vector<std::string> CleanupStack::Pending() const {
  std::vector<std::string> out;
  for (auto it = items_.rbegin(); it != items_.rend(); ++it) {
    out.insert(out.end(), it->sql.begin(), it->sql.end());
  }
  return out;
}

std::vector<std::string> CleanupStack::Unwind(
    const std::function<Status(const std::string&)>& run) {
  std::vector<std::string> failed;
  while (!items_.empty()) {
    Item item = std::move(items_.back());
    items_.pop_back();
    size_t done = 0;
    Status s;
    for (; done < item.sql.size(); ++done) {
      s = run(item.sql[done]);
      if (!s.ok()) break;
    }
    if (s.ok()) {
      LogInfo("removed " + item.what);
      continue;
    }
    // Stop here: dropping the shadow while a trigger still writes into it would break every
    // write on the original. What is left is reported, in order, for a human to run.
    LogError("could not remove " + item.what + ": " + s.message());
    failed.insert(failed.end(), item.sql.begin() + done, item.sql.end());
    while (!items_.empty()) {
      const Item& next = items_.back();
      failed.insert(failed.end(), next.sql.begin(), next.sql.end());
      items_.pop_back();
    }
  }
  return failed;
}

}  // namespace shadowalter
