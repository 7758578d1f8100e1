//! Serving: bind the socket, print the start-up line, hand every request to
//! the dispatcher on a pool of workers; and the background worker.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::app::App;
use crate::clock;
use crate::config::Config;

/// Binds the listening socket and serves until the process ends.
pub fn serve(app: App) -> Result<(), String> {
    crate::memory::tune_allocator();
    // Before the start-up line: a signal sent as soon as it is read (by a
    // supervisor, a test) must find the handlers, not the default action
    // (SIGHUP's ends the process).
    super::stop::on_signals();
    let app = Arc::new(app);
    let worker_app = Arc::clone(&app);
    let thread_error = |e: std::io::Error| format!("cannot start a thread: {e}");
    std::thread::Builder::new()
        .name("background".into())
        .spawn(move || work_in_background(&worker_app))
        .map_err(thread_error)?;
    let handler_app = Arc::clone(&app);
    let handler = move |req: &rouille::Request| super::dispatch::handle(&handler_app, req);
    let listen = app.config.listen;
    let cannot_listen = |e| format!("cannot listen on {listen}: {e}");
    let server = match &app.config.tls {
        None => rouille::Server::new(listen, handler).map_err(cannot_listen)?,
        Some(files) => {
            let (chain, key) = super::tls::read(files)?;
            // Binding fails with an I/O error; anything else is the
            // certificate or key, which the server checks as it starts.
            rouille::Server::new_ssl(listen, handler, chain, key).map_err(|e| match e.downcast::<std::io::Error>() {
                Ok(io) => cannot_listen(io),
                Err(other) => super::tls::refusal(files, other),
            })?
        }
    }
    .pool_size(app.config.workers);
    println!("{}", startup_line(&app.config, server.server_addr()));
    if let Some(warning) = transport_warning(&app.config) {
        eprintln!("{warning}");
    }
    super::tls::watch(app.config.tls.clone()).map_err(thread_error)?;
    std::thread::scope(|scope| {
        // Requests keep being taken (and refused, 503) until the process
        // exits: a client that retries at once cannot hold the shutdown.
        scope.spawn(|| {
            while !super::stop::is_stopping() {
                std::thread::sleep(Duration::from_millis(50));
            }
            shut_down(&app, &server);
        });
        loop {
            server.poll_timeout(Duration::from_millis(100));
        }
    })
}

/// How long requests in flight may take to finish at shutdown.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Once requests are refused, lets those already running finish (for at
/// most `SHUTDOWN_GRACE`), checkpoints the WAL and exits 0.
fn shut_down<F>(app: &App, server: &rouille::Server<F>)
where
    F: Send + Sync + 'static + Fn(&rouille::Request) -> rouille::Response,
{
    let started = Instant::now();
    crate::log::info("stopping", "finishing the requests in flight");
    std::thread::spawn(|| {
        std::thread::sleep(SHUTDOWN_GRACE);
        crate::log::error(
            "stopping",
            &format!("requests still running after {} s: stopped anyway", SHUTDOWN_GRACE.as_secs()),
        );
        crate::log::flush();
        std::process::exit(1);
    });
    server.join();
    match app.store.checkpoint() {
        Ok(()) => crate::log::info(
            "stopped",
            &format!("after {} ms; the database is checkpointed", started.elapsed().as_millis()),
        ),
        Err(e) => crate::log::error(
            "stopping",
            &format!("the WAL could not be checkpointed ({e}); it is kept and replayed at the next start"),
        ),
    }
    crate::log::flush();
    // Everything is stored and the log written: connections still open
    // (received after the last poll, never answered, so never acknowledged)
    // are closed by the exit rather than waited for.
    std::process::exit(0);
}

fn startup_line(config: &Config, bound: std::net::SocketAddr) -> String {
    let public = match &config.public_url {
        Some(url) => url.clone(),
        None => "from each request's Host header".to_string(),
    };
    let file = match &config.file {
        Some(path) => format!("configuration {}", path.display()),
        None => "no configuration file (the defaults)".to_string(),
    };
    format!(
        "fittrackee {} listening on {}://{bound}, database {}, {file}, public URL {public}",
        env!("CARGO_PKG_VERSION"),
        config.scheme(),
        config.database.display()
    )
}

fn transport_warning(config: &Config) -> Option<String> {
    let plain_http = config.tls.is_none() && config.public_url.as_deref().is_none_or(|url| url.starts_with("http://"));
    (plain_http && config.listens_beyond_loopback()).then(|| {
        format!(
            "warning: listening on {} beyond loopback with a plain-http public URL: passwords and tokens \
             would cross the network unencrypted. Set tls_cert and tls_key, or put a TLS proxy in front and set \
             public_url = \"https://…\"",
            config.listen
        )
    })
}

/// The background worker: upload tasks one file at a time (oldest first),
/// then data exports one at a time, in its own thread for as long as the
/// server runs. Work left by a previous run is taken up at once.
fn work_in_background(app: &App) {
    loop {
        let worked = app.store.conn().and_then(|mut db| {
            let now = clock::now();
            Ok(crate::workouts::tasks::work_on_next(&mut db, now)? || crate::api::export::build_next(&mut db, now)?)
        });
        match worked {
            Ok(true) => {}
            Ok(false) => app.tasks.wait(Duration::from_secs(30)),
            Err(e) => {
                crate::log::error("background work", &e.to_string());
                app.tasks.wait(Duration::from_secs(5));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_startup_line_names_address_database_and_public_url() {
        let config = Config::default();
        let line = startup_line(&config, config.listen);
        assert!(line.contains("listening on http://127.0.0.1:5000"), "{line}");
        assert!(line.contains("database ./fittrackee.db"), "{line}");
        assert!(line.contains("public URL from each request's Host header"), "{line}");
        assert!(line.contains("no configuration file (the defaults)"), "{line}");
    }

    #[test]
    fn plain_http_beyond_loopback_is_warned_about() {
        let mut config = Config::default();
        assert_eq!(transport_warning(&config), None);
        config.listen = "0.0.0.0:5000".parse().unwrap();
        assert!(transport_warning(&config).is_some());
        config.public_url = Some("http://fit.lan".into());
        assert!(transport_warning(&config).is_some());
        config.public_url = Some("https://fit.example.org".into());
        assert_eq!(transport_warning(&config), None);
    }

    #[test]
    fn built_in_tls_is_https_and_needs_no_warning() {
        let mut config = Config::default();
        config.listen = "0.0.0.0:443".parse().unwrap();
        config.tls = Some(crate::config::TlsFiles { cert: "c.pem".into(), key: "k.pem".into() });
        assert_eq!(transport_warning(&config), None);
        assert!(startup_line(&config, config.listen).contains("listening on https://0.0.0.0:443"));
    }
}
