//! keikaku patch 12: the work one document may cost.
//!
//! A few kilobytes of PDF can ask for unbounded work: a form drawn ten times
//! by a form drawn ten times, six deep, is a million draws; a compressed
//! stream of tiny operators is tens of millions of them. A [`Budget`] caps
//! what the parser does for one document, summed over all its pages and all
//! the threads drawing them (it is shared by reference, its counters are
//! atomics). The first limit passed is recorded; every thread then stops at
//! its next check, and the caller reports that one limit.

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// A limit of a [`Budget`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Content-stream operators executed (a form's once per draw).
    Operators,
    /// Glyphs drawn.
    Glyphs,
    /// Form XObjects drawn.
    FormDraws,
    /// Bytes inflated from compressed streams, in all.
    Inflated,
    /// Bytes one stream inflates to (`MAX_INFLATED_STREAM`, fixed).
    StreamSize,
    /// The wall-clock deadline.
    Deadline,
}

/// The first limit a document went past, and on which page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// Which limit.
    pub limit: Limit,
    /// Its value (bytes, counts; unused for the deadline).
    pub max: u64,
    /// The page being drawn when it was passed.
    pub page: u32,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let max = self.max;
        match self.limit {
            Limit::Operators => write!(f, "more than {max} content operators"),
            Limit::Glyphs => write!(f, "more than {max} glyphs"),
            Limit::FormDraws => write!(f, "more than {max} form XObject draws"),
            Limit::Inflated => write!(
                f,
                "the streams inflate past {} MiB in all; refused",
                max >> 20
            ),
            Limit::StreamSize => write!(
                f,
                "a compressed stream inflates past {} MiB (a decompression bomb?); refused, not inflated",
                max >> 20
            ),
            Limit::Deadline => write!(f, "took longer than the time allowed"),
        }
    }
}

/// The work one document may cost. Create one per document and give it to
/// every [`crate::output_doc_pages_with_budget`] call for that document.
#[derive(Debug)]
pub struct Budget {
    /// Most content-stream operators executed.
    pub max_operators: u64,
    /// Most glyphs drawn.
    pub max_glyphs: u64,
    /// Most form XObjects drawn.
    pub max_form_draws: u64,
    /// Most bytes inflated from compressed streams.
    pub max_inflated: u64,
    /// When to give up, if ever.
    pub deadline: Option<Instant>,
    operators: AtomicU64,
    glyphs: AtomicU64,
    form_draws: AtomicU64,
    inflated: AtomicU64,
    /// Set once any limit is passed, so that every thread stops.
    stop: AtomicBool,
    exceeded: Mutex<Option<Exceeded>>,
}

impl Budget {
    /// A budget with these limits and nothing spent.
    pub fn new(
        max_operators: u64,
        max_glyphs: u64,
        max_form_draws: u64,
        max_inflated: u64,
        deadline: Option<Instant>,
    ) -> Budget {
        Budget {
            max_operators,
            max_glyphs,
            max_form_draws,
            max_inflated,
            deadline,
            operators: AtomicU64::new(0),
            glyphs: AtomicU64::new(0),
            form_draws: AtomicU64::new(0),
            inflated: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            exceeded: Mutex::new(None),
        }
    }

    /// No limit but the fixed cap on one stream (upstream's behaviour, for
    /// the functions without a budget).
    pub fn unlimited() -> Budget {
        Budget::new(u64::MAX, u64::MAX, u64::MAX, u64::MAX, None)
    }

    /// The first limit passed, if any.
    pub fn exceeded(&self) -> Option<Exceeded> {
        match self.exceeded.lock() {
            Ok(guard) => *guard,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// What was spent: operators, glyphs, form draws, inflated bytes.
    pub fn spent(&self) -> [u64; 4] {
        [
            self.operators.load(Ordering::Relaxed),
            self.glyphs.load(Ordering::Relaxed),
            self.form_draws.load(Ordering::Relaxed),
            self.inflated.load(Ordering::Relaxed),
        ]
    }

    /// Records that `limit` (of value `max`) was passed on `page`, unless
    /// another was first.
    pub(crate) fn refuse(&self, limit: Limit, max: u64, page: u32) {
        self.stop.store(true, Ordering::Relaxed);
        let mut guard = match self.exceeded.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.get_or_insert(Exceeded { limit, max, page });
    }

    /// Adds `amount` to the counter of `limit`; false (and the limit
    /// recorded) if that passes it.
    pub(crate) fn spend(&self, limit: Limit, amount: u64, page: u32) -> bool {
        let (counter, max) = match limit {
            Limit::Operators => (&self.operators, self.max_operators),
            Limit::Glyphs => (&self.glyphs, self.max_glyphs),
            Limit::FormDraws => (&self.form_draws, self.max_form_draws),
            Limit::Inflated => (&self.inflated, self.max_inflated),
            Limit::StreamSize | Limit::Deadline => return true,
        };
        let total = counter
            .fetch_add(amount, Ordering::Relaxed)
            .saturating_add(amount);
        if total > max {
            self.refuse(limit, max, page);
            return false;
        }
        true
    }

    /// True once any limit was passed (by any thread), or the deadline is
    /// past (which is then recorded).
    pub(crate) fn stopped(&self, page: u32) -> bool {
        if self.stop.load(Ordering::Relaxed) {
            return true;
        }
        if self.deadline.is_some_and(|d| Instant::now() >= d) {
            self.refuse(Limit::Deadline, 0, page);
            return true;
        }
        false
    }
}

/// The operators and glyphs a thread has executed since it last told the
/// [`Budget`]: one atomic addition per [`Meter::BATCH`] operations instead
/// of one each, which two threads would fight over.
pub(crate) struct Meter<'b> {
    pub(crate) budget: &'b Budget,
    pub(crate) page: u32,
    operators: u64,
    glyphs: u64,
}

impl<'b> Meter<'b> {
    /// How many operators or glyphs are counted before the budget is told
    /// (and the deadline checked): a limit may be passed by this much per
    /// thread before it is noticed.
    const BATCH: u64 = 4096;

    pub(crate) fn new(budget: &'b Budget) -> Meter<'b> {
        Meter {
            budget,
            page: 0,
            operators: 0,
            glyphs: 0,
        }
    }

    /// One operator executed; false once the document must stop.
    pub(crate) fn operator(&mut self) -> bool {
        self.operators += 1;
        self.operators < Self::BATCH || self.flush()
    }

    /// One glyph drawn; false once the document must stop.
    pub(crate) fn glyph(&mut self) -> bool {
        self.glyphs += 1;
        self.glyphs < Self::BATCH || self.flush()
    }

    /// One form drawn; false once the document must stop.
    pub(crate) fn form_draw(&mut self) -> bool {
        self.budget.spend(Limit::FormDraws, 1, self.page) && self.flush()
    }

    /// `bytes` inflated; false once the document must stop.
    pub(crate) fn inflated(&self, bytes: usize) -> bool {
        self.budget.spend(Limit::Inflated, bytes as u64, self.page)
    }

    /// Tells the budget what was counted; false once the document must stop.
    pub(crate) fn flush(&mut self) -> bool {
        let operators = std::mem::take(&mut self.operators);
        let glyphs = std::mem::take(&mut self.glyphs);
        let within = self.budget.spend(Limit::Operators, operators, self.page)
            && self.budget.spend(Limit::Glyphs, glyphs, self.page);
        within && !self.budget.stopped(self.page)
    }
}
