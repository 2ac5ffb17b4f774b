// Faults while saving: a process killed (SIGKILL) at random moments of a save, a full file system
// and a file size limit. Whatever happens, the checkpoint on disk is the previous one or the new
// one, whole: never a mix, never a torn file (core/file_io.cpp writes <path>.tmp, then renames).
// Each fault runs in a forked child (tests/child_process.hpp), so that the test process is never
// killed or limited, and no mount outlives the test.

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/ops.hpp"
#include "nn/checkpoint.hpp"
#include "tests/child_process.hpp"
#include "tests/temp_dir.hpp"

using namespace glimpse;
using glimpse::testing::ChildProcess;
using glimpse::testing::TempDir;
namespace fs = std::filesystem;
using Send = std::function<void(const std::string&)>;

namespace {

// A checkpoint whose every element is `version`: `megabytes` MB of float32 in four tensors.
std::vector<nn::NamedTensor> checkpoint(double version, int64_t megabytes) {
    const int64_t quarter = megabytes * (1 << 20) / 4 / 4;  // float32 elements per tensor
    return {{"encoder.weight", full({quarter / 256, 256}, version)},
            {"decoder.weight", full({quarter / 256, 256}, version)},
            {"embedding.weight", full({quarter / 128, 128}, version)},
            {"output.bias", full({quarter}, version)}};
}

// The version a checkpoint file holds, after checking that it is whole: the four tensors, of the
// sizes written, each element the same. NaN when it is not.
double version_of(const std::string& path, int64_t megabytes) {
    const nn::TensorFile file = nn::load_file(path);
    const std::vector<nn::NamedTensor> expected = checkpoint(0, megabytes);
    if (file.tensors.size() != expected.size()) return std::nan("");
    const double version = file.tensors[0].second.data<float>()[0];
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& [name, tensor] = file.tensors[i];
        if (name != expected[i].first || tensor.shape() != expected[i].second.shape()) {
            return std::nan("");
        }
        const float* values = tensor.data<float>();
        for (int64_t k = 0; k < tensor.numel(); ++k) {
            if (values[k] != static_cast<float>(version)) return std::nan("");
        }
    }
    return version;
}

// A child that saves the checkpoint of `version`, saying "saving" just before and "saved" after.
std::unique_ptr<ChildProcess> start_saving(const std::string& path, int version,
                                           int64_t megabytes) {
    return std::make_unique<ChildProcess>([=](const Send& send) {
        const auto tensors = checkpoint(version, megabytes);
        send("saving");
        nn::save_file(tensors, path);
        send("saved");
        return 0;
    });
}

}  // namespace

TEST_CASE("faults: a save killed at a random moment leaves the previous checkpoint whole") {
    constexpr int64_t kMegabytes = 2;
    constexpr int kKills = 30;
    // In memory (/dev/shm) where there is one: a save then takes milliseconds rather than the
    // disk's flush, and the kills land in the writing itself, which is what may tear a file.
    const TempDir dir(fs::is_directory("/dev/shm") ? fs::path("/dev/shm")
                                                   : fs::temp_directory_path());
    const std::string path = dir.file("model.safetensors");
    // How long a save takes in a child (a forked child's first writes to memory are slower
    // than the parent's), to spread the kills over it.
    auto timed = start_saving(path, 0, kMegabytes);
    REQUIRE(timed->read_line() == "saving");
    const auto start = std::chrono::steady_clock::now();
    REQUIRE(timed->read_line() == "saved");
    const double save_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    timed.reset();
    std::mt19937_64 random(13);
    std::uniform_real_distribution<double> moment(0.0, 1.5 * save_seconds);

    double on_disk = 0;  // the version the last whole save left
    int killed_mid_save = 0;
    for (int kill = 1; kill <= kKills; ++kill) {
        INFO("kill ", kill);
        const auto child = start_saving(path, kill, kMegabytes);
        REQUIRE(child->read_line() == "saving");
        std::this_thread::sleep_for(std::chrono::duration<double>(moment(random)));
        child->kill();
        const bool finished = child->read_line() == "saved";
        const double version = version_of(path, kMegabytes);
        if (finished) {
            CHECK(version == kill);
        } else {
            ++killed_mid_save;
            CHECK((version == on_disk || version == kill));  // the rename is all or nothing
        }
        if (version == kill) on_disk = kill;
    }
    MESSAGE(kKills << " saves of " << kMegabytes << " MB killed (" << save_seconds * 1e3
                   << " ms a save), " << killed_mid_save << " before the save returned");
    CHECK(killed_mid_save > 0);  // else the test proved nothing: no kill came early enough

    // A kill can leave <path>.tmp behind; the next save replaces it and leaves none.
    nn::save_file(checkpoint(99, kMegabytes), path);
    CHECK(version_of(path, kMegabytes) == 99);
    CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("faults: a save past the file size limit fails with the reason and keeps the old file") {
    const TempDir dir;
    const std::string path = dir.file("model.safetensors");
    nn::save_file(checkpoint(1, 1), path);
    ChildProcess child([&](const Send& send) {
        std::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead
        const rlimit limit{512 * 1024, 512 * 1024};
        ::setrlimit(RLIMIT_FSIZE, &limit);
        try {
            nn::save_file(checkpoint(2, 1), path);
            send("saved");
        } catch (const Error& e) {
            send(e.what());
        }
        return 0;
    });
    CHECK(child.read_line() ==
          fmt::format("checkpoint {}: cannot write {}.tmp: File too large", path, path));
    CHECK(version_of(path, 1) == 1);
    CHECK_FALSE(fs::exists(path + ".tmp"));
}

TEST_CASE("faults: a save into a full file system fails with the reason and keeps the old file") {
    const TempDir dir;
    const std::string mount_point = dir.file("tiny");
    fs::create_directories(mount_point);
    const std::string path = mount_point + "/model.safetensors";
    // The child mounts a 2 MB tmpfs in a mount namespace of its own: the mount vanishes with the
    // child, whatever happens to it. A 1 MB checkpoint fits; a second, 4 MB, does not.
    ChildProcess child([&](const Send& send) {
        if (::unshare(CLONE_NEWNS) != 0 ||
            ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            ::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=2m") != 0) {
            send(fmt::format("skip: cannot mount a tmpfs here ({})", std::strerror(errno)));
            return 0;
        }
        send("mounted");
        nn::save_file(checkpoint(1, 1), path);
        try {
            nn::save_file(checkpoint(2, 4), path);
            send("saved");
        } catch (const Error& e) {
            send(e.what());
        }
        send(fmt::format("version {}", version_of(path, 1)));
        send(fs::exists(path + ".tmp") ? "a temporary file is left" : "no temporary file");
        return 0;
    });
    const std::string first = child.read_line();
    if (first.starts_with("skip")) {
        MESSAGE("full file system test skipped: " << first);
        return;
    }
    REQUIRE(first == "mounted");
    CHECK(child.read_line() ==
          fmt::format("checkpoint {}: cannot write {}.tmp: No space left on device", path, path));
    CHECK(child.read_line() == "version 1");
    CHECK(child.read_line() == "no temporary file");
    CHECK(child.wait() == 0);
}
