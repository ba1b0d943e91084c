//! URLs as they may be shown or logged: what may hold a secret (the user name, the
//! password, the query string, the fragment) is replaced by `***`.

use reqwest::Url;

/// `url` with its user name, password, query and fragment, where present, replaced by
/// `***`.
pub fn masked(url: &Url) -> Url {
    let mut url = url.clone();
    // Setting a user name or password only fails for URLs that cannot have one.
    if !url.username().is_empty() {
        let _ = url.set_username("***");
    }
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    if url.query().is_some() {
        url.set_query(Some("***"));
    }
    if url.fragment().is_some() {
        url.set_fragment(Some("***"));
    }
    url
}

/// The URL as it may be shown or logged ([`masked`]).
pub fn display_url(url: &Url) -> String {
    masked(url).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_may_hold_a_secret_is_masked() {
        let cases = [
            ("https://h/health", "https://h/health"),
            ("https://u:pw@h/x", "https://***:***@h/x"),
            ("https://token@h/x", "https://***@h/x"),
            ("https://h/x?api_key=s3cret&v=1", "https://h/x?***"),
            ("https://h/x#access_token=s3cret", "https://h/x#***"),
            ("https://h:8443/?", "https://h:8443/?***"),
        ];
        for (url, want) in cases {
            let url = Url::parse(url).expect("a URL");
            assert_eq!(display_url(&url), want, "{url}");
        }
    }
}
