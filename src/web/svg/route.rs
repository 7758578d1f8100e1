//! A route drawn from its stored points: Web Mercator, scaled to fit, start
//! and end marked. No tiles: it works offline.

use maud::{Markup, html};

use super::simplify::{radial, rdp_within};
use super::{frame, num, path_data};

const WIDTH: f64 = 640.0;
const MOST_HEIGHT: f64 = 420.0;
const LEAST_HEIGHT: f64 = 200.0;
const PADDING: f64 = 16.0;
const MOST_POINTS: usize = 1000;

/// Web Mercator, in degrees of longitude (y grows northwards).
fn project((lat, lon): (f64, f64)) -> (f64, f64) {
    let lat = lat.clamp(-85.0511, 85.0511).to_radians();
    (lon, (std::f64::consts::FRAC_PI_4 + lat / 2.0).tan().ln().to_degrees())
}

/// The route of `segments` (latitude, longitude), or nothing without points.
pub fn route_map(id: &str, title: &str, summary: &str, segments: &[Vec<(f64, f64)>]) -> Option<Markup> {
    let projected: Vec<Vec<(f64, f64)>> = segments
        .iter()
        .map(|s| s.iter().copied().filter(|(a, b)| a.is_finite() && b.is_finite()).map(project).collect())
        .filter(|s: &Vec<(f64, f64)>| !s.is_empty())
        .collect();
    let all = projected.iter().flatten();
    let (x0, x1, y0, y1) = all.fold((f64::MAX, f64::MIN, f64::MAX, f64::MIN), |(a, b, c, d), &(x, y)| {
        (a.min(x), b.max(x), c.min(y), d.max(y))
    });
    if x0 > x1 {
        return None;
    }
    let (inner_width, inner_height) = (WIDTH - 2.0 * PADDING, MOST_HEIGHT - 2.0 * PADDING);
    let fit = |extent: f64, room: f64| if extent > 1e-9 { room / extent } else { f64::INFINITY };
    let unit = fit(x1 - x0, inner_width).min(fit(y1 - y0, inner_height));
    let unit = if unit.is_finite() { unit } else { 1.0 };
    let height = ((y1 - y0) * unit + 2.0 * PADDING).clamp(LEAST_HEIGHT, MOST_HEIGHT);
    let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
    let at = |(x, y): (f64, f64)| (WIDTH / 2.0 + (x - cx) * unit, height / 2.0 - (y - cy) * unit);
    let total: usize = projected.iter().map(Vec::len).sum();
    let drawn: Vec<Vec<(f64, f64)>> = projected
        .iter()
        .map(|s| {
            let on_page: Vec<(f64, f64)> = s.iter().copied().map(at).collect();
            rdp_within(&radial(&on_page, 0.5), (MOST_POINTS * s.len()).div_ceil(total).max(2))
        })
        .collect();
    let start = drawn.first().and_then(|s| s.first()).copied().unwrap_or_default();
    let end = drawn.last().and_then(|s| s.last()).copied().unwrap_or_default();
    let body = html! {
        path.track d=(path_data(&drawn)) {}
        circle.start cx=(num(start.0)) cy=(num(start.1)) r="7" { title { "Start" } }
        rect.end x=(num(end.0 - 6.0)) y=(num(end.1 - 6.0)) width="12" height="12" { title { "End" } }
    };
    Some(frame("route", id, (WIDTH, height.round()), title, summary, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(svg: &str) -> Vec<(f64, f64)> {
        let d = svg.split(" d=\"").nth(1).unwrap().split('"').next().unwrap();
        d.split(['M', 'L'])
            .filter(|s| !s.is_empty())
            .map(|p| {
                let (x, y) = p.split_once(' ').unwrap();
                (x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    fn height(svg: &str) -> f64 {
        svg.split("viewBox=\"0 0 640 ").nth(1).unwrap().split('"').next().unwrap().parse().unwrap()
    }

    #[test]
    fn a_route_fits_the_picture_north_up_with_its_ends_marked() {
        let north: Vec<(f64, f64)> = (0..=100).map(|i| (43.2 + i as f64 * 0.001, 5.4)).collect();
        let svg = route_map("route", "Route", "From A to B.", &[north]).unwrap().into_string();
        let points = numbers(&svg);
        assert!(points.first().unwrap().1 > points.last().unwrap().1, "north is up");
        let h = height(&svg);
        assert!(points.iter().all(|&(x, y)| (0.0..=640.0).contains(&x) && (0.0..=h).contains(&y)), "{points:?}");
        assert!(svg.contains("class=\"start\"") && svg.contains("class=\"end\"") && svg.contains("<desc"));
    }

    #[test]
    fn a_wide_route_keeps_its_shape() {
        let east: Vec<(f64, f64)> = (0..=100).map(|i| (45.0, 5.0 + i as f64 * 0.01)).collect();
        let svg = route_map("r", "t", "s", &[east]).unwrap().into_string();
        let points = numbers(&svg);
        let width = points.last().unwrap().0 - points[0].0;
        assert!(width > 500.0, "{width}");
        assert_eq!(height(&svg), LEAST_HEIGHT, "a flat route gets the least height, not a stretch");
        assert!(points.iter().all(|p| (p.1 - points[0].1).abs() < 0.1), "a straight line stays straight");
    }

    #[test]
    fn a_long_route_is_simplified_and_no_points_is_no_picture() {
        let wiggle: Vec<(f64, f64)> =
            (0..10_000).map(|i| (45.0 + (i as f64 / 50.0).sin() * 0.01, 5.0 + i as f64 * 0.00001)).collect();
        let svg = route_map("r", "t", "s", &[wiggle]).unwrap().into_string();
        assert!(numbers(&svg).len() <= MOST_POINTS, "{}", numbers(&svg).len());
        assert!(svg.len() < 20_000, "{} bytes", svg.len());
        assert!(route_map("r", "t", "s", &[vec![], vec![(f64::NAN, 1.0)]]).is_none());
        assert!(route_map("r", "t", "s", &[vec![(45.0, 5.0)]]).is_some(), "one point is a dot");
    }
}
