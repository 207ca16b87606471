package dev.rollout.activities.kubernetes;

import dev.rollout.activities.support.Failures;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Deployment's revisions, read from its ReplicaSets' revision annotation. */
final class RevisionHistory {

  static final String REVISION = "deployment.kubernetes.io/revision";

  private final KubernetesClient client;

  RevisionHistory(KubernetesClient client) {
    this.client = client;
  }

  /** The template of the newest revision below the current one; bad input when there is none. */
  PodSpecTemplate previous(Deployment deployment) {
    String uid = deployment.getMetadata().getUid();
    List<ReplicaSet> owned =
        client.apps().replicaSets().inNamespace(deployment.getMetadata().getNamespace()).list().getItems().stream()
            .filter(rs -> ownedBy(rs, uid) && revision(rs) > 0)
            .sorted(Comparator.comparingLong(RevisionHistory::revision).reversed())
            .toList();
    if (owned.size() < 2) {
      throw Failures.badInput("Deployment " + deployment.getMetadata().getName() + " has no previous revision to undo to");
    }
    ReplicaSet previous = owned.get(1);
    PodTemplateSpec template = previous.getSpec().getTemplate();
    // The controller adds pod-template-hash to each ReplicaSet; the Deployment's template has none.
    Map<String, String> labels = new HashMap<>(template.getMetadata().getLabels() == null ? Map.of() : template.getMetadata().getLabels());
    labels.remove("pod-template-hash");
    template.getMetadata().setLabels(labels);
    return new PodSpecTemplate(revision(previous), template);
  }

  private static boolean ownedBy(ReplicaSet rs, String uid) {
    List<OwnerReference> owners = rs.getMetadata().getOwnerReferences();
    return owners != null && owners.stream().anyMatch(o -> uid != null && uid.equals(o.getUid()));
  }

  private static long revision(ReplicaSet rs) {
    Map<String, String> annotations = rs.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(REVISION);
    try {
      return value == null ? 0 : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
