//! A consistent copy of the whole database while the server runs: `VACUUM
//! INTO` reads one snapshot (writers go on meanwhile) and writes a compact
//! file, which is then checked with `PRAGMA integrity_check`.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::Error;

/// Writes the database of `conn` to `target` (which must not exist).
pub fn copy_to(conn: &Connection, target: &Path) -> Result<(), Error> {
    let target = target.to_str().ok_or_else(|| Error::InvalidPath(target.to_path_buf()))?;
    conn.execute("VACUUM INTO ?1", [target])?;
    Ok(())
}

/// What `PRAGMA integrity_check` says of the database at `path`: `ok`, or
/// its first problems.
pub fn integrity(path: &Path) -> Result<String, Error> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let problems: Vec<String> =
        conn.prepare("PRAGMA integrity_check(10)")?.query_map([], |row| row.get(0))?.collect::<Result<_, _>>()?;
    Ok(problems.join("; "))
}

/// Workouts in the database at `path` (what a backup holds, for the report).
pub fn workouts_in(path: &Path) -> Result<i64, Error> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.query_row("SELECT count(*) FROM workouts", [], |row| row.get(0))
}
