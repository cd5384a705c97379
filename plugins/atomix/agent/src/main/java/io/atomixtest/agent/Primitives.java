package io.atomixtest.agent;

import io.atomix.core.Atomix;
import io.atomix.core.counter.AtomicCounter;
import io.atomix.core.counter.AtomicCounterType;
import io.atomix.core.lock.AtomicLock;
import io.atomix.core.lock.AtomicLockType;
import io.atomix.core.map.AtomicMap;
import io.atomix.core.map.AtomicMapType;
import io.atomix.core.set.DistributedSet;
import io.atomix.core.set.DistributedSetType;
import io.atomix.core.value.AtomicValue;
import io.atomix.core.value.AtomicValueType;
import io.atomix.primitive.PrimitiveType;
import io.atomix.primitive.Recovery;
import io.atomix.primitive.config.PrimitiveConfig;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.protocol.PrimitiveProtocol;
import io.atomix.primitive.protocol.ProxyProtocol;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.protocols.raft.MultiRaftProtocolConfig;
import io.atomix.protocols.raft.ReadConsistency;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The primitives the REST resources use, with the read consistency the agent
 * was started with (--read-consistency). "default" leaves them on Atomix's
 * own protocol: the one partition group's newProtocol(), which for a Raft
 * group (RaftPartitionGroup.java:193-198 at 3.1.12) sets recovery and retries
 * and no read consistency, so MultiRaftProtocolConfig's default holds. A level
 * gives every primitive that same protocol with the level set. Either way the
 * primitive is Atomix's named singleton (getPrimitive goes through its cache).
 */
final class Primitives {
  /** The primitive report() builds to read its protocol back. */
  static final String PROBE = "atomix-test-protocol";

  private final Atomix atomix;
  private final ReadConsistency readConsistency; // null: Atomix's default protocol

  Primitives(Atomix atomix, ReadConsistency readConsistency) {
    this.atomix = atomix;
    this.readConsistency = readConsistency;
  }

  AtomicValue<String> value(String name) {
    return atomix.getPrimitive(name, AtomicValueType.<String>instance(), config(AtomicValueType.instance()));
  }

  AtomicMap<String, String> map(String name) {
    return atomix.getPrimitive(
        name, AtomicMapType.<String, String>instance(), config(AtomicMapType.instance()));
  }

  AtomicCounter counter(String name) {
    return atomix.getPrimitive(name, AtomicCounterType.instance(), config(AtomicCounterType.instance()));
  }

  AtomicLock lock(String name) {
    return atomix.getPrimitive(name, AtomicLockType.instance(), config(AtomicLockType.instance()));
  }

  DistributedSet<String> set(String name) {
    return atomix.getPrimitive(
        name, DistributedSetType.<String>instance(), config(DistributedSetType.instance()));
  }

  /**
   * What the agent was told and what a primitive built now really got: its
   * protocol's type, group and read consistency, read from the protocol object
   * Atomix made (MultiRaftProtocol keeps its config private and has no getter).
   */
  Map<String, Object> report() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("setting", readConsistency == null ? "default" : readConsistency.name());
    PrimitiveProtocol protocol = value(PROBE).protocol();
    fields.put("protocol", protocol.type().name());
    if (protocol instanceof MultiRaftProtocol) {
      MultiRaftProtocolConfig config = configOf((MultiRaftProtocol) protocol);
      // The group the protocol resolves to (a level leaves it to Atomix).
      PartitionGroup group = atomix.getPartitionService().getPartitionGroup((ProxyProtocol) protocol);
      fields.put("group", group == null ? null : group.name());
      fields.put("readConsistency", config.getReadConsistency().name());
      fields.put("recovery", config.getRecoveryStrategy().name());
      fields.put("maxRetries", config.getMaxRetries());
    }
    return fields;
  }

  // null (the type's own config, as getAtomicValue(name) uses) unless a level
  // was chosen. The group is left unset: Atomix then takes the first Raft
  // partition group, which a client node learns from the servers.
  private <C extends PrimitiveConfig<C>> C config(PrimitiveType<?, C, ?> type) {
    if (readConsistency == null) {
      return null;
    }
    C config = type.newConfig();
    config.setProtocolConfig(
        new MultiRaftProtocolConfig()
            .setRecoveryStrategy(Recovery.RECOVER)
            .setMaxRetries(5)
            .setReadConsistency(readConsistency));
    return config;
  }

  private static MultiRaftProtocolConfig configOf(MultiRaftProtocol protocol) {
    try {
      Field field = MultiRaftProtocol.class.getDeclaredField("config");
      field.setAccessible(true);
      return (MultiRaftProtocolConfig) field.get(protocol);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read MultiRaftProtocol's config", e);
    }
  }
}
