#pragma once
// Printing results as text, JSON lines or CSV (DESIGN.md "JSON shapes").
#include <ostream>
#include <string>
#include <vector>

#include "emo/models.hpp"

namespace emo::app {

enum class Format { kText, kJson, kCsv };

// CSV header for speech predictions with these labels (file,modality,label,confidence,<labels...>).
void print_speech_header(const std::vector<std::string>& labels, Format format, std::ostream& out);
void print_speech(const models::ClipPrediction& p, const std::vector<std::string>& labels, Format format,
                  std::ostream& out);

}  // namespace emo::app
