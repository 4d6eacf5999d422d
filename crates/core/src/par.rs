//! Work spread over threads with results in a fixed order: the output must
//! not depend on which thread took which item.

use std::sync::atomic::{AtomicUsize, Ordering};

/// The thread count a `-j` setting stands for: `0` is one per core.
pub fn threads(setting: usize) -> usize {
    match setting {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// `f(state, i)` for every `i` below `n`, on up to `threads` threads (each
/// with its own `init()` state) that take indices one at a time from a shared
/// counter, since items can differ in cost by orders of magnitude. The
/// results come back in index order, as one thread would make them; a panic
/// in a worker goes on in the caller.
pub fn map_in_order<S, R: Send>(
    n: usize,
    threads: usize,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, usize) -> R + Sync,
) -> Vec<R> {
    let threads = threads.min(n);
    if threads <= 1 {
        let mut state = init();
        return (0..n).map(|i| f(&mut state, i)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut state = init();
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        mine.push((i, f(&mut state, i)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// `f` on every part, each on a thread of its own (the calling thread when
/// there is only one part): for work on disjoint slices of one list, whose
/// results stay in place. A panic in a part goes on in the caller.
pub fn each_part<T: Send>(parts: Vec<&mut [T]>, f: impl Fn(&mut [T]) + Sync) {
    if parts.len() <= 1 {
        parts.into_iter().for_each(f);
        return;
    }
    let f = &f;
    std::thread::scope(|s| {
        for part in parts {
            s.spawn(move || f(part));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_in_index_order_whatever_the_threads() {
        let one = map_in_order(
            1000,
            1,
            || 0u64,
            |calls, i| {
                *calls += 1;
                i * i
            },
        );
        for threads in [2, 3, 8, 2000] {
            let many = map_in_order(1000, threads, || (), |_, i| i * i);
            assert_eq!(many, one, "{threads} threads");
        }
        assert!(map_in_order(0, 4, || (), |_, i| i).is_empty());
    }

    #[test]
    fn every_part_is_worked_on_once_in_place() {
        for cut in [0, 1, 3, 7, 10] {
            let mut v: Vec<usize> = (0..10).collect();
            let (a, b) = v.split_at_mut(cut);
            each_part(vec![a, b], |part| part.iter_mut().for_each(|x| *x += 100));
            assert_eq!(v, (100..110).collect::<Vec<_>>(), "cut at {cut}");
        }
        let mut one = vec![1, 2];
        each_part(vec![&mut one[..]], |p| p.reverse());
        assert_eq!(one, [2, 1]);
    }
}
