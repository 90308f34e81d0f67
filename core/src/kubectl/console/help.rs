//! The commands the console knows, and their `--help` in kubectl's layout: the long
//! description (first paragraph flush, later ones after one space, as kubectl's
//! markdown normaliser leaves them), `Examples:` indented by two, `Available
//! Commands:` for a parent, `Options:` (the flags the console takes, sorted), `Usage:`
//! and the closing hints.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/util/templates/templates.go` (`MainHelpTemplate`, `MainUsageTemplate`),
//! `templater.go` (`usageLine`, `cmdGroupsString`, `visibleFlags`), `normalizers.go`,
//! `markdown.go`; the texts from `pkg/cmd/<verb>/<verb>.go`.
//!
//! Simplification: `Options:` lists only the flags the console implements, the
//! examples only the forms it runs, and `get`'s usage line only its output formats.

use super::flags::{FlagKind as K, FlagSpec as F, options_text};
use super::{Ctx, Parsed, apply, create, describe, edit, exec, get};

/// A verb handler: the parsed flags and arguments in, `Err` with kubectl's error text.
pub(crate) type Run = fn(&mut Ctx, &Parsed) -> Result<(), String>;

/// One command (or parent of commands).
pub(crate) struct Cmd {
    /// The words after `kubectl`.
    pub(crate) words: &'static [&'static str],
    /// cobra's `Use` (without the parents).
    pub(crate) use_line: &'static str,
    /// `Short`.
    pub(crate) short: &'static str,
    /// `Long`'s paragraphs; empty means `Short` is shown.
    pub(crate) long: &'static [&'static str],
    /// Example lines (comments and commands), blank lines between examples.
    pub(crate) examples: &'static [&'static str],
    /// The flags.
    pub(crate) flags: &'static [F],
    /// The handler; `None` for a parent that only lists its subcommands.
    pub(crate) run: Option<Run>,
    /// Subcommands (`create`, `set`, `rollout`, `create service`).
    pub(crate) subs: &'static [&'static str],
    /// cobra's name padding for the parent's `Available Commands:` list.
    pub(crate) padding: usize,
    /// Other names of the last word (`create deploy`).
    pub(crate) aliases: &'static [&'static str],
}

impl Cmd {
    /// `kubectl create deployment`.
    pub(crate) fn path(&self) -> String {
        format!("kubectl {}", self.words.join(" "))
    }
}

const SELECTOR: F = F::new(
    "selector",
    Some('l'),
    K::Str,
    "",
    "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
);
const ALL_NAMESPACES: F = F::new(
    "all-namespaces",
    Some('A'),
    K::Bool,
    "false",
    "If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.",
);
const FILENAME: F = F::new(
    "filename",
    Some('f'),
    K::List,
    "[]",
    "The files that contain the configurations to apply.",
);
const CREATE_FILENAME: F = F::new(
    "filename",
    Some('f'),
    K::List,
    "[]",
    "Filename, directory, or URL to files to use to create the resource",
);

const GET_FLAGS: &[F] = &[
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

const DESCRIBE_FLAGS: &[F] = &[
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

const SCALE_FLAGS: &[F] = &[
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

const DELETE_FLAGS: &[F] = &[
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

const LABEL_FLAGS: &[F] = &[
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

const EXPOSE_FLAGS: &[F] = &[
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

const CREATE_DEPLOYMENT_FLAGS: &[F] = &[
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

const TCP: F = F::new(
    "tcp",
    None,
    K::List,
    "[]",
    "Port pairs can be specified as '<port>:<targetPort>'.",
);
const CLUSTERIP_FLAGS: &[F] = &[
    F::new(
        "clusterip",
        None,
        K::Str,
        "",
        "Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing).",
    ),
    TCP,
];
const NODEPORT_FLAGS: &[F] = &[
    F::new(
        "node-port",
        None,
        K::Int,
        "0",
        "Port used to expose the service on each node in a cluster.",
    ),
    TCP,
];
const PATCH_FLAGS: &[F] = &[
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
const EXEC_FLAGS: &[F] = &[
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

/// Every command, parents first.
pub(crate) const COMMANDS: &[Cmd] = &[
    Cmd {
        words: &["get"],
        use_line: "get [(-o|--output=)json|yaml|name|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
        short: "Display one or many resources",
        long: &[
            "Display one or many resources.",
            "Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.",
            "By specifying the output as 'template' and providing a Go template as the value of the --template flag, you can filter the attributes of the fetched resources.",
            "\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        ],
        examples: &[
            "# List all pods in ps output format",
            "kubectl get pods",
            "",
            "# List all pods in ps output format with more information (such as node name)",
            "kubectl get pods -o wide",
            "",
            "# List deployments in JSON output format, in the \"v1\" version of the \"apps\" API group",
            "kubectl get deployments.v1.apps -o json",
            "",
            "# List a single pod in JSON output format",
            "kubectl get -o json pod web-pod-13je7",
            "",
            "# List all replication controllers and services together in ps output format",
            "kubectl get rc,services",
            "",
            "# List one or more resources by their type and names",
            "kubectl get rc/web service/frontend pods/web-pod-13je7",
            "",
            "# List all deployments in namespace 'backend'",
            "kubectl get deployments.apps --namespace backend",
            "",
            "# List all pods existing in all namespaces",
            "kubectl get pods --all-namespaces",
        ],
        flags: GET_FLAGS,
        run: Some(get::run),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["describe"],
        use_line: "describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
        short: "Show details of a specific resource or group of resources",
        long: &[
            "Show details of a specific resource or group of resources.",
            "Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:\n\n        $ kubectl describe TYPE NAME_PREFIX\n        \n will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.",
            "\nUse \"kubectl api-resources\" for a complete list of supported resources.",
        ],
        examples: &[
            "# Describe a node",
            "kubectl describe nodes kubernetes-node-emt8.c.myproject.internal",
            "",
            "# Describe a pod",
            "kubectl describe pods/nginx",
            "",
            "# Describe all pods",
            "kubectl describe pods",
            "",
            "# Describe pods by label name=myLabel",
            "kubectl describe pods -l name=myLabel",
            "",
            "# Describe all pods managed by the 'frontend' replication controller",
            "# (rc-created pods get the name of the rc as a prefix in the pod name)",
            "kubectl describe pods frontend",
        ],
        flags: DESCRIBE_FLAGS,
        run: Some(describe::run),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["scale"],
        use_line: "scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME)",
        short: "Set a new size for a deployment, replica set, or replication controller",
        long: &[
            "Set a new size for a deployment, replica set, replication controller, or stateful set.",
            "Scale also allows users to specify one or more preconditions for the scale action.",
            "If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.",
        ],
        examples: &[
            "# If the deployment named mysql's current size is 2, scale mysql to 3",
            "kubectl scale --current-replicas=2 --replicas=3 deployment/mysql",
        ],
        flags: SCALE_FLAGS,
        run: Some(edit::scale),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["delete"],
        use_line: "delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)])",
        short: "Delete resources by file names, stdin, resources and names, or by resources and label selector",
        long: &[
            "Delete resources by file names, stdin, resources and names, or by resources and label selector.",
            "JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.",
            "Some resources, such as pods, support graceful deletion. These resources define a default period before they are forcibly terminated (the grace period) but you may override that value with the --grace-period flag, or pass --now to set a grace-period of 1. Because these resources often represent entities in the cluster, deletion may not be acknowledged immediately. If the node hosting a pod is down or cannot reach the API server, termination may take significantly longer than the grace period. To force delete a resource, you must specify the --force flag. Note: only a subset of resources support graceful deletion. In absence of the support, the --grace-period flag is ignored.",
            "IMPORTANT: Force deleting pods does not wait for confirmation that the pod's processes have been terminated, which can leave those processes running until the node detects the deletion and completes graceful deletion. If your processes use shared storage or talk to a remote API and depend on the name of the pod to identify themselves, force deleting those pods may result in multiple processes running on different machines using the same identification which may lead to data corruption or inconsistency. Only force delete pods when you are sure the pod is terminated, or if your application can tolerate multiple copies of the same pod running at once. Also, if you force delete pods, the scheduler may place new pods on those nodes before the node has released those resources and causing those pods to be evicted immediately.",
            "Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.",
            "After a CustomResourceDefinition is deleted, invalidation of discovery cache may take up to 6 hours. If you don't want to wait, you might want to run \"kubectl api-resources\" to refresh the discovery cache.",
        ],
        examples: &[
            "# Delete pods and services with same names \"baz\" and \"foo\"",
            "kubectl delete pod,service baz foo",
            "",
            "# Delete pods and services with label name=myLabel",
            "kubectl delete pods,services -l name=myLabel",
            "",
            "# Delete all pods",
            "kubectl delete pods --all",
        ],
        flags: DELETE_FLAGS,
        run: Some(edit::delete),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["label"],
        use_line: "label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version]",
        short: "Update the labels on a resource",
        long: &[
            "Update the labels on a resource.",
            "\n  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.\n  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.",
        ],
        examples: &[
            "# Update pod 'foo' with the label 'unhealthy' and the value 'true'",
            "kubectl label pods foo unhealthy=true",
            "",
            "# Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value",
            "kubectl label --overwrite pods foo status=unhealthy",
            "",
            "# Update all pods in the namespace",
            "kubectl label pods --all status=unhealthy",
            "",
            "# Update pod 'foo' by removing a label named 'bar' if it exists",
            "# Does not require the --overwrite flag",
            "kubectl label pods foo bar-",
        ],
        flags: LABEL_FLAGS,
        run: Some(edit::label),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["expose"],
        use_line: "expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type]",
        short: "Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
        long: &[
            "Expose a resource as a new Kubernetes service.",
            "Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the resource it exposes.",
            "Possible resources include (case insensitive):",
            "pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)",
        ],
        examples: &[
            "# Create a service for a pod valid-pod, which serves on port 444 with the name \"frontend\"",
            "kubectl expose pod valid-pod --port=444 --name=frontend",
            "",
            "# Create a second service based on the above service, exposing the container port 8443 as port 443 with the name \"nginx-https\"",
            "kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https",
            "",
            "# Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000",
            "kubectl expose deployment nginx --port=80 --target-port=8000",
        ],
        flags: EXPOSE_FLAGS,
        run: Some(create::expose),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["create"],
        use_line: "create -f FILENAME",
        short: "Create a resource from a file or from stdin",
        long: &[
            "Create a resource from a file or from stdin.",
            "JSON and YAML formats are accepted.",
        ],
        examples: &[
            "# Create a pod based on the JSON passed into stdin",
            "cat pod.json | kubectl create -f -",
        ],
        flags: &[CREATE_FILENAME],
        run: Some(apply::create),
        subs: &["deployment", "service"],
        padding: 19,
        aliases: &[],
    },
    Cmd {
        words: &["create", "deployment"],
        use_line: "deployment NAME --image=image -- [COMMAND] [args...]",
        short: "Create a deployment with the specified name",
        long: &["Create a deployment with the specified name."],
        examples: &[
            "# Create a deployment named my-dep that runs the busybox image",
            "kubectl create deployment my-dep --image=busybox",
            "",
            "# Create a deployment named my-dep that runs the nginx image with 3 replicas",
            "kubectl create deployment my-dep --image=nginx --replicas=3",
            "",
            "# Create a deployment named my-dep that runs the busybox image and expose port 5701",
            "kubectl create deployment my-dep --image=busybox --port=5701",
            "",
            "# Create a deployment named my-dep that runs multiple containers",
            "kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx",
        ],
        flags: CREATE_DEPLOYMENT_FLAGS,
        run: Some(create::deployment),
        subs: &[],
        padding: 0,
        aliases: &["deploy"],
    },
    Cmd {
        words: &["create", "service"],
        use_line: "service [flags]",
        short: "Create a service using a specified subcommand",
        long: &["Create a service using a specified subcommand."],
        examples: &[],
        flags: &[],
        run: None,
        subs: &["clusterip", "loadbalancer", "nodeport"],
        padding: 12,
        aliases: &["svc"],
    },
    Cmd {
        words: &["create", "service", "clusterip"],
        use_line: "clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none]",
        short: "Create a ClusterIP service",
        long: &["Create a ClusterIP service with the specified name."],
        examples: &[
            "# Create a new ClusterIP service named my-cs",
            "kubectl create service clusterip my-cs --tcp=5678:8080",
            "",
            "# Create a new ClusterIP service named my-cs (in headless mode)",
            "kubectl create service clusterip my-cs --clusterip=\"None\"",
        ],
        flags: CLUSTERIP_FLAGS,
        run: Some(create::service_clusterip),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["create", "service", "nodeport"],
        use_line: "nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
        short: "Create a NodePort service",
        long: &["Create a NodePort service with the specified name."],
        examples: &[
            "# Create a new NodePort service named my-ns",
            "kubectl create service nodeport my-ns --tcp=5678:8080",
        ],
        flags: NODEPORT_FLAGS,
        run: Some(create::service_nodeport),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["create", "service", "loadbalancer"],
        use_line: "loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none]",
        short: "Create a LoadBalancer service",
        long: &["Create a LoadBalancer service with the specified name."],
        examples: &[
            "# Create a new LoadBalancer service named my-lbs",
            "kubectl create service loadbalancer my-lbs --tcp=5678:8080",
        ],
        flags: &[TCP],
        run: Some(create::service_loadbalancer),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["apply"],
        use_line: "apply (-f FILENAME | -k DIRECTORY)",
        short: "Apply a configuration to a resource by file name or stdin",
        long: &[
            "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with either 'apply' or 'create --save-config'.",
            "JSON and YAML formats are accepted.",
        ],
        examples: &[
            "# Apply the JSON passed into stdin to a pod",
            "cat pod.json | kubectl apply -f -",
        ],
        flags: &[FILENAME],
        run: Some(apply::apply),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["patch"],
        use_line: "patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE]",
        short: "Update fields of a resource",
        long: &[
            "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.",
            "JSON and YAML formats are accepted.",
            "Note: Strategic merge patch is not supported for custom resources.",
        ],
        examples: &[
            "# Update a deployment's replicas through the 'scale' subresource using a merge patch",
            "kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{\"spec\":{\"replicas\":2}}'",
        ],
        flags: PATCH_FLAGS,
        run: Some(apply::patch),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["set"],
        use_line: "set SUBCOMMAND",
        short: "Set specific features on objects",
        long: &[
            "Configure application resources.",
            "These commands help you make changes to existing application resources.",
        ],
        examples: &[],
        flags: &[],
        run: None,
        subs: &["selector"],
        padding: 14,
        aliases: &[],
    },
    Cmd {
        words: &["set", "selector"],
        use_line: "selector (-f FILENAME | TYPE NAME) EXPRESSIONS [--resource-version=version]",
        short: "Set the selector on a resource",
        long: &[
            "Set the selector on a resource. Note that the new selector will overwrite the old selector if the resource had one prior to the invocation of 'set selector'.",
            "A selector must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters. If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used. Note: currently selectors can only be set on Service objects.",
        ],
        examples: &[
            "# Set the labels and selector before creating a deployment/service pair",
            "kubectl create service clusterip my-svc --clusterip=\"None\" -o yaml --dry-run=client | kubectl set selector --local -f - 'environment=qa' -o yaml | kubectl create -f -",
            "kubectl create deployment my-dep -o yaml --dry-run=client | kubectl label --local -f - environment=qa -o yaml | kubectl create -f -",
        ],
        flags: &[],
        run: Some(edit::set_selector),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["rollout"],
        use_line: "rollout SUBCOMMAND",
        short: "Manage the rollout of a resource",
        // The list goes through kubectl's markdown normaliser with the rest.
        long: &[
            "Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments\n  *  daemonsets\n  *  statefulsets",
        ],
        examples: &[
            "# Restart a deployment",
            "kubectl rollout restart deployment/abc",
            "",
            "# Restart deployments with the 'app=nginx' label",
            "kubectl rollout restart deployment --selector=app=nginx",
        ],
        flags: &[],
        run: None,
        subs: &["restart"],
        padding: 11,
        aliases: &[],
    },
    Cmd {
        words: &["rollout", "restart"],
        use_line: "restart RESOURCE",
        short: "Restart a resource",
        // The second line is indented in the source: markdown makes it a code block.
        long: &[
            "Restart a resource.",
            "\n        Resource rollout will be restarted.",
        ],
        examples: &[
            "# Restart all deployments in the test-namespace namespace",
            "kubectl rollout restart deployment -n test-namespace",
            "",
            "# Restart a deployment",
            "kubectl rollout restart deployment/nginx",
            "",
            "# Restart deployments with the app=nginx label",
            "kubectl rollout restart deployment --selector=app=nginx",
        ],
        flags: &[SELECTOR],
        run: Some(edit::rollout_restart),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["cordon"],
        use_line: "cordon NODE",
        short: "Mark node as unschedulable",
        long: &["Mark node as unschedulable."],
        examples: &["# Mark node \"foo\" as unschedulable", "kubectl cordon foo"],
        flags: &[SELECTOR],
        run: Some(edit::cordon),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["uncordon"],
        use_line: "uncordon NODE",
        short: "Mark node as schedulable",
        long: &["Mark node as schedulable."],
        examples: &["# Mark node \"foo\" as schedulable", "kubectl uncordon foo"],
        flags: &[SELECTOR],
        run: Some(edit::uncordon),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
    Cmd {
        words: &["exec"],
        use_line: "exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]",
        short: "Execute a command in a container",
        long: &["Execute a command in a container."],
        examples: &[
            "# Get output from running the 'date' command from pod mypod, using the first container by default",
            "kubectl exec mypod -- date",
        ],
        flags: EXEC_FLAGS,
        run: Some(exec::run),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
];

/// The command at `words`.
pub(crate) fn command(words: &[&str]) -> Option<&'static Cmd> {
    COMMANDS.iter().find(|c| c.words == words)
}

/// Whether the next non-flag argument names a subcommand of `path`: its word and its
/// index in `rest` (flags before it stay with the command).
pub(crate) fn subcommand<'a>(path: &[&str], rest: &'a [String]) -> Option<(&'a str, usize)> {
    if path == ["help"] {
        return None;
    }
    let cmd = command(path)?;
    let mut i = 0;
    while i < rest.len() {
        let a = &rest[i];
        if a == "-n" || a == "--namespace" {
            i += 2;
            continue;
        }
        if a.starts_with('-') {
            i += 1;
            continue;
        }
        return cmd
            .subs
            .iter()
            .find(|sub| {
                **sub == a.as_str() || {
                    let mut words = path.to_vec();
                    words.push(sub);
                    command(&words).is_some_and(|c| c.aliases.contains(&a.as_str()))
                }
            })
            .map(|sub| (*sub, i));
    }
    None
}

/// `Long` as kubectl's normaliser leaves it: later paragraphs after one space.
fn long_text(cmd: &Cmd) -> String {
    if cmd.long.is_empty() {
        return cmd.short.to_owned();
    }
    let mut out = String::new();
    for (i, p) in cmd.long.iter().enumerate() {
        if i > 0 {
            out.push_str("\n\n");
            if !p.starts_with('\n') {
                out.push(' ');
            }
        }
        out.push_str(p.trim_start_matches('\n'));
    }
    out
}

/// `kubectl VERB --help`.
pub(crate) fn text(cmd: &Cmd) -> String {
    let mut out = long_text(cmd);
    out.push_str("\n\n");
    if !cmd.aliases.is_empty() {
        let name = cmd.words.last().copied().unwrap_or_default();
        out.push_str(&format!("Aliases:\n{name}, {}\n\n", cmd.aliases.join(", ")));
    }
    if !cmd.examples.is_empty() {
        out.push_str("Examples:\n");
        let lines: Vec<String> = cmd.examples.iter().map(|l| format!("  {l}")).collect();
        out.push_str(lines.join("\n").trim_end());
        out.push_str("\n\n");
    }
    if !cmd.subs.is_empty() {
        out.push_str("Available Commands:\n");
        for s in cmd.subs {
            let mut words = cmd.words.to_vec();
            words.push(s);
            if let Some(sub) = command(&words) {
                let pad = cmd.padding.max(11);
                out.push_str(&format!("  {s:<pad$}   {}\n", sub.short));
            }
        }
        out.push('\n');
    }
    if !cmd.flags.is_empty() {
        out.push_str("Options:\n");
        out.push_str(&options_text(cmd.flags));
        out.push_str("\n\n");
    }
    // Every command is runnable (a parent runs `DefaultSubCommandRun`), and has flags.
    {
        let mut usage = format!(
            "kubectl {}{}",
            cmd.words[..cmd.words.len() - 1]
                .iter()
                .map(|w| format!("{w} "))
                .collect::<String>(),
            cmd.use_line
        );
        if !usage.contains("[options]") {
            usage.push_str(" [options]");
        }
        out.push_str(&format!("Usage:\n  {usage}\n\n"));
    }
    if !cmd.subs.is_empty() {
        out.push_str(&format!(
            "Use \"{} <command> --help\" for more information about a given command.\n",
            cmd.path()
        ));
    }
    {
        out.push_str("Use \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    }
    out
}

/// The command groups of kubectl's root help, with the commands the console runs.
const GROUPS: &[(&str, &[&str])] = &[
    ("Basic Commands (Beginner):", &["create", "expose", "set"]),
    ("Basic Commands (Intermediate):", &["get", "delete"]),
    ("Deploy Commands:", &["rollout", "scale"]),
    ("Cluster Management Commands:", &["cordon", "uncordon"]),
    (
        "Troubleshooting and Debugging Commands:",
        &["describe", "exec"],
    ),
    ("Advanced Commands:", &["apply", "patch"]),
    ("Settings Commands:", &["label"]),
];

/// `kubectl` and `kubectl --help`: the groups, with the console's commands only.
pub(crate) fn root() -> String {
    let mut out = String::from(
        "kubectl controls the Kubernetes cluster manager.\n\n Find more information at: https://kubernetes.io/docs/reference/kubectl/\n\n",
    );
    for (title, names) in GROUPS {
        out.push_str(title);
        out.push('\n');
        for n in *names {
            if let Some(c) = command(&[n]) {
                out.push_str(&format!("  {n:<13}   {}\n", c.short));
            }
        }
        out.push('\n');
    }
    out.push_str("Usage:\n  kubectl [flags] [options]\n\nUse \"kubectl <command> --help\" for more information about a given command.\nUse \"kubectl options\" for a list of global command-line options (applies to all commands).\n");
    out
}

/// `help`: what the console takes (not kubectl's text: the console's own).
pub(crate) fn console_help() -> String {
    let mut out = String::from(
        "svcplay console: kubectl's commands run against the simulated cluster.\n\nkubectl commands (kubectl --help, kubectl VERB --help):\n",
    );
    for (_, names) in GROUPS {
        for n in *names {
            if let Some(c) = command(&[n]) {
                out.push_str(&format!("  kubectl {n:<10} {}\n", c.short));
            }
        }
    }
    out.push_str(
        "\nThe playground's own (not kubectl; see traffic --help, why --help, sleep --help):\n  traffic [--window 30s] [-o json]   requests and connections per Service, pod and client\n  why svc/NAME [pod/NAME]            why each pod is or is not an endpoint of the Service\n  sleep 30s                          let simulated time run\n\nA here-document feeds kubectl apply -f -: paste the block, or write it in a script.\n",
    );
    out
}

/// `kubectl help [VERB…]`.
pub(crate) fn help_for(ctx: &mut Ctx, words: &[&str]) {
    if words.is_empty() {
        return ctx.print(&root());
    }
    match command(words) {
        Some(c) => ctx.print(&text(c)),
        None => {
            let joined = words.join(" ");
            ctx.print(&format!("Unknown help topic [`{joined}`]\n"));
            ctx.print(&root());
        }
    }
}
