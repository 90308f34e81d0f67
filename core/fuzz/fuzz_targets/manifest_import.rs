//! Fuzzes the manifest importer: `import`, `import_lenient` and `apply_import` must never
//! panic, and whatever imports must export to YAML that imports back to the same objects.
//! Run from `core/`: `RUSTC_BOOTSTRAP=1 cargo fuzz run manifest_import -- -max_total_time=60`
//! (seed it with `tests/manifests/*/*.yaml` for a head start).

#![no_main]

use libfuzzer_sys::fuzz_target;
use svcplay_core::World;
use svcplay_core::manifest::{apply_import, export, import, import_lenient};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = import_lenient(text);
    if let Ok(report) = import(text) {
        let yaml = export(&report.objects);
        let again = import(&yaml);
        assert_eq!(
            again.as_ref().map(|r| &r.objects),
            Ok(&report.objects),
            "input {text:?} exported as {yaml:?}"
        );
        let mut world = World::new(1);
        world.add_node("node-1", "zone-a");
        let _ = apply_import(&mut world, text);
    }
});
