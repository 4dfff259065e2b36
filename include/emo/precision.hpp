#pragma once
// Numeric precision of the networks: fp32, or bf16 on the processor's matrix units (AMX-BF16 or
// AVX512-BF16) with weights, optimiser state, loss, softmax and batch-norm statistics kept in fp32.
// No LibTorch here: the programs and configs include it.
#include <string>

namespace emo {

enum class Precision { kAuto, kFp32, kBf16 };

// "auto", "fp32", "bf16" <-> Precision. parse_precision returns false for anything else.
const char* precision_name(Precision p);
bool parse_precision(const std::string& name, Precision& out);

// What this processor offers for bf16, read with cpuid (and the OS's saved-state flags), less what
// oneDNN's own cap (ONEDNN_MAX_CPU_ISA, e.g. AVX2) forbids it. Setting EMO_CPU_BF16=0 in the
// environment makes it report none (to test the fallback on a machine that has them).
struct Bf16Support {
    bool amx_bf16 = false;
    bool avx512_bf16 = false;
    bool any() const { return amx_bf16 || avx512_bf16; }
    std::string describe() const;  // "AMX-BF16 and AVX512-BF16", "AVX512-BF16", "none"
};
Bf16Support cpu_bf16_support();

// The precision that runs: kAuto becomes kBf16 where the CPU supports it, else kFp32; kBf16 where it
// does not throws ConfigError (exit 2) naming `setting` (the flag or config key that asked) and the
// missing instruction sets. `on_cpu` false (a CUDA device): auto is fp32 and bf16 is refused, naming
// the device, since emo's bf16 path is the CPU's.
Precision resolve_precision(Precision asked, const std::string& setting, bool on_cpu = true);

}  // namespace emo
