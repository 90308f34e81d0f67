//! One stable sort for the whole page, to keep the shipped wasm small.
//!
//! The standard library's stable sort (driftsort) is compiled anew for every element
//! type and every comparison closure: about 4 KB of wasm each, and the playground had 51
//! of them (~200 KB before `wasm-opt`, the largest generic family in the binary; see
//! BENCHMARKS.md, "Release size"). [`sort_by`] sorts a list of positions instead, with
//! the comparison behind `&dyn`, so the standard sort is compiled once; the elements
//! are then moved into place by following the permutation's cycles (n swaps at most).
//!
//! The result is exactly what `slice::sort_by` gives: the same stable order for the same
//! comparison. The price is a dynamic call per comparison and one `Vec<usize>` per sort,
//! so the hot paths that sort thousands of entries per step (EndpointSlice planning and
//! kube-proxy's data plane) keep the standard sort.

use std::cmp::Ordering;

/// Sorts `v` stably by `cmp`; the same order as `v.sort_by(cmp)`.
pub fn sort_by<T>(v: &mut [T], cmp: impl Fn(&T, &T) -> Ordering) {
    let order = positions_in_order(v.len(), &|a, b| match (v.get(a), v.get(b)) {
        (Some(x), Some(y)) => cmp(x, y),
        _ => Ordering::Equal,
    });
    permute(v, order);
}

/// Sorts `v` stably by the key `f` gives; the same order as `v.sort_by_key(f)`.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], f: impl Fn(&T) -> K) {
    sort_by(v, |a, b| f(a).cmp(&f(b)));
}

/// Sorts `v` in ascending order; the same order as `v.sort()` (and, for the types this
/// is used with, whose equal values are identical, as `v.sort_unstable()`).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// The positions `0..n` in the stable order `cmp` defines: the one instantiation of the
/// standard sort.
#[inline(never)]
fn positions_in_order(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Rearranges `v` so that `v[i]` becomes the old `v[order[i]]`, one cycle at a time;
/// each finished position is marked by `order[i] = i`.
fn permute<T>(v: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut i = start;
        while let Some(src) = order.get(i).copied() {
            if let Some(slot) = order.get_mut(i) {
                *slot = i;
            }
            if src == start || src == i {
                break;
            }
            v.swap(i, src);
            i = src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_order_as_the_standard_stable_sort() {
        // Pairs sorted by their first field only: equal keys keep their input order.
        let input: Vec<(u8, usize)> = [5u8, 1, 3, 1, 5, 0, 3, 3, 9, 1, 0, 2]
            .iter()
            .enumerate()
            .map(|(i, &k)| (k, i))
            .collect();
        let mut ours = input.clone();
        sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
        let mut std_sorted = input.clone();
        std_sorted.sort_by_key(|a| a.0);
        assert_eq!(ours, std_sorted);
        assert_eq!(
            ours.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![5, 10, 1, 3, 9, 11, 2, 6, 7, 0, 4, 8]
        );
    }

    #[test]
    fn every_permutation_of_five_is_sorted() {
        // All 120 orders of five distinct strings, plus a reversed comparison.
        let words = ["e", "a", "d", "b", "c"];
        let mut idx = [0usize, 1, 2, 3, 4];
        let mut seen = 0;
        loop {
            let mut v: Vec<String> = idx.iter().map(|&i| words[i].to_owned()).collect();
            let mut w = v.clone();
            sort(&mut v);
            assert_eq!(v, ["a", "b", "c", "d", "e"]);
            sort_by_key(&mut w, |s| std::cmp::Reverse(s.clone()));
            assert_eq!(w, ["e", "d", "c", "b", "a"]);
            seen += 1;
            // Next permutation (lexicographic).
            let Some(k) = (0..4).rev().find(|&k| idx[k] < idx[k + 1]) else {
                break;
            };
            let l = (k + 1..5).rev().find(|&l| idx[k] < idx[l]).unwrap_or(k + 1);
            idx.swap(k, l);
            idx[k + 1..].reverse();
        }
        assert_eq!(seen, 120);
    }

    #[test]
    fn empty_and_single() {
        let mut e: Vec<u32> = vec![];
        sort(&mut e);
        assert!(e.is_empty());
        let mut one = vec![7];
        sort(&mut one);
        assert_eq!(one, [7]);
    }
}
