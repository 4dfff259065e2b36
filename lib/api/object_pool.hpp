#pragma once
// Objects that one thread at a time may use (face detectors, feature extractors), lent out one per
// concurrent caller and kept for the next: as many get built as calls ever overlapped.
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace emo::api {

template <class T>
class ObjectPool {
public:
    explicit ObjectPool(std::function<T()> make) : make_(std::move(make)) {}

    // Runs use(T&) on an idle object (built when none is idle) and returns what it returns.
    template <class Use>
    auto with(Use&& use) {
        Lease lease(*this);
        return use(*lease.item);
    }

private:
    struct Lease {
        explicit Lease(ObjectPool& p) : pool(p) {
            {
                std::lock_guard lock(pool.mutex_);
                if (!pool.idle_.empty()) {
                    item = std::move(pool.idle_.back());
                    pool.idle_.pop_back();
                }
            }
            if (!item) item = std::make_unique<T>(pool.make_());
        }
        ~Lease() {
            std::lock_guard lock(pool.mutex_);
            pool.idle_.push_back(std::move(item));
        }
        ObjectPool& pool;
        std::unique_ptr<T> item;
    };

    std::function<T()> make_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<T>> idle_;
};

}  // namespace emo::api
