//! WAL checkpoints away from the write path.
//!
//! SQLite checkpoints (copying the WAL back into the database file, with an
//! fsync) in the connection that commits, which here holds the one writing
//! turn: every writer waited behind it. A thread checkpoints instead, shortly
//! after commits (never while idle), without stopping anyone. Under constant
//! reads such checkpoints never let the WAL start over, and it grows without
//! bound (a GB in a minute of benchmark); so when it is large after one, the
//! next writer, which holds the writing turn, restarts it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;
use std::time::Duration;

use rusqlite::Connection;

/// Commits within this long share one checkpoint.
const GATHER: Duration = Duration::from_millis(200);
/// WAL frames (pages) beyond which the WAL is made to restart: SQLite's
/// own automatic checkpoint size, 4 MiB.
const RESTART_AFTER_FRAMES: i64 = 1000;

pub struct Checkpointer {
    wake: SyncSender<()>,
    restart_due: Arc<AtomicBool>,
}

impl Checkpointer {
    /// Starts the thread on its own connection; it ends when the
    /// checkpointer is dropped.
    pub fn start(conn: Connection) -> std::io::Result<Checkpointer> {
        let (wake, woken) = sync_channel(1);
        let restart_due = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&restart_due);
        thread::Builder::new().name("checkpoint".into()).spawn(move || run(&conn, &woken, &flag))?;
        Ok(Checkpointer { wake, restart_due })
    }

    /// Called by the writer after a commit, still holding the writing turn:
    /// restarts the WAL when that is due, and asks for a checkpoint soon.
    pub fn after_commit(&self, writer: &Connection) {
        if self.restart_due.swap(false, Ordering::AcqRel) {
            // Waits for the readers of older snapshots (short), then the
            // WAL starts over and is truncated to `journal_size_limit`.
            let _ = checkpoint(writer, "RESTART");
        }
        // A full channel means a checkpoint is already due.
        let _ = self.wake.try_send(());
    }
}

fn run(conn: &Connection, woken: &Receiver<()>, restart_due: &AtomicBool) {
    while woken.recv().is_ok() {
        thread::sleep(GATHER);
        while woken.try_recv().is_ok() {}
        // A failure (disk full) leaves the WAL as it is: nothing is lost,
        // and the next checkpoint retries.
        if let Ok(frames) = checkpoint(conn, "PASSIVE")
            && frames > RESTART_AFTER_FRAMES
        {
            restart_due.store(true, Ordering::Release);
        }
    }
}

/// Runs a checkpoint; returns the frames in the WAL.
fn checkpoint(conn: &Connection, mode: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| row.get(1))
}
