//! The flags each command takes, with kubectl's usage sentences (only those the console
//! implements).
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/<verb>/<verb>.go` (each command's `Flags()`), `pkg/cmd/util/helpers.go`
//! (`AddLabelSelectorFlagVar`, `AddContainerVarFlags`), cli-runtime `print_flags.go`.

use crate::kubectl::console::flags::{FlagKind as K, FlagSpec as F};

pub(super) const SELECTOR: F = F::new(
    "selector",
    Some('l'),
    K::Str,
    "",
    "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
);
pub(super) const ALL_NAMESPACES: F = F::new(
    "all-namespaces",
    Some('A'),
    K::Bool,
    "false",
    "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
);
pub(super) const FILENAME: F = F::new(
    "filename",
    Some('f'),
    K::List,
    "[]",
    "The files that contain the configurations to apply.",
);
pub(super) const CREATE_FILENAME: F = F::new(
    "filename",
    Some('f'),
    K::List,
    "[]",
    "Filename, directory, or URL to files to use to create the resource",
);

pub(super) const GET_FLAGS: &[F] = &[
    F::new(
        "output",
        Some('o'),
        K::Str,
        "",
        "Output format. One of: (json, yaml, name, wide).",
    ),
    SELECTOR,
    ALL_NAMESPACES,
    F::new(
        "show-labels",
        None,
        K::Bool,
        "false",
        "When printing, show all labels as the last column (default hide labels column)",
    ),
    F::new(
        "no-headers",
        None,
        K::Bool,
        "false",
        "When using the default or custom-column output format, don't print headers (default print headers).",
    ),
    F::new(
        "label-columns",
        Some('L'),
        K::List,
        "[]",
        "Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...",
    ),
    F::new(
        "show-kind",
        None,
        K::Bool,
        "false",
        "If present, list the resource type for the requested object(s).",
    ),
    F::new(
        "ignore-not-found",
        None,
        K::Bool,
        "false",
        "If set to true, suppresses NotFound error for specific objects that do not exist. Using this flag with commands that query for collections of resources has no effect when no resources are found.",
    ),
];

pub(super) const DESCRIBE_FLAGS: &[F] = &[
    SELECTOR,
    ALL_NAMESPACES,
    F::new(
        "show-events",
        None,
        K::Bool,
        "true",
        "If true, display events related to the described object. Defaults to true for a single object, false for multiple objects and prefix matching.",
    ),
];

pub(super) const SCALE_FLAGS: &[F] = &[
    F::new(
        "all",
        None,
        K::Bool,
        "false",
        "Select all resources in the namespace of the specified resource types",
    ),
    F::new(
        "current-replicas",
        None,
        K::Int,
        "-1",
        "Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.",
    ),
    F::new(
        "replicas",
        None,
        K::Int,
        "0",
        "The new desired number of replicas. Required.",
    ),
    SELECTOR,
];

pub(super) const DELETE_FLAGS: &[F] = &[
    F::new(
        "all",
        None,
        K::Bool,
        "false",
        "Delete all resources, in the namespace of the specified resource types.",
    ),
    F::new(
        "ignore-not-found",
        None,
        K::Bool,
        "false",
        "Treat \"resource not found\" as a successful delete. Defaults to \"true\" when --all is specified.",
    ),
    F::new(
        "output",
        Some('o'),
        K::Str,
        "",
        "Output mode. Use \"-o name\" for shorter output (resource/name).",
    ),
    SELECTOR,
];

pub(super) const LABEL_FLAGS: &[F] = &[
    F::new(
        "all",
        None,
        K::Bool,
        "false",
        "Select all resources, in the namespace of the specified resource types",
    ),
    F::new(
        "list",
        None,
        K::Bool,
        "false",
        "If true, display the labels for a given resource.",
    ),
    F::new(
        "overwrite",
        None,
        K::Bool,
        "false",
        "If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.",
    ),
    SELECTOR,
];

pub(super) const EXPOSE_FLAGS: &[F] = &[
    F::new(
        "cluster-ip",
        None,
        K::Str,
        "",
        "ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to 'None' to create a headless service.",
    ),
    F::new(
        "labels",
        Some('l'),
        K::Str,
        "",
        "Labels to apply to the service created by this call.",
    ),
    F::new(
        "name",
        None,
        K::Str,
        "",
        "The name for the newly created object.",
    ),
    F::new(
        "port",
        None,
        K::Str,
        "",
        "The port that the service should serve on. Copied from the resource being exposed, if unspecified",
    ),
    F::new(
        "protocol",
        None,
        K::Str,
        "",
        "The network protocol for the service to be created. Default is 'TCP'.",
    ),
    F::new(
        "selector",
        None,
        K::Str,
        "",
        "A label selector to use for this service. Only equality-based selector requirements are supported. If empty (the default) infer the selector from the resource being exposed.",
    ),
    F::new(
        "session-affinity",
        None,
        K::Str,
        "",
        "If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'",
    ),
    F::new(
        "target-port",
        None,
        K::Str,
        "",
        "Name or number for the port on the container that the service should direct traffic to. Optional.",
    ),
    F::new(
        "type",
        None,
        K::Str,
        "",
        "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.",
    ),
];

pub(super) const CREATE_DEPLOYMENT_FLAGS: &[F] = &[
    F::new(
        "image",
        None,
        K::List,
        "[]",
        "Image names to run. A deployment can have multiple images set for multi-container pod.",
    ),
    F::new(
        "port",
        None,
        K::Int,
        "-1",
        "The containerPort that this deployment exposes.",
    ),
    F::new(
        "replicas",
        Some('r'),
        K::Int,
        "1",
        "Number of replicas to create. Default is 1.",
    ),
];

pub(super) const TCP: F = F::new(
    "tcp",
    None,
    K::List,
    "[]",
    "Port pairs can be specified as '<port>:<targetPort>'.",
);
pub(super) const CLUSTERIP_FLAGS: &[F] = &[
    F::new(
        "clusterip",
        None,
        K::Str,
        "",
        "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
    ),
    TCP,
];
pub(super) const NODEPORT_FLAGS: &[F] = &[
    F::new(
        "node-port",
        None,
        K::Int,
        "0",
        "Port used to expose the service on each node in a cluster.",
    ),
    TCP,
];
pub(super) const PATCH_FLAGS: &[F] = &[
    F::new(
        "patch",
        Some('p'),
        K::Str,
        "",
        "The patch to be applied to the resource JSON file.",
    ),
    F::new(
        "type",
        None,
        K::Str,
        "strategic",
        "The type of patch being provided; one of [json merge strategic]",
    ),
];
pub(super) const EXEC_FLAGS: &[F] = &[
    F::new(
        "container",
        Some('c'),
        K::Str,
        "",
        "Container name. If omitted, use the kubectl.kubernetes.io/default-container annotation for selecting the container to be attached or the first container in the pod will be chosen",
    ),
    F::new(
        "quiet",
        Some('q'),
        K::Bool,
        "false",
        "Only print output from the remote session",
    ),
    F::new(
        "stdin",
        Some('i'),
        K::Bool,
        "false",
        "Pass stdin to the container",
    ),
    F::new("tty", Some('t'), K::Bool, "false", "Stdin is a TTY"),
];
