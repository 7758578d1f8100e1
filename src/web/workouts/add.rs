//! Adding a workout: a file upload (every format the API takes, or a zip of
//! them) and a form for one done without a file. Both go through the same
//! domain functions as `POST /api/workouts` and `/api/workouts/no_gpx`.

use maud::{Markup, html};
use rouille::Response;

use crate::application::AppConfig;
use crate::http::{Ctx, HttpError};
use crate::numbers::readable_size;
use crate::store::app_config;
use crate::web::me::Me;
use crate::web::{csrf_field, done, html_response, page};
use crate::workouts::{
    FileUpload, ManualWorkout, Uploaded, WorkoutError, WorkoutFields, create_manual, upload as upload_files,
};

/// `h:mm` or `h:mm:ss`, above zero.
pub fn parse_duration(text: &str) -> Option<f64> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    let digits = |p: &&str| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&parts.len()) || !parts.iter().all(digits) {
        return None;
    }
    let n: Vec<u64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let (h, m, s) = (n[0], n[1], n.get(2).copied().unwrap_or(0));
    let seconds = h * 3600 + m * 60 + s;
    (m < 60 && s < 60 && seconds > 0).then_some(seconds as f64)
}

pub fn form_page(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    render(ctx, &me, 200, None, None)
}

enum Which {
    Upload,
    Manual,
}

fn render(
    ctx: &Ctx<'_>,
    me: &Me,
    status: u16,
    which: Option<Which>,
    error: Option<&str>,
) -> Result<Response, HttpError> {
    let config = app_config::get(&ctx.db)?;
    let shown = |here: Which| match (&which, here) {
        (Some(Which::Upload), Which::Upload) | (Some(Which::Manual), Which::Manual) => error,
        _ => None,
    };
    let markup = html! {
        h1 { "Add a workout" }
        (upload_form(ctx, me, &config, shown(Which::Upload)))
        (manual_form(ctx, me, shown(Which::Manual)))
    };
    Ok(html_response(status, page(ctx, "Add a workout", markup)))
}

fn sport_select(me: &Me) -> Markup {
    html! {
        select name="sport_id" required {
            @for s in me.active_sports() { option value=(s.sport.id) { (s.sport.label) } }
        }
    }
}

fn upload_form(ctx: &Ctx<'_>, me: &Me, config: &AppConfig, error: Option<&str>) -> Markup {
    let file_limit = readable_size(config.max_single_file_size.max(0) as u64);
    let zip_limit = readable_size(config.max_zip_file_size.max(0) as u64);
    html! {
        section.card aria-labelledby="upload-heading" {
            h2 #upload-heading { "Upload a file" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form #upload-form method="post" action="/workouts/add/file" enctype="multipart/form-data" {
                (csrf_field(ctx))
                label {
                    "Workout file: GPX, TCX, FIT, KML or KMZ, or a zip of them"
                    input #file type="file" name="file" accept=".gpx,.tcx,.fit,.kml,.kmz,.zip" required aria-describedby="limits";
                }
                p #limits .muted {
                    "At most " (file_limit) " per file and " (zip_limit) " per zip, "
                    (config.file_limit_import) " files per zip."
                }
                label { "Sport" (sport_select(me)) }
                label { "Title (optional: the file's, else the sport and date)" input name="title" maxlength="255"; }
                button type="submit" id="upload" { "Upload" }
            }
        }
    }
}

fn manual_form(ctx: &Ctx<'_>, me: &Me, error: Option<&str>) -> Markup {
    let r = &me.reader;
    html! {
        section.card #manual aria-labelledby="manual-heading" {
            h2 #manual-heading { "Add one by hand" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/workouts/add/manual" {
                (csrf_field(ctx))
                label { "Sport" (sport_select(me)) }
                label { "Date and time (" (me.user.prefs.timezone) ")" input type="datetime-local" name="workout_date" required; }
                label { "Duration (h:mm or h:mm:ss)" input name="duration" required placeholder="1:05" pattern="[0-9]{1,3}:[0-5][0-9](:[0-5][0-9])?"; }
                label { "Distance (" (r.distance_unit()) ")" input type="number" name="distance" step="any" min="0" required; }
                label { "Ascent (" (r.elevation_unit()) ", optional)" input type="number" name="ascent" step="any" min="0"; }
                label { "Descent (" (r.elevation_unit()) ", optional)" input type="number" name="descent" step="any" min="0"; }
                label { "Title (optional)" input name="title" maxlength="255"; }
                button type="submit" id="add-manual" { "Add the workout" }
            }
        }
    }
}

/// Why an upload failed, in words for this page.
fn upload_refusal(error: &WorkoutError, config: &AppConfig) -> String {
    match error {
        WorkoutError::FileTooLarge { size, limit } => format!(
            "The file is larger than this server accepts ({} for {}): an admin can raise the limit in Admin › Settings.",
            readable_size(*limit),
            readable_size(*size)
        ),
        WorkoutError::File(_) | WorkoutError::Archive(_) | WorkoutError::Track(_) => format!(
            "{error}. Check that it is a workout file from your watch or app (up to {} each).",
            readable_size(config.max_single_file_size.max(0) as u64)
        ),
        other => other.to_string(),
    }
}

pub fn upload(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let form = std::mem::take(&mut ctx.form);
    let file = form.file("file");
    let upload = FileUpload {
        sport_id: form.text("sport_id").and_then(|s| s.trim().parse().ok()).unwrap_or(0),
        file_name: file.and_then(|f| f.filename.as_deref()).unwrap_or(""),
        content: file.map_or(&[][..], |f| &f.data[..]),
        fields: WorkoutFields {
            title: form.text("title").filter(|t| !t.trim().is_empty()).map(str::to_owned),
            ..WorkoutFields::default()
        },
    };
    let config = app_config::get(&ctx.db)?;
    let refuse = |ctx: &Ctx<'_>, status: u16, why: &str| render(ctx, &me, status, Some(Which::Upload), Some(why));
    match upload_files(&mut ctx.db, &me.user, &upload, &config, ctx.now) {
        Ok(Uploaded::Created(workouts)) if workouts.len() == 1 => {
            Ok(done(&format!("/workouts/{}", workouts[0].short_id), "uploaded"))
        }
        Ok(Uploaded::Created(_)) => Ok(done("/workouts", "uploaded-many")),
        Ok(Uploaded::Queued(_)) => {
            ctx.app.tasks.wake();
            Ok(done("/workouts", "queued"))
        }
        Ok(Uploaded::Partly { created, errors }) => {
            let files: Vec<String> = errors.iter().map(|(file, why)| format!("{file} ({why})")).collect();
            let why = format!("{} workouts uploaded; these files gave none: {}.", created.len(), files.join("; "));
            refuse(ctx, 400, &why)
        }
        Err(e) => {
            let why = upload_refusal(&e, &config);
            let refusal = HttpError::from(e);
            if refusal.status >= 500 {
                return Err(refusal);
            }
            refuse(ctx, refusal.status, &why)
        }
    }
}

pub fn manual(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let r = me.reader.clone();
    let form = &ctx.form;
    let text = |key: &str| form.text(key).map(str::trim).unwrap_or("").to_string();
    let number = |key: &str| Some(text(key)).filter(|t| !t.is_empty()).and_then(|t| t.parse::<f64>().ok());
    let Some(duration) = parse_duration(&text("duration")) else {
        return render(ctx, &me, 400, Some(Which::Manual), Some("The duration is h:mm or h:mm:ss, above 0."));
    };
    let Some(distance) = number("distance").filter(|d| d.is_finite() && *d >= 0.0) else {
        return render(ctx, &me, 400, Some(Which::Manual), Some("The distance must be a number, 0 or more."));
    };
    let metres = |v: Option<f64>| v.map(|a| r.metres_of(a));
    let new = ManualWorkout {
        sport_id: text("sport_id").parse().unwrap_or(0),
        workout_date: text("workout_date").replacen('T', " ", 1),
        duration,
        distance: r.km_of(distance),
        ascent: metres(number("ascent")),
        descent: metres(number("descent")),
        calories: None,
        fields: WorkoutFields { title: Some(text("title")).filter(|t| !t.is_empty()), ..WorkoutFields::default() },
    };
    match create_manual(&mut ctx.db, &me.user, &new, ctx.now).map_err(HttpError::from) {
        Ok(workout) => Ok(done(&format!("/workouts/{}", workout.short_id), "created")),
        Err(e) if e.status < 500 => render(ctx, &me, e.status, Some(Which::Manual), Some(&e.text())),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn durations_as_typed() {
        assert_eq!(parse_duration("1:05"), Some(3900.0));
        assert_eq!(parse_duration(" 0:30:15 "), Some(1815.0));
        assert_eq!(parse_duration("26:00"), Some(93_600.0), "an ultra takes more than a day");
        for bad in ["0:00", "1:60", "1", "", "a:b", "1:2:3:4", "1:-5"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
