//! The process's memory as Linux reports it, for the examples and benchmarks that print
//! peak RSS (`limits`, `probed`, `benches/cluster.rs`). Included with `#[path]`: it is
//! not an example of its own.

/// `VmRSS` and `VmHWM` of this process in MiB (0 where `/proc` is missing).
pub fn memory() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let read = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (read("VmRSS:"), read("VmHWM:"))
}
