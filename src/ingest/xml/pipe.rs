//! Inflating a big sheet on its own thread: one thread decompresses the zip entry into
//! chunks while the scanner reads the chunks before it, so the two overlap instead of taking
//! turns (inflating is about a sixth of reading an .xlsx sheet).

use std::io::Read;
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender};

/// Entries smaller than this are inflated where they are read: a thread costs more than it
/// saves.
pub(crate) const WORTH_A_THREAD: u64 = 4 << 20;
const CHUNK: usize = 256 * 1024;
/// Chunks inflated ahead of the reader, at most.
const AHEAD: usize = 4;

/// Runs `read` over the bytes of `src`, which are read on a second thread.
pub(crate) fn inflated_beside<S, T>(src: S, read: impl FnOnce(Chunks) -> T) -> T
where
    S: Read + Send,
{
    std::thread::scope(|scope| {
        let (tx, rx) = sync_channel::<std::io::Result<Vec<u8>>>(AHEAD);
        let (spare_tx, spare_rx) = channel::<Vec<u8>>();
        scope.spawn(move || inflate(src, &tx, &spare_rx));
        // The reader's end is dropped when `read` returns, which stops the inflating thread.
        read(Chunks {
            rx,
            spare: spare_tx,
            chunk: Vec::new(),
            pos: 0,
        })
    })
}

fn inflate<S: Read>(
    mut src: S,
    tx: &std::sync::mpsc::SyncSender<std::io::Result<Vec<u8>>>,
    spare: &Receiver<Vec<u8>>,
) {
    loop {
        let mut chunk = spare.try_recv().unwrap_or_default();
        chunk.resize(CHUNK, 0);
        let mut filled = 0;
        let result = loop {
            match src.read(&mut chunk[filled..]) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    filled += n;
                    if filled == chunk.len() {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        chunk.truncate(filled);
        let done = filled == 0;
        let sent = match result {
            Ok(()) => tx.send(Ok(chunk)),
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        if done || sent.is_err() {
            return;
        }
    }
}

/// The reading end: the inflated bytes, in order.
pub(crate) struct Chunks {
    rx: Receiver<std::io::Result<Vec<u8>>>,
    spare: Sender<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
}

impl Read for Chunks {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.chunk.len() {
            let next = match self.rx.recv() {
                Ok(next) => next?,
                // The inflating thread ended without an empty chunk: it panicked.
                Err(_) => {
                    return Err(std::io::Error::other("the inflating thread stopped"));
                }
            };
            if next.is_empty() {
                return Ok(0);
            }
            let used = std::mem::replace(&mut self.chunk, next);
            let _ = self.spare.send(used);
            self.pos = 0;
        }
        let n = buf.len().min(self.chunk.len() - self.pos);
        buf[..n].copy_from_slice(&self.chunk[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_arrives_in_order() {
        let data: Vec<u8> = (0..3 * CHUNK + 17).map(|i| (i % 251) as u8).collect();
        let mut back = Vec::new();
        inflated_beside(&data[..], |mut r| r.read_to_end(&mut back).unwrap());
        assert_eq!(back, data);
        // A reader that stops early does not hang the inflating thread.
        let first = inflated_beside(&data[..], |mut r| {
            let mut b = [0u8; 10];
            r.read_exact(&mut b).unwrap();
            b
        });
        assert_eq!(first[..], data[..10]);
    }
}

/// Passes bytes through, failing with [`std::io::ErrorKind::InvalidData`] at the first that
/// is not UTF-8: calamine's XML reader refuses such text even where it skips it, so the fast
/// reader must not read past it (it leaves the sheet to calamine instead).
pub(crate) struct Utf8Checked<R> {
    inner: R,
    /// The start of a character cut off at the end of the last read.
    carry: [u8; 3],
    carried: usize,
    /// Checked bytes a small read could not take.
    spill: Vec<u8>,
}

impl<R> Utf8Checked<R> {
    pub(crate) fn new(inner: R) -> Self {
        Utf8Checked {
            inner,
            carry: [0; 3],
            carried: 0,
            spill: Vec::new(),
        }
    }
}

fn not_utf8() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, "text that is not UTF-8")
}

impl<R: Read> Read for Utf8Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.spill.is_empty() {
            let n = buf.len().min(self.spill.len());
            buf[..n].copy_from_slice(&self.spill[..n]);
            self.spill.drain(..n);
            return Ok(n);
        }
        if buf.len() < 4 {
            // Room for a whole character is needed; the rest waits in `spill`.
            let mut wide = [0u8; 8];
            let n = self.read(&mut wide)?;
            let give = n.min(buf.len());
            buf[..give].copy_from_slice(&wide[..give]);
            self.spill.extend_from_slice(&wide[give..n]);
            return Ok(give);
        }
        loop {
            let c = self.carried;
            buf[..c].copy_from_slice(&self.carry[..c]);
            let n = loop {
                match self.inner.read(&mut buf[c..]) {
                    Ok(n) => break n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            };
            let total = c + n;
            if n == 0 {
                return if c == 0 { Ok(0) } else { Err(not_utf8()) };
            }
            // SIMD validation: several times std's speed on a big sheet.
            match simdutf8::compat::from_utf8(&buf[..total]) {
                Ok(_) => {
                    self.carried = 0;
                    return Ok(total);
                }
                Err(e) if e.error_len().is_none() => {
                    let good = e.valid_up_to();
                    let cut = total - good;
                    self.carry[..cut].copy_from_slice(&buf[good..total]);
                    self.carried = cut;
                    if good > 0 {
                        return Ok(good);
                    }
                }
                Err(_) => return Err(not_utf8()),
            }
        }
    }
}

#[cfg(test)]
mod utf8_tests {
    use super::*;

    /// A reader that gives one byte at a time, to cut every character.
    struct Dribble<'a>(&'a [u8]);

    impl Read for Dribble<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    /// Reads `r` to the end through a buffer of `size` bytes at a time.
    fn drain(mut r: impl Read, size: usize) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut buf = vec![0u8; size];
        loop {
            let n = r.read(&mut buf)?;
            if n == 0 {
                return Ok(out);
            }
            out.extend_from_slice(&buf[..n]);
        }
    }

    #[test]
    fn small_reads_get_every_byte() {
        let text = "£1,250 — Fundação 😀".as_bytes();
        for size in [1, 2, 3, 5] {
            assert_eq!(drain(Utf8Checked::new(Dribble(text)), size).unwrap(), text);
            assert_eq!(drain(Utf8Checked::new(text), size).unwrap(), text);
        }
    }

    #[test]
    fn characters_cut_between_reads_pass_and_bad_bytes_fail() {
        let text = "£1,250 — Fundação 😀".as_bytes();
        let mut out = Vec::new();
        Utf8Checked::new(Dribble(text))
            .read_to_end(&mut out)
            .unwrap();
        assert_eq!(out, text);
        let mut bad = text.to_vec();
        bad.insert(3, 0xF7);
        let err = Utf8Checked::new(Dribble(&bad)).read_to_end(&mut Vec::new());
        assert_eq!(err.unwrap_err().kind(), std::io::ErrorKind::InvalidData);
        // A character cut off by the end of the stream.
        let cut = &text[..text.len() - 1];
        assert!(Utf8Checked::new(cut).read_to_end(&mut Vec::new()).is_err());
    }
}
