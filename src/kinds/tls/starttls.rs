//! The plain-text opening some protocols need before TLS (`starttls`): SMTP's
//! `STARTTLS` (RFC 3207), IMAP's (RFC 3501) and PostgreSQL's `SSLRequest`. Every answer
//! is read with a cap, so a server that talks without end cannot hold memory.

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The protocol spoken before TLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StartTls {
    Smtp,
    Imap,
    Postgres,
}

impl StartTls {
    pub const WORDS: [&str; 3] = ["smtp", "imap", "postgres"];

    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "smtp" => Some(StartTls::Smtp),
            "imap" => Some(StartTls::Imap),
            "postgres" => Some(StartTls::Postgres),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StartTls::Smtp => "smtp",
            StartTls::Imap => "imap",
            StartTls::Postgres => "postgres",
        }
    }

    /// Speaks the opening on `stream` until the server is ready for the TLS handshake;
    /// the error is the check's reason.
    pub(super) async fn open(self, stream: &mut TcpStream) -> Result<(), String> {
        match self {
            StartTls::Smtp => smtp(stream).await,
            StartTls::Imap => imap(stream).await,
            StartTls::Postgres => postgres(stream).await,
        }
    }
}

/// The most an answer line may hold; the most lines a reply may have.
const LINE_CAP: usize = 1024;
const LINES_CAP: usize = 64;

async fn smtp(stream: &mut TcpStream) -> Result<(), String> {
    let (read, mut write) = stream.split();
    let mut read = BufReader::new(read);
    let greeting = smtp_reply(&mut read).await?;
    expect_code(&greeting, "220", "SMTP greeting")?;
    send(&mut write, b"EHLO lookout\r\n").await?;
    let hello = smtp_reply(&mut read).await?;
    expect_code(&hello, "250", "SMTP EHLO")?;
    if !hello.iter().any(|line| {
        line.get(4..)
            .is_some_and(|rest| rest.trim().eq_ignore_ascii_case("STARTTLS"))
    }) {
        return Err("SMTP: the server does not offer STARTTLS".to_string());
    }
    send(&mut write, b"STARTTLS\r\n").await?;
    let ready = smtp_reply(&mut read).await?;
    expect_code(&ready, "220", "SMTP STARTTLS")
}

/// One SMTP reply: lines "250-…" continued up to a "250 …".
async fn smtp_reply(read: &mut (impl AsyncBufReadExt + Unpin)) -> Result<Vec<String>, String> {
    let mut lines = Vec::new();
    while lines.len() < LINES_CAP {
        let line = read_line(read, "SMTP").await?;
        let last = line.as_bytes().get(3) != Some(&b'-');
        lines.push(line);
        if last {
            return Ok(lines);
        }
    }
    Err(format!("SMTP: a reply of more than {LINES_CAP} lines"))
}

fn expect_code(reply: &[String], code: &str, what: &str) -> Result<(), String> {
    match reply.last() {
        Some(line) if line.starts_with(code) => Ok(()),
        Some(line) => Err(format!("{what}: {}", shown(line))),
        None => Err(format!("{what}: no answer")),
    }
}

async fn imap(stream: &mut TcpStream) -> Result<(), String> {
    let (read, mut write) = stream.split();
    let mut read = BufReader::new(read);
    let greeting = read_line(&mut read, "IMAP").await?;
    if !greeting.starts_with("* OK") {
        return Err(format!("IMAP greeting: {}", shown(&greeting)));
    }
    send(&mut write, b"a1 STARTTLS\r\n").await?;
    for _ in 0..LINES_CAP {
        let line = read_line(&mut read, "IMAP").await?;
        if line.starts_with("a1 OK") {
            return Ok(());
        }
        if line.starts_with("a1 ") {
            return Err(format!("IMAP STARTTLS: {}", shown(&line)));
        }
    }
    Err(format!("IMAP: no answer to STARTTLS in {LINES_CAP} lines"))
}

/// PostgreSQL's SSLRequest: length 8, code 80877103; the server answers `S` or `N`.
async fn postgres(stream: &mut TcpStream) -> Result<(), String> {
    let mut request = [0_u8; 8];
    request[..4].copy_from_slice(&8_u32.to_be_bytes());
    request[4..].copy_from_slice(&80_877_103_u32.to_be_bytes());
    send(stream, &request).await?;
    let mut answer = [0_u8; 1];
    stream
        .read_exact(&mut answer)
        .await
        .map_err(|error| format!("PostgreSQL: no answer to SSLRequest ({error})"))?;
    match answer[0] {
        b'S' => Ok(()),
        b'N' => Err("PostgreSQL: the server does not offer TLS (ssl = off)".to_string()),
        other => Err(format!(
            "PostgreSQL: answered SSLRequest with {:?}, not S or N",
            char::from(other)
        )),
    }
}

async fn send(write: &mut (impl AsyncWriteExt + Unpin), bytes: &[u8]) -> Result<(), String> {
    write
        .write_all(bytes)
        .await
        .map_err(|error| format!("connection lost while opening TLS: {error}"))
}

/// One line without its line end; a longer line than [`LINE_CAP`], or the end of the
/// stream, is an error.
async fn read_line(
    read: &mut (impl AsyncBufReadExt + Unpin),
    protocol: &str,
) -> Result<String, String> {
    let mut line = Vec::new();
    let mut limited = read.take(LINE_CAP as u64);
    let got = limited
        .read_until(b'\n', &mut line)
        .await
        .map_err(|error| format!("{protocol}: {error}"))?;
    if got == 0 {
        return Err(format!("{protocol}: the server closed the connection"));
    }
    if line.last() != Some(&b'\n') {
        return Err(format!("{protocol}: a line longer than {LINE_CAP} bytes"));
    }
    Ok(String::from_utf8_lossy(&line).trim_end().to_string())
}

/// A server's line as a reason shows it: at most 120 characters.
fn shown(line: &str) -> String {
    let mut text: String = line.chars().take(120).collect();
    if text.len() < line.len() {
        text.push('…');
    }
    format!("{text:?}")
}
