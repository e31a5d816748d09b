// A concurrent application for the tests: one thread that inserts, updates (including updates
// that change the primary key, some into keys freed by deletes) and deletes rows of a table
// `(id BIGINT PK AUTO_INCREMENT, k INT, v VARCHAR(64))`, keeping its own model of exactly what it
// committed. After a migration the table must equal the model, row for row.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>

#include "db/session.h"

namespace shadowalter::testing {

class ModelWriter {
 public:
  // `port`: the server the writer writes to (0: the sandbox primary).
  ModelWriter(std::string schema, std::string table, unsigned seed, unsigned port = 0);
  ~ModelWriter();

  // Reads the table's current rows into the model. Call before Start.
  void LoadModel();
  void Start();
  void Stop();

  // "k|v" per id, as committed.
  std::map<int64_t, std::string> model() const;
  uint64_t committed() const { return committed_.load(); }
  uint64_t failed() const { return failed_.load(); }
  uint64_t key_changes() const { return key_changes_.load(); }
  std::string last_error() const;

 private:
  void Loop();
  bool OneTransaction();

  std::string schema_, table_;
  unsigned port_ = 0;
  std::mt19937_64 rng_;
  std::unique_ptr<Session> session_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  // Committed state. Only the writer thread changes it; model() reads it under the lock.
  mutable std::mutex mu_;
  std::map<int64_t, std::string> model_;
  std::vector<int64_t> ids_;          // the keys of model_, for random picks
  std::map<int64_t, size_t> id_pos_;  // id -> index in ids_
  std::vector<int64_t> freed_;        // ids deleted earlier, reused by key-changing updates
  void Put(int64_t id, std::string value);
  void Erase(int64_t id);
  const int64_t next_high_id_ = 2000000000;
  std::atomic<uint64_t> committed_{0}, failed_{0}, key_changes_{0};
  std::string last_error_;
};

// Creates `table` in the session's schema with the columns the writer expects, a secondary key
// and padding, holding `rows` rows.
void CreateModelTable(Session& s, int rows, const std::string& table = "t");

// The table's rows as "k|v" per id.
std::map<int64_t, std::string> TableRows(Session& s, const std::string& qualified_table);

}  // namespace shadowalter::testing
