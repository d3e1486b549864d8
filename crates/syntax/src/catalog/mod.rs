//! The fixed vocabularies of the language, owned here once for the parser,
//! the printer and the engine: privileges, object types and the project
//! security flags (docs/language.md#privileges-per-object-type,
//! docs/language.md#security-configuration).

mod object_type;
mod privilege;
mod security_flag;

pub use object_type::ObjectType;
pub use privilege::Privilege;
pub use security_flag::SecurityFlag;
