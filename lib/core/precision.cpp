#include "emo/precision.hpp"

#include <cpuid.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>

#include "emo/error.hpp"

namespace emo {
namespace {

// XCR0: the register state the OS saves on a context switch. Without it the instructions fault.
std::uint64_t saved_state_flags() {
    std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 27))) return 0;  // no OSXSAVE
    std::uint32_t lo = 0, hi = 0;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (std::uint64_t(hi) << 32) | lo;
}

Bf16Support read_cpuid() {
    Bf16Support s;
    std::uint32_t eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (__get_cpuid_max(0, nullptr) < 7) return s;
    const std::uint64_t xcr0 = saved_state_flags();
    const bool avx512_state = (xcr0 & 0xe6) == 0xe6;               // SSE, AVX, opmask, ZMM halves
    const bool amx_state = (xcr0 & (3ull << 17)) == (3ull << 17);  // TILECFG, TILEDATA
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    const bool avx512f = ebx & (1u << 16);
    s.amx_bf16 = amx_state && (edx & (1u << 22)) && (edx & (1u << 24));  // AMX-BF16, AMX-TILE
    __cpuid_count(7, 1, eax, ebx, ecx, edx);
    s.avx512_bf16 = avx512_state && avx512f && (eax & (1u << 5));
    return s;
}

// oneDNN's ISA cap (ONEDNN_MAX_CPU_ISA, or the older DNNL_MAX_CPU_ISA), upper-cased; "" when unset.
std::string onednn_isa_cap() {
    const char* cap = std::getenv("ONEDNN_MAX_CPU_ISA");
    if (cap == nullptr) cap = std::getenv("DNNL_MAX_CPU_ISA");
    std::string out = cap != nullptr ? cap : "";
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return out;
}

// What oneDNN may use under its cap: below AVX512_CORE_BF16 it has no bf16 kernels worth running (below
// AVX512_CORE none at all: creating one fails), so the cap counts as the processor lacking them.
Bf16Support capped(Bf16Support s, const std::string& cap) {
    if (cap.empty() || cap == "ALL" || cap == "AVX512_CORE_AMX") return s;
    if (cap != "AVX512_CORE_BF16") s.avx512_bf16 = false;
    s.amx_bf16 = false;
    return s;
}

}  // namespace

const char* precision_name(Precision p) {
    switch (p) {
        case Precision::kAuto: return "auto";
        case Precision::kFp32: return "fp32";
        case Precision::kBf16: return "bf16";
    }
    return "auto";
}

bool parse_precision(const std::string& name, Precision& out) {
    for (Precision p : {Precision::kAuto, Precision::kFp32, Precision::kBf16}) {
        if (name == precision_name(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

std::string Bf16Support::describe() const {
    if (amx_bf16 && avx512_bf16) return "AMX-BF16 and AVX512-BF16";
    if (amx_bf16) return "AMX-BF16";
    if (avx512_bf16) return "AVX512-BF16";
    return "none";
}

Bf16Support cpu_bf16_support() {
    const char* forced = std::getenv("EMO_CPU_BF16");
    if (forced != nullptr && std::strcmp(forced, "0") == 0) return {};
    static const Bf16Support support = capped(read_cpuid(), onednn_isa_cap());
    return support;
}

Precision resolve_precision(Precision asked, const std::string& setting, bool on_cpu) {
    if (asked == Precision::kFp32) return Precision::kFp32;
    if (!on_cpu) {
        if (asked == Precision::kAuto) return Precision::kFp32;
        throw ConfigError(setting +
                          " bf16: emo's bf16 path runs on the CPU (AMX-BF16 or AVX512-BF16); on a CUDA "
                          "device use fp32");
    }
    const Bf16Support support = cpu_bf16_support();
    if (support.any()) return Precision::kBf16;
    if (asked == Precision::kAuto) return Precision::kFp32;
    const std::string cap = onednn_isa_cap();
    const bool capped_here = !cap.empty() && read_cpuid().any();
    throw ConfigError(setting + " bf16: this processor has neither AMX-BF16 nor AVX512-BF16" +
                      (capped_here ? " that oneDNN may use (ONEDNN_MAX_CPU_ISA=" + cap + ")" : std::string()) +
                      " (use fp32 or auto)");
}

}  // namespace emo
