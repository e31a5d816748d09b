#include "migration/ddl_policies.h"

#include <algorithm>

namespace shadowalter {
namespace {

const char* OperationName(DdlOperation operation) {
  switch (operation) {
    case DdlOperation::kCreateTriggers:
      return "create_triggers";
    case DdlOperation::kDropTriggers:
      return "drop_triggers";
    case DdlOperation::kSwapTables:
      return "swap_tables";
    case DdlOperation::kUpdateForeignKeys:
      return "update_foreign_keys";
    case DdlOperation::kOther:
      break;
  }
  return "";
}

}  // namespace

DdlRetryPolicy PolicyFor(DdlRetryPolicy base, const Config& config, DdlOperation operation) {
  const auto given = config.tries_by_operation.find(OperationName(operation));
  if (given == config.tries_by_operation.end()) return base;
  base.tries = given->second.tries;
  base.pause_seconds = given->second.wait_seconds;
  return base;
}

DdlRetryPolicy CleanupPolicy(DdlRetryPolicy base, const Config& config) {
  DdlRetryPolicy policy = PolicyFor(std::move(base), config, DdlOperation::kDropTriggers);
  policy.tries = std::max(policy.tries, 30u);
  return policy;
}

std::vector<std::string> UnusedTries(const Config& config) {
  std::vector<std::string> out;
  if (config.tries_by_operation.count("copy_rows") != 0) {
    out.push_back(
        "--tries copy_rows: not used; the copy's locking reads never wait for a lock, and a "
        "chunk that meets one is retried on its own, with short pauses, up to 2000 times");
  }
  if (config.tries_by_operation.count("analyze_table") != 0) {
    out.push_back("--tries analyze_table: not used; shadowalter runs no ANALYZE TABLE");
  }
  return out;
}

}  // namespace shadowalter
