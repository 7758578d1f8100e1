//! A fixed number of slots: how many workers may be busy with one kind of
//! slow work (streaming a large body, fetching a map tile) while the others
//! stay free for everything else. Waiting for a slot is first come, first
//! served, bounded in time and in how many wait.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct Slots {
    capacity: usize,
    state: Mutex<State>,
    freed: Condvar,
}

#[derive(Default)]
struct State {
    taken: usize,
    /// Tickets of those waiting, oldest first.
    waiting: VecDeque<u64>,
    next_ticket: u64,
    /// Slots given back so far: a waiter's patience starts again whenever
    /// the line moves.
    freed: u64,
}

/// A taken slot, given back on drop.
pub struct Slot<'a> {
    slots: &'a Slots,
}

impl Slots {
    pub fn new(capacity: usize) -> Slots {
        Slots { capacity: capacity.max(1), state: Mutex::new(State::default()), freed: Condvar::new() }
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A slot, or `None` when all are taken (or promised to those waiting).
    pub fn take(&self) -> Option<Slot<'_>> {
        let mut state = self.state();
        (state.taken < self.capacity && state.waiting.is_empty()).then(|| {
            state.taken += 1;
            Slot { slots: self }
        })
    }

    /// A slot, waiting for one in turn when all are taken, if fewer than
    /// `most_waiting` already wait: for as long as slots keep coming back,
    /// but never `patience` without one coming back (work that is slow, not
    /// merely busy, is not waited for).
    pub fn take_waiting(&self, most_waiting: usize, patience: Duration) -> Option<Slot<'_>> {
        let mut state = self.state();
        if state.taken < self.capacity && state.waiting.is_empty() {
            state.taken += 1;
            return Some(Slot { slots: self });
        }
        if state.waiting.len() >= most_waiting {
            return None;
        }
        let ticket = state.next_ticket;
        state.next_ticket += 1;
        state.waiting.push_back(ticket);
        let mut deadline = Instant::now() + patience;
        let mut freed = state.freed;
        loop {
            if state.freed != freed {
                (freed, deadline) = (state.freed, Instant::now() + patience);
            }
            if state.waiting.front() == Some(&ticket) && state.taken < self.capacity {
                state.waiting.pop_front();
                state.taken += 1;
                self.freed.notify_all();
                return Some(Slot { slots: self });
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                state.waiting.retain(|t| *t != ticket);
                self.freed.notify_all();
                return None;
            }
            state = self.freed.wait_timeout(state, left).unwrap_or_else(|p| p.into_inner()).0;
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut state = self.slots.state();
        state.taken -= 1;
        state.freed += 1;
        drop(state);
        self.slots.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

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
        let slots = Slots::new(1);
        let held = slots.take().unwrap();
        assert!(slots.take_waiting(1, Duration::from_millis(20)).is_none(), "patience runs out");
        std::thread::scope(|scope| {
            let waiter = scope.spawn(|| slots.take_waiting(1, Duration::from_secs(5)).is_some());
            std::thread::sleep(Duration::from_millis(50));
            let started = Instant::now();
            assert!(slots.take_waiting(1, Duration::from_secs(5)).is_none(), "the queue is full");
            assert!(started.elapsed() < Duration::from_secs(1), "refused at once");
            assert!(slots.take().is_none(), "a newcomer does not pass the one waiting");
            drop(held);
            assert!(waiter.join().unwrap(), "the waiter got the slot");
        });
    }

    #[test]
    fn patience_starts_again_while_the_line_moves() {
        let slots = Slots::new(1);
        let held = slots.take().unwrap();
        std::thread::scope(|scope| {
            for n in 0..3 {
                let slots = &slots;
                scope.spawn(move || {
                    std::thread::sleep(Duration::from_millis(5 * n));
                    let _slot = slots.take_waiting(8, Duration::from_secs(5)).expect("a turn");
                    std::thread::sleep(Duration::from_millis(30));
                });
            }
            std::thread::sleep(Duration::from_millis(40));
            scope.spawn(move || drop(held));
            // Fourth in line: about 90 ms to wait, with 50 ms of patience.
            let started = Instant::now();
            let turn = slots.take_waiting(8, Duration::from_millis(50));
            assert!(turn.is_some(), "the line moved every 30 ms: worth waiting for");
            assert!(started.elapsed() >= Duration::from_millis(60), "{:?}", started.elapsed());
        });
        let _stuck = slots.take().unwrap();
        let started = Instant::now();
        assert!(slots.take_waiting(8, Duration::from_millis(50)).is_none(), "nothing comes back: no slot");
        assert!(started.elapsed() < Duration::from_millis(500));
    }

    #[test]
    fn waiters_are_served_in_turn() {
        let slots = Slots::new(1);
        let served = Mutex::new(Vec::new());
        let held = slots.take().unwrap();
        std::thread::scope(|scope| {
            for n in 0..4 {
                let (slots, served) = (&slots, &served);
                scope.spawn(move || {
                    let _slot = slots.take_waiting(8, Duration::from_secs(10)).expect("a turn");
                    served.lock().unwrap().push(n);
                    std::thread::sleep(Duration::from_millis(5));
                });
                std::thread::sleep(Duration::from_millis(30));
            }
            drop(held);
        });
        assert_eq!(*served.lock().unwrap(), vec![0, 1, 2, 3]);
    }

    #[test]
    fn concurrent_takers_never_exceed_the_capacity() {
        let slots = Slots::new(3);
        let most = AtomicUsize::new(0);
        let held = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for n in 0..8 {
                let (slots, most, held) = (&slots, &most, &held);
                scope.spawn(move || {
                    for _ in 0..500 {
                        let slot =
                            if n % 2 == 0 { slots.take() } else { slots.take_waiting(4, Duration::from_millis(2)) };
                        if let Some(_slot) = slot {
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
