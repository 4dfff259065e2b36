// LD_PRELOAD shim for the crash tests: with EMO_KILL_SAVING=NAME:N, the process is killed with
// SIGKILL halfway through its N-th save of a file named NAME (e.g. checkpoint.pt:3). The library
// saves every file by writing a temporary and renaming it; this shim catches that rename, cuts the
// temporary to half its size and kills the process before the rename happens. The library itself
// carries no test hook.
#include <dlfcn.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace {

bool names_file(const char* path, const std::string& name) {
    const std::string p = path;
    return p == name || (p.size() > name.size() && p.compare(p.size() - name.size(), name.size(), name) == 0 &&
                         p[p.size() - name.size() - 1] == '/');
}

bool is_the_save_to_kill(const char* to) {
    static int saves = 0;
    const char* spec = std::getenv("EMO_KILL_SAVING");
    const char* colon = spec ? std::strrchr(spec, ':') : nullptr;
    if (colon == nullptr) return false;
    if (!names_file(to, std::string(spec, colon))) return false;
    return ++saves == std::atoi(colon + 1);
}

}  // namespace

extern "C" int rename(const char* from, const char* to) {
    using Rename = int (*)(const char*, const char*);
    static const auto real_rename = reinterpret_cast<Rename>(dlsym(RTLD_NEXT, "rename"));
    if (is_the_save_to_kill(to)) {
        struct stat st {};
        if (::stat(from, &st) == 0) (void)::truncate(from, st.st_size / 2);
        ::kill(::getpid(), SIGKILL);
    }
    return real_rename(from, to);
}
