//! The command line: `serve` (the default), `users`, `oauth2`, `backup`,
//! `import`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fittrackee::accounts::admin::{self, Actor, AdminError, NewAccount, UserChange};
use fittrackee::accounts::user::Role;
use fittrackee::app::App;
use fittrackee::clock;
use fittrackee::config::Config;
use fittrackee::http::serve::serve;

#[derive(Parser)]
#[command(name = "fittrackee", version, about = "A self-hosted, FitTrackee-compatible server")]
struct Cli {
    /// Configuration file (default: $FITTRACKEE_CONFIG, else ./fittrackee.toml if present)
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (the default when no command is given)
    Serve,
    /// Manage user accounts
    #[command(subcommand)]
    Users(UsersCommand),
    /// OAuth maintenance
    #[command(subcommand)]
    Oauth2(OAuth2Command),
    /// Import workouts into an account: from a FitTrackee export archive (theirs or ours), a folder or zip of workout files, or a live FitTrackee server
    Import {
        /// The account (username) that receives the workouts
        #[arg(long)]
        user: String,
        /// A FitTrackee export archive, or a folder or zip of workout files (GPX, TCX, FIT, KML, KMZ)
        #[arg(required_unless_present = "from", conflicts_with = "from")]
        path: Option<PathBuf>,
        /// The sport of workout files: a label ("Running") or an id
        #[arg(long)]
        sport: Option<String>,
        /// A FitTrackee server to import every workout from (https://…)
        #[arg(long, value_name = "URL")]
        from: Option<String>,
        /// Your email on that server
        #[arg(long, requires = "from")]
        email: Option<String>,
        /// Your password on that server
        #[arg(long, requires = "from")]
        password: Option<String>,
        /// A token for that server, instead of email and password
        #[arg(long, requires = "from")]
        token: Option<String>,
    },
    /// Copy the whole database, consistently, while the server runs; the copy is checked before it is kept
    Backup {
        /// A new file, or a folder for dated copies (fittrackee-YYYYMMDDTHHMMSSZ.db)
        target: PathBuf,
        /// Keep only the newest N dated copies in the folder (for a cron job or a systemd timer)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        keep: Option<u32>,
    },
}

#[derive(Subcommand)]
enum OAuth2Command {
    /// Delete tokens whose refresh lifetime ended more than DAYS days ago, and expired codes
    Clean {
        #[arg(long)]
        days: u32,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Create an active account
    Create {
        username: String,
        #[arg(long)]
        email: String,
        /// Password (generated and printed when omitted)
        #[arg(long)]
        password: Option<String>,
        #[arg(long, default_value = "user", value_parser = parse_role)]
        role: Role,
    },
    /// Change an existing account
    Update {
        username: String,
        /// New role: user, moderator, admin or owner
        #[arg(long, value_parser = parse_role)]
        set_role: Option<Role>,
        /// Activate the account
        #[arg(long)]
        activate: bool,
        /// Set a new random password (printed) and end the user's sessions
        #[arg(long)]
        reset_password: bool,
        /// New email address
        #[arg(long, value_name = "EMAIL")]
        update_email: Option<String>,
    },
}

fn parse_role(name: &str) -> Result<Role, String> {
    Role::parse(name).ok_or_else(|| "expected user, moderator, admin or owner".to_string())
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // One line, not clap's whole usage block.
            let message = e.to_string();
            eprintln!("{} (see --help)", message.lines().next().unwrap_or("invalid arguments").trim_end());
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), String> {
    let config = Config::load(cli.config.as_deref()).map_err(|e| e.to_string())?;
    let app = App::open(config.clone())
        .map_err(|e| format!("cannot open the database {}: {e}", config.database.display()))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(app).map_err(|e| format!("cannot listen on {}: {e}", config.listen)),
        Command::Users(command) => users(&app, command),
        Command::Import { user, path, sport, from, email, password, token } => {
            let credentials = from.map(|url| fittrackee::import::Credentials { url, email, password, token });
            let source = match (&path, &credentials) {
                (Some(path), _) => fittrackee::import::Source::Path { path, sport: sport.as_deref() },
                (None, Some(credentials)) => fittrackee::import::Source::Server(credentials),
                (None, None) => return Err("give a path or --from".into()),
            };
            import(&app, &user, &source)
        }
        Command::Backup { target, keep } => {
            let db = app.store.conn().map_err(|e| e.to_string())?;
            let done = fittrackee::backup::run(&db, &target, keep.map(|k| k as usize), clock::now())
                .map_err(|e| e.to_string())?;
            println!(
                "Backup written to {} ({}, {} workouts), integrity checked.",
                done.path.display(),
                fittrackee::numbers::readable_size(done.bytes),
                done.workouts
            );
            for old in done.removed {
                println!("Removed the older copy {}.", old.display());
            }
            Ok(())
        }
        Command::Oauth2(OAuth2Command::Clean { days }) => {
            let mut db = app.store.conn().map_err(|e| e.to_string())?;
            let (tokens, codes) = fittrackee::oauth::clean(&mut db, days, clock::now()).map_err(|e| e.to_string())?;
            println!("Expired deleted tokens: {tokens}.");
            println!("Expired deleted codes: {codes}.");
            Ok(())
        }
    }
}

/// Imports with a progress bar (on a terminal) and a one-line summary.
fn import(app: &App, username: &str, source: &fittrackee::import::Source<'_>) -> Result<(), String> {
    use fittrackee::import::{import_one, items, limits};
    let mut db = app.store.conn().map_err(|e| e.to_string())?;
    let user = fittrackee::store::users::by_username(&db, username)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no user is called '{username}'"))?;
    let config = limits(&fittrackee::store::app_config::get(&db).map_err(|e| e.to_string())?);
    let (found, client) = items(&mut db, &user, source)?;
    let bar = indicatif::ProgressBar::new(found.len() as u64);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}") {
        bar.set_style(style);
    }
    let mut summary = fittrackee::import::Summary::default();
    for item in found {
        let name = item.name.clone();
        bar.set_message(name.clone());
        match import_one(&mut db, &user, item, client.as_ref(), &config, clock::now()) {
            Ok(true) => summary.created += 1,
            Ok(false) => summary.duplicates += 1,
            Err(why) => summary.failed.push((name, why)),
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("Import into '{username}': {summary}.");
    if summary.failed.is_empty() {
        Ok(())
    } else {
        Err(format!("{} workouts could not be imported", summary.failed.len()))
    }
}

fn users(app: &App, command: UsersCommand) -> Result<(), String> {
    let mut db = app.store.conn().map_err(|e| e.to_string())?;
    match command {
        UsersCommand::Create { username, email, password, role } => {
            let account = NewAccount { username: &username, email: &email, password: password.as_deref(), role };
            let generated =
                admin::create_account(&mut db, &app.hasher, &account, clock::now()).map_err(|e| e.to_string())?;
            println!("User '{username}' created.");
            if let Some(password) = generated {
                println!("Password: {password}");
            }
        }
        UsersCommand::Update { username, set_role, activate, reset_password, update_email } => {
            let change = UserChange {
                role: set_role,
                active: activate.then_some(true),
                reset_password,
                email: update_email.as_deref(),
            };
            let updated = admin::update_user(&mut db, &app.hasher, Actor::Operator, &username, &change, clock::now())
                .map_err(|e| match e {
                AdminError::NotFound => format!("no user is called '{username}'"),
                AdminError::EmailTaken => format!("the email '{}' is already used", change.email.unwrap_or("")),
                e => e.to_string(),
            })?;
            println!("User '{username}' updated.");
            if let Some(password) = updated.new_password {
                println!("New password: {password}");
            }
        }
    }
    Ok(())
}
