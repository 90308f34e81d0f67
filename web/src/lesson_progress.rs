//! Where a learner is, kept between visits and read from the address: progress in
//! `localStorage` (`svcplay.lessons`), `?lesson=N`, `?embed&lesson=N`, and the iframe
//! snippet for one lesson. The text formats are pure (tested natively); the browser
//! calls are thin and never panic.

use crate::state::LessonView;

/// The `localStorage` key of the lesson progress.
pub const PROGRESS_KEY: &str = "svcplay.lessons";

/// The height (CSS px) a lesson embed's snippet recommends: the lesson panel, the
/// scene and the play button fit in it at 720–1,000 px widths (an e2e test checks).
pub const LESSON_EMBED_HEIGHT: u32 = 1240;

/// What is kept between visits.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// The lesson (0-based) and step open when the learner left.
    pub open: Option<(usize, usize)>,
    /// Lessons completed (0-based).
    pub completed: Vec<usize>,
}

impl Progress {
    /// `open=2.1;done=0,1` (1-based in the text, as `?lesson=N` is); `open=-` when no
    /// lesson was open.
    pub fn to_text(&self) -> String {
        let open = self
            .open
            .map_or("-".to_owned(), |(l, s)| format!("{}.{}", l + 1, s + 1));
        let done: Vec<String> = self.completed.iter().map(|i| (i + 1).to_string()).collect();
        format!("open={open};done={}", done.join(","))
    }

    /// Reads [`Progress::to_text`]'s format; anything unreadable is left out.
    pub fn parse(text: &str, lessons: usize) -> Progress {
        let mut p = Progress::default();
        let one_based = |s: &str| {
            s.parse::<usize>()
                .ok()
                .filter(|n| (1..=lessons).contains(n))
        };
        for part in text.split(';') {
            match part.split_once('=') {
                Some(("open", v)) => {
                    p.open = v.split_once('.').and_then(|(l, s)| {
                        Some((one_based(l)? - 1, s.parse::<usize>().ok()?.checked_sub(1)?))
                    });
                }
                Some(("done", v)) => {
                    p.completed = v.split(',').filter_map(one_based).map(|n| n - 1).collect();
                    svcplay_core::sort::sort(&mut p.completed);
                    p.completed.dedup();
                }
                _ => {}
            }
        }
        p
    }

    /// The progress of a lesson panel.
    pub fn of(view: &LessonView) -> Progress {
        Progress {
            open: view.open.map(|l| (l, view.step)),
            completed: view.completed.clone(),
        }
    }
}

/// The text autosave keeps under [`crate::storage::LESSON_WORLD_KEY`]: the lesson and
/// step (1-based) the world belongs to, a space, and the world's scenario fragment.
pub fn lesson_world_text(lesson: usize, step: usize, fragment: &str) -> String {
    format!("{}.{} {fragment}", lesson + 1, step + 1)
}

/// Reads [`lesson_world_text`]'s format: `(lesson, step, fragment)`, 0-based; `None`
/// when the prefix does not read or names no lesson (the fragment is checked when the
/// world is built from it).
pub fn parse_lesson_world(text: &str, lessons: usize) -> Option<(usize, usize, &str)> {
    let (at, fragment) = text.split_once(' ')?;
    let (l, s) = at.split_once('.')?;
    let l = l
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=lessons).contains(n))?;
    let s = s.parse::<usize>().ok()?.checked_sub(1)?;
    Some((l - 1, s, fragment))
}

/// `?lesson=N` (1-based, within `1..=lessons`) as a 0-based index.
pub fn lesson_param(query: &str, lessons: usize) -> Option<usize> {
    query
        .trim_start_matches('?')
        .split('&')
        .find_map(|p| p.strip_prefix("lesson="))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| (1..=lessons).contains(n))
        .map(|n| n - 1)
}

/// The embed URL of lesson `index` (0-based).
pub fn lesson_embed_url(base: &str, index: usize) -> String {
    format!("{base}?embed&lesson={}", index + 1)
}

/// A ready `<iframe>` for lesson `index` (0-based).
pub fn lesson_snippet(base: &str, index: usize, title: &str) -> String {
    format!(
        "<iframe src=\"{}\" title=\"svcplay lesson {}: {}\" width=\"100%\" height=\"{LESSON_EMBED_HEIGHT}\" loading=\"lazy\"></iframe>",
        lesson_embed_url(base, index),
        index + 1,
        title.replace('"', "&quot;"),
    )
}

/// The saved progress, and whether there was any (a first-time visitor has none).
pub fn load(lessons: usize) -> Option<Progress> {
    let storage = web_sys::window()?.local_storage().ok()??;
    let text = storage.get_item(PROGRESS_KEY).ok()??;
    Some(Progress::parse(&text, lessons))
}

/// Saves the progress; a storage that refuses is ignored (the lesson goes on).
pub fn save(progress: &Progress) {
    if let Some(Ok(Some(s))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = s.set_item(PROGRESS_KEY, &progress.to_text());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn progress_round_trips_and_ignores_what_it_cannot_read() {
        let p = Progress {
            open: Some((2, 1)),
            completed: vec![0, 1],
        };
        assert_eq!(p.to_text(), "open=3.2;done=1,2");
        assert_eq!(Progress::parse(&p.to_text(), 12), p);
        assert_eq!(Progress::parse("open=-;done=", 12), Progress::default());
        assert_eq!(
            Progress::parse("open=13.1;done=0,2,2,x,99", 12),
            Progress {
                open: None,
                completed: vec![1]
            }
        );
    }

    #[test]
    fn the_saved_lesson_world_names_its_lesson_and_step() {
        let text = lesson_world_text(13, 1, "s=1.abc");
        assert_eq!(text, "14.2 s=1.abc");
        assert_eq!(parse_lesson_world(&text, 14), Some((13, 1, "s=1.abc")));
        assert_eq!(parse_lesson_world(&text, 13), None, "no lesson 14");
        assert_eq!(parse_lesson_world("14.0 s=1.abc", 14), None);
        assert_eq!(parse_lesson_world("s=1.abc", 14), None);
        assert_eq!(parse_lesson_world("x.1 s=1.abc", 14), None);
    }

    #[test]
    fn the_lesson_is_read_from_the_query() {
        assert_eq!(lesson_param("?lesson=3", 12), Some(2));
        assert_eq!(lesson_param("?embed&lesson=12", 12), Some(11));
        assert_eq!(lesson_param("?lesson=0", 12), None);
        assert_eq!(lesson_param("?lesson=13", 12), None);
        assert_eq!(lesson_param("?embed", 12), None);
    }

    #[test]
    fn the_snippet_names_the_lesson_and_its_height() {
        assert_eq!(
            lesson_snippet("https://x.test/", 2, "The \"selector\""),
            "<iframe src=\"https://x.test/?embed&lesson=3\" title=\"svcplay lesson 3: The &quot;selector&quot;\" width=\"100%\" height=\"1240\" loading=\"lazy\"></iframe>"
        );
    }
}
