#pragma once
// A one-line progress bar on stderr, drawn only when stderr is a terminal and logging is not quiet;
// elsewhere (pipes, logs, CI) nothing is drawn and the plain log lines stay as they are.
#include <string>

namespace emo::app {

class ProgressBar {
public:
    ProgressBar();
    ~ProgressBar();  // erases the bar
    // `fraction` in [0, 1]; `label` before the bar, `detail` after it.
    void update(double fraction, const std::string& label, const std::string& detail = "");
    // Removes the bar so that a log line can be written cleanly.
    void clear();

private:
    bool shown_ = false, drawn_ = false;
};

}  // namespace emo::app
