//! Parallel work handed on in order: the engine under [`super::run`].
//!
//! The threads of a pool take the indices `0..count` one after another
//! (whoever is free takes the next), and each result is handed on in index
//! order as soon as it and every one before it are done. Nothing waits for
//! a whole group to finish: the earlier design (a rayon parallel iterator
//! over a chunk of 16 inputs, then the chunk's results handed on) left a
//! thread idle at the end of every chunk while the other finished its last
//! large input; on the benchmark batch, whose inputs range from 1 KB to
//! 200 KB, two threads kept 1.78-1.80 CPUs busy with it, 1.9 with this.
//!
//! The results are handed on by the workers themselves: the one that
//! finishes the result next in order hands it on, and then every result
//! after it that is done, while the others go on with their inputs. The
//! design before this one had the calling thread hand them on, woken for
//! each result: on two cores that thread took a core from a worker a
//! thousand times in a thousand-input batch, for a few microseconds of
//! work each time.
//!
//! Memory stays bounded: a worker does not start index `i` until the
//! results before `i - window` have been handed on, so at most `window`
//! results wait at any time, whatever the count.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

/// The results between the workers and the consumer.
struct Handover<T> {
    /// Results done but not yet handed on, by index.
    waiting: BTreeMap<usize, T>,
    /// How many results have been handed on (so which may be started).
    /// It grows only once `consume` has returned, and the result it
    /// names is taken out of `waiting` under the lock: so one worker at a
    /// time hands on, and in order.
    handed_on: usize,
    /// Workers waiting for room (woken only when there are some: a
    /// wake-up nobody waits for still costs a system call).
    waiting_for_room: usize,
}

/// What the workers share.
struct Shared<T, C, E> {
    /// The next index no worker has taken yet.
    next: AtomicUsize,
    handover: Mutex<Handover<T>>,
    /// Signalled when `handed_on` grows or `stop` is set, if a worker waits.
    room: Condvar,
    /// Set when the run ends early (the consumer's error, a panic): workers
    /// take no new index and stop waiting.
    stop: AtomicBool,
    /// The consumer, called by one worker at a time (the one handing on).
    consume: Mutex<C>,
    /// The consumer's error, which ended the run.
    error: Mutex<Option<E>>,
}

impl<T, C, E> Shared<T, C, E>
where
    C: FnMut(T) -> Result<(), E>,
{
    fn handover(&self) -> MutexGuard<'_, Handover<T>> {
        self.handover.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Tells every worker to stop, waking those that wait for room.
    fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        // Taking the lock orders the store before any waiter's next check.
        drop(self.handover());
        self.room.notify_all();
    }

    /// Waits until index `index` may be started; false if the run stops.
    fn wait_for_room(&self, index: usize, window: usize) -> bool {
        let mut handover = self.handover();
        while index >= handover.handed_on + window && !self.stop.load(Ordering::SeqCst) {
            handover.waiting_for_room += 1;
            handover = self
                .room
                .wait(handover)
                .unwrap_or_else(PoisonError::into_inner);
            handover.waiting_for_room -= 1;
        }
        !self.stop.load(Ordering::SeqCst)
    }

    /// Leaves the result of `index` to be handed on, and hands on every
    /// result that is next in order. While another worker hands one on,
    /// the next is not due yet: that worker looks for it after, under the
    /// lock, and hands it on too.
    fn finished(&self, index: usize, value: T) {
        let mut handover = self.handover();
        handover.waiting.insert(index, value);
        loop {
            let next = handover.handed_on;
            let Some(value) = handover.waiting.remove(&next) else {
                break;
            };
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            drop(handover);
            // The lock is not held while the consumer works, so the other
            // workers can leave their results meanwhile.
            let consumed = (self.consume.lock().unwrap_or_else(PoisonError::into_inner))(value);
            handover = self.handover();
            if let Err(error) = consumed {
                *self.error.lock().unwrap_or_else(PoisonError::into_inner) = Some(error);
                drop(handover);
                self.stop();
                return;
            }
            handover.handed_on += 1;
            if handover.waiting_for_room > 0 {
                self.room.notify_all();
            }
        }
    }
}

/// Stops the run when a worker panics (in `produce`, or in `consume`
/// while it hands results on). Only then: a worker that ends because no
/// index is left must not stop the others, which may still wait for room
/// to make the last results.
struct StopOnPanic<'a, T, C, E>(&'a Shared<T, C, E>)
where
    C: FnMut(T) -> Result<(), E>;

impl<T, C, E> Drop for StopOnPanic<'_, T, C, E>
where
    C: FnMut(T) -> Result<(), E>,
{
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.stop();
        }
    }
}

/// Runs `produce` on each index of `0..count`, on every thread of `pool`,
/// and hands each result to `consume` in index order, one at a time, on
/// whichever of those threads finished it or the one before. At most
/// `window` results (at least one) are made ahead of the one `consume`
/// waits for. The calling thread waits for the end.
///
/// The pool's threads are the workers (a rayon broadcast), so the parallel
/// work inside `produce` (a PDF's pages) runs on the same threads and no
/// input is handed from thread to thread.
///
/// An error of `consume` ends the run: no index is started after it, the
/// workers finish the ones they hold, and the error is returned. A panic of
/// `produce` or `consume` stops the run likewise, and this function panics
/// once the workers have ended (the first panic's message was printed when
/// it happened).
pub fn map_in_order<T: Send, E: Send>(
    pool: &rayon::ThreadPool,
    count: usize,
    window: usize,
    produce: impl Fn(usize) -> T + Sync,
    consume: impl FnMut(T) -> Result<(), E> + Send,
) -> Result<(), E> {
    let window = window.max(1);
    let shared = Shared {
        next: AtomicUsize::new(0),
        handover: Mutex::new(Handover {
            waiting: BTreeMap::new(),
            handed_on: 0,
            waiting_for_room: 0,
        }),
        room: Condvar::new(),
        stop: AtomicBool::new(false),
        consume: Mutex::new(consume),
        error: Mutex::new(None),
    };
    pool.broadcast(|_| {
        let _stop = StopOnPanic(&shared);
        loop {
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            let index = shared.next.fetch_add(1, Ordering::SeqCst);
            if index >= count || !shared.wait_for_room(index, window) {
                return;
            }
            shared.finished(index, produce(index));
        }
    });
    match shared
        .error
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
    {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::mpsc;
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    /// A pause that varies with the index, so that workers finish out of
    /// order (later indices often first).
    fn uneven(index: usize) {
        std::thread::sleep(Duration::from_micros(((index * 7919) % 13) as u64 * 150));
    }

    #[test]
    fn results_come_in_index_order_at_any_thread_count_and_window() {
        for threads in [1, 2, 3, 8] {
            for window in [0, 1, 2, 5, 64] {
                let mut seen = Vec::new();
                let result: Result<(), ()> = map_in_order(
                    &pool(threads),
                    40,
                    window,
                    |index| {
                        uneven(index);
                        index * 10
                    },
                    |value| {
                        seen.push(value);
                        Ok(())
                    },
                );
                assert_eq!(result, Ok(()));
                let expected: Vec<usize> = (0..40).map(|i| i * 10).collect();
                assert_eq!(seen, expected, "{threads} threads, window {window}");
            }
        }
    }

    #[test]
    fn a_consumer_slower_than_the_workers_still_gets_every_result_in_order() {
        // The workers queue up behind the one handing on: each must leave
        // its result for it, not hand its own on out of turn.
        for threads in [2, 4, 8] {
            let mut seen = Vec::new();
            map_in_order::<_, ()>(
                &pool(threads),
                60,
                16,
                |index| index,
                |value| {
                    std::thread::sleep(Duration::from_micros(300));
                    seen.push(value);
                    Ok(())
                },
            )
            .unwrap();
            assert_eq!(seen, (0..60).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn no_input_and_more_threads_than_inputs() {
        let run = |count, threads| {
            let mut seen = Vec::new();
            let result = map_in_order::<_, ()>(
                &pool(threads),
                count,
                8,
                |i| i,
                |v| {
                    seen.push(v);
                    Ok(())
                },
            );
            assert_eq!(result, Ok(()));
            seen
        };
        assert_eq!(run(0, 4), Vec::<usize>::new());
        assert_eq!(run(2, 16), [0, 1]);
    }

    #[test]
    fn no_more_than_window_results_wait_at_once() {
        // Made minus handed on, seen at each production: never above the
        // window, even when the consumer is much slower than the workers.
        for (threads, window) in [(2, 1), (2, 3), (4, 3), (3, 8)] {
            let made = AtomicUsize::new(0);
            let handed = AtomicUsize::new(0);
            let most = AtomicUsize::new(0);
            map_in_order::<_, ()>(
                &pool(threads),
                60,
                window,
                |index| {
                    let ahead =
                        made.fetch_add(1, Ordering::SeqCst) + 1 - handed.load(Ordering::SeqCst);
                    most.fetch_max(ahead, Ordering::SeqCst);
                    index
                },
                |_| {
                    std::thread::sleep(Duration::from_millis(1));
                    handed.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                },
            )
            .unwrap();
            let most = most.load(Ordering::SeqCst);
            assert!(most <= window, "{most} ahead with a window of {window}");
            assert!(
                most >= window.min(threads),
                "the window was not used: {most}"
            );
        }
    }

    /// `run` on a thread of its own, failing the test if it has not ended
    /// within a minute (a hang must fail a test, not stall CI).
    fn within_a_minute<R: Send + 'static>(run: impl FnOnce() -> R + Send + 'static) -> R {
        let (done, outcome) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = done.send(run());
        });
        outcome
            .recv_timeout(Duration::from_secs(60))
            .expect("the run hung")
    }

    #[test]
    fn a_consumer_error_stops_the_run_and_is_returned() {
        let (result, seen, started) = within_a_minute(|| {
            let started = AtomicUsize::new(0);
            let mut seen = Vec::new();
            let result = map_in_order(
                &pool(2),
                1000,
                4,
                |index| {
                    started.fetch_add(1, Ordering::SeqCst);
                    index
                },
                |value| {
                    seen.push(value);
                    if value < 5 {
                        return Ok(());
                    }
                    // Time for the workers to fill the window and wait for
                    // room, which only the stop gives them now.
                    std::thread::sleep(Duration::from_millis(50));
                    Err("closed")
                },
            );
            (result, seen, started.into_inner())
        });
        assert_eq!(result, Err("closed"));
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
        // Started: the six handed on, at most a window ahead, and one per
        // worker that took an index just before the stop.
        assert!(started <= 6 + 4 + 2, "{started} inputs started");
    }

    #[test]
    fn a_panic_of_the_consumer_stops_the_workers() {
        // Window 1: without the stop, the workers would wait for room
        // forever and the run never end.
        let raised = within_a_minute(|| {
            std::panic::catch_unwind(|| {
                map_in_order::<_, ()>(
                    &pool(2),
                    100,
                    1,
                    |index| index,
                    |value| {
                        assert_ne!(value, 3, "the consumer fails at 3");
                        Ok(())
                    },
                )
            })
            .is_err()
        });
        assert!(raised, "the panic was lost");
    }

    #[test]
    fn a_panic_of_a_worker_stops_the_run_and_does_not_hang() {
        // Window 1: the other workers wait for room that the panicked index
        // will never make, and must be woken by the stop.
        for threads in [1, 2, 4] {
            let raised = within_a_minute(move || {
                std::panic::catch_unwind(|| {
                    map_in_order::<_, ()>(
                        &pool(threads),
                        100,
                        1,
                        |index| {
                            assert_ne!(index, 3, "index 3 fails");
                            index
                        },
                        |_| Ok(()),
                    )
                })
                .is_err()
            });
            assert!(raised, "{threads} threads: the panic was lost");
        }
    }
}
