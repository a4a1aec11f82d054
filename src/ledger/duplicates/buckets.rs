//! Rows with equal hashes, found by sorting (hash, row) pairs with a radix sort: the pairs
//! of a million rows are put in order in three passes over 8 MB, where a comparison sort
//! takes twenty.

/// The runs of two rows or more whose `hash_of` agree in their top 32 bits, each run in row
/// order, the runs in no order that means anything. Rows that only share those bits are
/// told apart by the caller, who compares the rows anyway.
pub(super) fn equal_hashes(n: usize, hash_of: impl Fn(usize) -> u64) -> Vec<Vec<usize>> {
    let Ok(rows) = u32::try_from(n) else {
        return equal_hashes_by_comparison(n, hash_of);
    };
    // The hash's top half above the row, so that the row breaks no tie between hashes.
    let mut keys: Vec<u64> = (0..rows)
        .map(|i| (hash_of(i as usize) & !0xFFFF_FFFF) | u64::from(i))
        .collect();
    sort_by_top_half(&mut keys);
    let mut runs = Vec::new();
    let mut start = 0;
    while start < keys.len() {
        let top = keys[start] >> 32;
        let end = start + keys[start..].iter().take_while(|k| *k >> 32 == top).count();
        if end - start > 1 {
            runs.push(
                keys[start..end]
                    .iter()
                    .map(|k| (k & 0xFFFF_FFFF) as usize)
                    .collect(),
            );
        }
        start = end;
    }
    runs
}

/// Bits of the key sorted on per pass: three passes cover the top 32 bits.
const DIGIT_BITS: u32 = 11;
const PASSES: [u32; 3] = [32, 32 + DIGIT_BITS, 32 + 2 * DIGIT_BITS];

/// Sorts `keys` by their top 32 bits, stably (least significant digit first), so that keys
/// with equal top halves keep their order.
fn sort_by_top_half(keys: &mut Vec<u64>) {
    let buckets = 1usize << DIGIT_BITS;
    let digit = |k: u64, shift: u32| ((k >> shift) as usize) & (buckets - 1);
    // Every pass's counts from one read of the keys.
    let mut counts = vec![[0usize; 3]; buckets];
    for &k in keys.iter() {
        for (p, shift) in PASSES.iter().enumerate() {
            counts[digit(k, *shift)][p] += 1;
        }
    }
    let mut other = vec![0u64; keys.len()];
    for (p, shift) in PASSES.iter().enumerate() {
        // A digit all keys share moves nothing.
        if counts.iter().any(|c| c[p] == keys.len()) {
            continue;
        }
        let mut next = vec![0usize; buckets];
        let mut at = 0;
        for (d, c) in counts.iter().enumerate() {
            next[d] = at;
            at += c[p];
        }
        for &k in keys.iter() {
            let d = digit(k, *shift);
            other[next[d]] = k;
            next[d] += 1;
        }
        std::mem::swap(keys, &mut other);
    }
}

/// [`equal_hashes`] for more rows than 32 bits can number, by a comparison sort.
#[cold]
fn equal_hashes_by_comparison(n: usize, hash_of: impl Fn(usize) -> u64) -> Vec<Vec<usize>> {
    let mut order: Vec<(u64, usize)> = (0..n).map(|i| (hash_of(i) >> 32, i)).collect();
    order.sort_unstable();
    order
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|run| run.len() > 1)
        .map(|run| run.iter().map(|&(_, i)| i).collect())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    /// The runs as a map from the top half of the hash to the rows, as a reader would list
    /// them by hand.
    fn by_hand(hashes: &[u64]) -> BTreeMap<u64, Vec<usize>> {
        let mut runs: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
        for (i, h) in hashes.iter().enumerate() {
            runs.entry(h >> 32).or_default().push(i);
        }
        runs.retain(|_, rows| rows.len() > 1);
        runs
    }

    fn keyed(runs: Vec<Vec<usize>>, hashes: &[u64]) -> BTreeMap<u64, Vec<usize>> {
        runs.into_iter().map(|r| (hashes[r[0]] >> 32, r)).collect()
    }

    proptest! {
        #[test]
        fn runs_are_the_rows_of_equal_hashes(
            tops in prop::collection::vec(prop_oneof![0u64..8, any::<u64>()], 0..3000),
            low in any::<u32>(),
        ) {
            // Few distinct top halves, spread over every digit, and low halves that differ.
            let hashes: Vec<u64> = tops
                .iter()
                .enumerate()
                .map(|(i, t)| (t.rotate_left(37) & !0xFFFF_FFFF) | u64::from(low ^ i as u32))
                .collect();
            let runs = equal_hashes(hashes.len(), |i| hashes[i]);
            prop_assert_eq!(keyed(runs, &hashes), by_hand(&hashes));
            let runs = equal_hashes_by_comparison(hashes.len(), |i| hashes[i]);
            prop_assert_eq!(keyed(runs, &hashes), by_hand(&hashes));
        }
    }

    #[test]
    fn keys_that_differ_only_in_the_top_digit_are_sorted() {
        let mut keys: Vec<u64> = (0..5u64).rev().map(|t| (t << 60) | t).collect();
        sort_by_top_half(&mut keys);
        let tops: Vec<u64> = keys.iter().map(|k| k >> 60).collect();
        assert_eq!(tops, vec![0, 1, 2, 3, 4]);
    }
}
