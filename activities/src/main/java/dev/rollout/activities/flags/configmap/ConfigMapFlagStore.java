package dev.rollout.activities.flags.configmap;

import dev.rollout.activities.flags.FlagStoreClient;
import dev.rollout.activities.flags.FlagValues;
import dev.rollout.plan.FlagStore;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Flags as the data entries of a Kubernetes ConfigMap; created on the first write if absent. */
public class ConfigMapFlagStore implements FlagStoreClient<FlagStore.ConfigMap> {

  private final KubernetesClient client;

  public ConfigMapFlagStore(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Class<FlagStore.ConfigMap> type() {
    return FlagStore.ConfigMap.class;
  }

  @Override
  public Map<String, Object> read(FlagStore.ConfigMap spec, List<String> flags) {
    ConfigMap map = resource(spec).get();
    Map<String, String> data = map == null || map.getData() == null ? Map.of() : map.getData();
    Map<String, Object> read = new HashMap<>();
    flags.forEach(flag -> read.put(flag, FlagValues.decode(data.get(flag))));
    return read;
  }

  @Override
  public void write(FlagStore.ConfigMap spec, Map<String, Object> values) {
    Resource<ConfigMap> resource = resource(spec);
    if (resource.get() == null) {
      ConfigMap created = new ConfigMapBuilder().withNewMetadata().withNamespace(spec.namespace()).withName(spec.name()).endMetadata().build();
      apply(created, values);
      resource.create(created);
      return;
    }
    resource.edit(map -> apply(map, values));
  }

  private static ConfigMap apply(ConfigMap map, Map<String, Object> values) {
    Map<String, String> data = map.getData() == null ? new HashMap<>() : new HashMap<>(map.getData());
    values.forEach((flag, value) -> {
      if (value == null) data.remove(flag);
      else data.put(flag, FlagValues.encode(value));
    });
    map.setData(data);
    return map;
  }

  private Resource<ConfigMap> resource(FlagStore.ConfigMap spec) {
    return client.configMaps().inNamespace(spec.namespace()).withName(spec.name());
  }
}
