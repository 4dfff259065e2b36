#include <torch/torch.h>

#include "emo/error.hpp"
#include "emo/model_file.hpp"

namespace emo::models {
namespace {
torch::Device g_device(torch::kCPU);
Precision g_precision = Precision::kAuto;
}  // namespace

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

void use_device(const std::string& name) { g_device = device_named(name); }

torch::Device current_device() { return g_device; }

Precision use_precision(Precision asked, const std::string& setting) {
    g_precision = resolve_precision(asked, setting, g_device.is_cpu());
    return g_precision;
}

Precision precision_in_use() {
    if (g_precision == Precision::kAuto) use_precision(Precision::kAuto);
    return g_precision;
}

torch::Device device_of(torch::nn::Module& net) {
    const auto params = net.parameters();
    return params.empty() ? torch::Device(torch::kCPU) : params.front().device();
}

}  // namespace emo::models
