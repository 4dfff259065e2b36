#pragma once
// emo-train --nproc N: this program started N times on this machine as the ranks of one
// data-parallel job, with the environment torchrun would give them.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace emo::app {

using Environment = std::vector<std::pair<std::string, std::string>>;

// torchrun's environment for rank `rank` of `nproc` on this machine, rendezvous at 127.0.0.1:`port`.
Environment torchrun_environment(int rank, int nproc, int port);
// A port nobody listens on now (the kernel's pick).
int free_port();

// Starts `nproc` copies of this program with `args` (argv[0] first, without --nproc) and
// environment(rank) added, and waits. When a rank fails, the others get `grace_seconds` to notice and
// stop (a huge grace lets independent workers finish theirs), then are killed; the failed rank is
// named. Returns 0, or the exit code of the first rank that failed (1 when a signal ended it).
int run_local_job(int nproc, const std::vector<std::string>& args, const std::function<Environment(int)>& environment,
                  double grace_seconds);

}  // namespace emo::app
