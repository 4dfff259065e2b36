#include "emo/audio.hpp"
#include "emo/emo.hpp"
#include "emo/training_job.hpp"

namespace emo {

AudioClip read_audio(const std::string& path) {
    auto audio = audio::read_audio(path);
    return {std::move(audio.samples), audio.sample_rate};
}

namespace {

train::TrainRequest request_of(const TrainOptions& o) {
    train::TrainRequest r;
    if (o.resume) r = train::TrainRequest::from_run_dir(o.out_dir);
    else {
        r.modality = o.modality;
        r.config = o.config;
        r.data = o.data;
        r.init = o.init;
        r.epochs = o.epochs;
        r.overrides = o.overrides;
    }
    // Where and how fast a run trains may change when it resumes; what it trains may not.
    r.device = o.device;
    r.threads = o.threads;
    r.precision = o.precision;
    return r;
}

}  // namespace

TrainSummary train_model(const TrainOptions& options, const std::function<void(const EpochSummary&)>& on_epoch) {
    if (options.out_dir.empty()) throw ConfigError("TrainOptions::out_dir: expected the run directory, got nothing");
    const auto request = request_of(options);
    train::RunOptions run;
    run.out_dir = options.out_dir;
    run.resume = options.resume;
    run.on_warning = options.on_warning;
    run.init = {request.init, request.freeze_features, request.extend_labels};
    if (on_epoch) {
        run.on_epoch = [&](const train::EpochRecord& e) {
            on_epoch({e.epoch, e.train_loss, e.train_accuracy, e.val_loss, e.val_accuracy, e.seconds});
        };
    }
    const auto result = train::train_request(request, run);
    return {result.run_dir,
            result.model_path,
            result.chosen,
            result.precision,
            int(result.history.size()),
            result.best_validation.accuracy,
            result.best_validation.macro.f1};
}

}  // namespace emo
