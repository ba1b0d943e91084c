//! Where lines go: the log file (`file.rs`) and, when asked, stdout, each through its
//! own lossless background writer.

use std::io::{self, Write};

use tracing_appender::non_blocking::{NonBlocking, NonBlockingBuilder, WorkerGuard};
use tracing_subscriber::fmt::MakeWriter;

use super::LogError;
use super::file::LogFile;
use crate::config::LogConfig;

/// Log files are `lookout.<date>.log` (daily) or `lookout.<date-hour>.log` (hourly).
pub const FILE_PREFIX: &str = "lookout";
pub const FILE_SUFFIX: &str = "log";

/// The background writers: a line written to this goes to every one of them. Writers
/// block rather than drop lines when they fall behind.
#[derive(Debug, Clone)]
pub struct Writers {
    file: NonBlocking,
    stdout: Option<NonBlocking>,
}

impl Writers {
    pub fn new(file: NonBlocking, stdout: Option<NonBlocking>) -> Self {
        Writers { file, stdout }
    }

    /// Opens today's (or this hour's) file in `config.dir`, creating the directory, and
    /// starts the writer threads. The guards stop them, once every line is written.
    pub fn open(config: &LogConfig) -> Result<(Self, Vec<WorkerGuard>), LogError> {
        let appender = LogFile::open(config)?;
        let (file, file_guard) = lossless("lookout-log-file").finish(appender);
        let mut guards = vec![file_guard];
        let stdout = config.stdout.then(|| {
            let (stdout, guard) = lossless("lookout-log-stdout").finish(io::stdout());
            guards.push(guard);
            stdout
        });
        Ok((Writers::new(file, stdout), guards))
    }
}

/// Lines a writer holds before the code logging waits for it. The channel's buffer is
/// allocated up front, so tracing-appender's default (128,000 lines, several MB) would
/// cost more memory than the rest of lookout; a burst beyond this waits, never drops.
const BUFFERED_LINES: usize = 4096;

fn lossless(thread_name: &str) -> NonBlockingBuilder {
    NonBlockingBuilder::default()
        .lossy(false)
        .buffered_lines_limit(BUFFERED_LINES)
        .thread_name(thread_name)
}

impl<'a> MakeWriter<'a> for Writers {
    type Writer = Writers;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Write for Writers {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    /// The whole line to each writer, as one message, so lines never interleave.
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let file = self.file.write_all(buf);
        let stdout = match &mut self.stdout {
            Some(stdout) => stdout.write_all(buf),
            None => Ok(()),
        };
        file.and(stdout)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
