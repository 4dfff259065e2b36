#include <algorithm>
#include <filesystem>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/vision.hpp"

namespace emo::data {
namespace fs = std::filesystem;

Dataset read_image_folder(const std::string& dir) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) throw InputError(dir, "not a folder");
    Dataset ds;
    ds.source = fs::absolute(dir).lexically_normal().string();
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (!entry.is_directory()) continue;
        const std::string name = entry.path().filename().string();
        if (name.front() == '.') continue;  // .git, .cache, ...
        const auto label = label_word(name);
        if (!label) {
            throw InputError(entry.path().string(), "folder name '" + name +
                                                        "' is not a label word (expected an emotion such as happy "
                                                        "or fear, or a new label such as contempt)");
        }
        for (const auto& file : fs::recursive_directory_iterator(entry.path())) {
            if (file.is_regular_file() && vision::has_image_extension(file.path().string())) {
                ds.samples.push_back(Sample{file.path().string(), *label, "", ""});
            }
        }
    }
    if (ds.samples.empty()) throw InputError(dir, "no images found in class folders (expected <dir>/<emotion>/*.png)");
    std::sort(ds.samples.begin(), ds.samples.end(), [](const Sample& a, const Sample& b) { return a.path < b.path; });
    return ds;
}

}  // namespace emo::data
