//! Download control as a deciding layer: while the project property
//! `odps.security.enabledownloadprivilege` is not `true`, MaxCompute does
//! not check the Download privilege, and whoever may Select a table may
//! download it; once it is `true`, a download needs Download itself, from
//! a grant or a policy (docs/language.md#download-control).

use std::borrow::Cow;

use crate::knowledge::Fact;
use crate::privilege::Privilege;
use crate::view::StateView;

use super::notes::DOWNLOAD_PROPERTY;
use super::{Layer, Outcome, Question, Step, Tracer};

/// Whether Download control is on: the property reads `true`.
pub(super) fn on<V: StateView + ?Sized>(view: &V) -> bool {
    view.project_property(DOWNLOAD_PROPERTY)
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The question the grants are asked: a question about Download is one
/// about Select while Download control is off; any other is itself.
pub(super) fn consulted<'q, V: StateView + ?Sized>(
    view: &V,
    t: &mut Tracer,
    q: &'q Question,
) -> Cow<'q, Question> {
    if q.privilege != Privilege::Download {
        return Cow::Borrowed(q);
    }
    if !view.knows(Fact::ProjectProperties) {
        t.push(Step::new(
            Layer::DownloadControl,
            Outcome::NotVerified,
            format!(
                "{} were not read: whether MaxCompute checks Download ({DOWNLOAD_PROPERTY}) is not known; judged as Download",
                Fact::ProjectProperties
            ),
        ));
        return Cow::Borrowed(q);
    }
    if on(view) {
        t.push(Step::new(
            Layer::DownloadControl,
            Outcome::Note,
            "Download control is on: downloading needs this Download privilege",
        ));
        return Cow::Borrowed(q);
    }
    t.push(Step::new(
        Layer::DownloadControl,
        Outcome::Note,
        format!(
            "Download control is off ({DOWNLOAD_PROPERTY} is not true): MaxCompute does not check Download, so the answer is whether {} may Select {}",
            q.subject,
            q.object_words()
        ),
    ));
    Cow::Owned(Question {
        privilege: Privilege::Select,
        ..q.clone()
    })
}
