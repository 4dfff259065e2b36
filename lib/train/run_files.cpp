#include "run_files.hpp"

#include <ctime>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emo/core.hpp"

namespace emo::train {

namespace {
std::string format_now(const char* format) {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, format, &tm);
    return buf;
}
}  // namespace

std::string utc_timestamp() { return format_now("%Y-%m-%dT%H:%M:%SZ"); }
std::string utc_timestamp_compact() { return format_now("%Y%m%d-%H%M%S"); }

namespace {
// Loss and accuracy per epoch, training vs validation.
void plot_history(const std::string& path, const std::string& title, const std::vector<EpochRecord>& history) {
    eval::Series train_loss{"training", {}, {}}, val_loss{"validation", {}, {}};
    eval::Series train_acc{"training", {}, {}}, val_acc{"validation", {}, {}}, val_uar{"validation UAR", {}, {}};
    for (const auto& e : history) {
        for (auto* s : {&train_loss, &val_loss, &train_acc, &val_acc, &val_uar}) s->x.push_back(e.epoch);
        train_loss.y.push_back(e.train_loss);
        val_loss.y.push_back(e.val_loss);
        train_acc.y.push_back(e.train_accuracy);
        val_acc.y.push_back(e.val_accuracy);
        val_uar.y.push_back(e.val_uar);
    }
    std::vector<eval::Series> accuracy{train_acc, val_acc, val_uar};
    for (const auto& [corpus, value] :
         history.empty() ? std::map<std::string, double>{} : history.front().val_corpus_accuracy) {
        eval::Series per_corpus{"validation " + corpus, {}, {}};
        for (const auto& e : history) {
            per_corpus.x.push_back(e.epoch);
            per_corpus.y.push_back(e.val_corpus_accuracy.count(corpus) ? e.val_corpus_accuracy.at(corpus) : 0.0);
        }
        accuracy.push_back(per_corpus);
    }
    eval::plot_lines({eval::Panel{"loss", "epoch", "loss", {train_loss, val_loss}, true},
                      eval::Panel{"accuracy", "epoch", "accuracy", accuracy, false}},
                     title, path);
}
}  // namespace

nlohmann::json epoch_json(const EpochRecord& e) {
    nlohmann::json j{{"epoch", e.epoch},           {"learning_rate", e.learning_rate},
                     {"train_loss", e.train_loss}, {"train_accuracy", e.train_accuracy},
                     {"val_loss", e.val_loss},     {"val_accuracy", e.val_accuracy},
                     {"val_uar", e.val_uar},       {"val_macro_f1", e.val_macro_f1},
                     {"seconds", e.seconds}};
    if (!e.val_corpus_accuracy.empty()) j["val_corpus_accuracy"] = e.val_corpus_accuracy;
    if (e.train_corpus_accuracy >= 0) j["train_corpus_accuracy"] = e.train_corpus_accuracy;
    return j;
}

EpochRecord epoch_from_json(const nlohmann::json& j) {
    EpochRecord e;
    e.epoch = j.at("epoch");
    e.learning_rate = j.at("learning_rate");
    e.train_loss = j.at("train_loss");
    e.train_accuracy = j.at("train_accuracy");
    e.val_loss = j.at("val_loss");
    e.val_accuracy = j.at("val_accuracy");
    e.val_uar = j.at("val_uar");
    e.val_macro_f1 = j.at("val_macro_f1");
    e.seconds = j.at("seconds");
    if (j.contains("val_corpus_accuracy"))
        e.val_corpus_accuracy = j.at("val_corpus_accuracy").get<std::map<std::string, double>>();
    e.train_corpus_accuracy = j.value("train_corpus_accuracy", -1.0);
    return e;
}

void write_history(const std::string& run_dir, const std::vector<EpochRecord>& history) {
    std::ostringstream csv;
    csv << "epoch,learning_rate,train_loss,train_accuracy,val_loss,val_accuracy,val_uar,val_macro_f1,seconds";
    const auto corpora = history.empty() ? std::map<std::string, double>{} : history.front().val_corpus_accuracy;
    for (const auto& c : corpora) csv << ",val_accuracy_" << c.first;
    const bool adversary = !history.empty() && history.front().train_corpus_accuracy >= 0;
    if (adversary) csv << ",train_corpus_accuracy";
    csv << '\n';
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& e : history) {
        csv << e.epoch << ',' << e.learning_rate << ',' << e.train_loss << ',' << e.train_accuracy << ',' << e.val_loss
            << ',' << e.val_accuracy << ',' << e.val_uar << ',' << e.val_macro_f1 << ',' << e.seconds;
        for (const auto& c : corpora) {
            const auto it = e.val_corpus_accuracy.find(c.first);
            csv << ',' << (it == e.val_corpus_accuracy.end() ? 0.0 : it->second);
        }
        if (adversary) csv << ',' << e.train_corpus_accuracy;
        csv << '\n';
        rows.push_back(epoch_json(e));
    }
    core::write_file_atomic(run_dir + "/metrics.csv", csv.str());
    core::write_file_atomic(run_dir + "/metrics.json", rows.dump(1) + "\n");
    plot_history(run_dir + "/curves.png", std::filesystem::path(run_dir).filename().string(), history);
}

void write_split(const std::string& run_dir, const std::string& source, const data::Split& split) {
    const auto describe = [](const std::vector<data::Sample>& samples) {
        std::map<std::string, int> per_label, per_corpus;
        for (const auto& s : samples) ++per_label[s.label], ++per_corpus[s.corpus];
        nlohmann::json j{{"speakers", data::speakers_of(samples)}, {"clips", samples.size()}, {"per_label", per_label}};
        if (per_corpus.size() > 1) j["per_corpus"] = per_corpus;
        return j;
    };
    const nlohmann::json j{
        {"source", source}, {"train", describe(split.train)}, {"validation", describe(split.validation)}};
    core::write_file_atomic(run_dir + "/split.json", j.dump(1) + "\n");
}

nlohmann::json validation_json(const eval::Metrics& m, int epoch) {
    nlohmann::json j = m;
    j["epoch"] = epoch;
    return j;
}

}  // namespace emo::train
