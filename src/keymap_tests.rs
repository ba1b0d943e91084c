use super::*;

fn press(map: &KeyMap, code: KeyCode) -> Option<Action> {
    map.action_for(Key::new(code, false))
}

fn press_ctrl(map: &KeyMap, c: char) -> Option<Action> {
    map.action_for(Key::new(KeyCode::Char(c), true))
}

#[test]
fn keys_are_read_as_the_config_writes_them() {
    let key = |code, ctrl| Some(Key { code, ctrl });
    let cases = [
        ("a", key(KeyCode::Char('a'), false)),
        ("A", key(KeyCode::Char('A'), false)),
        ("!", key(KeyCode::Char('!'), false)),
        ("é", key(KeyCode::Char('é'), false)),
        ("ctrl-r", key(KeyCode::Char('r'), true)),
        ("Ctrl-R", key(KeyCode::Char('r'), true)),
        ("enter", key(KeyCode::Enter, false)),
        ("PageDown", key(KeyCode::PageDown, false)),
        ("end", key(KeyCode::End, false)),
        ("space", key(KeyCode::Char(' '), false)),
        ("f1", key(KeyCode::F(1), false)),
        ("F12", key(KeyCode::F(12), false)),
        ("", None),
        (" ", None),
        ("f13", None),
        ("ctrl-", None),
        ("ctrl-!", None),
        ("ctrl+r", None),
        ("return", None),
        ("ab", None),
        // Terminals send Ctrl-M and Ctrl-I as Enter and Tab, and no Ctrl-digit at all.
        ("ctrl-m", None),
        ("ctrl-i", None),
        ("ctrl-1", None),
        ("f01", None),
        ("f+1", None),
        ("f0", None),
    ];
    for (text, want) in cases {
        assert_eq!(Key::parse(text), want, "{text:?}");
    }
}

#[test]
fn labels_are_short_and_read_like_the_keys() {
    let cases = [
        ("a", "a"),
        ("G", "G"),
        ("ctrl-r", "Ctrl-R"),
        ("pagedown", "PgDn"),
        ("space", "Space"),
        ("f5", "F5"),
        ("backtab", "S-Tab"),
        ("end", "End"),
    ];
    for (text, label) in cases {
        assert_eq!(Key::parse(text).map(Key::label).as_deref(), Some(label));
    }
}

#[test]
fn every_action_has_a_name_and_the_documented_defaults() {
    let map = KeyMap::default();
    for name in ACTION_NAMES {
        let action = Action::named(name).expect(name);
        assert_eq!(action.name(), name);
        assert!(map.keys_of(action).next().is_some(), "{name} has a key");
    }
    let cases = [
        (KeyCode::Char('q'), Action::Quit),
        (KeyCode::Char('?'), Action::ToggleHelp),
        (KeyCode::Char('j'), Action::Down),
        (KeyCode::Down, Action::Down),
        (KeyCode::Tab, Action::NextPane),
        (KeyCode::Enter, Action::OpenDetail),
        (KeyCode::Char('/'), Action::StartFilter),
        (KeyCode::Char('a'), Action::Ack),
        (KeyCode::Char('u'), Action::Unack),
        (KeyCode::Char('s'), Action::Silence),
        (KeyCode::Char('r'), Action::CheckNow),
        (KeyCode::Char('J'), Action::ToggleJobs),
        (KeyCode::Char('p'), Action::TogglePause),
    ];
    for (code, action) in cases {
        assert_eq!(press(&map, code), Some(action), "{code:?}");
    }
    assert_eq!(press(&map, KeyCode::Char('z')), None);
    assert_eq!(map.labels(Action::Down), "j Down");
}

#[test]
fn a_chosen_key_replaces_the_defaults_and_is_taken_from_its_old_action() {
    let key = |text| Key::parse(text).expect(text);
    let map = KeyMap::with(&[
        (Action::CheckNow, vec![key("c"), key("ctrl-r")]),
        // `r` was check_now's: now it acks, and `a` does nothing.
        (Action::Ack, vec![key("r")]),
        (Action::Quit, vec![]),
    ]);
    assert_eq!(press(&map, KeyCode::Char('c')), Some(Action::CheckNow));
    assert_eq!(press_ctrl(&map, 'r'), Some(Action::CheckNow));
    assert_eq!(press(&map, KeyCode::Char('r')), Some(Action::Ack));
    assert_eq!(press(&map, KeyCode::Char('a')), None);
    // Quit has no key of its own any more, but Ctrl-C still quits.
    assert_eq!(press(&map, KeyCode::Char('q')), None);
    assert_eq!(press_ctrl(&map, 'c'), Some(Action::Quit));
    assert_eq!(map.labels(Action::Quit), "Ctrl-C");
    // Ctrl-C given to quit is not listed twice.
    let twice = KeyMap::with(&[(Action::Quit, vec![key("q"), CTRL_C])]);
    assert_eq!(twice, KeyMap::default());
    assert_eq!(twice.labels(Action::Quit), "q Ctrl-C");
    let unbound = KeyMap::with(&[(Action::TogglePause, vec![])]);
    assert_eq!(unbound.aside(Action::TogglePause, " pauses"), "");
    assert_eq!(map.aside(Action::Ack, " acks"), " (r acks)");
    assert_eq!(map.labels(Action::CheckNow), "c Ctrl-R");
    assert_eq!(press(&map, KeyCode::Char('G')), Some(Action::End));
}

#[test]
fn hints_name_each_actions_first_key() {
    let map = KeyMap::default();
    let hint = map.hint(&[
        (&[Action::Ack], "ack"),
        (&[Action::Down, Action::Up], "next alert"),
        (&[Action::Back], "back"),
    ]);
    assert_eq!(hint, "a ack  j/k next alert  Esc back");
    let key = |text| Key::parse(text).expect(text);
    let moved = KeyMap::with(&[(Action::Back, vec![key("backspace")])]);
    assert_eq!(moved.hint(&[(&[Action::Back], "back")]), "Bksp back");
    let none = KeyMap::with(&[(Action::Back, vec![])]);
    let hint = none.hint(&[(&[Action::Ack], "ack"), (&[Action::Back], "back")]);
    assert_eq!(hint, "a ack");
}
