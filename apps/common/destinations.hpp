#pragma once
// Output destinations checked before the work that fills them, so that a typo in --json, --plots or
// --write-config costs a second, not a whole evaluation that is then thrown away.
#include <string>
#include <vector>

namespace emo::app {

// Creates the folder (and its parents) and checks that a file can be created in it.
// Throws RuntimeError naming the folder.
void make_output_folder(const std::string& dir);

// Each non-empty file path: checks that a file beside it (as write_file_atomic writes first) can be
// created; each non-empty folder: make_output_folder. Nothing is left behind but the folders.
// Throws RuntimeError naming the path.
void check_destinations(const std::vector<std::string>& files, const std::vector<std::string>& folders = {});

}  // namespace emo::app
