#include "migration/run_record.h"

#include <utility>

#include "db/errors.h"

namespace shadowalter {

RunRecord::RunRecord(std::string schema, std::string checkpoint_table, std::string run_id)
    : store_(std::move(schema), std::move(checkpoint_table)), run_id_(std::move(run_id)) {}

void RunRecord::SettleRunId(const Checkpoint* stopped) {
  if (stopped != nullptr && !stopped->run_id.empty()) run_id_ = stopped->run_id;
  run_id_settled_ = true;
}

void RunRecord::Resume(Checkpoint stopped) {
  kind_ = kResumed;
  stopped_ = std::move(stopped);
}

Status RunRecord::Finish(Session& s, Checkpoint stopped) {
  kind_ = kFinishing;
  on_record_ = true;
  stopped_ = std::move(stopped);
  return RecordRunIdIfMissing(s);
}

Status RunRecord::Adopt(Session& s) {
  on_record_ = true;
  return RecordRunIdIfMissing(s);
}

Status RunRecord::RecordRunIdIfMissing(Session& s) const {
  if (!stopped_ || !stopped_->run_id.empty()) return Status::Ok();
  return store_.SetRunId(s, run_id_);
}

Status RunRecord::Create(Session& s, const Checkpoint& c) {
  SA_RETURN_IF_ERROR(store_.Create(s, c));
  on_record_ = true;
  return Status::Ok();
}

bool RunRecord::ParksOn(const Status& failure, bool stop_parks, bool swapped) const {
  if (failure.code() == Code::kParked) return true;
  if (failure.code() == Code::kAborted && stop_parks) return true;
  return IsConnectionLost(failure) && on_record_ && !swapped;
}

CopyStart RunRecord::CopyStartPoint() const {
  CopyStart start;
  if (kind_ != kResumed) return start;
  if (stopped_->phase >= RunPhase::kCopied) {
    start.all_copied = true;
    start.rows_copied = stopped_->rows_copied;
  } else if (stopped_->phase == RunPhase::kCopying && stopped_->position) {
    start.after = stopped_->position;
    start.rows_copied = stopped_->rows_copied;
  }
  return start;
}

Status RunRecord::RecordPhase(Session& s, RunPhase phase) const {
  return on_record_ ? store_.SetPhase(s, phase) : Status::Ok();
}

Status RunRecord::RecordNewTableFingerprint(Session& s, const std::string& fingerprint) const {
  return on_record_ ? store_.SetNewTableFingerprint(s, fingerprint) : Status::Ok();
}

Status RunRecord::RecordTriggersFingerprint(Session& s, const std::string& fingerprint) const {
  return on_record_ ? store_.SetTriggersFingerprint(s, fingerprint) : Status::Ok();
}

Status RunRecord::RecordOriginalFingerprint(Session& s, const std::string& fingerprint) const {
  return on_record_ ? store_.SetOriginalFingerprint(s, fingerprint) : Status::Ok();
}

Status RunRecord::RecordChunkKey(Session& s, const std::string& chunk_key) const {
  return on_record_ ? store_.SetChunkKey(s, chunk_key) : Status::Ok();
}

Status RunRecord::RecordOwnTriggers(Session& s, const std::vector<Trigger>& triggers) const {
  return on_record_ ? store_.SetOwnTriggers(s, triggers) : Status::Ok();
}

Status RunRecord::RecordNote(Session& s, const std::string& note) const {
  return on_record_ ? store_.SetNote(s, note) : Status::Ok();
}

Status RunRecord::RecordPosition(Session& s, const std::vector<std::string>& position,
                                 uint64_t rows_copied) const {
  return on_record_ ? store_.RecordPosition(s, position, rows_copied) : Status::Ok();
}

}  // namespace shadowalter
