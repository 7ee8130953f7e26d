//! What the application view exports and copies: CSV (RFC 4180), JSON, file names, labels.

use chrono::SecondsFormat;
use rollout_api::{Event, EventType, Pod, PodVersion, Resources, Timestamp};
use std::borrow::Cow;

/// MIME types of the exports.
pub const CSV_MIME: &str = "text/csv;charset=utf-8";
pub const JSON_MIME: &str = "application/json;charset=utf-8";
pub const DIFF_MIME: &str = "text/x-diff;charset=utf-8";
pub const YAML_MIME: &str = "application/yaml;charset=utf-8";

/// One CSV field: quoted when it holds a comma, a quote, CR or LF; quotes doubled (RFC 4180 §2).
/// A value a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or CR:
/// an event message is whatever a workload wrote) gets a leading `'`, so it stays text.
pub fn csv_field(value: &str) -> Cow<'_, str> {
    let value: Cow<'_, str> = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{value}"))
    } else {
        Cow::Borrowed(value)
    };
    if value.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", value.replace('"', "\"\"")))
    } else {
        value
    }
}

/// A whole CSV document: a header row, then one record per row, every line ending in CRLF.
pub fn csv<I, R>(header: &[&str], rows: I) -> String
where
    I: IntoIterator<Item = R>,
    R: IntoIterator,
    R::Item: AsRef<str>,
{
    let mut out = String::new();
    push_record(&mut out, header.iter());
    for row in rows {
        push_record(&mut out, row.into_iter());
    }
    out
}

fn push_record<S: AsRef<str>>(out: &mut String, fields: impl Iterator<Item = S>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(field.as_ref()));
    }
    out.push_str("\r\n");
}

/// A timestamp exactly as the API writes it (RFC 3339, UTC, `Z`).
pub fn timestamp(t: Timestamp) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

pub fn event_type_label(kind: EventType) -> &'static str {
    match kind {
        EventType::Normal => "Normal",
        EventType::Warning => "Warning",
    }
}

/// "stable" or "canary": what people call the two versions.
pub fn pod_version_label(version: PodVersion) -> &'static str {
    match version {
        PodVersion::Stable => "stable",
        PodVersion::Latest => "canary",
    }
}

/// The event columns; `actor` and `actionReason` are filled for the events of people's actions.
pub const EVENT_COLUMNS: [&str; 8] = [
    "lastTimestamp",
    "type",
    "reason",
    "object",
    "message",
    "id",
    "actor",
    "actionReason",
];

/// Events as CSV, in the order given (the table's order: newest first).
pub fn events_csv<'a>(events: impl IntoIterator<Item = &'a Event>) -> String {
    csv(
        &EVENT_COLUMNS,
        events.into_iter().map(|e| {
            [
                timestamp(e.last_timestamp),
                event_type_label(e.kind).to_owned(),
                e.reason.clone(),
                e.object.clone(),
                e.message.clone(),
                e.id.to_string(),
                e.actor.clone().unwrap_or_default(),
                e.action_reason.clone().unwrap_or_default(),
            ]
        }),
    )
}

/// Events as a JSON array with the API's field names.
pub fn events_json<'a>(events: impl IntoIterator<Item = &'a Event>) -> String {
    let list: Vec<&Event> = events.into_iter().collect();
    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
}

pub const POD_COLUMNS: [&str; 9] = [
    "name",
    "version",
    "replicaSet",
    "phase",
    "readyContainers",
    "ready",
    "restarts",
    "node",
    "createdAt",
];

fn pod_record(p: &Pod) -> [String; 9] {
    [
        p.name.clone(),
        pod_version_label(p.version).to_owned(),
        p.replica_set.clone(),
        p.status.clone(),
        p.containers_readiness.clone(),
        p.ready.to_string(),
        p.restarts.to_string(),
        p.node.clone(),
        timestamp(p.created_at),
    ]
}

/// One row per pod.
pub fn resources_csv(resources: &Resources) -> String {
    csv(&POD_COLUMNS, resources.pods.iter().map(pod_record))
}

/// The whole `/resources` answer (pods, replica sets, services) with the API's field names.
pub fn resources_json(resources: &Resources) -> String {
    serde_json::to_string_pretty(resources).unwrap_or_else(|_| "{}".into())
}

/// `<rollout-id>-<what>.<ext>`, with anything unsafe in a file name replaced by `-`.
pub fn file_name(rollout_id: &str, what: &str, ext: &str) -> String {
    let safe: String = rollout_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("{safe}-{what}.{ext}")
}

/// "12 events", "1 event".
pub fn count_noun(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

/// The Export button's name: "Export", or "Export (filtered: 12 of 340)" while a filter is on.
pub fn export_label(shown: usize, total: usize, filtered: bool) -> String {
    if filtered {
        format!("Export (filtered: {shown} of {total})")
    } else {
        "Export".to_owned()
    }
}

/// The files the application view's Export menus save: one table for what each is called,
/// its file name and its MIME type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFile {
    EventsCsv,
    EventsJson,
    ResourcesCsv,
    ResourcesJson,
    /// The unified diff of the SpotDeployment.
    Diff,
    /// The previous desired state's YAML.
    OldYaml,
    /// This rollout's YAML.
    NewYaml,
}

impl ExportFile {
    /// What the menu item says.
    pub fn label(self) -> &'static str {
        match self {
            ExportFile::EventsCsv => "CSV",
            ExportFile::EventsJson => "JSON",
            ExportFile::ResourcesCsv => "CSV (one row per pod)",
            ExportFile::ResourcesJson => "JSON (pods, replica sets, services)",
            ExportFile::Diff => "Unified diff",
            ExportFile::OldYaml => "Previous YAML",
            ExportFile::NewYaml => "This rollout's YAML",
        }
    }

    /// The saved file's name for a rollout.
    pub fn file_name(self, rollout_id: &str) -> String {
        let (what, ext) = match self {
            ExportFile::EventsCsv => ("events", "csv"),
            ExportFile::EventsJson => ("events", "json"),
            ExportFile::ResourcesCsv => ("resources", "csv"),
            ExportFile::ResourcesJson => ("resources", "json"),
            ExportFile::Diff => ("spotdeployment", "diff"),
            ExportFile::OldYaml => ("spotdeployment-old", "yaml"),
            ExportFile::NewYaml => ("spotdeployment-new", "yaml"),
        };
        file_name(rollout_id, what, ext)
    }

    pub fn mime(self) -> &'static str {
        match self {
            ExportFile::EventsCsv | ExportFile::ResourcesCsv => CSV_MIME,
            ExportFile::EventsJson | ExportFile::ResourcesJson => JSON_MIME,
            ExportFile::Diff => DIFF_MIME,
            ExportFile::OldYaml | ExportFile::NewYaml => YAML_MIME,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rollout_api::{PodHealth, ReplicaSets};

    fn event(id: u64, message: &str) -> Event {
        Event {
            id,
            rollout_id: Some("r-1".into()),
            cluster_id: "prod".into(),
            namespace: "payments".into(),
            last_timestamp: chrono::Utc
                .with_ymd_and_hms(2026, 11, 22, 14, 3, 7)
                .unwrap(),
            kind: EventType::Warning,
            reason: "BackOff".into(),
            object: "Pod/web-1".into(),
            message: message.into(),
            actor: None,
            action_reason: None,
        }
    }

    #[test]
    fn plain_fields_are_not_quoted() {
        assert_eq!(csv_field("Pod/web-1"), "Pod/web-1");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("héllo wörld"), "héllo wörld");
    }

    #[test]
    fn commas_quotes_and_newlines_are_quoted() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("line1\nline2"), "\"line1\nline2\"");
        assert_eq!(csv_field("cr\r"), "\"cr\r\"");
    }

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        assert_eq!(
            csv_field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(csv_field("+1"), "'+1");
        assert_eq!(csv_field("-cmd|' /C calc'!A0"), "'-cmd|' /C calc'!A0");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("\t=1"), "'\t=1");
        assert_eq!(csv_field("a=b"), "a=b", "only a leading sign counts");
    }

    #[test]
    fn records_end_in_crlf_after_a_header_row() {
        let doc = csv(&["a", "b"], vec![vec!["1", "x,y"], vec!["2", ""]]);
        assert_eq!(doc, "a,b\r\n1,\"x,y\"\r\n2,\r\n");
    }

    #[test]
    fn events_csv_has_the_api_timestamp_and_escapes_messages() {
        let doc = events_csv(&[event(7, "Back-off restarting \"app\", exit 1\nsee logs")]);
        let mut lines = doc.split("\r\n");
        assert_eq!(
            lines.next(),
            Some("lastTimestamp,type,reason,object,message,id,actor,actionReason")
        );
        assert_eq!(
            lines.next(),
            Some("2026-11-22T14:03:07Z,Warning,BackOff,Pod/web-1,\"Back-off restarting \"\"app\"\", exit 1\nsee logs\",7,,")
        );
        assert!(doc.ends_with("\r\n"));
    }

    #[test]
    fn events_json_round_trips_to_the_same_events() {
        let events = vec![event(1, "a"), event(2, "b")];
        let back: Vec<Event> = serde_json::from_str(&events_json(&events)).unwrap();
        assert_eq!(back, events);
        assert!(events_json(&events).contains("\"lastTimestamp\": \"2026-11-22T14:03:07Z\""));
    }

    #[test]
    fn resources_csv_has_one_row_per_pod() {
        let pod = Pod {
            name: "web-abc".into(),
            replica_set: "web-5f7c9".into(),
            version: PodVersion::Latest,
            status: "CrashLoopBackOff".into(),
            health: PodHealth::Failing,
            containers_readiness: "0/1".into(),
            ready: false,
            restarts: 4,
            node: "ip-10-0-1-5".into(),
            created_at: chrono::Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        };
        let res = Resources {
            pods: vec![pod],
            replica_sets: ReplicaSets {
                stable: None,
                latest: None,
            },
            services: vec![],
        };
        assert_eq!(
            resources_csv(&res),
            "name,version,replicaSet,phase,readyContainers,ready,restarts,node,createdAt\r\n\
             web-abc,canary,web-5f7c9,CrashLoopBackOff,0/1,false,4,ip-10-0-1-5,2026-01-02T03:04:05Z\r\n"
        );
        let back: Resources = serde_json::from_str(&resources_json(&res)).unwrap();
        assert_eq!(back, res);
    }

    #[test]
    fn file_names_say_what_they_are() {
        assert_eq!(file_name("r-42", "events", "csv"), "r-42-events.csv");
        assert_eq!(
            file_name("a/b c", "spotdeployment", "diff"),
            "a-b-c-spotdeployment.diff"
        );
    }

    #[test]
    fn labels_mention_the_filter() {
        assert_eq!(export_label(340, 340, false), "Export");
        assert_eq!(export_label(12, 340, true), "Export (filtered: 12 of 340)");
        assert_eq!(count_noun(1, "event", "events"), "1 event");
        assert_eq!(count_noun(123, "event", "events"), "123 events");
    }

    #[test]
    fn every_export_file_has_its_own_name_and_a_fitting_type() {
        let all = [
            ExportFile::EventsCsv,
            ExportFile::EventsJson,
            ExportFile::ResourcesCsv,
            ExportFile::ResourcesJson,
            ExportFile::Diff,
            ExportFile::OldYaml,
            ExportFile::NewYaml,
        ];
        let names: std::collections::HashSet<_> =
            all.iter().map(|f| f.file_name("rol-1")).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(ExportFile::EventsCsv.file_name("rol-1"), "rol-1-events.csv");
        assert_eq!(ExportFile::Diff.file_name("a/b"), "a-b-spotdeployment.diff");
        assert_eq!(ExportFile::OldYaml.mime(), YAML_MIME);
        assert_eq!(ExportFile::ResourcesJson.mime(), JSON_MIME);
    }
}
