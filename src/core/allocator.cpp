#include "core/allocator.hpp"

#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>
#include <vector>

namespace keras::detail {
namespace {

// Blocks above this size are not cached: they are rare and would pin a lot of memory.
constexpr size_t kMaxCachedBlock = size_t{256} << 20;
// Total bytes the cache may hold.
constexpr size_t kMaxCachedTotal = size_t{1} << 30;

struct Cache {
  std::mutex mutex;
  std::unordered_map<size_t, std::vector<void*>> bins;
  size_t total = 0;

  ~Cache() {
    for (auto& [size, blocks] : bins)
      for (void* p : blocks) std::free(p);
  }
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: tensors may outlive static destruction
  return *c;
}

size_t rounded(size_t nbytes) {
  size_t n = nbytes == 0 ? kTensorAlignment : nbytes;
  return (n + kTensorAlignment - 1) / kTensorAlignment * kTensorAlignment;
}

}  // namespace

void* allocate(size_t nbytes) {
  const size_t n = rounded(nbytes);
  if (n <= kMaxCachedBlock) {
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    auto it = c.bins.find(n);
    if (it != c.bins.end() && !it->second.empty()) {
      void* p = it->second.back();
      it->second.pop_back();
      c.total -= n;
      return p;
    }
  }
  void* p = std::aligned_alloc(kTensorAlignment, n);
  if (!p) throw std::bad_alloc();
  return p;
}

void deallocate(void* ptr, size_t nbytes) {
  if (!ptr) return;
  const size_t n = rounded(nbytes);
  if (n <= kMaxCachedBlock) {
    Cache& c = cache();
    std::lock_guard lock(c.mutex);
    if (c.total + n <= kMaxCachedTotal) {
      c.bins[n].push_back(ptr);
      c.total += n;
      return;
    }
  }
  std::free(ptr);
}

void release_cached_memory() {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  for (auto& [size, blocks] : c.bins)
    for (void* p : blocks) std::free(p);
  c.bins.clear();
  c.total = 0;
}

size_t cached_bytes() {
  Cache& c = cache();
  std::lock_guard lock(c.mutex);
  return c.total;
}

}  // namespace keras::detail
