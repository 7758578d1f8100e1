//! The command line: `serve` (the default), `users`, `oauth2`, `backup`,
//! `import`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use fittrackee::accounts::admin::{self, Actor, AdminError, NewAccount, UserChange};
use fittrackee::accounts::user::{AuthUser, Role};
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
        /// Days since the refresh lifetime ended (0: every expired one)
        #[arg(long)]
        days: u32,
    },
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Create an active account
    Create {
        /// 3 to 30 letters, digits or underscores
        username: String,
        /// The account's email address
        #[arg(long)]
        email: String,
        /// Password (generated and printed when omitted)
        #[arg(long)]
        password: Option<String>,
        /// The account's role
        #[arg(long, default_value = "user", value_parser = ["user", "moderator", "admin", "owner"])]
        role: String,
    },
    /// List the accounts
    List,
    /// Delete an account and everything in it (an owner's: demote it first)
    Delete {
        /// The account to delete
        username: String,
    },
    /// Change an existing account
    Update {
        /// The account to change
        username: String,
        /// New role
        #[arg(long, value_parser = ["user", "moderator", "admin", "owner"])]
        set_role: Option<String>,
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

fn role(name: &str) -> Role {
    Role::parse(name).unwrap_or(Role::User)
}

fn main() -> ExitCode {
    // clap's whole message: which argument, what it takes, the usage.
    let cli = Cli::parse();
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
    fittrackee::log::use_json(config.log_json);
    if let Some(folder) = config.database.parent().filter(|f| !f.as_os_str().is_empty() && !f.exists()) {
        return Err(format!(
            "the database's folder {} does not exist: create it, or set `database` to a file in an existing folder",
            folder.display()
        ));
    }
    let app = App::open(config.clone())
        .map_err(|e| format!("cannot open the database {}: {e}", config.database.display()))?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(app),
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
        UsersCommand::Create { username, email, password, role: name } => {
            let account =
                NewAccount { username: &username, email: &email, password: password.as_deref(), role: role(&name) };
            let generated =
                admin::create_account(&mut db, &app.hasher, &account, clock::now()).map_err(|e| e.to_string())?;
            println!("User '{username}' created.");
            if let Some(password) = generated {
                println!("Password: {password}");
            }
        }
        UsersCommand::List => {
            use fittrackee::store::users::{UserOrder, UserQuery, directory};
            let everyone = UserQuery {
                q: None,
                with_inactive: true,
                with_hidden: true,
                with_suspended: true,
                order: UserOrder::Username,
                ascending: true,
                limit: i64::MAX,
                offset: 0,
            };
            let (all, _) = directory(&db, &everyone).map_err(|e| e.to_string())?;
            println!("{:<30} {:<40} {:<10} {:<8} since", "username", "email", "role", "state");
            for u in all {
                let state = if u.is_active { "active" } else { "inactive" };
                let since = fittrackee::dates::http_date(u.created_at);
                println!("{:<30} {:<40} {:<10} {:<8} {since}", u.username, u.email, u.role.name(), state);
            }
        }
        UsersCommand::Delete { username } => {
            let operator =
                AuthUser { id: 0, username: String::new(), role: Role::Owner, is_active: true, suspended: false };
            admin::delete_user(&mut db, &operator, &username).map_err(|e| match e {
                AdminError::NotFound => format!("no user is called '{username}'"),
                AdminError::CannotDeleteOwner => {
                    format!("'{username}' is an owner: demote it first (users update {username} --set-role admin)")
                }
                e => e.to_string(),
            })?;
            println!("User '{username}' deleted, with everything in it.");
        }
        UsersCommand::Update { username, set_role, activate, reset_password, update_email } => {
            if set_role.is_none() && !activate && !reset_password && update_email.is_none() {
                return Err("nothing to change: give --set-role, --activate, --reset-password or --update-email".into());
            }
            let change = UserChange {
                role: set_role.as_deref().map(role),
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
