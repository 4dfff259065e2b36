#include <torch/torch.h>

#include "emo/error.hpp"
#include "emo/model_file.hpp"

namespace emo::models {
torch::Device device_named(const std::string& name) {
    if (!config::is_device_name(name)) {
        throw ConfigError("device '" + name + "': expected cpu, cuda or cuda:N");
    }
    if (name == "cpu") return torch::Device(torch::kCPU);
    if (!torch::cuda::is_available()) {
        throw ConfigError("device '" + name + "': this LibTorch cannot use CUDA (" +
                          (torch::cuda::device_count() == 0
                               ? std::string("no CUDA device or no CUDA support in this build")
                               : std::string("CUDA unavailable")) +
                          "; Debian's LibTorch is CPU-only: build emo against a CUDA LibTorch, see README)");
    }
    const torch::Device device(name);
    if (device.has_index() && std::size_t(device.index()) >= torch::cuda::device_count()) {
        throw ConfigError("device '" + name + "': this machine has " + std::to_string(torch::cuda::device_count()) +
                          " CUDA device(s)");
    }
    return device;
}

Placement resolved(const Placement& where, const std::string& precision_setting) {
    const bool on_cpu = device_named(where.device).is_cpu();
    return {where.device, resolve_precision(where.precision, precision_setting, on_cpu)};
}

torch::Device device_of(torch::nn::Module& net) {
    const auto params = net.parameters();
    return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace emo::models
