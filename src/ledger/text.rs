//! Shared cell text: one copy of each distinct name, identifier, category or sheet name,
//! however many rows repeat it.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

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

    /// This set's copy of `t`, when it has one other than `t` itself; otherwise `t` becomes
    /// this set's copy. For merging the texts of a part of a sheet read on its own.
    pub(crate) fn adopt(&mut self, t: &Text) -> Option<Text> {
        match self.0.get(&**t) {
            Some(own) if own.id() == t.id() => None,
            Some(own) => Some(own.clone()),
            None => {
                self.0.insert(t.clone());
                None
            }
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Text> {
        self.0.iter()
    }
}
