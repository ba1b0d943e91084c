//! `[keys]`: what each entry does to the keyboard, and the message each mistake gives.

use super::tests_alerts::{parsed, problems};
use crate::keymap::{Action, Key, KeyCode, KeyMap};

fn press(map: &KeyMap, code: KeyCode, ctrl: bool) -> Option<Action> {
    map.action_for(Key::new(code, ctrl))
}

#[test]
fn without_the_section_every_key_is_the_default() {
    assert_eq!(parsed("").keys, KeyMap::default());
    assert_eq!(parsed("[keys]\n").keys, KeyMap::default());
}

#[test]
fn an_entry_gives_its_action_new_keys_and_takes_them_from_the_defaults() {
    let text = r#"
[keys]
check_now = ["c", "f5"]
ack = "r"
quit = ["ctrl-q"]
pause = []
severity_filter = "space"
"#;
    let keys = parsed(text).keys;
    let none = false;
    let cases = [
        (KeyCode::Char('c'), none, Some(Action::CheckNow)),
        (KeyCode::F(5), none, Some(Action::CheckNow)),
        (KeyCode::Char('r'), none, Some(Action::Ack)),
        (KeyCode::Char('a'), none, None),
        (KeyCode::Char('q'), none, None),
        (KeyCode::Char('q'), true, Some(Action::Quit)),
        (KeyCode::Char('c'), true, Some(Action::Quit)),
        (KeyCode::Char('p'), none, None),
        (KeyCode::Char(' '), none, Some(Action::SeverityFilter)),
        (KeyCode::Char('f'), none, None),
        // Untouched actions keep their defaults.
        (KeyCode::Char('u'), none, Some(Action::Unack)),
        (KeyCode::Enter, none, Some(Action::OpenDetail)),
    ];
    for (code, modifiers, want) in cases {
        assert_eq!(
            press(&keys, code, modifiers),
            want,
            "{code:?} {modifiers:?}"
        );
    }
}

#[test]
fn mistakes_are_all_reported_with_what_is_valid() {
    let text = r#"
[keys]
chek_now = "c"
ack = 1
silence = ["s", 2]
unack = "ctrl+u"
history = "ctrl-c"
reload = ["x"]
pause = "x"
jobs = ["J", "J"]
"#;
    assert_eq!(
        problems(text),
        [
            "3:1: unknown key `chek_now` in [keys]; did you mean `check_now`?",
            "4:7: `ack` in [keys] expects a key like \"c\" or a list like [\"c\", \"f5\"], \
             found integer 1",
            "5:17: `silence` in [keys] expects keys written as strings, found integer 2",
            "6:9: \"ctrl+u\" in `unack` is not a key: write one character like \"x\", \"X\" or \
             \"!\", \"ctrl-x\" (a letter, not m or i: terminals send those as enter and tab), \
             f1 to f12, or one of enter, esc, tab, backtab, backspace, delete, insert, space, \
             up, down, left, right, pageup, pagedown, home, end",
            "7:11: \"ctrl-c\" in `history`: Ctrl-C always quits, so a remapped screen can \
             still be left; pick another key",
            "9:9: \"x\" is given to both `reload` and `pause`: a key does one thing; take it \
             out of one of them",
            "10:14: \"J\" is given to `jobs` twice",
        ]
    );
}
