//! The fixed vocabularies of the language, owned here once for the parser,
//! the printer and the engine: privileges, object types and the project
//! security flags (docs/language.md#privileges-per-object-type,
//! docs/language.md#security-configuration).

/// `Display` for a catalogue enum: the name the method `$name` gives.
macro_rules! display_as {
    ($type:ty, $name:ident) => {
        impl std::fmt::Display for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.$name())
            }
        }
    };
}

/// Declares a catalogue enum from one list of its values, each with its
/// name where that is not the value's own: the enum, in that order (which
/// is also its `Ord`), copyable and serialisable; `ALL`, in the same
/// order; and the method that names a value.
macro_rules! catalogue {
    (
        $(#[$meta:meta])*
        pub enum $type:ident {
            $($(#[$variant_meta:meta])* $variant:ident $(= $text:literal)?,)*
        }
        $(#[$name_meta:meta])*
        pub fn $name:ident;
    ) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        $(#[$meta])*
        pub enum $type {
            $($(#[$variant_meta])* $variant,)*
        }

        impl $type {
            /// Every value, in declaration order.
            pub const ALL: [$type; [$($type::$variant),*].len()] = [$($type::$variant),*];

            $(#[$name_meta])*
            pub fn $name(self) -> &'static str {
                match self {
                    $($type::$variant => catalogue!(@name $variant $($text)?),)*
                }
            }
        }
    };
    (@name $variant:ident $text:literal) => {
        $text
    };
    (@name $variant:ident) => {
        stringify!($variant)
    };
}

mod object_type;
mod privilege;
mod security_flag;

pub use object_type::ObjectType;
pub use privilege::Privilege;
pub use security_flag::SecurityFlag;
