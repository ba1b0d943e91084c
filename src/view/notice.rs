//! Why a notice goes to the notify channels: the word receivers see, logs show and the
//! outbox keeps.

/// Why a notice is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The alert started firing.
    Firing,
    /// Still firing and nobody acknowledged it.
    Reminder,
    /// It got more severe (an acked alert returns to firing).
    Worsened,
    Resolved,
    /// It closed without resolving: the service was paused, removed or renamed, its rule
    /// changed, its monitor stopped (the alert's `ended` says which).
    Ended,
}

impl NoticeKind {
    pub const ALL: [NoticeKind; 5] = [
        NoticeKind::Firing,
        NoticeKind::Reminder,
        NoticeKind::Worsened,
        NoticeKind::Resolved,
        NoticeKind::Ended,
    ];

    /// The word in payloads, environment variables, logs and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::Firing => "firing",
            NoticeKind::Reminder => "reminder",
            NoticeKind::Worsened => "worsened",
            NoticeKind::Resolved => "resolved",
            NoticeKind::Ended => "ended",
        }
    }

    /// The kind `as_str` names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }
}
