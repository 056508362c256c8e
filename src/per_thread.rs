//! Regexes that each thread searches with a copy of its own.
//!
//! A `regex::Regex` keeps the scratch space of its searches in a pool: the
//! first thread that searches becomes the pool's owner and takes its space
//! after a plain check, while every other thread pops one from a stack
//! behind a lock and pushes it back after each search, and reads at each
//! search the word the owner writes twice per search (regex-automata's
//! `util::pool`). keikaku's patterns are statics that all the batch's
//! threads search, a few hundred thousand times a second each: with two
//! jobs, the second thread's searches went through that stack
//! (`Pool::get_slow` and `Pool::put_value`, absent from a one-job run,
//! 1.6 % of the two-job run's samples) and the two threads' caches kept
//! passing the owner's word between them.
//!
//! [`PerThread`] gives each thread a clone made on its first search (a
//! clone shares the compiled program and brings a pool of its own), so
//! each thread owns the pool it searches with. The copies live as long as
//! the value; a thread's copy is reused by the next thread that takes its
//! place (`thread_local::ThreadLocal`), so their number stays that of the
//! threads that ever ran at once.

// The one place where the regex crate's own types are named (clippy.toml
// forbids them elsewhere).
#![allow(clippy::disallowed_types)]

use std::ops::Deref;
use thread_local::ThreadLocal;

/// A value read through a copy per thread: dereferences to the calling
/// thread's copy, cloned from the original on the thread's first use.
pub struct PerThread<T: Send> {
    original: T,
    copies: ThreadLocal<T>,
}

/// A [`regex::Regex`] with a copy per thread.
pub type Regex = PerThread<regex::Regex>;
/// A [`regex::RegexSet`] with a copy per thread.
pub type RegexSet = PerThread<regex::RegexSet>;
/// A [`regex::bytes::Regex`] with a copy per thread.
pub type BytesRegex = PerThread<regex::bytes::Regex>;

impl<T: Send> From<T> for PerThread<T> {
    fn from(original: T) -> PerThread<T> {
        PerThread {
            original,
            copies: ThreadLocal::new(),
        }
    }
}

impl<T: Send + Clone> Clone for PerThread<T> {
    /// A copy of the original, with no thread's copy yet.
    fn clone(&self) -> PerThread<T> {
        PerThread::from(self.original.clone())
    }
}

impl<T: Send + Clone> Deref for PerThread<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        self.copies.get_or(|| self.original.clone())
    }
}

impl<T: Send + std::fmt::Debug> std::fmt::Debug for PerThread<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.original.fmt(f)
    }
}

impl PerThread<regex::Regex> {
    /// Compiles `pattern`, as [`regex::Regex::new`].
    pub fn new(pattern: &str) -> Result<Regex, regex::Error> {
        regex::Regex::new(pattern).map(PerThread::from)
    }
}

impl PerThread<regex::RegexSet> {
    /// Compiles `patterns`, as [`regex::RegexSet::new`].
    pub fn new<I, S>(patterns: I) -> Result<RegexSet, regex::Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        regex::RegexSet::new(patterns).map(PerThread::from)
    }
}

impl PerThread<regex::bytes::Regex> {
    /// Compiles `pattern`, as [`regex::bytes::Regex::new`].
    pub fn new(pattern: &str) -> Result<BytesRegex, regex::Error> {
        regex::bytes::Regex::new(pattern).map(PerThread::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_thread_searches_with_a_copy_of_its_own() {
        let pattern = Regex::new(r"^基本目標\s*(\d+)").unwrap();
        let address = |regex: &regex::Regex| regex as *const regex::Regex as usize;
        let here = address(&pattern);
        assert_eq!(here, address(&pattern), "one copy per thread");
        let there = std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    let captures = pattern.captures("基本目標 2 地域").unwrap();
                    assert_eq!(&captures[1], "2");
                    address(&pattern)
                })
                .join()
                .unwrap()
        });
        assert_ne!(
            here, there,
            "the other thread searched with this thread's copy"
        );
        assert!(pattern.is_match("基本目標1"));
        assert_eq!(pattern.as_str(), r"^基本目標\s*(\d+)");
        let set = RegexSet::new([r"^\d", "目標"]).unwrap();
        assert_eq!(set.matches("1 目標").iter().collect::<Vec<_>>(), [0, 1]);
    }
}
