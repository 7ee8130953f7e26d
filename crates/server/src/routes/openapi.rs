//! `GET /openapi.json`: OpenAPI 3.1 of the whole API, written by hand next to the routes.

use axum::Json;
use serde_json::{json, Map, Value};

fn r(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn s(t: &str) -> Value {
    json!({ "type": t })
}

fn time() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn opt(v: Value) -> Value {
    json!({ "oneOf": [v, { "type": "null" }] })
}

fn arr(v: Value) -> Value {
    json!({ "type": "array", "items": v })
}

fn enm(values: &[&str]) -> Value {
    json!({ "type": "string", "enum": values })
}

/// An object schema; every property listed is required (optional ones are `opt(...)`).
fn obj(props: &[(&str, Value)]) -> Value {
    let mut p = Map::new();
    for (k, v) in props {
        p.insert((*k).to_string(), v.clone());
    }
    let required: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
    json!({ "type": "object", "properties": p, "required": required })
}

/// An object that refuses properties it does not list (the server's `deny_unknown_fields`).
fn strict(mut object: Value) -> Value {
    object["additionalProperties"] = Value::Bool(false);
    object
}

/// One Server-Sent Event of `/stream`: its `data` is a StreamMessage in JSON.
fn sse_event() -> Value {
    json!({
        "type": "object",
        "properties": {
            "event": enm(&["rollout", "event", "cluster", "resync"]),
            "id": s("string"),
            "data": {
                "type": "string",
                "contentMediaType": "application/json",
                "contentSchema": r("StreamMessage")
            }
        },
        "required": ["event", "data"]
    })
}

/// An RFC 3339 time, or an empty value (no bound).
fn time_or_empty() -> Value {
    json!({ "anyOf": [time(), { "type": "string", "maxLength": 0 }] })
}

/// Adds a property that may be absent (not in `required`).
fn with_optional(mut object: Value, name: &str, schema: Value) -> Value {
    if let Some(props) = object.get_mut("properties").and_then(Value::as_object_mut) {
        props.insert(name.to_string(), schema);
    }
    object
}

fn schemas() -> Value {
    let rollout_status = enm(&[
        "pending",
        "inProgress",
        "paused",
        "manualPausing",
        "manualPaused",
        "verifying",
        "backgroundVerifying",
        "failurePolicyPausing",
        "failurePolicyPaused",
        "aborting",
        "aborted",
        "finished",
        "failed",
        "canceled",
        "invalidSpec",
        "rolloutInterrupted",
        "deallocating",
    ]);
    let pod = obj(&[
        ("name", s("string")),
        ("replicaSet", s("string")),
        ("version", r("PodVersion")),
        ("status", s("string")),
        (
            "health",
            enm(&["ready", "starting", "failing", "terminating"]),
        ),
        ("containersReadiness", s("string")),
        ("ready", s("boolean")),
        ("restarts", s("integer")),
        ("node", s("string")),
        ("createdAt", time()),
    ]);
    let verification = obj(&[
        ("templateName", s("string")),
        ("metricName", s("string")),
        ("query", s("string")),
        (
            "conditions",
            obj(&[("success", opt(s("string"))), ("failure", opt(s("string")))]),
        ),
        ("provider", s("string")),
        ("step", s("string")),
        (
            "status",
            enm(&[
                "pending",
                "running",
                "inProgress",
                "successful",
                "failed",
                "error",
            ]),
        ),
        ("intervalSeconds", s("integer")),
        ("count", s("integer")),
        ("failureLimit", s("integer")),
        (
            "dataPoints",
            arr(obj(&[
                ("timestamp", time()),
                ("value", opt(s("number"))),
                (
                    "status",
                    enm(&["successful", "failed", "inconclusive", "error"]),
                ),
                ("message", opt(s("string"))),
            ])),
        ),
    ]);
    let phase = obj(&[
        ("index", s("integer")),
        ("name", s("string")),
        (
            "status",
            enm(&[
                "pending",
                "inProgress",
                "verifying",
                "paused",
                "promoting",
                "promoted",
                "fullPromoted",
                "finished",
                "aborting",
                "aborted",
                "canceled",
                "dropped",
            ]),
        ),
        ("trafficPercentage", s("integer")),
        ("startTime", opt(time())),
        ("pausedAt", opt(time())),
        ("pauseUntil", opt(time())),
        ("verifiedAt", opt(time())),
        ("endTime", opt(time())),
        ("pause", opt(obj(&[("durationSeconds", opt(s("integer")))]))),
        ("verifications", arr(r("Verification"))),
        ("failure", opt(s("string"))),
    ]);
    let replica_counts = obj(&[
        ("desired", s("integer")),
        ("ready", s("integer")),
        ("inProgress", s("integer")),
        ("failed", s("integer")),
    ]);
    let version_status = obj(&[
        ("version", s("string")),
        ("revision", s("integer")),
        ("k8sService", opt(s("string"))),
        ("trafficPercentage", s("integer")),
        ("replicas", replica_counts.clone()),
        ("pods", arr(r("Pod"))),
    ]);
    let conditions = obj(&[
        (
            "paused",
            opt(obj(&[
                (
                    "kind",
                    enm(&["window", "indefinite", "manual", "failurePolicy"]),
                ),
                ("pausedAt", time()),
                ("until", opt(time())),
                ("phase", s("string")),
            ])),
        ),
        ("degraded", opt(s("string"))),
        ("invalidSpec", opt(s("string"))),
        (
            "heartbeatLost",
            opt(with_optional(
                obj(&[
                    ("lastHeartbeatTime", opt(time())),
                    ("duringRollout", s("boolean")),
                ]),
                // A live cluster: what is lost; the server is reconnecting.
                "reconnecting",
                opt(s("string")),
            )),
        ),
        (
            "verificationDataMissing",
            opt(obj(&[
                ("metricName", s("string")),
                ("provider", s("string")),
                ("message", s("string")),
            ])),
        ),
        ("pendingReason", opt(s("string"))),
    ]);
    let failure_reason = obj(&[
        (
            "type",
            enm(&[
                "phaseVerification",
                "backgroundVerification",
                "kubernetes",
                "manualRollback",
                "controllerError",
            ]),
        ),
        ("message", s("string")),
    ]);
    let spot_ref = obj(&[
        ("name", s("string")),
        ("isLiveApplied", s("boolean")),
        ("revision", s("integer")),
    ]);
    let common = |extra: Vec<(&'static str, Value)>| {
        let mut props = vec![
            ("id", s("string")),
            ("status", r("RolloutStatus")),
            ("strategyType", enm(&["canary", "rolling", "blueGreen"])),
            ("strategyName", s("string")),
            ("rolloutSpec", s("string")),
            ("spotDeployment", r("SpotDeploymentRef")),
            ("clusterId", s("string")),
            ("namespace", s("string")),
            ("cloudProvider", s("string")),
            ("startTime", time()),
            ("endTime", opt(time())),
            ("failureReason", opt(r("FailureReason"))),
        ];
        props.extend(extra);
        obj(&props)
    };
    let summary = common(vec![("image", s("string"))]);
    let kubernetes = obj(&[
        ("kind", s("string")),
        ("name", s("string")),
        ("namespace", s("string")),
        ("phase", s("string")),
        ("message", opt(s("string"))),
        ("strategy", s("string")),
        (
            "step",
            opt(obj(&[("index", s("integer")), ("count", s("integer"))])),
        ),
        ("setWeight", opt(s("integer"))),
        ("actualWeight", opt(s("integer"))),
        (
            "images",
            arr(obj(&[("image", s("string")), ("roles", arr(s("string")))])),
        ),
        (
            "replicas",
            obj(&[
                ("desired", s("integer")),
                ("current", s("integer")),
                ("updated", s("integer")),
                ("ready", s("integer")),
                ("available", s("integer")),
            ]),
        ),
    ]);
    let detail = common(vec![
        ("originalRolloutId", opt(s("string"))),
        ("newRolloutId", opt(s("string"))),
        ("failurePolicy", s("string")),
        ("hasBackgroundVerification", s("boolean")),
        ("stableVersionStatus", opt(r("VersionStatus"))),
        ("newVersionStatus", r("VersionStatus")),
        ("phases", arr(r("Phase"))),
        ("backgroundVerifications", arr(r("Verification"))),
        ("conditions", r("RolloutConditions")),
        (
            "actions",
            arr(obj(&[
                ("action", r("ActionKind")),
                ("enabled", s("boolean")),
                ("reason", opt(s("string"))),
            ])),
        ),
        ("activity", arr(r("ActionRecord"))),
    ]);
    let list_summary = obj(&[
        ("total", s("integer")),
        ("successful", s("integer")),
        ("successRate", s("number")),
        ("medianDurationSeconds", opt(s("integer"))),
        ("meanDurationSeconds", opt(s("integer"))),
        ("attentionNeeded", s("integer")),
        ("incidentsPrevented", s("integer")),
    ]);
    let event = obj(&[
        ("id", s("integer")),
        ("rolloutId", opt(s("string"))),
        ("clusterId", s("string")),
        ("namespace", s("string")),
        ("lastTimestamp", time()),
        ("type", enm(&["Normal", "Warning"])),
        ("reason", s("string")),
        ("object", s("string")),
        ("message", s("string")),
    ]);
    // The event of a user's action says who acted and why.
    let event = with_optional(
        with_optional(event, "actor", s("string")),
        "actionReason",
        s("string"),
    );
    let replica_set = obj(&[
        ("name", s("string")),
        ("version", r("PodVersion")),
        ("revision", s("integer")),
        ("image", s("string")),
        ("desired", s("integer")),
        ("ready", s("integer")),
    ]);
    let named_yaml = obj(&[("name", s("string")), ("yaml", s("string"))]);
    let cluster = obj(&[
        ("id", s("string")),
        ("name", s("string")),
        ("cloudProvider", s("string")),
        ("lastHeartbeatTime", opt(time())),
        ("heartbeatStale", s("boolean")),
        (
            "operator",
            obj(&[
                ("running", s("boolean")),
                ("version", s("string")),
                ("heartbeatIntervalSeconds", s("integer")),
            ]),
        ),
    ]);
    let workload = obj(&[
        ("clusterId", s("string")),
        ("namespace", s("string")),
        ("name", s("string")),
        ("kind", s("string")),
        ("container", s("string")),
        ("replicas", replica_counts),
        ("desiredRevision", s("integer")),
        ("liveRevision", s("integer")),
        ("degraded", s("boolean")),
        (
            "revisions",
            arr(obj(&[
                ("revision", s("integer")),
                ("image", s("string")),
                ("appliedAt", time()),
                ("rolloutId", opt(s("string"))),
                ("status", opt(r("RolloutStatus"))),
                ("labels", arr(enm(&["desired", "live", "degraded"]))),
            ])),
        ),
    ]);
    let mut error = obj(&[("message", s("string"))]);
    error["properties"]["document"] =
        json!({"type": "integer", "description": "1-based YAML document (apply errors)"});
    error["properties"]["line"] =
        json!({"type": "integer", "description": "1-based line (apply errors)"});
    error["properties"]["column"] =
        json!({"type": "integer", "description": "1-based column (apply errors)"});
    let stream_message = json!({
        "description": "One SSE message: `event:` is `kind`, `id:` a rising sequence number.",
        "oneOf": [
            obj(&[("kind", enm(&["rollout"])), ("rollout", r("RolloutSummary"))]),
            obj(&[("kind", enm(&["event"])), ("event", r("Event"))]),
            obj(&[("kind", enm(&["cluster"])), ("cluster", r("Cluster"))]),
            obj(&[("kind", enm(&["workload"])), ("workload", r("Workload"))]),
            obj(&[("kind", enm(&["resync"]))]),
        ]
    });
    json!({
        "RolloutStatus": rollout_status,
        "ActionKind": enm(&["promote", "promoteFull", "pause", "resume", "rollback", "retry"]),
        "PodVersion": enm(&["stable", "latest"]),
        "FailureReason": failure_reason,
        "SpotDeploymentRef": spot_ref,
        "RolloutSummary": summary,
        "RolloutList": obj(&[
            ("items", arr(r("RolloutSummary"))),
            ("summary", list_summary),
            ("total", s("integer")),
            ("nextCursor", opt(s("string"))),
        ]),
        "Pod": pod,
        "VersionStatus": version_status,
        "Verification": verification,
        "Phase": phase,
        "RolloutConditions": conditions,
        // Older actions removed by retention (absent when none were).
        "RolloutDetail": with_optional(
            with_optional(detail, "kubernetes", r("KubernetesInfo")),
            "activityPruned",
            json!({"type": "integer", "minimum": 1}),
        ),
        "KubernetesInfo": kubernetes,
        "Event": event,
        "EventPage": obj(&[
            ("events", arr(r("Event"))),
            ("nextCursor", opt(s("string"))),
            ("total", json!({"type": "integer", "minimum": 0})),
            ("pruned", json!({"type": "integer", "minimum": 0})),
            ("retentionLimit", json!({"type": "integer", "minimum": 1})),
        ]),
        "Resources": obj(&[
            ("pods", arr(r("Pod"))),
            ("replicaSets", obj(&[("stable", opt(replica_set.clone())), ("latest", opt(replica_set))])),
            ("services", arr(obj(&[
                ("name", s("string")),
                ("namespace", s("string")),
                ("role", opt(s("string"))),
                ("selector", arr(json!({"type": "array", "prefixItems": [s("string"), s("string")]}))),
                ("ports", arr(s("integer"))),
                ("weight", s("integer")),
            ]))),
        ]),
        "Definition": obj(&[
            ("strategy", s("string")),
            ("rolloutSpec", s("string")),
            ("phaseVerifications", arr(named_yaml.clone())),
            ("backgroundVerifications", arr(named_yaml)),
        ]),
        "Manifests": obj(&[
            ("oldVersion", opt(s("integer"))),
            ("newVersion", s("integer")),
            ("oldManifest", s("string")),
            ("newManifest", s("string")),
        ]),
        "ActionRequest": {
            "type": "object",
            "description": "Who acts is the authenticated principal (`anonymous` without a token), never the body.",
            "properties": {
                "action": r("ActionKind"),
                "reason": opt(json!({
                    "type": "string",
                    "maxLength": 500,
                    "description": "Why (trimmed; empty is none). Required when Health.requireReason is true."
                }))
            },
            "required": ["action"]
        },
        "ActionRecord": obj(&[
            ("rolloutId", s("string")),
            ("action", r("ActionKind")),
            ("actor", s("string")),
            ("at", time()),
            ("reason", opt(s("string"))),
        ]),
        "Workload": workload,
        "Cluster": cluster,
        "ApplyResponse": obj(&[
            ("applied", arr(obj(&[
                ("kind", s("string")),
                ("name", s("string")),
                ("namespace", opt(s("string"))),
                ("outcome", enm(&["created", "configured", "unchanged"])),
            ]))),
            ("rolloutsStarted", arr(s("string"))),
            ("rolloutsCanceled", arr(s("string"))),
            ("rolloutsResumed", arr(s("string"))),
            ("messages", arr(s("string"))),
        ]),
        "AppliedEntity": obj(&[
            ("kind", s("string")),
            ("name", s("string")),
            ("namespace", opt(s("string"))),
            ("outcome", enm(&["created", "configured", "unchanged"])),
        ]),
        "AuditEntry": obj(&[
            ("id", s("string")),
            ("at", time()),
            ("actor", s("string")),
            ("action", enm(&["promote", "promoteFull", "pause", "resume", "rollback", "retry", "apply"])),
            ("rolloutId", opt(s("string"))),
            ("reason", opt(s("string"))),
            ("summary", s("string")),
            ("applied", arr(r("AppliedEntity"))),
            ("rolloutsStarted", arr(s("string"))),
        ]),
        "AuditPage": obj(&[
            ("entries", arr(r("AuditEntry"))),
            ("nextCursor", opt(s("string"))),
        ]),
        "PlannedDocument": obj(&[
            ("index", s("integer")),
            ("kind", s("string")),
            ("name", s("string")),
            ("namespace", opt(s("string"))),
            ("outcome", enm(&["created", "configured", "unchanged", "invalid"])),
            ("line", opt(s("integer"))),
            ("column", opt(s("integer"))),
            ("message", opt(s("string"))),
            ("before", opt(s("string"))),
            ("after", opt(s("string"))),
        ]),
        "ApplyPlan": obj(&[
            ("documents", arr(r("PlannedDocument"))),
            ("rolloutsStarted", arr(s("string"))),
            ("rolloutsCanceled", arr(s("string"))),
            ("rolloutsResumed", arr(s("string"))),
            ("messages", arr(s("string"))),
        ]),
        "ErrorBody": error,
        "Health": with_optional(with_optional(with_optional(obj(&[
            ("status", s("string")),
            ("version", s("string")),
            ("readOnly", s("boolean")),
            ("authRequired", s("boolean")),
            ("manualClock", s("boolean")),
            ("requireReason", s("boolean")),
            ("now", time()),
            ("speed", s("number")),
            ("rollouts", s("integer")),
            ("clusters", s("integer")),
        ]),
            "snapshot",
            obj(&[
                ("takenAt", time()),
                ("objects", s("integer")),
                (
                    "skipped",
                    arr(obj(&[("kind", s("string")), ("count", s("integer"))])),
                ),
            ]),
        ),
        "tick",
        with_optional(
            with_optional(
                with_optional(
                    obj(&[("lastTick", time()), ("errors", s("integer"))]),
                    "lastError",
                    opt(s("string")),
                ),
                "lastErrorAt",
                opt(time()),
            ),
            // While the controller is stopped by an error outside any rollout.
            "controllerError",
            obj(&[("message", s("string")), ("since", time())]),
        )),
        // Live clusters (`serve --kubeconfig`): each connection.
        "live",
        arr(obj(&[
            ("id", s("string")),
            ("context", s("string")),
            ("state", enm(&["connecting", "connected", "reconnecting"])),
            ("since", time()),
            ("lastContact", opt(time())),
            ("problem", opt(s("string"))),
            ("failures", s("integer")),
            ("forbidden", arr(s("string"))),
            (
                "controller",
                enm(&["available", "unavailable", "missing", "forbidden", "unknown"]),
            ),
            ("controllerVersion", opt(s("string"))),
        ]))),
        "StreamMessage": stream_message,
    })
}

fn ok(schema: Value, description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn err(description: &str) -> Value {
    ok(r("ErrorBody"), description)
}

fn path_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": s("string"), "description": description })
}

fn query_param(name: &str, schema: Value, description: &str) -> Value {
    json!({ "name": name, "in": "query", "required": false, "schema": schema, "description": description })
}

/// `GET …/events`: one page of an owner's events (a rollout's, or a cluster's of no rollout).
fn events_get(summary: &str, description: &str, owner: Value, missing: &str) -> Value {
    json!({ "get": {
        "summary": summary,
        "description": description,
        "parameters": [
            owner,
            query_param("limit", json!({"type": "integer", "minimum": 1, "maximum": 1000, "default": 200}), "Page size"),
            query_param("cursor", json!({"type": "string", "pattern": "^([0-9]{1,11}-[0-9]{1,9}-[0-9]{1,15})?$"}), "`nextCursor` of the previous page")
        ],
        "responses": {
            "200": ok(r("EventPage"), "OK"),
            "400": err("A malformed limit or cursor"),
            "404": err(missing)
        }
    } })
}

/// The errors every mutation may answer.
fn mutation_errors(mut responses: Value) -> Value {
    responses["401"] = err(
        "A token is configured and the request has no or a wrong `Authorization: Bearer` token",
    );
    responses["403"] =
        err("The server is read-only, or a browser request came from another origin");
    responses["413"] = err("The body is larger than 2 MiB");
    responses["415"] = err("Wrong Content-Type");
    responses
}

pub fn document() -> Value {
    let id = path_param("id", "Rollout id (`rol-…`)");
    let rollout_get = |summary: &str, schema: Value| {
        json!({
            "get": {
                "summary": summary,
                "parameters": [id.clone()],
                "responses": { "200": ok(schema, "OK"), "404": err("No such rollout") }
            }
        })
    };
    let json_body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Rollout Console API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Canary rollouts with Ocean CD semantics over a simulated cluster. \
                Timestamps are RFC 3339 UTC; errors are JSON `{message}`. With a token, requests \
                need `Authorization: Bearer <token>` or the session cookie (reads too unless \
                --public-reads); a Host the server does not answer to gets 421."
        },
        "servers": [{ "url": "/api/v1" }],
        // A token only when the server has one: the bearer header or the session cookie.
        "security": [{ "bearer": [] }, {}],
        "components": {
            "schemas": schemas(),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        },
        "paths": {
            "/health": { "get": { "summary": "Server health and settings", "security": [], "responses": { "200": ok(r("Health"), "OK") } } },
            "/rollouts": { "get": {
                "summary": "Rollouts, newest first, with a summary over every match",
                "parameters": [
                    query_param("from", time_or_empty(), "Start time from (default: 7 days ago)"),
                    query_param("to", time_or_empty(), "Start time up to (empty: no bound)"),
                    query_param("clusterId", s("string"), "Cluster id (comma-separated for several)"),
                    query_param("namespace", s("string"), "Namespace (comma-separated for several)"),
                    query_param("spotDeployment", s("string"), "SpotDeployment name (comma-separated for several)"),
                    query_param("status", enm(&["inProgress", "paused", "rolledBack", "successful", "canceled", "invalidSpec", "failed"]), "Status group (comma-separated for several)"),
                    query_param("q", s("string"), "Words to find in name, id, image, namespace, cluster, strategy or RolloutSpec"),
                    query_param("limit", json!({"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}), "Page size"),
                    query_param("cursor", json!({"type": "string", "pattern": "^([0-9]{1,13}-[0-9]{1,9})?$"}), "`nextCursor` of the previous page")
                ],
                "responses": { "200": ok(r("RolloutList"), "OK"), "400": err("A malformed filter") }
            } },
            "/rollouts/{id}": rollout_get("One rollout", r("RolloutDetail")),
            "/rollouts/{id}/events": events_get(
                "A page of a rollout's Kubernetes events, newest first",
                "`total` counts every page; `pruned` the older events retention removed \
                    (`serve --max-events-per-rollout`, `retentionLimit`), which no page holds.",
                id.clone(),
                "No such rollout"
            ),
            "/rollouts/{id}/resources": rollout_get("Pods, ReplicaSets and Services of a rollout", r("Resources")),
            "/rollouts/{id}/definition": rollout_get("Strategy, RolloutSpec and verification templates as YAML", r("Definition")),
            "/rollouts/{id}/manifests": rollout_get("Old and new SpotDeployment manifests (the CRD diff)", r("Manifests")),
            "/rollouts/{id}/actions": { "post": {
                "summary": "Promote, promote fully, pause, resume, roll back or retry a rollout",
                "security": [{ "bearer": [] }, {}],
                "parameters": [id.clone()],
                "requestBody": json_body(r("ActionRequest")),
                "responses": mutation_errors(json!({
                    "200": ok(r("RolloutDetail"), "The rollout after the action"),
                    "400": err("Malformed body or unknown action"),
                    "404": err("No such rollout"),
                    "409": err("The rollout's state does not allow the action"),
                    "422": err("The reason is longer than 500 characters, or missing on a server that requires one")
                }))
            } },
            "/workloads": { "get": { "summary": "Every SpotDeployment with its revisions", "responses": { "200": ok(arr(r("Workload")), "OK") } } },
            "/workloads/{clusterId}/{namespace}/{name}": { "get": {
                "summary": "One SpotDeployment with its revisions",
                "parameters": [path_param("clusterId", "Cluster id"), path_param("namespace", "Namespace"), path_param("name", "SpotDeployment name")],
                "responses": { "200": ok(r("Workload"), "OK"), "404": err("No such workload") }
            } },
            "/workloads/{clusterId}/{namespace}/{name}/manifest": { "get": {
                "summary": "The desired revision's SpotDeployment manifest, as applied (what set-image edits)",
                "parameters": [path_param("clusterId", "Cluster id"), path_param("namespace", "Namespace"), path_param("name", "SpotDeployment name")],
                "responses": {
                    "200": ok(obj(&[("revision", s("integer")), ("yaml", s("string"))]), "OK"),
                    "404": err("No such workload")
                }
            } },
            "/clusters": { "get": { "summary": "Clusters with heartbeat and operator", "responses": { "200": ok(arr(r("Cluster")), "OK") } } },
            "/clusters/{id}/events": events_get(
                "A page of a cluster's Kubernetes events that belong to no rollout, newest first",
                "Events of workloads with no rollout yet (a first revision going live). Bounded like a \
                    rollout's: `pruned` counts the older ones retention removed (`serve \
                    --max-events-per-rollout` applies to each cluster's, `retentionLimit`). Empty for \
                    a live cluster, whose events all belong to a rollout.",
                path_param("id", "Cluster id"),
                "No such cluster"
            ),
            "/clusters/{id}/operator": { "post": {
                "summary": "Stop or start a cluster's operator (simulation)",
                "security": [{ "bearer": [] }, {}],
                "parameters": [path_param("id", "Cluster id")],
                "requestBody": json_body(strict(obj(&[("running", s("boolean"))]))),
                "responses": mutation_errors(json!({
                    "200": ok(r("Cluster"), "The cluster after the change"),
                    "400": err("Malformed body"),
                    "404": err("No such cluster")
                }))
            } },
            "/apply": { "post": {
                "summary": "Apply a multi-document YAML stream (kubectl apply -f), or plan it (dryRun)",
                "description": "Recorded in the audit log with who applied and what it created or configured. \
                    With `dryRun=true` nothing changes (no store write, event, stream message or audit entry): \
                    the answer is an ApplyPlan listing every invalid document with its line (200), and a \
                    read-only server answers it too. A server showing Kubernetes objects checks the documents only.",
                "security": [{ "bearer": [] }, {}],
                "parameters": [
                    query_param("dryRun", enm(&["true", "false"]), "Plan only: answer an ApplyPlan and change nothing")
                ],
                "requestBody": { "required": true, "content": {
                    "application/yaml": { "schema": s("string") }
                } },
                "responses": mutation_errors(json!({
                    "200": {
                        "description": "What was applied and which rollouts started, were canceled or resumed; with dryRun, the plan",
                        "content": { "application/json": { "schema": { "oneOf": [r("ApplyResponse"), r("ApplyPlan")] } } }
                    },
                    "400": err("The body is not UTF-8, or a malformed dryRun"),
                    "409": err("This server does not apply documents (a snapshot or live clusters)"),
                    "422": err("A document is invalid: `document`, `line` and `column` say where (with dryRun: the stream is empty or holds too many documents)")
                }))
            } },
            "/audit": { "get": {
                "summary": "Who did what and why: every action on a rollout and every apply, newest first",
                "description": "Kept as long as the actions and applies themselves (the store's retention bounds them). \
                    A snapshot has none; live clusters list the actions taken through this server.",
                "parameters": [
                    query_param("from", time_or_empty(), "At or after (empty: no bound)"),
                    query_param("to", time_or_empty(), "At or before (empty: no bound)"),
                    query_param("actor", s("string"), "Who acted, ignoring case (comma-separated for several)"),
                    query_param("action", enm(&["promote", "promoteFull", "pause", "resume", "rollback", "retry", "apply"]), "What was done (comma-separated for several)"),
                    query_param("rolloutId", s("string"), "Actions on this rollout (comma-separated for several)"),
                    query_param("limit", json!({"type": "integer", "minimum": 1, "maximum": 10000, "default": 100}), "Page size"),
                    query_param("cursor", json!({"type": "string", "pattern": "^([0-9]{1,13}-[0-9]{1,9})?$"}), "`nextCursor` of the previous page"),
                    query_param("format", enm(&["json", "csv"]), "csv: the page as CSV (the next page's cursor in `X-Next-Cursor`)")
                ],
                "responses": {
                    "200": {
                        "description": "One page",
                        "content": {
                            "application/json": { "schema": r("AuditPage") },
                            "text/csv": { "schema": s("string") }
                        }
                    },
                    "400": err("A malformed filter")
                }
            } },
            "/stream": { "get": {
                "summary": "Live changes as Server-Sent Events",
                "description": "`event:` is the message kind (rollout, event, cluster, workload, resync), `id:` a rising \
                    sequence number, `data:` a StreamMessage. Reconnect with `Last-Event-ID` (or \
                    `?lastEventId=`) to get what was missed, or a `resync` when that is too old. \
                    Comments keep the connection alive.",
                "parameters": [
                    { "name": "Last-Event-ID", "in": "header", "required": false, "schema": s("string") },
                    query_param("lastEventId", s("string"), "Same as the header, for clients that cannot set it")
                ],
                "responses": { "200": {
                    "description": "An endless event stream",
                    "content": { "text/event-stream": { "schema": sse_event() } }
                } }
            } },
            "/session": { "post": {
                "summary": "Trade the token (bearer) for an HttpOnly, SameSite=Strict session cookie",
                "security": [{ "bearer": [] }, {}],
                "responses": {
                    "204": { "description": "The cookie is set (or the server has no token)" },
                    "401": err("No or a wrong `Authorization: Bearer` token"),
                    "403": err("A browser request from another origin")
                }
            } },
            "/openapi.json": { "get": { "summary": "This document", "security": [], "responses": { "200": { "description": "OpenAPI 3.1", "content": { "application/json": {} } } } } },
            "/sim/advance": { "post": {
                "summary": "Move the manual clock and run the engine (only with --manual-clock)",
                "security": [{ "bearer": [] }, {}],
                "requestBody": json_body(strict(obj(&[("seconds", json!({"type": "integer", "minimum": 0, "maximum": 2_592_000}))]))),
                "responses": mutation_errors(json!({
                    "200": ok(r("Health"), "Health at the new time"),
                    "400": err("Malformed body or too many seconds"),
                    "409": err("The server runs on the real clock")
                }))
            } }
        }
    })
}

pub async fn openapi() -> Json<Value> {
    Json(document())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_reference_resolves() {
        let doc = super::document();
        let text = doc.to_string();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for part in text.split("#/components/schemas/").skip(1) {
            let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
            assert!(schemas.contains_key(&name), "missing schema {name}");
        }
    }
}
