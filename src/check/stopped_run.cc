#include "check/stopped_run.h"

#include <algorithm>

#include "db/quote.h"
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

}  // namespace

const std::vector<StoppedRunCheck>& StoppedRunChecks() {
  using S = StoppedRunStage;
  static const std::vector<StoppedRunCheck> kChecks = {
      {"stopped-run-on-record", CheckStoppedRunOnRecord, S::kCheckpointRead},
      {"resume-asked", CheckResumeAsked, S::kCheckpointRead},
      {"same-alter", CheckSameAlter, S::kCheckpointRead},
      {"same-foreign-keys-method", CheckSameForeignKeysMethod, S::kAlterAdopted},
      {"same-preserve-triggers", CheckSamePreserveTriggers, S::kAlterAdopted},
      {"new-table-kept", CheckNewTableKept, S::kContinuing},
      {"same-table-definition", CheckSameTableDefinition, S::kCopyPlanned},
      {"same-new-table", CheckSameNewTable, S::kCopyPlanned},
      {"same-chunk-key", CheckSameChunkKey, S::kCopyPlanned},
      {"triggers-kept", CheckTriggersKept, S::kArtifactsFound},
      {"triggers-unchanged", CheckTriggersUnchanged, S::kArtifactsFound},
      {"refusal-log-kept", CheckRefusalLogKept, S::kArtifactsFound},
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

}  // namespace shadowalter
