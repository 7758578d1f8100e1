//! My workouts: a list (date, sport, title, distance, duration) and an
//! upload form that goes through the same code as `POST /api/workouts`.

use maud::{Markup, html};
use rouille::Response;

use super::profile::{Tab, tabs};
use super::{csrf_field, html_response, page, see_other};
use crate::api::Paging;
use crate::dates::timedelta;
use crate::http::{self, Ctx, HttpError};
use crate::sports::{Sport, SportPreferences};
use crate::store::{lists, sports, users};
use crate::workouts::{FileUpload, Uploaded, WorkoutFields, WorkoutFilter, WorkoutOrder, upload as upload_files};

const PER_PAGE: i64 = 20;

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let query = http::query(ctx.req);
    let notice = match (query.text("uploaded"), query.text("queued")) {
        (Some("1"), _) => Some("Workout uploaded.".to_string()),
        (Some(count), _) => Some(format!("{} workouts uploaded.", count.parse::<u32>().unwrap_or(0))),
        (None, Some(_)) => Some("The archive is being processed: its workouts appear here as they are created.".into()),
        (None, None) => None,
    };
    render(ctx, 200, notice.as_deref(), None)
}

fn render(ctx: &Ctx<'_>, status: u16, notice: Option<&str>, error: Option<&str>) -> Result<Response, HttpError> {
    let auth = ctx.caller.user()?.clone();
    let user = users::by_id(&ctx.db, auth.id)?.ok_or_else(|| HttpError::redirect("/login"))?;
    let paging = Paging::fixed(&http::query(ctx.req), PER_PAGE);
    let page_number = paging.page;
    let filter = WorkoutFilter::of_user(user.id);
    let total = lists::count(&ctx.db, &filter)?;
    let workouts = lists::page(&ctx.db, &filter, WorkoutOrder::WorkoutDate, false, PER_PAGE, paging.offset())?;
    let sports = sports::all(&ctx.db, Some(user.id))?;
    let label = |id: i64| sports.iter().find(|(s, _)| s.id == id).map_or("", |(s, _)| s.label.as_str());
    let local = |at: i64| {
        jiff::Timestamp::from_second(at)
            .ok()
            .and_then(|t| t.in_tz(&user.prefs.timezone).ok())
            .map(|z| z.strftime("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    let pages = (total + PER_PAGE - 1) / PER_PAGE;
    let markup = html! {
        (tabs(Tab::Workouts))
        h1 { "Workouts" }
        @if let Some(notice) = notice { p.notice { (notice) } }
        @if let Some(error) = error { ul.error role="alert" { @for line in error.lines() { li { (line) } } } }
        (upload_form(ctx, &sports))
        h2 { (total) " workouts" }
        @if workouts.is_empty() {
            p { "No workout yet: upload a file from your watch or app, or connect an app in the Apps tab." }
        } @else {
            table #workouts {
                thead { tr { th { "Date" } th { "Sport" } th { "Title" } th { "Distance" } th { "Duration" } } }
                tbody {
                    @for w in &workouts {
                        tr {
                            td { (local(w.workout_date)) }
                            td { (label(w.sport_id)) }
                            td { (w.title) }
                            td { (format!("{:.2} km", w.measures.distance)) }
                            td { (timedelta(w.measures.duration.round())) }
                        }
                    }
                }
            }
            @if pages > 1 {
                p.actions {
                    @if page_number > 1 { a href={ "/profile/workouts?page=" (page_number - 1) } { "Newer" } }
                    span { "Page " (page_number) " of " (pages) }
                    @if page_number < pages { a href={ "/profile/workouts?page=" (page_number + 1) } { "Older" } }
                }
            }
        }
    };
    Ok(html_response(status, page("Workouts", Some(&auth), markup)))
}

fn upload_form(ctx: &Ctx<'_>, sports: &[(Sport, Option<SportPreferences>)]) -> Markup {
    html! {
        form.card method="post" action="/profile/workouts" enctype="multipart/form-data" {
            (csrf_field(ctx))
            label {
                "Workout file (GPX, TCX, FIT, KML, KMZ) or a zip of them"
                input #file type="file" name="file" accept=".gpx,.tcx,.fit,.kml,.kmz,.zip" required;
            }
            label {
                "Sport"
                select #sport_id name="sport_id" {
                    @for (sport, _) in sports.iter().filter(|(s, _)| s.is_active) {
                        option value=(sport.id) { (sport.label) }
                    }
                }
            }
            label { "Title (optional)" input name="title" maxlength="255"; }
            button type="submit" id="upload" { "Upload" }
        }
    }
}

pub fn upload(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let user = users::by_id(&ctx.db, ctx.caller.user()?.id)?.ok_or_else(|| HttpError::redirect("/login"))?;
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
    let config = crate::store::app_config::get(&ctx.db)?;
    match upload_files(&mut ctx.db, &user, &upload, &config, ctx.now).map_err(HttpError::from) {
        Ok(Uploaded::Created(workouts)) => Ok(see_other(&format!("/profile/workouts?uploaded={}", workouts.len()))),
        Ok(Uploaded::Queued(_)) => {
            ctx.app.tasks.wake();
            Ok(see_other("/profile/workouts?queued=1"))
        }
        Ok(Uploaded::Partly { created, errors }) => {
            let lines: Vec<String> = errors.iter().map(|(file, why)| format!("{file}: {why}")).collect();
            let notice = format!("{} workouts uploaded; these files gave none:", created.len());
            render(ctx, 400, Some(&notice), Some(&lines.join("\n")))
        }
        Err(e) if e.status >= 500 => Err(e),
        Err(e) => render(ctx, e.status, None, Some(&e.text())),
    }
}
