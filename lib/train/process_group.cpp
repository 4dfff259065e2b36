#include "emo/process_group.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "emo/error.hpp"

#ifdef USE_C10D_GLOO
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#endif

namespace emo::train {

#ifdef USE_C10D_GLOO
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kBeatInterval = std::chrono::milliseconds(250);

// The rank's own connection (`member`: counted in the rendezvous, which rank 0 hosts) or an extra one.
c10::intrusive_ptr<c10d::TCPStore> connect_store(const DistributedOptions& d, bool member) {
    c10d::TCPStoreOptions o;
    o.port = std::uint16_t(d.master_port);
    o.isServer = member && d.rank == 0;
    o.numWorkers = std::size_t(d.world_size);
    o.waitWorkers = member;
    o.timeout = std::chrono::milliseconds(long(d.timeout_seconds * 1000));
    return c10::make_intrusive<c10d::TCPStore>(d.master_addr, o);
}

std::shared_ptr<::gloo::transport::Device> gloo_device(const DistributedOptions& d) {
    if (const char* interface = std::getenv("GLOO_SOCKET_IFNAME"); interface != nullptr && *interface != '\0') {
        return c10d::ProcessGroupGloo::createDeviceForInterface(interface);
    }
    if (d.master_addr == "127.0.0.1" || d.master_addr == "localhost") {
        return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
    }
    return c10d::ProcessGroupGloo::createDefaultDevice();
}

// Every rank counts up its own key in the store a few times a second; when a collective fails, the
// ranks whose count stood still are the lost ones (no clocks compared across machines).
class Heartbeat {
public:
    Heartbeat(const DistributedOptions& d) : rank_(d.rank), size_(d.world_size), store_(connect_store(d, false)) {
        thread_ = std::thread([this] { beat(); });
    }
    ~Heartbeat() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stop_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }

    // Who stopped beating: "rank 1", "ranks 1, 3", or what is known when the store itself is gone.
    std::string lost_ranks() {
        std::vector<std::int64_t> before, after;
        try {
            before = counts();
            std::this_thread::sleep_for(kBeatInterval * 8);
            after = counts();
        } catch (const std::exception&) {
            return "rank 0 (it holds the rendezvous store, which no longer answers)";
        }
        std::string lost;
        int n = 0;
        for (int r = 0; r < size_; ++r) {
            if (r != rank_ && after[std::size_t(r)] == before[std::size_t(r)]) {
                lost += (n++ ? ", " : " ") + std::to_string(r);
            }
        }
        if (n == 0) return "no rank stopped (a collective operation timed out or was refused)";
        return (n == 1 ? "rank" : "ranks") + lost;
    }

private:
    std::string key(int r) const { return "emo/heartbeat/" + std::to_string(r); }
    std::vector<std::int64_t> counts() {
        std::lock_guard<std::mutex> lock(store_mutex_);
        std::vector<std::int64_t> out;
        for (int r = 0; r < size_; ++r) out.push_back(store_->add(key(r), 0));
        return out;
    }
    void beat() {
        std::unique_lock<std::mutex> lock(mutex_);
        while (!stop_) {
            lock.unlock();
            try {
                std::lock_guard<std::mutex> store_lock(store_mutex_);
                store_->add(key(rank_), 1);
            } catch (const std::exception&) {
                return;  // the store is gone; lost_ranks() says so
            }
            lock.lock();
            wake_.wait_for(lock, kBeatInterval, [this] { return stop_; });
        }
    }

    int rank_, size_;
    c10::intrusive_ptr<c10d::TCPStore> store_;
    std::mutex store_mutex_, mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    std::thread thread_;
};

class GlooGroup : public ProcessGroup {
public:
    explicit GlooGroup(const DistributedOptions& d) : d_(d) {
        try {
            store_ = connect_store(d, true);
            auto options =
                c10d::ProcessGroupGloo::Options::create(std::chrono::milliseconds(long(d.timeout_seconds * 1000)));
            options->devices.push_back(gloo_device(d));
            group_ = c10::make_intrusive<c10d::ProcessGroupGloo>(store_, d.rank, d.world_size, options);
            heartbeat_ = std::make_unique<Heartbeat>(d);
        } catch (const std::exception& e) {
            throw RuntimeError("distributed training: rank " + std::to_string(d.rank) + " of " +
                               std::to_string(d.world_size) + " could not join the job at " + d.master_addr + ":" +
                               std::to_string(d.master_port) + " within " + std::to_string(int(d.timeout_seconds)) +
                               " s: " + first_line(e.what()));
        }
    }
    ~GlooGroup() override {
        heartbeat_.reset();
        group_.reset();
        store_.reset();
    }

    int rank() const override { return d_.rank; }
    int size() const override { return d_.world_size; }

    void all_reduce_sum(torch::Tensor& t) override {
        std::vector<at::Tensor> tensors{t};
        run("all-reduce", [&] { group_->allreduce(tensors)->wait(); });
    }
    void broadcast(torch::Tensor& t, int root) override {
        std::vector<at::Tensor> tensors{t};
        c10d::BroadcastOptions o;
        o.rootRank = root;
        run("broadcast", [&] { group_->broadcast(tensors, o)->wait(); });
    }
    void barrier() override {
        run("barrier", [&] { group_->barrier()->wait(); });
    }

private:
    static std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

    template <class F>
    void run(const char* what, F&& operation) {
        try {
            operation();
        } catch (const std::exception& e) {
            throw RuntimeError("distributed training: rank " + std::to_string(d_.rank) + " lost " +
                               heartbeat_->lost_ranks() + " during " + what + " (" + first_line(e.what()) + ")");
        }
    }

    DistributedOptions d_;
    c10::intrusive_ptr<c10d::TCPStore> store_;
    c10::intrusive_ptr<c10d::ProcessGroupGloo> group_;
    std::unique_ptr<Heartbeat> heartbeat_;
};

}  // namespace

std::shared_ptr<ProcessGroup> ProcessGroup::join(const DistributedOptions& d) { return std::make_shared<GlooGroup>(d); }

#else

std::shared_ptr<ProcessGroup> ProcessGroup::join(const DistributedOptions& d) {
    throw RuntimeError("distributed training (WORLD_SIZE " + std::to_string(d.world_size) +
                       "): this emo was built without c10d/Gloo (install libgloo-dev and rebuild)");
}

#endif

}  // namespace emo::train
