#pragma once
// The processes of a distributed training job, joined through PyTorch's c10d (a TCP rendezvous
// store and a Gloo process group). This header keeps c10d out of its includers.
#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "emo/train.hpp"

namespace emo::train {

class ProcessGroup {
public:
    // Joins the job `d` describes (rank 0 hosts the rendezvous store at master_addr:master_port).
    // Throws RuntimeError when the other ranks do not arrive within d.timeout_seconds, or when this
    // build has no c10d/Gloo.
    static std::shared_ptr<ProcessGroup> join(const DistributedOptions& d);
    virtual ~ProcessGroup() = default;

    virtual int rank() const = 0;
    virtual int size() const = 0;
    // In place, across every rank. A rank that is gone or does not answer within the timeout makes
    // these throw RuntimeError naming it.
    virtual void all_reduce_sum(torch::Tensor& t) = 0;
    virtual void broadcast(torch::Tensor& t, int root) = 0;
    virtual void barrier() = 0;
};

}  // namespace emo::train
