//! The single update path: `AppState { world, view }` and the actions that change it.

use std::rc::Rc;

use svcplay_core::scenario::{self, DEFAULT_SEED};
use svcplay_core::{SimTime, World};
use yew::Reducible;

/// How long a request takes to travel from client to pod, in simulated milliseconds.
pub const FLIGHT_MILLIS: u64 = 900;

/// The longest wall-clock gap one tick may cover (a hidden tab does not fast-forward).
pub const MAX_TICK_MILLIS: f64 = 250.0;

/// A request on its way, for the animation.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    /// The Service it was sent to.
    pub service: String,
    /// The pod it reaches, `None` when it was refused.
    pub pod: Option<String>,
    /// When it left the client.
    pub sent: SimTime,
}

/// What the user sees besides the world: playback and the requests in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewState {
    /// Whether simulated time runs.
    pub playing: bool,
    /// Simulated time per wall time, in hundredths (100 = ×1).
    pub speed_percent: u32,
    /// Requests in flight.
    pub flights: Vec<Flight>,
    /// Fractional simulated milliseconds carried between ticks.
    carry: f64,
    /// The last command's error, shown inline.
    pub error: Option<String>,
}

impl Default for ViewState {
    fn default() -> Self {
        ViewState {
            playing: true,
            speed_percent: 100,
            flights: Vec::new(),
            carry: 0.0,
            error: None,
        }
    }
}

/// The app's whole state.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The simulated cluster.
    pub world: World,
    /// View state.
    pub view: ViewState,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        // The world changes on every tick; compare by time and view, which move with it.
        self.world.now() == other.world.now() && self.view == other.view
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            world: scenario::default_world(DEFAULT_SEED),
            view: ViewState::default(),
        }
    }
}

/// Everything the user (or the clock) can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Wall-clock milliseconds passed since the last frame.
    Tick(f64),
    /// Kill (gracefully delete) a pod.
    Kill(String),
    /// Play or pause.
    TogglePlay,
    /// Back to the default scenario.
    Reset,
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

impl AppState {
    /// Applies one action in place.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Tick(wall_ms) => self.tick(wall_ms),
            Action::Kill(pod) => {
                self.view.error = self.world.kill_pod(&pod).err().map(|e| e.to_string());
            }
            Action::TogglePlay => self.view.playing = !self.view.playing,
            Action::Reset => *self = AppState::default(),
        }
    }

    fn tick(&mut self, wall_ms: f64) {
        if !self.view.playing {
            return;
        }
        let sim = wall_ms.clamp(0.0, MAX_TICK_MILLIS) * f64::from(self.view.speed_percent) / 100.0
            + self.view.carry;
        let whole = sim.floor();
        self.view.carry = sim - whole;
        if whole < 1.0 {
            return;
        }
        self.world.step(whole as u64);
        let now = self.world.now();
        self.view
            .flights
            .retain(|f| now.millis_since(f.sent) < FLIGHT_MILLIS);
        self.view
            .flights
            .extend(self.world.drain_requests().into_iter().map(|r| Flight {
                service: r.service,
                pod: r.pod,
                sent: r.at,
            }));
    }
}
