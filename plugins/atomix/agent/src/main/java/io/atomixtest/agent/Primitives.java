package io.atomixtest.agent;

import io.atomix.core.Atomix;
import io.atomix.core.counter.AtomicCounter;
import io.atomix.core.lock.AtomicLock;
import io.atomix.core.map.AtomicMap;
import io.atomix.core.set.DistributedSet;
import io.atomix.core.value.AtomicValue;
import io.atomix.primitive.PrimitiveBuilder;
import io.atomix.primitive.PrimitiveState;
import io.atomix.primitive.Recovery;
import io.atomix.primitive.SyncPrimitive;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.primitive.protocol.PrimitiveProtocol;
import io.atomix.primitive.protocol.ProxyCompatibleBuilder;
import io.atomix.primitive.protocol.ProxyProtocol;
import io.atomix.protocols.raft.MultiRaftProtocol;
import io.atomix.protocols.raft.MultiRaftProtocolConfig;
import io.atomix.protocols.raft.ReadConsistency;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The primitives the REST resources use, with the read consistency the agent
 * was started with (--read-consistency). "default" leaves them on Atomix's
 * own protocol: the one partition group's newProtocol(), which for a Raft
 * group (RaftPartitionGroup.java:193-198 at 3.1.12) sets recovery and retries
 * and no read consistency, so MultiRaftProtocolConfig's default holds. A level
 * gives every primitive that same protocol with the level set.
 *
 * Each is built through its builder and kept here once built, not taken from
 * Atomix's getPrimitive: its cache (CorePrimitiveCache, a computeIfAbsent
 * that never removes) keeps the first future made for a name, failed or
 * never completing, so one build that failed (a partition without a primary
 * for a moment, a member restarting) would make the name fail on that node
 * for good. A build that fails is reported (503) and tried again by the
 * next request; one that outlasts BUILD_TIMEOUT is reported too, but kept
 * under way, so that the next request waits for it rather than start another
 * (under a leader election a build takes longer than one request waits).
 * Either way the operation was not applied, and the reply says so.
 */
final class Primitives {
  /** The primitive report() builds to read its protocol back. */
  static final String PROBE = "atomix-test-protocol";

  private static final Duration BUILD_TIMEOUT = Duration.ofSeconds(10);

  private final Atomix atomix;
  private final ReadConsistency readConsistency; // null: Atomix's default protocol
  private final ConcurrentMap<String, SyncPrimitive> built = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, CompletableFuture<? extends SyncPrimitive>> building =
      new ConcurrentHashMap<>();

  Primitives(Atomix atomix, ReadConsistency readConsistency) {
    this.atomix = atomix;
    this.readConsistency = readConsistency;
  }

  AtomicValue<String> value(String name) {
    return primitive("value/" + name, () -> build(atomix.<String>atomicValueBuilder(name)));
  }

  AtomicMap<String, String> map(String name) {
    return primitive(
        "map/" + name, () -> build(atomix.<String, String>atomicMapBuilder(name)));
  }

  AtomicCounter counter(String name) {
    return primitive("counter/" + name, () -> build(atomix.atomicCounterBuilder(name)));
  }

  AtomicLock lock(String name) {
    return primitive("lock/" + name, () -> build(atomix.atomicLockBuilder(name)));
  }

  DistributedSet<String> set(String name) {
    return primitive("set/" + name, () -> build(atomix.<String>setBuilder(name)));
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

  // Built as the builder is unless a level was chosen. The group is left
  // unset: Atomix then takes the first Raft partition group, which a client
  // node learns from the servers.
  private <B extends PrimitiveBuilder<B, ?, P> & ProxyCompatibleBuilder<B>, P extends SyncPrimitive>
      CompletableFuture<P> build(B builder) {
    if (readConsistency != null) {
      ProxyProtocol protocol =
          MultiRaftProtocol.builder()
              .withRecoveryStrategy(Recovery.RECOVER)
              .withMaxRetries(5)
              .withReadConsistency(readConsistency)
              .build();
      builder.withProtocol(protocol);
    }
    return builder.buildAsync();
  }

  @SuppressWarnings("unchecked")
  private <P extends SyncPrimitive> P primitive(String key, Supplier<CompletableFuture<P>> build) {
    SyncPrimitive known = built.get(key);
    if (known != null) {
      return (P) known;
    }
    CompletableFuture<P> future =
        (CompletableFuture<P>) building.computeIfAbsent(key, k -> build.get());
    P made;
    try {
      made = future.get(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw HttpError.notApplied("building " + key + " took over " + BUILD_TIMEOUT.toSeconds()
          + " s (still under way)");
    } catch (ExecutionException e) {
      building.remove(key, future);
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw HttpError.notApplied("building " + key + " failed: " + cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HttpError.notApplied("interrupted while building " + key);
    }
    building.remove(key, future);
    // A primitive whose session closed or expired (opened through a leader
    // that was then cut off) fails every operation from then on: it is
    // forgotten, and the next request builds it again.
    P kept = made;
    made.async().addStateChangeListener(state -> {
      if (state == PrimitiveState.CLOSED || state == PrimitiveState.EXPIRED) {
        built.remove(key, kept);
      }
    });
    SyncPrimitive first = built.putIfAbsent(key, made);
    if (first != null) { // another request built it meanwhile: keep one
      made.async().close();
      return (P) first;
    }
    return made;
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
