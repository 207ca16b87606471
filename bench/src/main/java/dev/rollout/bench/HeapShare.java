package dev.rollout.bench;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.HistoryEvent;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;

/**
 * The bench's memory figures: heap in use after a full collection, and what a rollout's history
 * weighs (the embedded server keeps every history in this heap).
 */
final class HeapShare {
  private HeapShare() {}

  /** Heap in use after two full collections, bytes. */
  static long afterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** A history's size as protobuf bytes, and how much of it is payload data (inputs, results, markers...). */
  record HistoryBytes(long bytes, long payloadBytes, int payloads) {
    static HistoryBytes of(List<HistoryEvent> events) {
      long bytes = 0;
      long[] data = new long[2];
      for (HistoryEvent e : events) {
        bytes += e.getSerializedSize();
        countPayloads(e, data);
      }
      return new HistoryBytes(bytes, data[0], (int) data[1]);
    }

    private static void countPayloads(com.google.protobuf.Message m, long[] data) {
      if (m instanceof Payload p) {
        data[0] += p.getData().size();
        data[1]++;
        return;
      }
      for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
        if (f.getKey().getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) continue;
        if (f.getValue() instanceof List<?> list) {
          for (Object o : list) countNested(o, data);
        } else {
          countNested(f.getValue(), data);
        }
      }
    }

    private static void countNested(Object o, long[] data) {
      if (o instanceof com.google.protobuf.MapEntry<?, ?> entry) {
        if (entry.getValue() instanceof com.google.protobuf.Message v) countPayloads(v, data);
      } else if (o instanceof com.google.protobuf.Message m) {
        countPayloads(m, data);
      }
    }
  }
}
