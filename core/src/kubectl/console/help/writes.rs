//! The commands that change objects: `scale`, `delete`, `label`, `expose`, `apply`, `patch`.
//! Upstream: kubernetes/kubectl@dee3483a3d6a64c07fdf746caf80af446dee99ac
//! `pkg/cmd/<verb>/<verb>.go` (`Use`, `Short`, `Long`, `Example`; the `Long` texts as
//! kubectl's normaliser leaves them, checked against kubectl 1.32's `--help`).

use super::Cmd;
use super::options::*;
use crate::kubectl::console::{apply, create, edit, label, patch};

/// The commands.
pub(super) const COMMANDS: &[Cmd] = &[
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
        run: Some(label::label),
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
        run: Some(patch::patch),
        subs: &[],
        padding: 0,
        aliases: &[],
    },
];
