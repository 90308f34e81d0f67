//! The ReplicationController controller. Upstream runs the ReplicaSet controller for
//! ReplicationControllers (`pkg/controller/replication/replication_controller.go` wraps
//! `replicaset.NewBaseController` with a conversion); so does this one: a sync is the
//! ReplicaSet's ([`crate::controllers::replicaset`]) over the controller's equality
//! selector, replicas and template, with pods named `<rc>-<5 chars>`.

use crate::objects::NamespacedName;
use crate::world::{WorkloadKind, World};

impl World {
    /// Makes the controller's active pods number its replicas.
    pub(crate) fn sync_replication_controller(&mut self, key: &NamespacedName) {
        self.sync_replicated(WorkloadKind::ReplicationController, key);
    }
}
