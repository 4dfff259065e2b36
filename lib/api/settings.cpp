#include "settings.hpp"

#include "emo/config.hpp"
#include "emo/error.hpp"
#include "emo/models.hpp"
#include "emo/precision.hpp"

namespace emo::api {

models::Placement apply_settings(int threads, const std::string& device, const std::string& precision,
                                 const std::string& options_name) {
    if (threads < 0) throw ConfigError(options_name + "::threads: expected >= 0, got " + std::to_string(threads));
    if (!config::is_device_name(device)) {
        throw ConfigError(options_name + "::device: expected cpu, cuda or cuda:N, got '" + device + "'");
    }
    Precision asked = Precision::kAuto;
    if (!parse_precision(precision, asked)) {
        throw ConfigError(options_name + "::precision: expected auto, fp32 or bf16, got '" + precision + "'");
    }
    models::set_threads(threads);
    return models::resolved({device, asked}, options_name + "::precision");
}

}  // namespace emo::api
