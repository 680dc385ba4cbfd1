// Runtime: reading a plan file (see load_plan_file.hpp).
#include "runtime/load_plan_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nono::runtime {

plan::CompiledPlan load_plan_file(const std::string& path) {
    auto fail = [&](const std::string& why) -> plan::PlanFileError { return plan::PlanFileError(path + ": " + why); };
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw fail(std::strerror(errno));
    struct stat st {};
    std::string bytes;
    int err = 0;
    if (fstat(fd, &st) != 0) err = errno;
    else if (!S_ISREG(st.st_mode)) err = EINVAL;
    else if (static_cast<std::size_t>(st.st_size) > plan::kMaxPlanFileBytes) err = EFBIG;
    else {
        bytes.resize(static_cast<std::size_t>(st.st_size));
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t got = read(fd, bytes.data() + done, bytes.size() - done);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) {
                err = got < 0 ? errno : EIO;  // shorter than fstat said: changed while read
                break;
            }
            done += static_cast<std::size_t>(got);
        }
    }
    close(fd);
    if (err == EINVAL) throw fail("not a regular file");
    if (err == EFBIG) throw fail("larger than " + std::to_string(plan::kMaxPlanFileBytes >> 20) + " MiB; not a plan");
    if (err != 0) throw fail(std::strerror(err));
    try {
        return plan::read_plan(bytes);
    } catch (const plan::PlanFileError& e) {
        throw fail(e.what());
    }
}

}  // namespace nono::runtime
