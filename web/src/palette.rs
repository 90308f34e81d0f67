//! Colours by `app` label, from the Okabe–Ito palette (distinguishable with the common
//! colour-vision deficiencies). Vermillion is kept back for refused requests.
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

/// Assigns a colour to each `app` value: values in sorted order get `c0`, `c1`, …,
/// cycling after six, so the same world always gets the same colours.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Palette {
    by_app: BTreeMap<String, usize>,
}

impl Palette {
    /// A palette over every `app` value given (duplicates are fine).
    pub fn new<'a>(apps: impl IntoIterator<Item = &'a str>) -> Self {
        let mut values: Vec<&str> = apps.into_iter().collect();
        values.sort_unstable();
        values.dedup();
        let by_app = values
            .into_iter()
            .enumerate()
            .map(|(i, v)| (v.to_owned(), i))
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
    fn sorted_values_get_consecutive_colours() {
        let p = Palette::new(["prod", "dev", "prod"]);
        assert_eq!(p.colour(Some("dev")), Colour::Index(0));
        assert_eq!(p.colour(Some("prod")), Colour::Index(1));
        assert_eq!(p.colour(Some("other")), Colour::Neutral);
        assert_eq!(p.colour(None), Colour::Neutral);
    }

    #[test]
    fn classes_cycle_after_six() {
        assert_eq!(Colour::Index(0).class(), "c0");
        assert_eq!(Colour::Index(7).class(), "c1");
        assert_eq!(Colour::Neutral.class(), "cn");
    }
}
