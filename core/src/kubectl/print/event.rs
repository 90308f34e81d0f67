//! `kubectl get events`: `LAST SEEN TYPE REASON OBJECT MESSAGE`; with `-o wide` also
//! `SUBOBJECT SOURCE`, `FIRST SEEN COUNT NAME`.
//!
//! The wide row is not the narrow row with cells appended: `SUBOBJECT` and `SOURCE`
//! come before `MESSAGE`. kubectl always receives the wide row from the API server and
//! hides the wide-only columns.
//! Upstream: OchukoWH/kubernetes@3669de28fe1658f1033b4296d34553d8d2e6a0d4
//! `pkg/printers/internalversion/printers.go` (`eventColumnDefinitions`, `printEvent`,
//! `translateMicroTimestampSince`, `formatEventSource`).

use super::{Cell, Column, Row};
use crate::kubectl::duration::translate_timestamp_since;
use crate::objects::Event;
use crate::sim::SimTime;

/// The kind with its group, as `--show-kind` prints it (`GroupKind.String()`).
pub const KIND: &str = "Event";

/// Whether the kind lives in namespaces.
pub const NAMESPACED: bool = true;

/// The columns, in order.
pub const COLUMNS: &[Column] = &[
    Column::text("Last Seen", 0),
    Column::text("Type", 0),
    Column::text("Reason", 0),
    Column::text("Object", 0),
    Column::text("Subobject", 1),
    Column::text("Source", 1),
    Column::text("Message", 0),
    Column::text("First Seen", 1),
    Column::text("Count", 1),
    Column {
        priority: 1,
        ..Column::NAME
    },
];

/// `printEvent`: one row.
pub fn print(e: &Event, now: SimTime, wide: bool) -> Row {
    let first = match e.first_timestamp {
        Some(t) => translate_timestamp_since(Some(t), now),
        None => translate_timestamp_since(e.event_time, now),
    };
    let mut last = match e.last_timestamp {
        Some(t) => translate_timestamp_since(Some(t), now),
        None => first.clone(),
    };
    let mut count = e.count;
    if let Some(series) = &e.series {
        last = translate_timestamp_since(series.last_observed_time, now);
        count = series.count;
    } else if count == 0 {
        // Singleton events of the new API carry no count.
        count = 1;
    }
    let kind = e.involved_object.kind.to_lowercase();
    let target = if e.involved_object.name.is_empty() {
        kind
    } else {
        format!("{kind}/{}", e.involved_object.name)
    };
    let message = e.message.trim().to_owned();
    let cells: Vec<Cell> = if wide {
        vec![
            last.into(),
            e.type_.as_str().into(),
            e.reason.as_str().into(),
            target.into(),
            e.involved_object.field_path.as_str().into(),
            format_source(e).into(),
            message.into(),
            first.into(),
            i64::from(count).into(),
            e.metadata.name.as_str().into(),
        ]
    } else {
        vec![
            last.into(),
            e.type_.as_str().into(),
            e.reason.as_str().into(),
            target.into(),
            message.into(),
        ]
    };
    Row::new(cells)
}

/// `formatEventSource`: `component, host`, or `component` alone; the reporting
/// controller and instance stand in for an empty source.
fn format_source(e: &Event) -> String {
    let first = |a: &str, b: &str| {
        if a.is_empty() {
            b.to_owned()
        } else {
            a.to_owned()
        }
    };
    let component = first(&e.source.component, &e.reporting_component);
    let instance = first(&e.source.host, &e.reporting_instance);
    if instance.is_empty() {
        component
    } else {
        format!("{component}, {instance}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objects::{EventSeries, EventSource, ObjectMeta, ObjectReference};

    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    const DAY: u64 = 24 * 3600;

    /// The event of upstream's cases, `days_ago` counted back from `now`.
    fn event(name: &str, kind: &str) -> Event {
        Event {
            metadata: ObjectMeta::named("", name),
            involved_object: ObjectReference {
                kind: kind.into(),
                name: format!("{kind} Name"),
                field_path: "spec.containers{foo}".into(),
                ..ObjectReference::default()
            },
            reason: "Event Reason".into(),
            message: "Message Data".into(),
            source: EventSource {
                component: "kubelet".into(),
                host: "Node1".into(),
            },
            type_: "Warning".into(),
            ..Event::default()
        }
    }

    fn cells(e: &Event, wide: bool) -> Vec<String> {
        let now = SimTime::from_secs(10 * DAY);
        print(e, now, wide)
            .cells
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn days_ago(d: u64) -> Option<SimTime> {
        Some(SimTime::from_secs((10 - d) * DAY))
    }

    /// Upstream: OchukoWH/kubernetes@3669de28 `pkg/printers/internalversion/printers_test.go`
    /// `TestPrintEvent`, its eight cases.
    #[test]
    fn last_seen_first_seen_count_and_source() {
        let mut e = event("event1", "Pod");
        e.source.host.clear();
        e.type_ = "Normal".into();
        (e.first_timestamp, e.last_timestamp, e.count) = (days_ago(3), days_ago(2), 6);
        assert_eq!(
            cells(&e, false),
            [
                "2d",
                "Normal",
                "Event Reason",
                "pod/Pod Name",
                "Message Data"
            ]
        );

        let wide = |e: &Event| cells(e, true);
        let mut e = event("event2", "Deployment");
        (e.first_timestamp, e.last_timestamp, e.count) = (days_ago(3), days_ago(2), 6);
        let row = [
            "2d",
            "Warning",
            "Event Reason",
            "deployment/Deployment Name",
            "spec.containers{foo}",
            "kubelet, Node1",
            "Message Data",
            "3d",
            "6",
            "event2",
        ];
        assert_eq!(wide(&e), row);

        // Without FirstTimestamp: the event time stands in.
        let mut e = event("event3", "Deployment");
        (e.event_time, e.last_timestamp, e.count) = (days_ago(3), days_ago(3), 1);
        assert_eq!(wide(&e)[..1], ["3d"]);
        assert_eq!(wide(&e)[7..], ["3d", "1", "event3"]);

        // Without LastTimestamp: first seen stands in.
        let mut e = event("event4", "Deployment");
        (e.event_time, e.first_timestamp, e.count) = (days_ago(3), days_ago(3), 1);
        assert_eq!(wide(&e)[..1], ["3d"]);

        // Neither: the event time for both.
        let mut e = event("event5", "Deployment");
        (e.event_time, e.count) = (days_ago(3), 1);
        assert_eq!(wide(&e)[7..], ["3d", "1", "event5"]);
        assert_eq!(wide(&e)[..1], ["3d"]);

        // A series: its last observation and count.
        let mut e = event("event6", "Deployment");
        e.event_time = days_ago(3);
        e.series = Some(EventSeries {
            count: 2,
            last_observed_time: days_ago(2),
        });
        assert_eq!(wide(&e)[..1], ["2d"]);
        assert_eq!(wide(&e)[7..], ["3d", "2", "event6"]);

        // A singleton without a count counts 1.
        let mut e = event("event7", "Deployment");
        e.event_time = days_ago(3);
        assert_eq!(wide(&e)[7..], ["3d", "1", "event7"]);

        // An empty source: the reporting controller and instance.
        let mut e = event("event2", "Deployment");
        e.source = EventSource::default();
        (e.reporting_component, e.reporting_instance) = ("kubelet".into(), "test".into());
        (e.first_timestamp, e.last_timestamp, e.count) = (days_ago(3), days_ago(2), 6);
        assert_eq!(wide(&e)[5], "kubelet, test");
    }
}
