//! Colours by `app` label, from the Okabe–Ito palette (distinguishable with the common
//! colour-vision deficiencies). Vermillion is kept back for refused requests.
//!
//! A value's colour depends on its name only (see [`Palette`]).
//!
//! The palette itself lives in `style.css` as classes `c0`…`c5` (light and dark
//! variants); Rust only hands out class names, so no inline style is ever needed.

use std::collections::BTreeMap;

/// How many distinct colours the stylesheet defines (`c0`…`c5`).
pub const COLOURS: usize = 6;

/// The colour of something: an index into the palette, or neutral grey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Colour {
    /// No `app` label: neutral grey.
    #[default]
    Neutral,
    /// One of the palette's colours.
    Index(usize),
}

impl Colour {
    /// The CSS class that paints it.
    pub fn class(self) -> &'static str {
        const CLASSES: [&str; COLOURS] = ["c0", "c1", "c2", "c3", "c4", "c5"];
        match self {
            Colour::Neutral => "cn",
            Colour::Index(i) => CLASSES[i % COLOURS],
        }
    }
}

/// The colours of the playground's own `app` values, as they always were.
const KNOWN: [(&str, usize); 3] = [("client", 0), ("dev", 1), ("prod", 2)];

/// Assigns a colour to each `app` value by its name alone (the playground's own names a
/// fixed colour, any other a hash of its bytes, FNV-1a, into the colours the
/// playground's own names do not use), so a Service keeps its colour when selectors or
/// pods change: a new `app` value never shifts the others, and never takes the colour
/// of `client`, `dev` or `prod` (lesson 14's `api` was painted as `dev`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Palette {
    by_app: BTreeMap<String, usize>,
}

/// The colour index of a name.
pub fn colour_index(app: &str) -> usize {
    if let Some((_, i)) = KNOWN.iter().find(|(n, _)| *n == app) {
        return *i;
    }
    let mut h: u32 = 0x811c_9dc5;
    for b in app.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    KNOWN.len() + (h as usize) % (COLOURS - KNOWN.len())
}

impl Palette {
    /// A palette over every `app` value given (duplicates are fine).
    pub fn new<'a>(apps: impl IntoIterator<Item = &'a str>) -> Self {
        let by_app = apps
            .into_iter()
            .map(|v| (v.to_owned(), colour_index(v)))
            .collect();
        Palette { by_app }
    }

    /// The colour of an `app` value; neutral when absent or unknown.
    pub fn colour(&self, app: Option<&str>) -> Colour {
        app.and_then(|a| self.by_app.get(a))
            .map_or(Colour::Neutral, |&i| Colour::Index(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn colours_follow_names_not_positions() {
        let p = Palette::new(["prod", "dev", "prod", "client"]);
        assert_eq!(p.colour(Some("client")), Colour::Index(0));
        assert_eq!(p.colour(Some("dev")), Colour::Index(1));
        assert_eq!(p.colour(Some("prod")), Colour::Index(2));
        assert_eq!(p.colour(Some("other")), Colour::Neutral);
        assert_eq!(p.colour(None), Colour::Neutral);
        // A new value (a selector typo) does not move the others.
        let q = Palette::new(["prod", "dev", "dve", "client", "aaa"]);
        for app in ["client", "dev", "prod"] {
            assert_eq!(q.colour(Some(app)), p.colour(Some(app)), "{app}");
        }
        assert_eq!(q.colour(Some("dve")), Colour::Index(colour_index("dve")));
        assert_eq!(colour_index("dve"), colour_index("dve"));
        // Other names never look like the playground's own Services.
        for app in ["api", "dve", "backend", "web", "aaa", "shop", "redis"] {
            assert!((3..COLOURS).contains(&colour_index(app)), "{app}");
        }
    }

    #[test]
    fn classes_cycle_after_six() {
        assert_eq!(Colour::Index(0).class(), "c0");
        assert_eq!(Colour::Index(7).class(), "c1");
        assert_eq!(Colour::Neutral.class(), "cn");
    }
}
