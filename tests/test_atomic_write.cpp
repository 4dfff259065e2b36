// Every file the library writes goes through core::write_file_atomic: a failed write leaves the old
// file as it was and no temporary behind. "Unwritable half-way" is made with RLIMIT_FSIZE, which
// lets a write start and fails it once the file reaches the limit.
#include <sys/resource.h>

#include <csignal>

#include "emo/core.hpp"
#include "emo/error.hpp"
#include "emo/eval.hpp"
#include "emo/model_file.hpp"
#include "helpers.hpp"

using namespace emo;

namespace {

// Files may grow to `bytes` while the object lives (SIGXFSZ ignored, so writes fail with EFBIG).
struct FileSizeLimit {
    rlimit before{};
    void (*old_handler)(int);
    explicit FileSizeLimit(rlim_t bytes) {
        old_handler = std::signal(SIGXFSZ, SIG_IGN);
        getrlimit(RLIMIT_FSIZE, &before);
        rlimit limited = before;
        limited.rlim_cur = bytes;
        REQUIRE(setrlimit(RLIMIT_FSIZE, &limited) == 0);
    }
    ~FileSizeLimit() {
        setrlimit(RLIMIT_FSIZE, &before);
        std::signal(SIGXFSZ, old_handler);
    }
};

std::vector<std::string> files_in(const std::filesystem::path& dir) {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(dir)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

TEST_CASE("a write that fails half-way keeps the old file and leaves no temporary", "[atomic]") {
    test::TempDir dir;
    const auto path = dir.file("out.txt");
    core::write_file_atomic(path, "old contents\n");
    {
        FileSizeLimit limit(4096);
        REQUIRE_THROWS_AS(core::write_file_atomic(path, std::string(100000, 'x')), RuntimeError);
    }
    CHECK(core::read_file(path) == "old contents\n");
    CHECK(files_in(dir.path) == std::vector<std::string>{"out.txt"});
}

TEST_CASE("model files and plots are written the same way", "[atomic]") {
    test::TempDir dir;
    torch::nn::Linear net(256, 256);  // ~260 KB of weights
    models::ModelMetadata meta;
    meta.labels = {"happy", "sad"};
    const auto model = dir.file("model.pt");
    models::save_model(model, *net, meta);
    const auto saved = core::read_file(model);

    const eval::Metrics m = eval::compute_metrics({"happy", "sad"}, {0, 1, 1}, {0, 1, 0});
    const auto png = dir.file("confusion.png");
    {
        FileSizeLimit limit(1000);
        REQUIRE_THROWS_AS(models::save_model(model, *net, meta), RuntimeError);
        REQUIRE_THROWS_AS(eval::plot_confusion(m, "confusion", png), RuntimeError);
    }
    CHECK(core::read_file(model) == saved);
    CHECK(files_in(dir.path) == std::vector<std::string>{"model.pt"});

    eval::plot_confusion(m, "confusion", png);
    CHECK(core::read_file(png).substr(1, 3) == "PNG");
    CHECK(files_in(dir.path) == std::vector<std::string>{"confusion.png", "model.pt"});
}

TEST_CASE("temporaries of killed writers are removed, those of live ones kept", "[atomic]") {
    test::TempDir dir;
    test::write_text(dir.file("checkpoint.pt.tmp999999999.4"), "half");  // above any pid_max: no such process
    const auto live = "checkpoint.pt.tmp" + std::to_string(::getpid()) + ".5";
    test::write_text(dir.file(live), "being written");
    test::write_text(dir.file("notes.tmp"), "a user's file");
    CHECK(core::remove_abandoned_temporaries(dir.path.string()) == 1);
    CHECK(files_in(dir.path) == std::vector<std::string>{live, "notes.tmp"});
}
