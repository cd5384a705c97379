package io.atomixtest.agent;

import io.atomix.cluster.MemberId;
import io.atomix.core.Atomix;
import io.atomix.primitive.partition.Partition;
import io.atomix.primitive.partition.PartitionGroup;
import io.atomix.protocols.raft.RaftServer;
import io.atomix.protocols.raft.cluster.RaftMember;
import io.atomix.protocols.raft.partition.RaftPartition;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who leads the Raft partitions, as this member sees them: the answer to the
 * framework's `leader` node selector. Each partition's leader comes from the
 * member's own Raft server when it has one (it knows its term's leader), else
 * from its partition client's last answer. The cluster's leader is the member
 * that leads the partition holding a key, or the most partitions.
 */
final class PartitionLeaders {
  // The data partitions of the shipped profiles (plugins/profiles/consensus.yaml).
  private static final String GROUP = "raft";
  private final Atomix atomix;

  PartitionLeaders(Atomix atomix) {
    this.atomix = atomix;
  }

  Map<String, Object> report(String key) {
    PartitionGroup group = atomix.getPartitionService().getPartitionGroup(GROUP);
    if (group == null) {
      throw new HttpError(404, "no partition group " + GROUP);
    }
    Map<String, String> byPartition = new TreeMap<>();
    Map<String, Integer> counts = new TreeMap<>();
    for (Partition partition : group.getPartitions()) {
      String leader = leaderOf(partition);
      byPartition.put(String.valueOf(partition.id().id()), leader);
      if (leader != null) {
        counts.merge(leader, 1, Integer::sum);
      }
    }
    String leader;
    if (key != null) {
      leader = leaderOf(group.getPartition(key));
    } else {
      // Most partitions; on a tie the first name, so every member says the same.
      leader = counts.entrySet().stream()
          .max((a, b) -> a.getValue().equals(b.getValue())
              ? b.getKey().compareTo(a.getKey())
              : a.getValue() - b.getValue())
          .map(Map.Entry::getKey)
          .orElse(null);
    }
    Map<String, Object> fields = new TreeMap<>();
    fields.put("member", atomix.getMembershipService().getLocalMember().id().id());
    fields.put("leader", leader);
    fields.put("partitions", byPartition);
    return fields;
  }

  private static String leaderOf(Partition partition) {
    RaftServer server = serverOf(partition);
    if (server != null) {
      RaftMember member = server.cluster().getLeader();
      return member == null ? null : member.memberId().id();
    }
    MemberId primary = partition.primary();
    return primary == null ? null : primary.id();
  }

  // RaftPartition keeps its server private; the agent runs on the classpath,
  // where reflection reaches it. Null when this member serves no replica.
  private static RaftServer serverOf(Partition partition) {
    if (!(partition instanceof RaftPartition)) {
      return null;
    }
    try {
      Object partitionServer = field(RaftPartition.class, "server").get(partition);
      if (partitionServer == null) {
        return null;
      }
      return (RaftServer) field(partitionServer.getClass(), "server").get(partitionServer);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field field = type.getDeclaredField(name);
    field.setAccessible(true);
    return field;
  }
}
