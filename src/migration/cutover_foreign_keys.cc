// The cut-over's foreign-key parts: choosing the method for child tables, repointing them before
// the swap, and giving constraints back their names after it. The statements come from
// sql/foreign_keys.h.
#include "db/quote.h"
#include "migration/cutover.h"
#include "migration/ddl_policies.h"
#include "report/log.h"
#include "sql/foreign_keys.h"
#include "sql/shadow_ddl.h"
#include "util/strings.h"

namespace shadowalter {

void Cutover::ChooseForeignKeyMethod() {
  const ForeignKeyMethod asked = config_.foreign_keys_method;
  if (original_.referenced_by.empty()) {
    if (asked != ForeignKeyMethod::kUnset) {
      LogInfo("no other table references this one; --alter-foreign-keys-method has nothing to do");
    }
    return;
  }
  fk_method_ = asked;
  if (asked == ForeignKeyMethod::kAuto) {
    fk_method_ = ForeignKeyMethod::kRebuildConstraints;
    LogInfo(
        "--alter-foreign-keys-method auto chose rebuild_constraints: with foreign_key_checks=0 "
        "repointing a child's foreign key is metadata-only, so there is no reason to drop the "
        "table (auto never chooses drop_swap)");
  }
  std::vector<std::string> children;
  for (const ForeignKeyRef& fk : original_.referenced_by) {
    children.push_back(QualifiedName(fk.child_schema, fk.child_table) + " (" +
                       QuoteIdentifier(fk.constraint_name) + ")");
  }
  LogInfo("child foreign keys: " + Join(children, ", ") + "; method " +
          ForeignKeyMethodName(fk_method_));
}

StatusOr<std::pair<std::string, std::string>> Cutover::RepointStatements(
    const ForeignKeyRef& fk) const {
  // MariaDB can't drop and re-add one name in one ALTER (error 1826), and dropping first would
  // leave the child unconstrained: the child carries a toggled name until after the swap.
  const std::string transient = ToggleConstraintName(fk.constraint_name);
  SA_ASSIGN_OR_RETURN(std::string forward,
                      RepointForeignKey(fk, transient, names_.shadow_table, false));
  ForeignKeyRef moved = fk;
  moved.constraint_name = transient;
  SA_ASSIGN_OR_RETURN(std::string undo,
                      RepointForeignKey(moved, fk.constraint_name, config_.conn.table, true));
  return std::make_pair(forward, undo);
}

Status Cutover::RepointChildForeignKeys(Session& ddl) {
  if (fk_method_ != ForeignKeyMethod::kRebuildConstraints) return Status::Ok();
  for (const ForeignKeyRef& fk : original_.referenced_by) {
    SA_ASSIGN_OR_RETURN(auto statements, RepointStatements(fk));
    const std::string what = "repointed foreign key " + QuoteIdentifier(fk.constraint_name) +
                             " of " + QualifiedName(fk.child_schema, fk.child_table);
    // Pushed before running: if the answer is lost, the change may have happened all the same.
    // Unwinding runs it before the triggers and the new table go: a child still referencing
    // the new table would block dropping it.
    cleanup_.Push(what, statements.second);
    SA_RETURN_IF_ERROR(
        RunDdlWithRetry(ddl, statements.first,
                        PolicyFor(policy_, config_, DdlOperation::kUpdateForeignKeys), stop_)
            .With("repointing foreign key " + QuoteIdentifier(fk.constraint_name)));
  }
  LogInfo("repointed " + std::to_string(original_.referenced_by.size()) +
          " child foreign keys to " + QuoteIdentifier(names_.shadow_table) +
          " (metadata-only); until the swap, deletes on the table reach the children through "
          "the new table's copy of each row; swapping now");
  return Status::Ok();
}

Status Cutover::QueueChildNameRestores() {
  for (const ForeignKeyRef& fk : original_.referenced_by) {
    ForeignKeyRef moved = fk;
    moved.constraint_name = ToggleConstraintName(fk.constraint_name);
    SA_ASSIGN_OR_RETURN(std::string sql,
                        RepointForeignKey(moved, fk.constraint_name, config_.conn.table, true));
    after_swap_.Push("the transient name of foreign key " + QuoteIdentifier(fk.constraint_name) +
                         " of " + QualifiedName(fk.child_schema, fk.child_table),
                     sql);
  }
  return Status::Ok();
}

Status Cutover::QueueOwnNameRestores() {
  for (const ForeignKeyRef& mine : shadow_.foreign_keys) {
    for (const ForeignKeyRef& orig : original_.foreign_keys) {
      if (ToggleConstraintName(orig.constraint_name) != mine.constraint_name) continue;
      // The new table is the table now; a self-reference references it under its new name.
      ForeignKeyRef live = mine;
      live.child_table = config_.conn.table;
      const bool self = live.referenced_schema == config_.conn.database &&
                        live.referenced_table == names_.shadow_table;
      SA_ASSIGN_OR_RETURN(
          std::string sql,
          RepointForeignKey(live, orig.constraint_name,
                            self ? config_.conn.table : live.referenced_table, true));
      after_swap_.Push(
          "the toggled name of the table's foreign key " + QuoteIdentifier(orig.constraint_name),
          sql);
    }
  }
  return Status::Ok();
}

}  // namespace shadowalter
