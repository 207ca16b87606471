package dev.rollout.activities.flags.configmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rollout.plan.FlagStore;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ConfigMapFlagStoreTest {

  KubernetesClient client;

  @Test
  void setsAndRemovesDataEntriesKeepingOthers() {
    client.configMaps().inNamespace("shop").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("flags").withNamespace("shop").endMetadata()
        .addToData("keep", "me").addToData("old", "true").build()).create();
    var store = new ConfigMapFlagStore(client);
    var spec = new FlagStore.ConfigMap("shop", "flags");
    Map<String, Object> values = new HashMap<>();
    values.put("new-checkout", 25);
    values.put("old", null);

    store.write(spec, values);

    assertThat(client.configMaps().inNamespace("shop").withName("flags").get().getData())
        .containsExactlyInAnyOrderEntriesOf(Map.of("keep", "me", "new-checkout", "25"));
    assertThat(store.read(spec, List.of("new-checkout", "old"))).containsEntry("new-checkout", 25).containsEntry("old", null);
  }

  @Test
  void createsTheConfigMapOnTheFirstWrite() {
    var store = new ConfigMapFlagStore(client);
    var spec = new FlagStore.ConfigMap("shop", "new-flags");

    assertThat(store.read(spec, List.of("x"))).containsEntry("x", null);
    store.write(spec, Map.of("x", true));

    assertThat(client.configMaps().inNamespace("shop").withName("new-flags").get().getData()).containsEntry("x", "true");
    assertThat(store.read(spec, List.of("x"))).containsEntry("x", true);
  }
}
