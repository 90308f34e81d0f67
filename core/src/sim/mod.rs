//! The simulation kernel: simulated time, the world's one seeded random stream, and the
//! ordered queue of timed things.
//!
//! Nothing here reads a clock or the OS: time moves only when the world is stepped, and
//! every random choice comes from the seed the scenario names.

mod clock;
mod queue;
mod rng;

pub use clock::SimTime;
pub use queue::EventQueue;
pub use rng::SimRng;
