// Atomic file replacement: every saver writes beside the target, flushes to disk, then renames,
// so a failed or interrupted save never destroys the previous good file.
#pragma once

#include <string>
#include <string_view>

namespace keras::io {

// A unique sibling name "<path>.tempstate<random>" (TF's spelling), on the same file system as
// `path` so that the final rename is atomic.
std::string temp_sibling(const std::string& path);

// fsyncs an existing file (written by another library, e.g. HDF5) by path.
void sync_file(const std::string& path);

// Renames `temp` over `path` (atomic on POSIX); on failure removes `temp` and throws IOError.
void commit_rename(const std::string& temp, const std::string& path);

// Writes `bytes` to a temporary sibling, fsyncs it and renames it over `path`. IOError naming
// `path` on failure (the previous file is left untouched).
void write_file_atomic(const std::string& path, std::string_view bytes);

}  // namespace keras::io
