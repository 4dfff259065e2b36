#include "feedback_store.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include <unistd.h>

#include "emo/core.hpp"
#include "emo/data.hpp"
#include "emo/error.hpp"
#include "emo/line_reader.hpp"

namespace emo::app {
namespace fs = std::filesystem;
namespace {

constexpr const char* kHeader = "path,label,x,y,width,height";

// 128 bits of content hash as 32 hex digits (two FNV-1a passes, as the feature cache names its files).
std::string content_id(const std::string& content) {
    return core::to_hex(core::fnv1a(content)) + core::to_hex(core::fnv1a(content, 0x9e3779b97f4a7c15ull));
}

int count_rows(const std::string& csv) {
    std::ifstream in(csv);
    int lines = 0;
    for (std::string line; std::getline(in, line);) lines += !line.empty();
    return std::max(0, lines - 1);
}

// The modality's CSV, with its header when new.
std::string csv_for(const std::string& dir, const std::string& modality) {
    const auto csv = dir + "/" + modality + ".csv";
    if (!fs::exists(csv)) {
        std::ofstream out(csv);
        out << kHeader << '\n';
        if (!out.flush()) throw RuntimeError(csv + ": cannot write the feedback CSV");
    }
    return csv;
}

}  // namespace

FeedbackStore::FeedbackStore(std::string dir, std::size_t keep_count, std::size_t keep_bytes)
    : dir_(std::move(dir)), keep_count_(keep_count), keep_bytes_(keep_bytes) {
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (!fs::is_directory(dir_)) throw ConfigError("--feedback-dir " + dir_ + ": cannot create the folder");
    if (::access(dir_.c_str(), W_OK) != 0) throw ConfigError("--feedback-dir " + dir_ + ": not writable");
}

std::optional<InputKind> FeedbackStore::kind_of(const std::string& media_type) {
    static const std::map<std::string, InputKind> kKinds = {
        {"audio/wav", {".wav", "speech"}},   {"audio/x-wav", {".wav", "speech"}},
        {"audio/wave", {".wav", "speech"}},  {"audio/vnd.wave", {".wav", "speech"}},
        {"audio/flac", {".flac", "speech"}}, {"audio/x-flac", {".flac", "speech"}},
        {"audio/ogg", {".ogg", "speech"}},   {"audio/opus", {".opus", "speech"}},
        {"audio/mpeg", {".mp3", "speech"}},  {"image/png", {".png", "face"}},
        {"image/jpeg", {".jpg", "face"}},    {"image/bmp", {".bmp", "face"}},
        {"image/webp", {".webp", "face"}},   {"image/tiff", {".tif", "face"}},
    };
    const auto it = kKinds.find(media_type.substr(0, media_type.find(';')));
    if (it == kKinds.end()) return std::nullopt;
    return it->second;
}

std::string FeedbackStore::keep(KeptInput input) {
    auto id = content_id(input.content);
    std::lock_guard lock(m_);
    recent_bytes_ += input.content.size();
    recent_.emplace_back(id, std::move(input));
    while (recent_.size() > keep_count_ || (recent_bytes_ > keep_bytes_ && recent_.size() > 1)) {
        recent_bytes_ -= recent_.front().second.content.size();
        recent_.pop_front();
    }
    return id;
}

std::optional<KeptInput> FeedbackStore::kept(const std::string& id) const {
    std::lock_guard lock(m_);
    for (auto it = recent_.rbegin(); it != recent_.rend(); ++it)
        if (it->first == id) return it->second;
    return std::nullopt;
}

FeedbackRecord FeedbackStore::record(const KeptInput& input, const std::string& label_text,
                                     const std::optional<std::array<int, 4>>& box) {
    const auto label = data::label_word(label_text);
    if (!label) {
        throw ConfigError("label '" + label_text +
                          "' is not a label (expected an emotion such as happy, or a new label word such as contempt)");
    }
    if (box && ((*box)[2] <= 0 || (*box)[3] <= 0 || (*box)[0] < 0 || (*box)[1] < 0))
        throw ConfigError("face box: expected x, y >= 0 and width, height > 0");
    FeedbackRecord r{content_id(input.content) + input.kind.extension, *label, "", 0};
    std::string row = r.file + "," + r.label;
    if (box) {
        for (const int v : *box) row += "," + std::to_string(v);
    } else {
        row += ",,,,";
    }
    std::lock_guard lock(m_);
    const auto path = dir_ + "/" + r.file;
    if (!fs::exists(path)) core::write_file_atomic(path, input.content);
    const auto csv = csv_for(dir_, input.kind.modality);
    std::ofstream out(csv, std::ios::app);
    out << row << '\n';
    if (!out.flush()) throw RuntimeError(csv + ": cannot append the feedback row");
    out.close();
    r.csv = input.kind.modality + ".csv";
    const auto [rows, first] = rows_.try_emplace(input.kind.modality, 0);
    rows->second = first ? count_rows(csv) : rows->second + 1;  // the file is read once, not per correction
    r.rows = rows->second;
    return r;
}

}  // namespace emo::app
