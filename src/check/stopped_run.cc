#include "check/stopped_run.h"

#include <algorithm>

#include "db/quote.h"
#include "inspect/inspector.h"
#include "sql/inspect_queries.h"
#include "util/strings.h"

namespace shadowalter {
namespace {

// What the refusals of a stopped run whose artifacts no longer fit say to do.
std::string CleanupAdvice(const StoppedRunContext& ctx) {
  return "; remove the stopped run with `shadowalter cleanup " +
         ctx.config.conn.DsnWithoutPassword() + "` and run again";
}

// Whether the stopped run had made its triggers, so that they (and its refusal log) must exist.
bool HadTriggers(const StoppedRunContext& ctx) { return ctx.stopped->phase >= RunPhase::kCopying; }

// Whether the stopped run had swapped the tables: the table is the new one, the old one kept.
bool Swapped(const StoppedRunContext& ctx) {
  const ArtifactsFound& f = *ctx.found;
  return ctx.stopped != nullptr && ctx.stopped->phase >= RunPhase::kSwapping && f.original &&
         f.old_table && !f.new_table;
}

// Whether the stopped run moved the table's own triggers (--preserve-triggers).
bool PreservedTriggers(const Checkpoint& stopped) {
  StatusOr<RunIdentity> identity = RunIdentity::Decode(stopped.identity);
  return identity.ok() && identity->preserve_triggers;
}

// What the cleanup's refusals of triggers it can't put back say to do.
std::string PutBackByHandAdvice(const StoppedRunContext& ctx) {
  return "put the table's missing triggers back on " +
         QualifiedName(ctx.config.conn.database, ctx.config.conn.table) +
         " by hand (SHOW CREATE TRIGGER shows those on the new table), drop any from the new "
         "table, then run cleanup again";
}

}  // namespace

const std::vector<StoppedRunCheck>& StoppedRunChecks() {
  using S = StoppedRunStage;
  static const std::vector<StoppedRunCheck> kChecks = {
      {"stopped-run-on-record", CheckStoppedRunOnRecord, S::kCheckpointRead},
      {"resume-asked", CheckResumeAsked, S::kCheckpointRead},
      {"same-alter", CheckSameAlter, S::kCheckpointRead},
      {"same-foreign-keys-method", CheckSameForeignKeysMethod, S::kAlterAdopted},
      {"same-preserve-triggers", CheckSamePreserveTriggers, S::kAlterAdopted},
      {"own-triggers-on-record", CheckOwnTriggersOnRecord, S::kOwnTriggersBack},
      {"new-table-kept", CheckNewTableKept, S::kContinuing},
      {"same-table-definition", CheckSameTableDefinition, S::kCopyPlanned},
      {"same-new-table", CheckSameNewTable, S::kCopyPlanned},
      {"same-chunk-key", CheckSameChunkKey, S::kCopyPlanned},
      {"triggers-kept", CheckTriggersKept, S::kArtifactsFound},
      {"triggers-unchanged", CheckTriggersUnchanged, S::kArtifactsFound},
      {"refusal-log-kept", CheckRefusalLogKept, S::kArtifactsFound},
      {"table-kept", CheckTableKept, S::kBeforeCleanup},
      {"no-foreign-key-to-new-table", CheckNoForeignKeyToNewTable, S::kBeforeCleanup},
      {"own-triggers-on-record", CheckOwnTriggersOnRecord, S::kBeforeCleanup},
      {"new-table-triggers-on-record", CheckNewTableTriggersOnRecord, S::kBeforeCleanup},
  };
  return kChecks;
}

Status RunStoppedRunChecks(const StoppedRunContext& ctx, StoppedRunStage stage) {
  for (const StoppedRunCheck& check : StoppedRunChecks()) {
    if (check.stage == stage) SA_RETURN_IF_ERROR(check.run(ctx));
  }
  return Status::Ok();
}

std::string DescribeStoppedRun(const Checkpoint& stopped, const Config& config) {
  return "a stopped run of " + QualifiedName(config.conn.database, config.conn.table) +
         " (ALTER \"" + stopped.alter + "\", phase " + RunPhaseName(stopped.phase) + ", started " +
         stopped.started_at + " UTC by " + stopped.started_by + ")";
}

Status CheckStoppedRunOnRecord(const StoppedRunContext& ctx) {
  if (ctx.stopped != nullptr || ctx.config.resume != ResumePolicy::kRequired) return Status::Ok();
  return RefusedError("there is no stopped run of " +
                      QualifiedName(ctx.config.conn.database, ctx.config.conn.table) +
                      " to resume (no checkpoint " + QuoteIdentifier(ctx.names.checkpoint_table) +
                      "); start one with --alter ... --execute");
}

Status CheckResumeAsked(const StoppedRunContext& ctx) {
  if (ctx.stopped == nullptr || ctx.config.resume != ResumePolicy::kRefuse) return Status::Ok();
  const std::string dsn = ctx.config.conn.DsnWithoutPassword();
  return RefusedError(DescribeStoppedRun(*ctx.stopped, ctx.config) + " is on record in " +
                      QuoteIdentifier(ctx.names.checkpoint_table) +
                      ": continue it with `shadowalter resume " + dsn +
                      "` (or add --resume), or remove it with `shadowalter cleanup " + dsn + "`");
}

Status CheckSameAlter(const StoppedRunContext& ctx) {
  if (ctx.stopped == nullptr || ctx.config.alter.empty() ||
      NormalizeAlterText(ctx.config.alter) == NormalizeAlterText(ctx.stopped->alter)) {
    return Status::Ok();
  }
  return RefusedError(DescribeStoppedRun(*ctx.stopped, ctx.config) +
                      " has a different ALTER than \"" + ctx.config.alter +
                      "\": resume it without --alter, or remove it first with "
                      "`shadowalter cleanup " +
                      ctx.config.conn.DsnWithoutPassword() + "`");
}

Status CheckSameForeignKeysMethod(const StoppedRunContext& ctx) {
  // Not given: the stopped run's is taken.
  if (ctx.config.foreign_keys_method == ForeignKeyMethod::kUnset) return Status::Ok();
  const std::string given = ForeignKeyMethodName(ctx.config.foreign_keys_method);
  const std::string& stopped = ctx.identity->foreign_keys_method;
  if (given == stopped) return Status::Ok();
  return RefusedError("the stopped run uses --alter-foreign-keys-method " +
                      (stopped.empty() ? std::string("(none given)") : stopped) + ", not " + given +
                      ": resume it with the same method");
}

Status CheckSamePreserveTriggers(const StoppedRunContext& ctx) {
  // Not given: the stopped run's choice is taken.
  if (!ctx.config.preserve_triggers || ctx.identity->preserve_triggers) return Status::Ok();
  return RefusedError(
      "the stopped run did not use --preserve-triggers: resume it without, or "
      "remove it with `shadowalter cleanup` first");
}

Status CheckOwnTriggersOnRecord(const StoppedRunContext& ctx) {
  const Checkpoint* c = ctx.stopped;
  // A checkpoint of an earlier build kept them in memory only. With all three of ours still on
  // the table the cut-over had not begun (it drops them first), and after the RENAME the new
  // table had the table's triggers already.
  if (c == nullptr || c->own_triggers || c->phase < RunPhase::kSwapping || Swapped(ctx) ||
      ctx.found->triggers.size() == 3 || !PreservedTriggers(*c)) {
    return Status::Ok();
  }
  const std::string what =
      "the stopped run stopped inside the trigger cut-over, and its checkpoint (made by "
      "shadowalter " +
      c->tool_version + ") does not keep the table's own triggers";
  if (ctx.config.mode == RunMode::kCleanup)
    return RefusedError(what + ": " + PutBackByHandAdvice(ctx));
  const std::string& schema = ctx.config.conn.database;
  return RefusedError(what + ", so they can't be put back from it: compare the triggers of " +
                      QualifiedName(schema, ctx.config.conn.table) + " and " +
                      QualifiedName(schema, ctx.names.shadow_table) +
                      " with your own definitions, put the missing ones back on the table by "
                      "hand, then run `shadowalter cleanup " +
                      ctx.config.conn.DsnWithoutPassword() + "`");
}

Status CheckNewTableKept(const StoppedRunContext& ctx) {
  if (ctx.found->new_table) return Status::Ok();
  return RefusedError(DescribeStoppedRun(*ctx.stopped, ctx.config) + " has lost its new table " +
                      QuoteIdentifier(ctx.names.shadow_table) +
                      ": nothing to resume; remove the rest with `shadowalter cleanup " +
                      ctx.config.conn.DsnWithoutPassword() + "` and run again");
}

Status CheckSameTableDefinition(const StoppedRunContext& ctx) {
  // Empty in a checkpoint that does not record it.
  const std::string& recorded = ctx.stopped->original_fingerprint;
  if (recorded.empty() || DefinitionFingerprint(ctx.original->create_statement) == recorded) {
    return Status::Ok();
  }
  return RefusedError(
      "the table's definition changed since the stopped run started, so its "
      "triggers and new table no longer match it" +
      CleanupAdvice(ctx));
}

Status CheckSameNewTable(const StoppedRunContext& ctx) {
  if (DefinitionFingerprint(ctx.new_table->create_statement) ==
      ctx.stopped->new_table_fingerprint) {
    return Status::Ok();
  }
  return RefusedError("the new table " + QuoteIdentifier(ctx.names.shadow_table) +
                      " changed since the stopped run made it" + CleanupAdvice(ctx));
}

Status CheckSameChunkKey(const StoppedRunContext& ctx) {
  // Empty when it stopped before recording its key: this run records it.
  const std::string& walked = ctx.stopped->chunk_key;
  if (walked.empty() || ctx.chunk_key == walked) return Status::Ok();
  return RefusedError("the stopped run walked the key (" + walked + "), this one would walk (" +
                      ctx.chunk_key + ")" + CleanupAdvice(ctx));
}

Status CheckTriggersKept(const StoppedRunContext& ctx) {
  if (!HadTriggers(ctx)) return Status::Ok();
  const std::vector<std::string>& found = ctx.found->triggers;
  std::vector<std::string> missing;
  for (const std::string* t :
       {&ctx.names.insert_trigger, &ctx.names.update_trigger, &ctx.names.delete_trigger}) {
    if (std::find(found.begin(), found.end(), *t) == found.end()) {
      missing.push_back(QuoteIdentifier(*t));
    }
  }
  if (missing.empty()) return Status::Ok();
  return RefusedError("trigger " + Join(missing, ", ") +
                      " of the stopped run is gone, so writes since then never reached the "
                      "new table" +
                      CleanupAdvice(ctx));
}

Status CheckTriggersUnchanged(const StoppedRunContext& ctx) {
  if (!HadTriggers(ctx)) return Status::Ok();
  SA_ASSIGN_OR_RETURN(std::string text,
                      TriggerDefinitionsText(ctx.session, ctx.config.conn.database, ctx.names));
  if (Fingerprint(text) == ctx.stopped->triggers_fingerprint) return Status::Ok();
  return RefusedError("the stopped run's triggers were changed since it made them" +
                      CleanupAdvice(ctx));
}

Status CheckRefusalLogKept(const StoppedRunContext& ctx) {
  if (!HadTriggers(ctx) || ctx.found->refusals_table) return Status::Ok();
  // Without it the triggers skip a refused write unseen (a run of an older version).
  return RefusedError("the stopped run has no refusal log " +
                      QuoteIdentifier(ctx.names.refusals_table) +
                      ", so a write its triggers skipped would go unseen" + CleanupAdvice(ctx));
}

Status CheckTableKept(const StoppedRunContext& ctx) {
  if (ctx.found->original || !ctx.found->new_table) return Status::Ok();
  // An interrupted drop-and-rename cut-over: the new table holds the only copy of the data.
  const std::string& schema = ctx.config.conn.database;
  const std::string table = QualifiedName(schema, ctx.config.conn.table);
  return RefusedError(table + " is missing and " + QuoteIdentifier(ctx.names.shadow_table) +
                      " holds its data: rename it back first: RENAME TABLE " +
                      QualifiedName(schema, ctx.names.shadow_table) + " TO " + table + ";");
}

Status CheckNoForeignKeyToNewTable(const StoppedRunContext& ctx) {
  const std::string& schema = ctx.config.conn.database;
  // A failed look ends the cleanup: dropping a table a foreign key may still reference is not
  // done blind.
  SA_ASSIGN_OR_RETURN(ResultSet children, ctx.session.Query(ConstraintsReferencingTableQuery(
                                              schema, ctx.names.shadow_table)));
  if (children.empty()) return Status::Ok();
  const auto& row = children.rows[0];
  return RefusedError("foreign key " + QuoteIdentifier(row[2].value_or("")) + " of " +
                      QualifiedName(row[0].value_or(""), row[1].value_or("")) + " references " +
                      QuoteIdentifier(ctx.names.shadow_table) +
                      " (the stopped run was repointing child foreign keys): point it back at " +
                      QualifiedName(schema, ctx.config.conn.table) +
                      " first, then run cleanup again");
}

Status CheckNewTableTriggersOnRecord(const StoppedRunContext& ctx) {
  // Kept: the cleanup puts them back from the checkpoint. Swapped, there is no new table.
  if ((ctx.stopped != nullptr && ctx.stopped->own_triggers) || !ctx.found->new_table) {
    return Status::Ok();
  }
  SA_ASSIGN_OR_RETURN(
      std::vector<Trigger> on_new,
      InspectTriggers(ctx.session, ctx.config.conn.database, ctx.names.shadow_table));
  // The reverse triggers of a --revertible swap that stopped before its RENAME are the run's
  // own: they go with the new table.
  std::erase_if(on_new, [&](const Trigger& t) {
    return t.name == ctx.names.reverse_insert_trigger ||
           t.name == ctx.names.reverse_update_trigger || t.name == ctx.names.reverse_delete_trigger;
  });
  if (on_new.empty()) return Status::Ok();
  std::vector<std::string> quoted;
  for (const Trigger& t : on_new) quoted.push_back(QuoteIdentifier(t.name));
  return RefusedError("the new table " + QuoteIdentifier(ctx.names.shadow_table) +
                      " carries trigger " + Join(quoted, ", ") +
                      " (a run was moving the table's own triggers), and no checkpoint keeps "
                      "them: " +
                      PutBackByHandAdvice(ctx));
}

}  // namespace shadowalter
