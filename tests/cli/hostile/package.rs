//! A minimal hand-written zip writer, so a test can declare any sizes it likes and splice
//! pre-compressed data (a zip bomb) without compressing gigabytes.

use flate2::{Compress, Compression, FlushCompress, Status};

pub struct Entry {
    pub name: String,
    pub data: Vec<u8>,
    pub crc: u32,
    /// The inflated size written in the headers (a liar may differ from the truth).
    pub declared: u64,
}

/// Deflates `data` into a raw deflate stream.
pub fn deflate(data: &[u8]) -> Vec<u8> {
    // Fast compression for big parts: the tests make them, they need not be small.
    let level = if data.len() > 16 << 20 {
        Compression::fast()
    } else {
        Compression::default()
    };
    let mut c = Compress::new(level, false);
    let mut out = Vec::with_capacity(data.len() / 4 + 1024);
    loop {
        let consumed = usize::try_from(c.total_in()).unwrap();
        let status = c
            .compress_vec(&data[consumed..], &mut out, FlushCompress::Finish)
            .unwrap();
        if status == Status::StreamEnd {
            return out;
        }
        out.reserve(out.capacity());
    }
}

pub fn entry(name: &str, data: &[u8]) -> Entry {
    Entry {
        name: name.to_string(),
        data: deflate(data),
        crc: crc32fast::hash(data),
        declared: data.len() as u64,
    }
}

/// An entry that inflates to `chunk` repeated `times` times: the chunk is deflated once
/// with a full flush (byte-aligned, no references to earlier data), and the compressed
/// segment repeated, then closed with an empty final block.
pub fn bomb(name: &str, chunk: &[u8], times: u64, declared: Option<u64>) -> Entry {
    let mut c = Compress::new(Compression::best(), false);
    let mut segment = Vec::with_capacity(chunk.len());
    c.compress_vec(chunk, &mut segment, FlushCompress::Full)
        .unwrap();
    assert_eq!(c.total_in(), chunk.len() as u64);
    let mut data = Vec::with_capacity(segment.len() * times as usize + 2);
    let mut crc = crc32fast::Hasher::new();
    for _ in 0..times {
        data.extend_from_slice(&segment);
        crc.update(chunk);
    }
    data.extend_from_slice(&[0x03, 0x00]);
    Entry {
        name: name.to_string(),
        data,
        crc: crc.finalize(),
        declared: declared.unwrap_or(chunk.len() as u64 * times),
    }
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes a zip archive of deflated entries (sizes must fit 32 bits: no zip64).
pub fn zip(entries: &[Entry]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for e in entries {
        let offset = u32::try_from(out.len()).unwrap();
        let declared = u32::try_from(e.declared).unwrap();
        let packed = u32::try_from(e.data.len()).unwrap();
        let name = e.name.as_bytes();
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, 8, 0, 0x21] {
            u16le(&mut out, v);
        }
        u32le(&mut out, e.crc);
        u32le(&mut out, packed);
        u32le(&mut out, declared);
        u16le(&mut out, u16::try_from(name.len()).unwrap());
        u16le(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(&e.data);
        u32le(&mut central, 0x0201_4b50);
        for v in [20, 20, 0, 8, 0, 0x21] {
            u16le(&mut central, v);
        }
        u32le(&mut central, e.crc);
        u32le(&mut central, packed);
        u32le(&mut central, declared);
        u16le(&mut central, u16::try_from(name.len()).unwrap());
        for v in [0, 0, 0, 0] {
            u16le(&mut central, v);
        }
        u32le(&mut central, 0);
        u32le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let cd_offset = u32::try_from(out.len()).unwrap();
    let cd_size = u32::try_from(central.len()).unwrap();
    out.extend_from_slice(&central);
    u32le(&mut out, 0x0605_4b50);
    let n = u16::try_from(entries.len()).unwrap();
    for v in [0, 0, n, n] {
        u16le(&mut out, v);
    }
    u32le(&mut out, cd_size);
    u32le(&mut out, cd_offset);
    u16le(&mut out, 0);
    out
}
