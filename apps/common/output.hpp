#pragma once
// Printing results as text, JSON lines or CSV (DESIGN.md "JSON shapes"). CSV has one column per
// label of `columns` (the union of the models' labels, canonical order); a score a model does not
// have is left empty. Speech rows leave the face and box columns empty.
#include <ostream>
#include <string>
#include <vector>

#include "emo/emo.hpp"

namespace emo::app {

enum class Format { kText, kJson, kCsv };

// The labels of several models: canonical ones in canonical order, then new label words (--extend-labels) sorted.
std::vector<std::string> label_union(const std::vector<std::vector<std::string>>& label_lists);

void print_header(const std::vector<std::string>& columns, Format format, std::ostream& out);
void print_speech(const SpeechResult& r, const std::vector<std::string>& columns, Format format, std::ostream& out);
void print_image(const ImageResult& r, const std::vector<std::string>& columns, Format format, std::ostream& out);

}  // namespace emo::app
