//! Hooks: the animation-frame ticker and a media-query reader.

mod use_animation_frame;
mod use_media_query;

pub use use_animation_frame::use_animation_frame;
pub use use_media_query::use_media_query;
