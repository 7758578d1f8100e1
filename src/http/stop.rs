//! Stopping: SIGTERM and SIGINT set one flag; from then on requests are
//! refused (503) and `serve` lets those running finish, then exits.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by SIGTERM and SIGINT.
static STOPPING: AtomicBool = AtomicBool::new(false);

/// Whether the server is stopping: requests that arrive now are refused
/// (503), so that the stream of them ends and those in flight can finish.
pub fn is_stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

extern "C" fn on_stop_signal(_: libc::c_int) {
    // Only an atomic store: what a signal handler may do.
    STOPPING.store(true, Ordering::SeqCst);
}

/// SIGTERM and SIGINT set the flag.
pub fn on_signals() {
    let handler = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGINT, handler);
    }
}
