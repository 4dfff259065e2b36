#include <cstdlib>
#include <string>

#include "emo/error.hpp"
#include "emo/train.hpp"

namespace emo::train {
namespace {

// $NAME as a number in [low, high]; `fallback` when unset or empty.
double number_from_environment(const char* name, double fallback, double low, double high) {
    const char* text = std::getenv(name);
    if (text == nullptr || *text == '\0') return fallback;
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || !(value >= low && value <= high)) {
        throw ConfigError(std::string("environment variable ") + name + ": expected a number in [" +
                          std::to_string(long(low)) + ", " + std::to_string(long(high)) + "], got '" + text + "'");
    }
    return value;
}

int integer_from_environment(const char* name, int fallback, int low, int high) {
    const double value = number_from_environment(name, fallback, low, high);
    if (value != double(long(value))) {
        throw ConfigError(std::string("environment variable ") + name + ": expected a whole number, got '" +
                          std::getenv(name) + "'");
    }
    return int(value);
}

}  // namespace

DistributedOptions distributed_from_environment() {
    DistributedOptions d;
    d.world_size = integer_from_environment("WORLD_SIZE", 1, 1, 65536);
    d.timeout_seconds = number_from_environment("EMO_DIST_TIMEOUT", d.timeout_seconds, 1, 86400);
    d.local_world_size = integer_from_environment("LOCAL_WORLD_SIZE", 1, 1, 65536);
    if (d.world_size == 1) return d;
    d.rank = integer_from_environment("RANK", -1, 0, d.world_size - 1);
    if (d.rank < 0)
        throw ConfigError("environment variable RANK: required when WORLD_SIZE is " + std::to_string(d.world_size));
    if (const char* addr = std::getenv("MASTER_ADDR"); addr != nullptr && *addr != '\0') d.master_addr = addr;
    d.master_port = integer_from_environment("MASTER_PORT", d.master_port, 1, 65535);
    return d;
}

}  // namespace emo::train
