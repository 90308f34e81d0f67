//! The ordered queue of timed things: probe ticks, pod starts, grace expiries.

use std::collections::BTreeMap;

use super::SimTime;

/// A queue of items due at a simulated time, popped in order of time and then of
/// insertion (a sequence number breaks ties), so equal times replay identically.
#[derive(Debug, Clone)]
pub struct EventQueue<T> {
    items: BTreeMap<(SimTime, u64), T>,
    next_seq: u64,
}

impl<T> Default for EventQueue<T> {
    fn default() -> Self {
        EventQueue {
            items: BTreeMap::new(),
            next_seq: 0,
        }
    }
}

impl<T> EventQueue<T> {
    /// An empty queue.
    pub fn new() -> Self {
        Self::default()
    }

    /// Schedules `item` at `at`.
    pub fn push(&mut self, at: SimTime, item: T) {
        self.items.insert((at, self.next_seq), item);
        self.next_seq += 1;
    }

    /// The time of the earliest item, if any.
    pub fn next_time(&self) -> Option<SimTime> {
        self.items.keys().next().map(|(t, _)| *t)
    }

    /// Removes and returns the earliest item if it is due at or before `now`.
    pub fn pop_due(&mut self, now: SimTime) -> Option<(SimTime, T)> {
        let entry = self.items.first_entry()?;
        if entry.key().0 > now {
            return None;
        }
        let ((at, _), item) = entry.remove_entry();
        Some((at, item))
    }

    /// How many items are waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn pops_by_time_then_insertion_order() {
        let mut q = EventQueue::new();
        q.push(SimTime(20), "c");
        q.push(SimTime(10), "a");
        q.push(SimTime(10), "b");
        assert_eq!(q.next_time(), Some(SimTime(10)));
        assert_eq!(q.pop_due(SimTime(5)), None, "nothing is due before 10");
        assert_eq!(q.pop_due(SimTime(15)), Some((SimTime(10), "a")));
        assert_eq!(q.pop_due(SimTime(15)), Some((SimTime(10), "b")));
        assert_eq!(q.pop_due(SimTime(15)), None);
        assert_eq!(q.len(), 1);
        assert_eq!(q.pop_due(SimTime(20)), Some((SimTime(20), "c")));
        assert!(q.is_empty());
    }
}
