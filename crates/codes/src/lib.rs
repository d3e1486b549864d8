//! Stable diagnostic codes, declared once.
//!
//! Every mcauth crate that reports diagnostics keeps one catalogue of
//! them, written with [`catalogue!`]: each code is declared once, with its
//! text (`mcauth::<crate>::<name>`), its meaning (the variant's doc
//! comment) and, where one fixes every case, its help. `docs/codes.md` is
//! generated from the catalogues, and a test of the `mcauth` crate fails
//! when it is out of date or when two codes are spelt the same.
//!
//! This crate depends on no other mcauth crate, so the leaves (`odps`,
//! `policy`) can use it too.

#![warn(missing_docs)]

#[doc(hidden)]
pub use miette as __miette;
#[doc(hidden)]
pub use serde as __serde;

/// One code as `docs/codes.md` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The full text, e.g. `mcauth::store::busy`.
    pub code: &'static str,
    /// What it means, in a sentence.
    pub meaning: &'static str,
    /// How to fix what it reports, when one fix fits every case.
    pub help: Option<&'static str>,
}

/// An error whose kind is one code of a catalogue.
///
/// [`diagnostic!`] makes such an error a miette diagnostic whose code and
/// help are the entry's.
pub trait Coded {
    /// The code of this error.
    fn entry(&self) -> Entry;

    /// Help that says more about this error than the code's help does.
    fn specific_help(&self) -> Option<String> {
        None
    }
}

/// Declares a catalogue: an enum of codes whose variants each carry their
/// text, their meaning (the doc comment) and optional help.
///
/// ```
/// mcauth_codes::catalogue! {
///     /// What can go wrong with a kettle.
///     pub enum KettleCode in "mcauth::kettle::" {
///         /// The kettle is empty.
///         Empty => "empty", help "fill it";
///         /// The kettle is already boiling.
///         Boiling => "boiling";
///     }
/// }
/// assert_eq!(KettleCode::Empty.as_str(), "mcauth::kettle::empty");
/// assert_eq!(KettleCode::Empty.help(), Some("fill it"));
/// assert_eq!(KettleCode::Boiling.meaning(), "The kettle is already boiling.");
/// assert_eq!(KettleCode::ALL.len(), 2);
/// ```
///
/// The enum is `Copy`, ordered, printed and serialised as its full text.
#[macro_export]
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident in $prefix:literal {
            $(
                $(#[doc = $meaning:literal])+
                $variant:ident => $code:literal $(, help $help:literal)?;
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $($(#[doc = $meaning])+ $variant,)*
        }

        impl $name {
            /// Every code of this catalogue, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            /// The full text, which never changes meaning.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($prefix, $code),)*
                }
            }

            /// What the code means (its doc comment).
            pub fn meaning(self) -> &'static str {
                match self {
                    $($name::$variant => concat!($($meaning),+),)*
                }
                .trim()
            }

            /// How to fix what it reports, when one fix fits every case.
            pub const fn help(self) -> Option<&'static str> {
                match self {
                    $($name::$variant => $crate::__help!($($help)?),)*
                }
            }

            /// The code as `docs/codes.md` lists it.
            pub fn entry(self) -> $crate::Entry {
                $crate::Entry {
                    code: self.as_str(),
                    meaning: self.meaning(),
                    help: self.help(),
                }
            }

            /// Every code of this catalogue as `docs/codes.md` lists it.
            pub fn entries() -> impl Iterator<Item = $crate::Entry> {
                $name::ALL.iter().map(|c| c.entry())
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __help {
    () => {
        None
    };
    ($help:literal) => {
        Some($help)
    };
}

/// Makes a [`Coded`] error a miette diagnostic: its code is the entry's,
/// its help the error's own ([`Coded::specific_help`]) or else the
/// entry's.
#[macro_export]
macro_rules! diagnostic {
    ($ty:ty) => {
        impl $crate::__miette::Diagnostic for $ty {
            fn code<'a>(&'a self) -> Option<Box<dyn ::core::fmt::Display + 'a>> {
                Some(Box::new($crate::Coded::entry(self).code))
            }

            fn help<'a>(&'a self) -> Option<Box<dyn ::core::fmt::Display + 'a>> {
                match $crate::Coded::specific_help(self) {
                    Some(help) => Some(Box::new(help)),
                    None => $crate::Coded::entry(self)
                        .help
                        .map(|h| Box::new(h) as Box<dyn ::core::fmt::Display + 'a>),
                }
            }
        }
    };
}

/// Whether `entries` spell no code twice: the first code spelt twice, if any.
pub fn first_duplicate(entries: &[Entry]) -> Option<&'static str> {
    let mut seen = std::collections::BTreeSet::new();
    entries
        .iter()
        .map(|e| e.code)
        .find(|code| !seen.insert(*code))
}

#[cfg(test)]
mod tests {
    use super::*;

    catalogue! {
        /// Test codes.
        enum TestCode in "mcauth::test_codes::" {
            /// One line,
            /// and a second.
            First => "first", help "do this";
            /// Another.
            Second => "second";
        }
    }

    #[test]
    fn a_catalogue_declares_text_meaning_and_help_once() {
        assert_eq!(TestCode::First.as_str(), "mcauth::test_codes::first");
        assert_eq!(TestCode::First.meaning(), "One line, and a second.");
        assert_eq!(TestCode::Second.help(), None);
        assert_eq!(TestCode::Second.to_string(), "mcauth::test_codes::second");
        assert_eq!(TestCode::entries().count(), 2);
        assert_eq!(
            first_duplicate(&TestCode::entries().collect::<Vec<_>>()),
            None
        );
    }

    #[test]
    fn a_code_spelt_twice_is_found() {
        let e = TestCode::First.entry();
        assert_eq!(
            first_duplicate(&[e, TestCode::Second.entry(), e]),
            Some(e.code)
        );
    }
}
