#pragma once
// emo-train --nproc N: this program started N times on this machine as the ranks of one
// data-parallel job, with the environment torchrun would give them.
#include <string>
#include <vector>

namespace emo::app {

// Starts `nproc` copies of this program with `args` (argv[0] first, without --nproc) and RANK,
// LOCAL_RANK, WORLD_SIZE, LOCAL_WORLD_SIZE, MASTER_ADDR=127.0.0.1 and a free MASTER_PORT, and waits.
// When a rank fails, the others get `grace_seconds` to notice and stop, then are killed; the lost
// rank is named. Returns 0, or the exit code of the first rank that failed (1 when a signal ended it).
int run_local_job(int nproc, const std::vector<std::string>& args, double grace_seconds);

}  // namespace emo::app
