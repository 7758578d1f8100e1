//! Linear scales and the round numbers their axes are labelled with.

/// Maps a domain interval onto a range of drawing units (the range may run
/// backwards: SVG's y grows downwards, a pace axis grows upwards).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    domain: (f64, f64),
    range: (f64, f64),
}

impl Scale {
    /// An empty or degenerate domain is widened so that it still maps
    /// somewhere sensible (a flat line in the middle).
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        let (lo, hi) = if domain.0.is_finite() && domain.1.is_finite() { domain } else { (0.0, 1.0) };
        let (lo, hi) = if lo < hi { (lo, hi) } else { (lo.min(hi) - 0.5, lo.max(hi) + 0.5) };
        Scale { domain: (lo, hi), range }
    }

    pub fn domain(&self) -> (f64, f64) {
        self.domain
    }

    pub fn at(&self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }

    /// The same scale over a domain widened to round tick values.
    pub fn nice(&self, count: usize) -> (Scale, Vec<f64>) {
        let ticks = ticks(self.domain.0, self.domain.1, count);
        let lo = ticks.first().copied().unwrap_or(self.domain.0).min(self.domain.0);
        let hi = ticks.last().copied().unwrap_or(self.domain.1).max(self.domain.1);
        (Scale::new((lo, hi), self.range), ticks)
    }
}

/// A step of 1, 2 or 5 times a power of ten giving about `count` intervals.
pub fn step(span: f64, count: usize) -> f64 {
    let raw = span.abs() / count.max(1) as f64;
    if raw <= 0.0 || !raw.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let fraction = raw / magnitude;
    let nice = if fraction <= 1.0 {
        1.0
    } else if fraction <= 2.0 {
        2.0
    } else if fraction <= 5.0 {
        5.0
    } else {
        10.0
    };
    nice * magnitude
}

/// Round values covering `[lo, hi]`: the first at or below `lo`, the last
/// at or above `hi`, evenly spaced by `step`.
pub fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return Vec::new();
    }
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let step = step(hi - lo, count);
    let first = (lo / step).floor();
    let last = (hi / step).ceil().max(first + 1.0);
    (0..=((last - first) as usize).min(50)).map(|i| clean((first + i as f64) * step)).collect()
}

/// Drops the float noise of `3 * 0.1`, so that labels read `0.3`.
fn clean(value: f64) -> f64 {
    let rounded = (value * 1e9).round() / 1e9;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// A tick's label: as many decimals as the step needs, no more.
pub fn label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    format!("{value:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn scales_map_ends_to_ends_and_may_run_backwards() {
        let s = Scale::new((0.0, 10.0), (100.0, 0.0));
        assert_eq!((s.at(0.0), s.at(10.0), s.at(2.5)), (100.0, 0.0, 75.0));
        let flat = Scale::new((5.0, 5.0), (0.0, 100.0));
        assert_eq!(flat.at(5.0), 50.0, "a flat series sits in the middle");
        assert_eq!(Scale::new((f64::NAN, 1.0), (0.0, 1.0)).domain(), (0.0, 1.0));
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(ticks(0.0, 10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0, 0.9, 4), vec![0.0, 0.5, 1.0]);
        assert_eq!(ticks(0.0, 0.7, 4), vec![0.0, 0.2, 0.4, 0.6, 0.8]);
        assert_eq!(ticks(143.0, 301.0, 4), vec![100.0, 150.0, 200.0, 250.0, 300.0, 350.0]);
        assert_eq!(ticks(3.0, 3.0, 4), vec![3.0, 4.0]);
        assert_eq!(ticks(f64::INFINITY, f64::NEG_INFINITY, 4), Vec::<f64>::new(), "nothing to cover");
        assert_eq!(label(0.2, 0.2), "0.2");
        assert_eq!(label(250.0, 50.0), "250");
        assert_eq!(label(0.05, 0.05), "0.05");
    }

    proptest! {
        #[test]
        fn ticks_cover_the_domain_evenly(lo in -1e6f64..1e6, span in 0.0f64..1e6, count in 1usize..10) {
            let hi = lo + span;
            let t = ticks(lo, hi, count);
            prop_assert!(t.len() >= 2 && t.len() <= 51);
            prop_assert!(t[0] <= lo + 1e-6 && *t.last().unwrap() >= hi - 1e-6 || t.len() == 51);
            let step = t[1] - t[0];
            prop_assert!(t.windows(2).all(|w| ((w[1] - w[0]) - step).abs() <= step * 1e-6 + 1e-9));
            prop_assert!(t.len() <= 4 * count + 3, "about count intervals: {:?}", t);
        }

        #[test]
        fn a_scale_keeps_order(lo in -1e3f64..1e3, span in 1e-3f64..1e3, a in 0.0f64..1.0, b in 0.0f64..1.0) {
            let s = Scale::new((lo, lo + span), (0.0, 500.0));
            let (x, y) = (lo + a * span, lo + b * span);
            prop_assert_eq!(x <= y, s.at(x) <= s.at(y) + 1e-9);
            prop_assert!((-1e-6..=500.0 + 1e-6).contains(&s.at(x)));
        }
    }
}
