//! Errors a command can return. A refused command changes nothing.

use thiserror::Error;

/// Why a command was refused. The world is unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CommandError {
    /// The named pod does not exist (or is already gone).
    #[error("pods \"{name}\" not found")]
    PodNotFound {
        /// The pod name given.
        name: String,
    },
    /// The pod is already being deleted.
    #[error("pod \"{name}\" is already terminating")]
    PodTerminating {
        /// The pod name given.
        name: String,
    },
}
