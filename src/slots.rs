//! A fixed number of slots: how many workers may be busy with one kind of
//! slow work (streaming a large body, fetching a map tile) while the others
//! stay free for everything else.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub struct Slots {
    capacity: usize,
    taken: AtomicUsize,
}

/// A taken slot, given back on drop.
pub struct Slot<'a> {
    slots: &'a Slots,
}

impl Slots {
    pub fn new(capacity: usize) -> Slots {
        Slots { capacity: capacity.max(1), taken: AtomicUsize::new(0) }
    }

    /// A slot, or `None` when all are taken.
    pub fn take(&self) -> Option<Slot<'_>> {
        self.taken
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.capacity).then_some(n + 1))
            .ok()
            .map(|_| Slot { slots: self })
    }

    /// A slot, waiting up to `patience` for one when all are taken, if one
    /// of the `queue`'s places is free: the waiting is bounded in time and
    /// in workers too. Few wait, briefly, so they poll.
    pub fn take_waiting(&self, queue: &Slots, patience: Duration) -> Option<Slot<'_>> {
        if let Some(slot) = self.take() {
            return Some(slot);
        }
        let _place = queue.take()?;
        let deadline = Instant::now() + patience;
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
            if let Some(slot) = self.take() {
                return Some(slot);
            }
        }
        None
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.slots.taken.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_come_back() {
        let slots = Slots::new(2);
        let a = slots.take().unwrap();
        let _b = slots.take().unwrap();
        assert!(slots.take().is_none());
        drop(a);
        assert!(slots.take().is_some());
        assert!(Slots::new(0).take().is_some(), "at least one");
    }

    #[test]
    fn a_waiter_gets_a_freed_slot_and_the_queue_is_bounded() {
        let (slots, queue) = (Slots::new(1), Slots::new(1));
        let held = slots.take().unwrap();
        assert!(slots.take_waiting(&queue, Duration::from_millis(20)).is_none(), "patience runs out");
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| slots.take_waiting(&queue, Duration::from_secs(5)).is_some());
            std::thread::sleep(Duration::from_millis(50));
            let started = Instant::now();
            assert!(slots.take_waiting(&queue, Duration::from_secs(5)).is_none(), "the queue is full");
            assert!(started.elapsed() < Duration::from_secs(1), "refused at once");
            drop(held);
            assert!(waiter.join().unwrap(), "the waiter got the slot");
        });
    }

    #[test]
    fn concurrent_takers_never_exceed_the_capacity() {
        let slots = Slots::new(3);
        let most = AtomicUsize::new(0);
        let held = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..2000 {
                        if let Some(_slot) = slots.take() {
                            let now = held.fetch_add(1, Ordering::SeqCst) + 1;
                            most.fetch_max(now, Ordering::SeqCst);
                            held.fetch_sub(1, Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= 3);
    }
}
