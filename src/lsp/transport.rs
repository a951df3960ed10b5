//! The server's stdin and stdout: LSP's `Content-Length` frames turned into
//! [`lsp_server`] messages and back. Written here rather than taken from
//! `lsp_server::Connection::stdio`, whose reader stops for good at the
//! first frame it cannot read: an editor (or a person typing into the
//! pipe) that sends one malformed message must get an error response and a
//! line on stderr, and the server must go on.
//!
//! - Header names are read in any case, and `\n` line ends are accepted as
//!   well as `\r\n`.
//! - A body that is not JSON gets a `-32700` (parse error) response, one
//!   that is not a JSON-RPC message (a batch, no `method`, an `id` that is
//!   neither a number nor a string) a `-32600` (invalid request), with the
//!   message's `id` when it has one, else `null`.
//! - A frame without `Content-Length` cannot be read: its headers are
//!   skipped with a line on stderr, and reading goes on at the next line
//!   (a body sent after them is read as header lines and passed over the
//!   same way until a valid header comes).
//! - A header line is at most 8 KiB; a longer one ends the input.

use lsp_server::{Connection, Message};
use serde_json::{Value, json};
use std::io::{BufRead, Read, Write};
use std::sync::{Arc, Mutex};

/// The largest message read; a larger one is skipped (a note is at most a
/// few MB: [`crate::fsx::NOTE_CAP`]).
const MAX_FRAME: usize = 64 << 20;
/// The longest header line read.
const MAX_HEADER: u64 = 8 << 10;

/// The writer thread, to be joined once the connection is dropped (so
/// every message sent is flushed).
pub struct Writer(std::thread::JoinHandle<()>);

impl Writer {
    pub fn join(self) {
        let _ = self.0.join();
    }
}

/// A connection over this process's stdin and stdout. The reader thread
/// ends when stdin does; it is never joined (it may be blocked reading).
pub fn stdio() -> (Connection, Writer) {
    let out = Arc::new(Mutex::new(std::io::stdout()));
    let (to_client, outgoing) = crossbeam_channel::unbounded::<Message>();
    let (incoming, from_client) = crossbeam_channel::unbounded::<Message>();
    let writer_out = out.clone();
    let writer = std::thread::spawn(move || {
        for msg in outgoing {
            let Ok(stdout) = writer_out.lock() else {
                return;
            };
            let mut lock = stdout.lock();
            if msg.write(&mut lock).is_err() || lock.flush().is_err() {
                return;
            }
        }
    });
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let reply = |error: Value| {
            let body = error.to_string();
            if let Ok(stdout) = out.lock() {
                let mut lock = stdout.lock();
                let _ = write!(lock, "Content-Length: {}\r\n\r\n{body}", body.len());
                let _ = lock.flush();
            }
        };
        while let Some(frame) = read_frame(&mut input) {
            match frame {
                Frame::Body(body) => match decode(&body) {
                    Ok(msg) => {
                        if incoming.send(msg).is_err() {
                            return;
                        }
                    }
                    Err((error, message)) => {
                        eprintln!("notes-vet lsp: {message}");
                        reply(error);
                    }
                },
                Frame::Skipped(why) => eprintln!("notes-vet lsp: {why}"),
            }
        }
    });
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        Writer(writer),
    )
}

enum Frame {
    Body(Vec<u8>),
    Skipped(String),
}

/// The next frame; `None` at the end of input.
fn read_frame(input: &mut impl BufRead) -> Option<Frame> {
    let mut length = None;
    let mut headers = false;
    loop {
        let mut line = Vec::new();
        let n = input
            .by_ref()
            .take(MAX_HEADER)
            .read_until(b'\n', &mut line)
            .ok()?;
        if n == 0 || (n as u64 == MAX_HEADER && !line.ends_with(b"\n")) {
            return None;
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers {
                break;
            }
            continue;
        }
        headers = true;
        if let Some((name, value)) = text.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let Some(length) = length else {
        return Some(Frame::Skipped(
            "a message without a valid Content-Length header was skipped".to_string(),
        ));
    };
    if length > MAX_FRAME {
        // Read past it, a piece at a time.
        let mut left = length as u64;
        let mut sink = std::io::sink();
        let copied = std::io::copy(&mut input.take(left), &mut sink).ok()?;
        left -= copied;
        if left > 0 {
            return None;
        }
        return Some(Frame::Skipped(format!(
            "a message of {length} bytes was skipped (at most {MAX_FRAME})"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body).ok()?;
    Some(Frame::Body(body))
}

/// A frame's message, or the error response to send and what to log.
fn decode(body: &[u8]) -> Result<Message, (Value, String)> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        (
            error(Value::Null, -32700, format!("not JSON: {e}")),
            format!("a message that is not JSON was refused: {e}"),
        )
    })?;
    let id = value.get("id").cloned().unwrap_or(Value::Null);
    let id = match id {
        Value::Number(_) | Value::String(_) => id,
        _ => Value::Null,
    };
    if value.is_array() {
        let m = "batches of messages are not part of LSP".to_string();
        return Err((error(Value::Null, -32600, m.clone()), m));
    }
    let has_id = value.get("id").is_some();
    let msg = serde_json::from_value::<Message>(value).map_err(|e| {
        let m = format!("not a JSON-RPC request, response or notification: {e}");
        (error(id.clone(), -32600, m.clone()), m)
    })?;
    // A request whose `id` is neither a number nor a string reads as a
    // notification; it is a mistake, and its sender waits for an answer.
    if has_id && matches!(msg, Message::Notification(_)) {
        let m = "a request `id` must be a number or a string".to_string();
        return Err((error(id, -32600, m.clone()), m));
    }
    Ok(msg)
}

fn error(id: Value, code: i64, message: String) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_read_leniently_and_bad_ones_skipped() {
        let input =
            b"content-length: 2\n\n{}Foo: bar\r\n\r\nContent-Length: 4\r\n\r\nnull".to_vec();
        let mut r = std::io::BufReader::new(&input[..]);
        assert!(matches!(read_frame(&mut r), Some(Frame::Body(b)) if b == b"{}"));
        // `Foo: bar` has no length: skipped, and the next frame is found.
        assert!(matches!(read_frame(&mut r), Some(Frame::Skipped(_))));
        assert!(matches!(read_frame(&mut r), Some(Frame::Body(b)) if b == b"null"));
        assert!(read_frame(&mut r).is_none());
    }

    #[test]
    fn bad_messages_get_the_right_error() {
        let code = |b: &[u8]| {
            decode(b)
                .err()
                .map(|(e, _)| (e["error"]["code"].clone(), e["id"].clone()))
        };
        assert_eq!(code(b"{not json}"), Some((json!(-32700), Value::Null)));
        assert_eq!(
            code(b"[{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]"),
            Some((json!(-32600), Value::Null))
        );
        assert_eq!(code(b"{\"foo\":1}"), Some((json!(-32600), Value::Null)));
        assert_eq!(
            code(b"{\"jsonrpc\":\"2.0\",\"id\":1.5,\"method\":\"x\"}"),
            Some((json!(-32600), json!(1.5)))
        );
        assert!(decode(b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}").is_ok());
    }
}
