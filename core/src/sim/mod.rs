//! The simulation kernel: simulated time and the world's one seeded random stream.
//!
//! Nothing here reads a clock or the OS: time moves only when the world is stepped, and
//! every random choice comes from the seed the scenario names.

mod clock;
mod rng;

pub use clock::SimTime;
pub use rng::SimRng;
