// Writing command output to files without ever leaving half of one (`fmt -i`, `convert -o`).
#include "cli/common/write_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace nono::cli {

bool replace_file(const std::string& path, const std::string& text, std::string& error) {
    mode_t mode = 0666;
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) {
        mode = st.st_mode & 07777;
    } else if (errno != ENOENT) {
        error = std::strerror(errno);
        return false;
    }
    const std::string temp = path + ".nonoc.tmp";
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        error = temp + ": " + std::strerror(errno);
        return false;
    }
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) break;
        done += static_cast<std::size_t>(n);
    }
    const bool written = done == text.size() && ::fsync(fd) == 0;
    const int saved = errno;
    ::close(fd);
    if (!written || ::rename(temp.c_str(), path.c_str()) != 0) {
        error = std::strerror(written ? errno : saved);
        ::unlink(temp.c_str());
        return false;
    }
    return true;
}

}  // namespace nono::cli
