//! Signals: SIGTERM and SIGINT set the stopping flag (from then on requests
//! are refused, 503, and `serve` lets those running finish, then exits);
//! SIGHUP asks for the TLS certificate to be read again.

use std::sync::atomic::{AtomicBool, Ordering};

/// Set by SIGTERM and SIGINT.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// Set by SIGHUP, cleared by whoever reloads.
static RELOAD: AtomicBool = AtomicBool::new(false);

/// Whether the server is stopping: requests that arrive now are refused
/// (503), so that the stream of them ends and those in flight can finish.
pub fn is_stopping() -> bool {
    STOPPING.load(Ordering::SeqCst)
}

/// Whether SIGHUP arrived since the last call.
pub fn take_reload_request() -> bool {
    RELOAD.swap(false, Ordering::SeqCst)
}

// Only atomic stores: what a signal handler may do.
extern "C" fn on_stop_signal(_: libc::c_int) {
    STOPPING.store(true, Ordering::SeqCst);
}

extern "C" fn on_reload_signal(_: libc::c_int) {
    RELOAD.store(true, Ordering::SeqCst);
}

/// SIGTERM and SIGINT stop; SIGHUP reloads (rather than ending the process,
/// its default, so `systemctl reload` is safe whatever the configuration).
pub fn on_signals() {
    let stop = on_stop_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    let reload = on_reload_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handlers only store to atomics, which is async-signal-safe.
    unsafe {
        libc::signal(libc::SIGTERM, stop);
        libc::signal(libc::SIGINT, stop);
        libc::signal(libc::SIGHUP, reload);
    }
}
