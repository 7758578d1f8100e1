//! The benchmark ceiling: the least a guarded GET must do on this stack.
//! A rouille server with the product's worker pool that, per request, hashes
//! the bearer token (SHA-256) and reads one row by that hash from an indexed
//! SQLite table, then answers a small JSON document. `bench/run.sh` runs it
//! beside the product; every throughput is reported as a ratio to it.
//!
//! `cargo run --release --example ceiling -- ADDR DATABASE WORKERS`

use std::cell::RefCell;

use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The token `bench/run.sh` sends (any value works; its row is seeded).
const TOKEN: &str = "ceiling-benchmark-token";
const ROWS: i64 = 10_000;

thread_local! {
    /// One connection per worker thread, like the product's pool.
    static DB: RefCell<Option<Connection>> = const { RefCell::new(None) };
}

fn digest(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn seed(path: &str) -> rusqlite::Result<()> {
    let mut conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.execute_batch("CREATE TABLE IF NOT EXISTS tokens (hash BLOB PRIMARY KEY, user_id INTEGER NOT NULL)")?;
    let tx = conn.transaction()?;
    for n in 0..ROWS {
        let token = if n == 0 { TOKEN.to_string() } else { format!("token-{n}") };
        tx.execute("INSERT OR IGNORE INTO tokens (hash, user_id) VALUES (?1, ?2)", (digest(&token), n + 1))?;
    }
    tx.commit()
}

fn user_of(path: &str, token: &str) -> rusqlite::Result<Option<i64>> {
    DB.with(|cell| {
        let mut slot = cell.borrow_mut();
        let conn = match slot.as_mut() {
            Some(conn) => conn,
            None => slot.insert(Connection::open(path)?),
        };
        conn.prepare_cached("SELECT user_id FROM tokens WHERE hash = ?1")?
            .query_row([digest(token)], |row| row.get(0))
            .optional()
    })
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, path, workers] = args.as_slice() else {
        eprintln!("usage: ceiling ADDR DATABASE WORKERS");
        std::process::exit(2);
    };
    let workers: usize = workers.parse().expect("WORKERS is a number");
    seed(path).expect("seed the ceiling database");
    let path = path.clone();
    let server = rouille::Server::new(addr.as_str(), move |request| {
        let token = request.header("Authorization").and_then(|h| h.strip_prefix("Bearer ")).unwrap_or("");
        match user_of(&path, token) {
            Ok(Some(id)) => rouille::Response::from_data(
                "application/json",
                format!(r#"{{"status":"success","data":{{"id":{id}}}}}"#),
            ),
            Ok(None) => rouille::Response::from_data("application/json", r#"{"status":"error"}"#).with_status_code(401),
            Err(_) => rouille::Response::empty_400().with_status_code(500),
        }
    })
    .expect("bind")
    .pool_size(workers);
    println!("ceiling listening on http://{}", server.server_addr());
    server.run();
}
