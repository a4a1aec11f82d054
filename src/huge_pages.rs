//! The process's allocator: the system's, with big blocks advised to use transparent huge
//! pages on Linux. A million-row ledger fills a few hundred megabytes of fresh memory (the
//! file, the entries, the columns); in 4 KiB pages that is some 60,000 page faults, a third
//! of the time the analysis of a big CSV took. In 2 MiB pages it is a few thousand.
//!
//! The advice is given only once [`advise_big_blocks`] was called, before a big text file
//! (a CSV, read in parts) is read: there it measured faster (1M-row CSV: page faults ~62k →
//! ~12k, median wall 0.55 s → 0.46 s in interleaved runs), while on the .xlsx path, which
//! fills and frees big buffers as it streams, it measured slower (1.37 s → 1.51 s) and is
//! not given.
//!
//! This module owns only that advice: every allocation is the system allocator's, and the
//! advice never changes what memory holds. glibc's `glibc.malloc.hugetlb=1` tunable gives
//! the same advice, but for the whole process and only from the environment it starts in.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether big blocks are advised: from [`advise_big_blocks`] on.
static ADVISE: AtomicBool = AtomicBool::new(false);

/// From now on, big blocks this process allocates are advised to use huge pages.
pub fn advise_big_blocks() {
    ADVISE.store(true, Ordering::Relaxed);
}

/// Blocks from this size on are advised.
const ADVISED_FROM: usize = 4 << 20;

/// A transparent huge page on x86-64 and most aarch64 kernels.
const HUGE_PAGE: usize = 2 << 20;

/// The system allocator, advising huge pages for big blocks.
pub struct HugePages;

/// The whole huge pages inside the block of `size` bytes at address `at`: their start and
/// length, or `None` for a small block or one that holds no whole huge page.
#[must_use]
pub fn huge_span(at: usize, size: usize) -> Option<(usize, usize)> {
    if at == 0 || size < ADVISED_FROM {
        return None;
    }
    let start = at.checked_next_multiple_of(HUGE_PAGE)?;
    let end = at.checked_add(size)? & !(HUGE_PAGE - 1);
    (end > start).then(|| (start, end - start))
}

/// Advises huge pages for the block at `ptr`, of `size` bytes, just allocated.
fn advise(ptr: *mut u8, size: usize) {
    if !ADVISE.load(Ordering::Relaxed) {
        return;
    }
    #[cfg(target_os = "linux")]
    if let Some((start, len)) = huge_span(ptr as usize, size) {
        // SAFETY: the span lies inside the block just allocated, which this process owns;
        // MADV_HUGEPAGE changes how its pages are backed, never what they hold. A failure
        // (a kernel without transparent huge pages) leaves the block as it was.
        unsafe {
            libc::madvise(start as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, size);
}

// SAFETY: every call is the system allocator's, with the same arguments; `advise` only
// advises on the memory it returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc(layout);
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = System.alloc_zeroed(layout);
        advise(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let ptr = System.realloc(ptr, layout, new_size);
        advise(ptr, new_size);
        ptr
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{huge_span, ADVISED_FROM, HUGE_PAGE};

    #[test]
    fn small_blocks_and_blocks_without_a_whole_huge_page_are_not_advised() {
        assert_eq!(huge_span(HUGE_PAGE, ADVISED_FROM - 1), None);
        assert_eq!(huge_span(0, 1 << 30), None);
        assert_eq!(
            huge_span(HUGE_PAGE, ADVISED_FROM),
            Some((HUGE_PAGE, ADVISED_FROM))
        );
        // 4 MiB starting one byte past a huge page holds one whole huge page.
        assert_eq!(
            huge_span(HUGE_PAGE + 1, ADVISED_FROM),
            Some((2 * HUGE_PAGE, HUGE_PAGE))
        );
        // A block that would end past the address space (no real one does) is left alone.
        assert_eq!(huge_span(usize::MAX - ADVISED_FROM + 2, ADVISED_FROM), None);
    }

    proptest! {
        #[test]
        fn the_span_is_whole_huge_pages_inside_the_block(
            at in 1usize..(1 << 40),
            size in 0usize..(64 << 20),
        ) {
            match huge_span(at, size) {
                None => prop_assert!(
                    size < ADVISED_FROM
                        || (at + size) / HUGE_PAGE <= at.div_ceil(HUGE_PAGE)
                ),
                Some((start, len)) => {
                    prop_assert!(start >= at && start + len <= at + size);
                    prop_assert_eq!(start % HUGE_PAGE, 0);
                    prop_assert_eq!(len % HUGE_PAGE, 0);
                    prop_assert!(len > 0);
                    // No whole huge page of the block is left out.
                    prop_assert!(start - at < HUGE_PAGE);
                    prop_assert!(at + size - (start + len) < HUGE_PAGE);
                }
            }
        }
    }

    #[test]
    fn blocks_hold_what_is_written_through_growth() {
        // Through the allocator itself, past the size it advises from, advising.
        super::advise_big_blocks();
        let mut v: Vec<u64> = Vec::with_capacity(ADVISED_FROM / 8);
        v.extend(0..(ADVISED_FROM as u64));
        let zeroed = vec![0u8; ADVISED_FROM * 2];
        assert!(zeroed.iter().all(|&b| b == 0));
        assert!(v.iter().enumerate().all(|(i, &x)| x == i as u64));
    }
}
