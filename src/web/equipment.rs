//! Equipment: the list with totals, adding, editing, retiring and deleting
//! a piece (the same `equipments::apply` and `delete` as the API).

use maud::{Markup, html};
use rouille::Response;

use super::me::Me;
use super::units::duration;
use super::workouts::edit::visibility_select;
use super::{csrf_field, done, html_response, page};
use crate::equipments::{self as domain, Equipment, EquipmentChange, EquipmentType, RACKET, fits};
use crate::http::{Ctx, Form, HttpError};
use crate::shortid;
use crate::store::equipments as store;
use crate::visibility::Visibility;

fn own(ctx: &Ctx<'_>, me: &Me) -> Result<Equipment, HttpError> {
    store::by_short_id(&ctx.db, ctx.param(0))?
        .filter(|e| e.user_id == me.user.id)
        .ok_or_else(|| HttpError::not_found("There is no such equipment."))
}

pub fn list(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    render_list(ctx, &me, None, 200)
}

fn render_list(ctx: &Ctx<'_>, me: &Me, error: Option<&str>, status: u16) -> Result<Response, HttpError> {
    let all = store::of_user(&ctx.db, me.user.id, None)?;
    let types = store::types(&ctx.db)?;
    let r = &me.reader;
    let markup = html! {
        h1 { "Equipment" }
        @if all.is_empty() { p.muted { "No equipment yet: add your shoes or bike below, then pick them on your workouts." } }
        @else {
            table.stack {
                thead { tr { th { "Equipment" } th { "Type" } th { "Workouts" } th { "Distance" } th { "Moving time" } th { "State" } } }
                tbody { @for e in &all { tr {
                    th scope="row" { a href={ "/equipment/" (e.short_id) } { (e.label) } }
                    td data-label="Type" { (e.equipment_type.label) }
                    td data-label="Workouts" { (e.workouts_count) }
                    td data-label="Distance" { @if e.equipment_type.id == RACKET { "–" } @else { (r.distance(e.total_distance)) } }
                    td data-label="Moving time" { (duration(e.total_moving)) }
                    td data-label="State" { @if e.is_active { "In use" } @else { "Retired" } }
                } } }
            }
        }
        section.card aria-labelledby="add-heading" {
            h2 #add-heading { "Add equipment" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action="/equipment" {
                (csrf_field(ctx))
                (fields(me, &types, None))
                button type="submit" { "Add" }
            }
        }
    };
    Ok(html_response(status, page(ctx, "Equipment", markup)))
}

/// The fields of a piece of equipment, filled from `current` when editing.
fn fields(me: &Me, types: &[EquipmentType], current: Option<&Equipment>) -> Markup {
    let type_id = current.map(|e| e.equipment_type.id);
    let defaults = current.map(|e| e.default_for_sport_ids.clone()).unwrap_or_default();
    html! {
        label { "Name" input name="label" required maxlength="50" value=(current.map_or("", |e| e.label.as_str())); }
        label { "Type" select name="equipment_type_id" required {
            @for t in types.iter().filter(|t| t.is_active || Some(t.id) == type_id) {
                option value=(t.id) selected[Some(t.id) == type_id] { (t.label) }
            }
        } }
        label { "Description (optional)" textarea name="description" maxlength="200" {
            (current.and_then(|e| e.description.clone()).unwrap_or_default())
        } }
        (visibility_select("visibility", "Who sees it on your workouts", current.map_or(Visibility::Private, |e| e.visibility)))
        fieldset {
            legend { "Used by default for" }
            @for s in me.active_sports() {
                @if type_id.is_none_or(|t| fits(t, s.sport.id)) {
                    label.check { input type="checkbox" name="default_for_sport_ids" value=(s.sport.id) checked[defaults.contains(&s.sport.id)]; span { (s.sport.label) } }
                }
            }
        }
    }
}

fn change_of(form: &Form, editing: bool) -> EquipmentChange {
    let text = |key: &str| form.text(key).map(str::trim).unwrap_or("").to_string();
    EquipmentChange {
        label: Some(text("label")).filter(|l| !l.is_empty()),
        description: Some(Some(text("description")).filter(|d| !d.is_empty())),
        equipment_type_id: text("equipment_type_id").parse().ok(),
        is_active: editing.then(|| form.text("is_active") == Some("true")),
        default_for_sport_ids: Some(
            form.parts
                .iter()
                .filter(|p| p.name == "default_for_sport_ids")
                .filter_map(|p| std::str::from_utf8(&p.data).ok()?.parse().ok())
                .collect(),
        ),
        visibility: Visibility::parse(&text("visibility")),
    }
}

pub fn create(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let change = change_of(&ctx.form, false);
    let fresh = Equipment::blank(shortid::new(), me.user.id, ctx.now);
    match ctx.db.write(|tx| domain::apply(tx, fresh, &change, true)).map_err(HttpError::from) {
        Ok(e) => Ok(done(&format!("/equipment/{}", e.short_id), "equipment-added")),
        Err(e) if e.status < 500 => render_list(ctx, &me, Some(&capitalized(&e.text())), 400),
        Err(e) => Err(e),
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect::<String>() + ".")
}

pub fn show(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let equipment = own(ctx, &me)?;
    render_one(ctx, &me, &equipment, None, 200)
}

fn render_one(ctx: &Ctx<'_>, me: &Me, e: &Equipment, error: Option<&str>, status: u16) -> Result<Response, HttpError> {
    let types = store::types(&ctx.db)?;
    let r = &me.reader;
    let markup = html! {
        p.crumbs { a href="/equipment" { "Equipment" } " › " (e.equipment_type.label) }
        h1 { (e.label) @if !e.is_active { " (retired)" } }
        dl.facts {
            dt { "Workouts" } dd { (e.workouts_count) " (" a href={ "/workouts?equipment_id=" (e.short_id) } { "see them" } ")" }
            @if e.equipment_type.id != RACKET { dt { "Distance" } dd { (r.distance(e.total_distance)) } }
            dt { "Moving time" } dd { (duration(e.total_moving)) }
            dt { "Total duration" } dd { (duration(e.total_duration)) }
            dt { "Added" } dd { (r.date(e.created_at)) }
        }
        section.card aria-labelledby="edit-heading" {
            h2 #edit-heading { "Edit" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form method="post" action={ "/equipment/" (e.short_id) } {
                (csrf_field(ctx))
                (fields(me, &types, Some(e)))
                label.check { input type="checkbox" name="is_active" value="true" checked[e.is_active]; span { "In use (untick to retire it: it stays on past workouts)" } }
                button type="submit" { "Save" }
            }
        }
        p { a.button.danger href={ "/equipment/" (e.short_id) "/delete" } { "Delete…" } }
    };
    Ok(html_response(status, page(ctx, &e.label, markup)))
}

pub fn save(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let current = own(ctx, &me)?;
    let change = change_of(&ctx.form, true);
    match ctx.db.write(|tx| domain::apply(tx, current.clone(), &change, false)).map_err(HttpError::from) {
        Ok(e) => Ok(done(&format!("/equipment/{}", e.short_id), "saved")),
        Err(e) if e.status < 500 => render_one(ctx, &me, &current, Some(&capitalized(&e.text())), 400),
        Err(e) => Err(e),
    }
}

pub fn confirm_delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let e = own(ctx, &me)?;
    let markup = html! {
        h1 { "Delete “" (e.label) "”?" }
        @if e.workouts_count > 0 {
            p { "It is on " (super::plural(e.workouts_count, "workout")) ": they stay, without it. To keep its history, retire it instead." }
        }
        form method="post" action={ "/equipment/" (e.short_id) "/delete" } {
            (csrf_field(ctx))
            p.actions { button.danger type="submit" { "Delete the equipment" } a href={ "/equipment/" (e.short_id) } { "Keep it" } }
        }
    };
    Ok(html_response(200, page(ctx, "Delete equipment", markup)))
}

pub fn delete(ctx: &mut Ctx<'_>) -> Result<Response, HttpError> {
    let me = Me::load(ctx)?;
    let e = own(ctx, &me)?;
    ctx.db.write(|tx| domain::delete(tx, &e, true))?;
    Ok(done("/equipment", "equipment-deleted"))
}
