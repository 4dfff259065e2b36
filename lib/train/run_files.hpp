#pragma once
// What a training run writes into its directory besides the models.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emo/data.hpp"
#include "emo/train.hpp"

namespace emo::train {

// metrics.csv and metrics.json: one row/object per epoch.
void write_history(const std::string& run_dir, const std::vector<EpochRecord>& history);
// One epoch's record as JSON, and back (throws nlohmann::json::exception on a missing field).
nlohmann::json epoch_json(const EpochRecord& e);
EpochRecord epoch_from_json(const nlohmann::json& j);
// split.json: which speakers and how many clips per label trained and validated.
void write_split(const std::string& run_dir, const std::string& source, const data::Split& split);
// report.html: the run's tables and its PNG plots (curves.png, confusion.png) in one self-contained page.
// `chosen`: what the model is ("best epoch 12").
void write_html_report(const std::string& run_dir, const std::string& heading, const eval::Metrics& best,
                       const std::string& chosen, const std::vector<EpochRecord>& history);
// Validation metrics JSON with the epoch they come from (stored in the model too).
nlohmann::json validation_json(const eval::Metrics& m, int epoch);

}  // namespace emo::train
