//! Fewer points for the same picture: a 10,000-point workout is drawn with
//! at most about a thousand per line, so that its page stays small.
//!
//! Charts use Largest-Triangle-Three-Buckets (x only grows; peaks survive),
//! routes Ramer–Douglas–Peucker (x and y both wander; corners survive), in
//! one pass that ranks the points instead of bisecting a tolerance.

/// At most `limit` points of `points` (x ascending), first and last kept:
/// per bucket, the point making the largest triangle with the point kept
/// before and the mean of the next bucket.
pub fn lttb(points: &[(f64, f64)], limit: usize) -> Vec<(f64, f64)> {
    let limit = limit.max(3);
    if points.len() <= limit {
        return points.to_vec();
    }
    let buckets = limit - 2;
    let width = (points.len() - 2) as f64 / buckets as f64;
    let bucket = |i: usize| {
        let start = 1 + (i as f64 * width) as usize;
        let end = (1 + ((i + 1) as f64 * width) as usize).min(points.len() - 1);
        &points[start..end.max(start + 1)]
    };
    let mut kept = Vec::with_capacity(limit);
    kept.push(points[0]);
    let mut previous = points[0];
    for i in 0..buckets {
        let next = if i + 1 < buckets { bucket(i + 1) } else { &points[points.len() - 1..] };
        let n = next.len() as f64;
        let mean = next.iter().fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let area = |p: &(f64, f64)| {
            ((previous.0 - mean.0) * (p.1 - previous.1) - (previous.0 - p.0) * (mean.1 - previous.1)).abs()
        };
        let best = bucket(i).iter().copied().max_by(|a, b| area(a).total_cmp(&area(b))).unwrap_or(previous);
        kept.push(best);
        previous = best;
    }
    kept.push(points[points.len() - 1]);
    kept
}

/// The points at least `distance` from the last one kept, and the last: in
/// drawing units, what is closer adds nothing visible, and a cheap pass first
/// spares RDP most of a dense track.
pub fn radial(points: &[(f64, f64)], distance: f64) -> Vec<(f64, f64)> {
    let mut kept: Vec<(f64, f64)> = Vec::with_capacity(points.len());
    for (i, &p) in points.iter().enumerate() {
        let far = kept.last().is_none_or(|last| (p.0 - last.0).hypot(p.1 - last.1) >= distance);
        if far || i + 1 == points.len() {
            kept.push(p);
        }
    }
    kept
}

/// How much each point matters to the line's shape: the distance at which
/// Ramer–Douglas–Peucker would keep it, capped by the point that split its
/// span (so that RDP at tolerance ε keeps exactly the points above ε). One
/// pass, without recursion: a stack of spans.
fn importance(points: &[(f64, f64)]) -> Vec<f64> {
    let mut importance = vec![0.0; points.len()];
    if let (Some(first), Some(last)) = (importance.first_mut(), points.len().checked_sub(1)) {
        *first = f64::INFINITY;
        importance[last] = f64::INFINITY;
    }
    let mut spans = vec![(0, points.len().saturating_sub(1), f64::INFINITY)];
    while let Some((first, last, cap)) = spans.pop() {
        let farthest = (first + 1..last)
            .map(|i| (i, distance_to_segment(points[i], points[first], points[last])))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((i, d)) = farthest {
            importance[i] = d.min(cap);
            spans.push((first, i, importance[i]));
            spans.push((i, last, importance[i]));
        }
    }
    importance
}

/// The `limit` points that matter most (RDP at the tightest tolerance that
/// keeps at most `limit`), in their order; both ends always.
pub fn rdp_within(points: &[(f64, f64)], limit: usize) -> Vec<(f64, f64)> {
    let limit = limit.max(2);
    if points.len() <= limit {
        return points.to_vec();
    }
    let importance = importance(points);
    let mut order: Vec<usize> = (0..points.len()).collect();
    order.select_nth_unstable_by(limit - 1, |a, b| importance[*b].total_cmp(&importance[*a]));
    let mut kept = order[..limit].to_vec();
    kept.sort_unstable();
    kept.into_iter().map(|i| points[i]).collect()
}

fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = dx * dx + dy * dy;
    if length == 0.0 {
        return (p.0 - a.0).hypot(p.1 - a.1);
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / length).clamp(0.0, 1.0);
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn lttb_keeps_the_ends_and_the_peaks() {
        let mut points: Vec<(f64, f64)> = (0..10_000).map(|i| (i as f64, 0.0)).collect();
        points[4_321].1 = 100.0;
        let kept = lttb(&points, 1000);
        assert_eq!(kept.len(), 1000);
        assert_eq!((kept[0], kept[999]), (points[0], points[9_999]));
        assert!(kept.contains(&(4_321.0, 100.0)), "the peak survives");
        assert_eq!(lttb(&points[..10], 1000).len(), 10, "short lines are kept whole");
    }

    /// RDP at tolerance `epsilon`: the points that matter more than it.
    fn rdp(points: &[(f64, f64)], epsilon: f64) -> Vec<(f64, f64)> {
        points.iter().zip(importance(points)).filter(|(_, i)| *i > epsilon).map(|(p, _)| *p).collect()
    }

    #[test]
    fn radial_drops_what_cannot_be_seen() {
        let dense: Vec<(f64, f64)> = (0..=1000).map(|i| (i as f64 * 0.01, 0.0)).collect();
        let kept = radial(&dense, 0.5);
        assert_eq!(kept.len(), 21, "every 0.5, up to the end: {kept:?}");
        assert_eq!((kept[0], *kept.last().unwrap()), (dense[0], dense[1000]));
        assert!(radial(&[], 0.5).is_empty());
    }

    #[test]
    fn rdp_keeps_corners_and_drops_straight_runs() {
        let mut line: Vec<(f64, f64)> = (0..=100).map(|i| (i as f64, 0.0)).collect();
        line.extend((1..=100).map(|i| (100.0, i as f64)));
        assert_eq!(rdp(&line, 0.01), vec![(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)]);
        let within = rdp_within(&line, 3);
        assert_eq!(within.len(), 3);
        let closed = vec![(0.0, 0.0), (1.0, 1.0), (0.0, 0.0)];
        assert_eq!(rdp(&closed, 0.1).len(), 3, "a loop back to the start keeps its far point");
    }

    fn wiggly(n: usize, seed: u64) -> Vec<(f64, f64)> {
        let mut state = seed | 1;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 1000) as f64 / 1000.0 - 0.5
        };
        let mut at = (0.0, 0.0);
        (0..n)
            .map(|_| {
                at = (at.0 + next(), at.1 + next());
                at
            })
            .collect()
    }

    proptest! {
        #[test]
        fn simplified_lines_are_within_the_limit_and_made_of_original_points(
            n in 0usize..3000, limit in 3usize..1200, seed in any::<u64>()
        ) {
            let route = wiggly(n, seed);
            let kept = rdp_within(&route, limit);
            prop_assert!(kept.len() <= limit.max(2).max(n.min(2)));
            prop_assert!(kept.iter().all(|p| route.contains(p)));
            prop_assert_eq!(kept.first(), route.first());
            prop_assert_eq!(kept.last(), route.last());

            let chart: Vec<(f64, f64)> = route.iter().enumerate().map(|(i, p)| (i as f64, p.1)).collect();
            let kept = lttb(&chart, limit);
            prop_assert!(kept.len() <= limit.max(3));
            prop_assert!(kept.windows(2).all(|w| w[0].0 < w[1].0), "x still ascends");
            prop_assert!(kept.iter().all(|p| chart.contains(p)));
        }

        #[test]
        fn every_dropped_point_is_near_the_kept_line(n in 3usize..400, seed in any::<u64>(), epsilon in 0.01f64..2.0) {
            let route = wiggly(n, seed);
            let kept = rdp(&route, epsilon);
            let near = |p: (f64, f64)| kept.windows(2).any(|w| distance_to_segment(p, w[0], w[1]) <= epsilon + 1e-9);
            prop_assert!(route.iter().all(|p| near(*p)));
            prop_assert_eq!(rdp_within(&route, kept.len()), kept, "the tightest tolerance within a count is RDP's");
        }
    }
}
