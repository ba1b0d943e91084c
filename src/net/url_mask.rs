//! URLs as they may be shown or logged: a password in one is replaced by `***`.

use reqwest::Url;

/// `url` with its password, if any, replaced by `***`.
pub fn masked(url: &Url) -> Url {
    let mut url = url.clone();
    if url.password().is_some() {
        // Setting a password only fails for URLs that cannot have one.
        let _ = url.set_password(Some("***"));
    }
    url
}

/// The URL as it may be shown or logged: a password is replaced by `***`.
pub fn display_url(url: &Url) -> String {
    masked(url).to_string()
}
