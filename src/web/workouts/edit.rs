//! Changing a workout (the same `workouts::update` as `PATCH
//! /api/workouts/<id>`), deleting it after a confirmation, computing it
//! again from its file.

use maud::{Markup, html};
use rouille::Response;

use super::show::visible;
use crate::http::{Ctx, Form, HttpError};
use crate::store::equipments;
use crate::visibility::Visibility;
use crate::web::me::Me;
use crate::web::{csrf_field, done, html_response, page};
use crate::workouts::{self as domain, ManualChange, RequestedVisibilities, Workout, WorkoutChange};

/// The caller's own workout (others get the same 404 as for a missing one).
fn own(ctx: &Ctx<'_>, me: &Me) -> Result<Workout, HttpError> {
    let workout = visible(ctx)?;
    if workout.user_id != me.user.id {
        return Err(HttpError::not_found("There is no such workout, or it is not shown to you."));
    }
    Ok(workout)
}

pub const VISIBILITIES: [(Visibility, &str); 3] = [
    (Visibility::Private, "Only me"),
    (Visibility::FollowersOnly, "Followers (none on this server: only me)"),
    (Visibility::Public, "Everyone"),
];

pub fn visibility_select(name: &str, label: &str, current: Visibility) -> Markup {
    html! {
        label { (label) select name=(name) {
            @for (v, words) in VISIBILITIES { option value=(v.name()) selected[v == current] { (words) } }
        } }
    }
}

pub fn form_page(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let workout = own(ctx, &me)?;
    render(ctx, &me, &workout, None, 200)
}

fn render(ctx: &Ctx<'_>, me: &Me, w: &Workout, error: Option<&str>, status: u16) -> Result<Response, HttpError> {
    let attached: Vec<String> = equipments::of_workout(&ctx.db, w.id)?.into_iter().map(|e| e.short_id).collect();
    let available = equipments::of_user(&ctx.db, me.user.id, None)?;
    let r = &me.reader;
    let m = &w.measures;
    let markup = html! {
        p.crumbs { a href={ "/workouts/" (w.short_id) } { "← " (w.title) } }
        h1 { "Edit the workout" }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form method="post" action={ "/workouts/" (w.short_id) "/edit" } {
            (csrf_field(ctx))
            label { "Title" input name="title" required maxlength="255" value=(w.title); }
            label { "Sport" select name="sport_id" {
                @for s in me.active_sports() { option value=(s.sport.id) selected[s.sport.id == w.sport_id] { (s.sport.label) } }
            } }
            @if w.file_name.is_none() {
                label { "Date and time (" (me.user.prefs.timezone) ")" input type="datetime-local" name="workout_date" required
                    value=(r.iso_date(w.workout_date) + "T" + &local_time(me, w.workout_date)); }
                label { "Duration (h:mm:ss)" input name="duration" required pattern="[0-9]{1,3}:[0-5][0-9](:[0-5][0-9])?" value=(crate::web::units::duration(m.duration)); }
                label { "Distance (" (r.distance_unit()) ")" input type="number" name="distance" step="any" min="0" required value=(format!("{:.3}", r.distance_value(m.distance))); }
                label { "Ascent (" (r.elevation_unit()) ", optional)" input type="number" name="ascent" step="any" min="0" value=(m.ascent.map(|a| format!("{:.0}", r.elevation_value(a))).unwrap_or_default()); }
                label { "Descent (" (r.elevation_unit()) ", optional)" input type="number" name="descent" step="any" min="0" value=(m.descent.map(|a| format!("{:.0}", r.elevation_value(a))).unwrap_or_default()); }
            }
            label { "Description" textarea name="description" maxlength="10000" { (w.description.clone().unwrap_or_default()) } }
            label { "Private notes" textarea name="notes" maxlength="500" { (w.notes.clone().unwrap_or_default()) } }
            (visibility_select("workout_visibility", "Who sees the workout", w.visibility.workout))
            @if w.file_name.is_some() {
                (visibility_select("analysis_visibility", "Who sees its analysis (charts, segments)", w.visibility.analysis))
                (visibility_select("map_visibility", "Who sees its map", w.visibility.map))
            }
            @if !available.is_empty() {
                fieldset {
                    legend { "Equipment" }
                    @for e in available.iter().filter(|e| e.is_active || attached.contains(&e.short_id)) {
                        label.check { input type="checkbox" name="equipment" value=(e.short_id) checked[attached.contains(&e.short_id)]; span { (e.label) } }
                    }
                }
            }
            p.actions { button type="submit" { "Save" } a href={ "/workouts/" (w.short_id) } { "Cancel" } }
        }
    };
    Ok(html_response(status, page(ctx, "Edit the workout", markup)))
}

fn local_time(me: &Me, at: i64) -> String {
    me.reader.date_time(at).rsplit(' ').next().unwrap_or("00:00").to_string()
}

/// The form as a change: every field is sent, so every field is set.
fn change_of(form: &Form, me: &Me, with_file: bool) -> Result<WorkoutChange, String> {
    let text = |key: &str| form.text(key).map(str::trim).unwrap_or("");
    let optional = |key: &str| Some(text(key)).filter(|t| !t.is_empty()).map(str::to_owned);
    let visibility = |key: &str| Visibility::parse(text(key));
    let number = |key: &str, what: &str| -> Result<Option<f64>, String> {
        optional(key)
            .map(|t| {
                t.parse::<f64>()
                    .ok()
                    .filter(|n| n.is_finite() && *n >= 0.0)
                    .ok_or(format!("{what} must be a number, 0 or more."))
            })
            .transpose()
    };
    let manual = if with_file {
        ManualChange::default()
    } else {
        let r = &me.reader;
        let km = number("distance", "The distance")?.map(|d| r.km_of(d));
        let metres = |v: Option<f64>| v.map(|a| r.metres_of(a));
        ManualChange {
            workout_date: Some(text("workout_date").replacen('T', " ", 1)),
            duration: Some(
                super::add::parse_duration(text("duration")).ok_or("The duration is h:mm or h:mm:ss, above 0.")?,
            ),
            distance: km,
            ascent: Some(metres(number("ascent", "The ascent")?)),
            descent: Some(metres(number("descent", "The descent")?)),
            calories: None,
        }
    };
    Ok(WorkoutChange {
        sport_id: text("sport_id").parse().ok(),
        title: Some(text("title").to_string()),
        description: Some(optional("description")),
        notes: Some(optional("notes")),
        equipment_ids: Some(
            form.parts
                .iter()
                .filter(|p| p.name == "equipment")
                .filter_map(|p| String::from_utf8(p.data.clone()).ok())
                .collect(),
        ),
        visibility: RequestedVisibilities {
            workout: visibility("workout_visibility"),
            analysis: if with_file { visibility("analysis_visibility") } else { None },
            map: if with_file { visibility("map_visibility") } else { None },
        },
        elevation_data_source: None,
        manual,
    })
}

pub fn save(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let workout = own(ctx, &me)?;
    let change = match change_of(&ctx.form, &me, workout.file_name.is_some()) {
        Ok(change) => change,
        Err(why) => return render(ctx, &me, &workout, Some(&why), 400),
    };
    match domain::update(&mut ctx.db, &me.user, &workout, &change, ctx.now).map_err(HttpError::from) {
        Ok(saved) => Ok(done(&format!("/workouts/{}", saved.short_id), "saved")),
        Err(e) if e.status < 500 => render(ctx, &me, &workout, Some(&e.text()), e.status),
        Err(e) => Err(e),
    }
}

pub fn confirm_delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let w = own(ctx, &me)?;
    let markup = html! {
        h1 { "Delete “" (w.title) "”?" }
        p { "The workout, its file and its records go for good. Your totals and records are computed again without it." }
        form method="post" action={ "/workouts/" (w.short_id) "/delete" } {
            (csrf_field(ctx))
            p.actions { button.danger type="submit" { "Delete the workout" } a href={ "/workouts/" (w.short_id) } { "Keep it" } }
        }
    };
    Ok(html_response(200, page(ctx, "Delete a workout", markup)))
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let workout = own(ctx, &me)?;
    domain::delete(&mut ctx.db, &workout)?;
    Ok(done("/workouts", "deleted"))
}

pub fn refresh(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let workout = own(ctx, &me)?;
    let workout = domain::refresh(&mut ctx.db, &me.user, &workout, ctx.now)?;
    Ok(done(&format!("/workouts/{}", workout.short_id), "refreshed"))
}
