// Internal: the caching allocator behind every Storage.
//
// Freshly mapped memory is slow to fault in (each new page costs a kernel trap and a zeroing), so a
// training step that allocates its activations anew each time runs at a fraction of the speed of
// one that reuses them. Freed blocks are kept in exact-size bins and handed out again; the cache is
// bounded so that big one-off tensors (loaded weights) go back to the system.
#pragma once

#include <cstddef>

namespace keras::detail {

inline constexpr size_t kTensorAlignment = 64;

// 64-byte aligned; never returns null (throws std::bad_alloc).
void* allocate(size_t nbytes);
void deallocate(void* ptr, size_t nbytes);
// Returns every cached block to the system.
void release_cached_memory();
size_t cached_bytes();

}  // namespace keras::detail
