//! The ack-note prompt (`A`): the alert it will acknowledge and the note typed so far.

use std::sync::Arc;

use crate::view::alert::AlertView;

/// The longest note, in characters; typing stops there.
pub const MAX_NOTE: usize = 200;

/// The one-line note prompt over the screen, while it is open.
#[derive(Debug, Clone, PartialEq)]
pub struct AckPrompt {
    /// The alert `A` was pressed on.
    pub alert: Arc<AlertView>,
    /// The note as typed, at most `MAX_NOTE` characters.
    pub text: String,
    /// What happened to the alert while the note was typed (it resolved), shown in the
    /// box so the note is not lost with it.
    pub notice: Option<String>,
}

impl AckPrompt {
    pub fn new(alert: Arc<AlertView>) -> Self {
        Self {
            alert,
            text: String::new(),
            notice: None,
        }
    }

    /// Adds a typed character; a control character, or one past `MAX_NOTE`, is dropped.
    pub fn push(&mut self, c: char) {
        if !c.is_control() && self.text.chars().count() < MAX_NOTE {
            self.text.push(c);
        }
    }

    /// The note to send: the text trimmed, or none when nothing but blanks was typed.
    pub fn note(&self) -> Option<String> {
        let note = self.text.trim();
        (!note.is_empty()).then(|| note.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample_alerts::sample_alerts;
    use crate::test_support::at;

    #[test]
    fn note_is_trimmed_capped_and_optional() {
        let (active, _) = sample_alerts(at(0));
        let Some(alert) = active.first() else {
            panic!("sample alerts changed");
        };
        let mut prompt = AckPrompt::new(Arc::clone(alert));
        assert_eq!(prompt.note(), None);
        for c in "  \t".chars() {
            prompt.push(c);
        }
        assert_eq!(
            prompt.note(),
            None,
            "blanks are no note; the tab is dropped"
        );
        for c in "é on it ".chars().chain(std::iter::repeat_n('x', 300)) {
            prompt.push(c);
        }
        assert_eq!(prompt.text.chars().count(), MAX_NOTE);
        assert!(prompt.note().is_some_and(|n| n.starts_with("é on it x")));
    }
}
