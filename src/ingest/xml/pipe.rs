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
