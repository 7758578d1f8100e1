//! A workout's map thumbnail: its route drawn over the map tiles that
//! cover it (Web Mercator, as every tile server cuts them), as one SVG with
//! the tiles embedded, at FitTrackee's size (400 × 225, 10 px of padding).

use base64::Engine;

use super::model::Tile;
use super::tile::TileAddress;

pub const WIDTH: f64 = 400.0;
pub const HEIGHT: f64 = 225.0;
const PADDING: f64 = 10.0;
const TILE_SIZE: f64 = 256.0;
/// Closer than this, a thumbnail shows streets nobody asked for.
const MAX_ZOOM: u8 = 17;
/// FitTrackee's route color.
const ROUTE_COLOR: &str = "#3388FF";
/// Web Mercator stops here.
const MAX_LATITUDE: f64 = 85.051_128_78;

/// Which part of the world the thumbnail shows: a zoom and the world pixel
/// at its top left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub zoom: u8,
    left: f64,
    top: f64,
}

/// A tile of the view, and where its top left corner goes.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedTile {
    pub address: TileAddress,
    pub x: f64,
    pub y: f64,
}

/// The pixel of a `[lon, lat]` position in the world at `zoom`.
fn world_pixel([lon, lat]: [f64; 2], zoom: u8) -> (f64, f64) {
    let size = TILE_SIZE * f64::from(1u32 << zoom);
    let lat = lat.clamp(-MAX_LATITUDE, MAX_LATITUDE).to_radians();
    let x = (lon + 180.0) / 360.0 * size;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

impl View {
    /// The closest view that shows every point of `lines` (`[lon, lat]`)
    /// within the padding (the whole world when nothing holds a route from
    /// pole to pole); `None` without a single point.
    pub fn fit(lines: &[Vec<[f64; 2]>]) -> Option<View> {
        let points: Vec<[f64; 2]> =
            lines.iter().flatten().copied().filter(|p| p.iter().all(|c| c.is_finite())).collect();
        if points.is_empty() {
            return None;
        }
        let zoom = (0..=MAX_ZOOM).rev().find(|&z| fits(&points, z)).unwrap_or(0);
        let ((min_x, min_y), (max_x, max_y)) = bounds(&points, zoom);
        let (cx, cy) = ((min_x + max_x) / 2.0, (min_y + max_y) / 2.0);
        Some(View { zoom, left: cx - WIDTH / 2.0, top: cy - HEIGHT / 2.0 })
    }

    /// Where a `[lon, lat]` position is drawn.
    pub fn project(&self, position: [f64; 2]) -> (f64, f64) {
        let (x, y) = world_pixel(position, self.zoom);
        (x - self.left, y - self.top)
    }

    /// The tiles that cover the view (columns wrap around the world).
    pub fn tiles(&self) -> Vec<PlacedTile> {
        let grid = 1i64 << self.zoom;
        let first = |start: f64| (start / TILE_SIZE).floor() as i64;
        let last = |start: f64, length: f64| ((start + length) / TILE_SIZE).floor() as i64;
        let mut tiles = Vec::new();
        for row in first(self.top)..=last(self.top, HEIGHT) {
            if !(0..grid).contains(&row) {
                continue;
            }
            for column in first(self.left)..=last(self.left, WIDTH) {
                let address =
                    TileAddress { s: "a".into(), z: self.zoom, x: column.rem_euclid(grid) as u32, y: row as u32 };
                let (x, y) = (column as f64 * TILE_SIZE - self.left, row as f64 * TILE_SIZE - self.top);
                tiles.push(PlacedTile { address, x, y });
            }
        }
        tiles
    }
}

fn bounds(points: &[[f64; 2]], zoom: u8) -> ((f64, f64), (f64, f64)) {
    points
        .iter()
        .map(|&p| world_pixel(p, zoom))
        .fold(((f64::MAX, f64::MAX), (f64::MIN, f64::MIN)), |((x0, y0), (x1, y1)), (x, y)| {
            ((x0.min(x), y0.min(y)), (x1.max(x), y1.max(y)))
        })
}

fn fits(points: &[[f64; 2]], zoom: u8) -> bool {
    let ((x0, y0), (x1, y1)) = bounds(points, zoom);
    x1 - x0 <= WIDTH - 2.0 * PADDING && y1 - y0 <= HEIGHT - 2.0 * PADDING
}

/// The SVG: a plain background, the tiles given (any may be missing), and
/// each line of the route (points less than a pixel apart are one).
pub fn render(view: &View, lines: &[Vec<[f64; 2]>], tiles: &[(PlacedTile, Tile)]) -> String {
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{HEIGHT}\" \
         viewBox=\"0 0 {WIDTH} {HEIGHT}\"><rect width=\"{WIDTH}\" height=\"{HEIGHT}\" fill=\"#eceee8\"/>"
    );
    for (placed, tile) in tiles {
        let data = base64::engine::general_purpose::STANDARD.encode(&tile.data);
        svg.push_str(&format!(
            "<image x=\"{:.1}\" y=\"{:.1}\" width=\"{TILE_SIZE}\" height=\"{TILE_SIZE}\" href=\"data:{};base64,{data}\"/>",
            placed.x, placed.y, tile.content_type
        ));
    }
    for line in lines {
        let path = path_of(view, line);
        if !path.is_empty() {
            svg.push_str(&format!(
                "<path d=\"{path}\" fill=\"none\" stroke=\"{ROUTE_COLOR}\" stroke-width=\"4\" \
                 stroke-linecap=\"round\" stroke-linejoin=\"round\"/>"
            ));
        }
    }
    svg.push_str("</svg>");
    svg
}

fn path_of(view: &View, line: &[[f64; 2]]) -> String {
    let mut path = String::new();
    let mut last: Option<(f64, f64)> = None;
    for &position in line.iter().filter(|p| p.iter().all(|c| c.is_finite())) {
        let (x, y) = view.project(position);
        if last.is_some_and(|(lx, ly)| (x - lx).hypot(y - ly) < 1.0) {
            continue;
        }
        path.push_str(&format!("{}{x:.1} {y:.1}", if last.is_none() { "M" } else { " L" }));
        last = Some((x, y));
    }
    // A route of one spot is still drawn: a dot.
    if !path.is_empty() && !path.contains('L') {
        path.push_str(" l0 0");
    }
    path
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn marseille() -> Vec<Vec<[f64; 2]>> {
        vec![vec![[5.3698, 43.2965], [5.3915, 43.2998], [5.3850, 43.2795]]]
    }

    #[test]
    fn the_route_fills_the_view_at_the_closest_zoom_that_holds_it() {
        let view = View::fit(&marseille()).unwrap();
        for position in marseille().iter().flatten() {
            let (x, y) = view.project(*position);
            assert!((PADDING - 1e-6..=WIDTH - PADDING + 1e-6).contains(&x), "{x}");
            assert!((PADDING - 1e-6..=HEIGHT - PADDING + 1e-6).contains(&y), "{y}");
        }
        assert!(!fits(&marseille()[0], view.zoom + 1), "zoom {} would fit too", view.zoom + 1);
        assert_eq!(View::fit(&[vec![[5.0, 43.0]]]).unwrap().zoom, MAX_ZOOM, "one spot: the closest zoom");
        assert_eq!(View::fit(&[vec![]]), None);
    }

    #[test]
    fn the_tiles_cover_the_view_and_sit_where_their_corner_is() {
        let view = View::fit(&marseille()).unwrap();
        let tiles = view.tiles();
        assert!((2..=6).contains(&tiles.len()), "{}", tiles.len());
        for t in &tiles {
            let corner = t.address.x as f64 * TILE_SIZE - view.left;
            assert!((t.x - corner).abs() < 1e-6);
        }
        let covered = |x: f64, y: f64| {
            tiles.iter().any(|t| (t.x..t.x + TILE_SIZE).contains(&x) && (t.y..t.y + TILE_SIZE).contains(&y))
        };
        for (x, y) in [(0.0, 0.0), (WIDTH - 0.1, 0.0), (0.0, HEIGHT - 0.1), (WIDTH - 0.1, HEIGHT - 0.1)] {
            assert!(covered(x, y), "({x}, {y})");
        }
    }

    #[test]
    fn the_svg_holds_the_route_and_the_tiles_it_was_given() {
        let view = View::fit(&marseille()).unwrap();
        let bare = render(&view, &marseille(), &[]);
        assert!(bare.starts_with("<svg") && bare.ends_with("</svg>"));
        assert_eq!(bare.matches("<path").count(), 1);
        assert!(!bare.contains("<image"));
        let tile = Tile { content_type: "image/png".into(), data: vec![137, 80, 78, 71], fetched_at: 0 };
        let tiles: Vec<(PlacedTile, Tile)> = view.tiles().into_iter().map(|t| (t, tile.clone())).collect();
        let with_tiles = render(&view, &marseille(), &tiles);
        assert_eq!(with_tiles.matches("href=\"data:image/png;base64,iVBORw==\"").count(), tiles.len());
        assert!(render(&View::fit(&[vec![[5.0, 43.0]]]).unwrap(), &[vec![[5.0, 43.0]]], &[]).contains(" l0 0"));
    }

    proptest! {
        /// Any route on Earth that some zoom holds is in its view, and no
        /// coordinate breaks the SVG.
        #[test]
        fn every_route_fits(points in prop::collection::vec((-180.0f64..180.0, -85.0f64..85.0), 1..40)) {
            let line: Vec<[f64; 2]> = points.iter().map(|&(lon, lat)| [lon, lat]).collect();
            let view = View::fit(std::slice::from_ref(&line)).unwrap();
            if fits(&line, view.zoom) {
                for p in &line {
                    let (x, y) = view.project(*p);
                    prop_assert!((-1e-6..=WIDTH + 1e-6).contains(&x) && (-1e-6..=HEIGHT + 1e-6).contains(&y));
                }
            }
            let svg = render(&view, &[line], &[]);
            prop_assert!(!svg.contains("NaN") && !svg.contains("inf"));
            prop_assert!(view.tiles().len() <= 6);
        }
    }
}
