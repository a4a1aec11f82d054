//! Shared cell text: one copy of each distinct name, identifier, category or sheet name,
//! however many rows repeat it.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

/// `text.trim()`, without decoding characters when the first and last bytes are printable
/// ASCII: no whitespace, ASCII or other, can then be trimmed (nearly every cell).
#[must_use]
pub(crate) fn trim(text: &str) -> &str {
    let printable = |b: &u8| (0x21..0x7f).contains(b);
    let b = text.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) if printable(first) && printable(last) => text,
        _ => text.trim(),
    }
}

/// Text read from a ledger cell, shared: the thousand rows of one funder hold one copy of its
/// name, and a cell reference holds its sheet's name without copying it. One pointer wide, so
/// that a million entries stay small.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text(Arc<Box<str>>);

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Text {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Self {
        Text(Arc::new(Box::from(s)))
    }
}

impl From<String> for Text {
    fn from(s: String) -> Self {
        Text(Arc::new(s.into_boxed_str()))
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl Text {
    /// An address that is the same for every copy of one shared text: a cheap key for
    /// per-text memos.
    #[must_use]
    pub fn id(&self) -> usize {
        Arc::as_ptr(&self.0) as usize
    }
}

/// One copy of each distinct text: funder names, identifiers, categories and currencies
/// repeat down a ledger.
#[derive(Default)]
pub(crate) struct Interner(HashSet<Text, foldhash::fast::RandomState>);

impl Interner {
    pub(crate) fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.0.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        self.0.insert(t.clone());
        t
    }
}

/// Shared texts for the readers of a sheet or of its parts: one copy of each text for every
/// reader that shares the set, so that merging their rows copies nothing. Each reader keeps
/// the copies it has used, and asks the shared set only for a text it has not seen.
///
/// The parts read on one thread share one set, and each thread has its own ([`PartTexts`]):
/// a copy's count is then changed by one thread only, where a set shared by every thread
/// had the threads take turns at the counts of the texts every row names (a million times
/// each for a category). A ledger read on two threads may so hold two copies of a text.
pub(crate) struct SharedTexts {
    seen: Interner,
    shared: Arc<Mutex<Interner>>,
}

impl Default for SharedTexts {
    fn default() -> Self {
        SharedTexts {
            seen: Interner::default(),
            shared: Arc::new(Mutex::new(Interner::default())),
        }
    }
}

impl SharedTexts {
    /// The copy of `s` shared by every reader of the sheet.
    pub(crate) fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.seen.0.get(s) {
            return t.clone();
        }
        // A reader that panicked while holding the set left it whole: every insert is one
        // call that either happened or did not.
        let t = self
            .shared
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(s);
        self.seen.0.insert(t.clone());
        t
    }

    /// Another reader sharing these texts.
    pub(crate) fn for_part(&self) -> Self {
        SharedTexts {
            seen: Interner::default(),
            shared: Arc::clone(&self.shared),
        }
    }
}

/// The texts of the parts of sheets read on one thread: see [`SharedTexts`].
#[derive(Default)]
pub struct PartTexts(pub(crate) SharedTexts);

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn trim_is_str_trim(s in "[ \t\n\r\u{b}\u{c}\u{85}\u{a0}\u{2003}\u{3000}a-z0-9\u{e9}\u{7f}!~]{0,12}") {
            prop_assert_eq!(super::trim(&s), s.trim());
        }
    }
}
