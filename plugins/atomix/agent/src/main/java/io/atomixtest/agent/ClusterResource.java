package io.atomixtest.agent;

import io.atomix.cluster.Member;
import io.atomix.core.Atomix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * /v1/status, /v1/cluster/formed, /v1/cluster/node(s), /v1/cluster/leader[/KEY], /v1/cluster/protocol (the
 * primitives' protocol and read consistency), /v1/primitives and /v1/time: what the node knows. The time is the JVM's own wall clock, System.currentTimeMillis(), so that a
 * clock fault is seen as the node sees it.
 *
 * <p>/v1/cluster/formed answers 200 once every member bootstrap discovery names
 * is reachable from here, 503 naming those that are not. A primary-backup
 * cluster must not build a primitive before: a primitive built on the first
 * member up makes it every partition's primary, and when the others join and
 * the primaries move, Atomix 3.1.12's demoted primary ("Not the primary",
 * PrimaryRole.close) can go on answering each request with a null payload
 * (an NPE in Namespace.deserialize, hundreds a second) and the member never
 * serves again: seen in a few of every hundred set-ups of a busy machine.
 */
final class ClusterResource implements Resource {
  private final Atomix atomix;
  private final PartitionLeaders leaders;
  private final Primitives primitives;
  private final List<String> bootstrapMembers;

  ClusterResource(Atomix atomix, Primitives primitives, List<String> bootstrapMembers) {
    this.atomix = atomix;
    this.leaders = new PartitionLeaders(atomix);
    this.primitives = primitives;
    this.bootstrapMembers = bootstrapMembers;
  }

  @Override
  public Object handle(Request request) {
    if (!request.method().equals("GET")) {
      throw HttpError.noRoute(request);
    }
    List<String> path = request.path();
    String route = String.join("/", path);
    if (route.equals("status")) {
      return Map.of("status", atomix.isRunning() ? "RUNNING" : "STOPPED");
    }
    if (route.equals("cluster/formed")) {
      return formed();
    }
    if (route.equals("cluster/node")) {
      return member(atomix.getMembershipService().getLocalMember());
    }
    if (route.equals("cluster/nodes")) {
      return atomix.getMembershipService().getMembers().stream()
          .map(ClusterResource::member)
          .collect(Collectors.toList());
    }
    if (path.size() == 3 && path.get(0).equals("cluster") && path.get(1).equals("nodes")) {
      Member member = atomix.getMembershipService().getMember(path.get(2));
      if (member == null) {
        throw new HttpError(404, "no member " + path.get(2));
      }
      return member(member);
    }
    if (route.equals("cluster/leader")) {
      return leaders.report(null);
    }
    if (path.size() == 3 && path.get(0).equals("cluster") && path.get(1).equals("leader")) {
      return leaders.report(path.get(2));
    }
    if (route.equals("cluster/protocol")) {
      return primitives.report();
    }
    if (route.equals("time")) {
      return Map.of("millis", System.currentTimeMillis());
    }
    if (route.equals("primitives")) {
      return atomix.getPrimitives().stream()
          .map(info -> Map.of("name", info.name(), "type", info.type().name()))
          .collect(Collectors.toList());
    }
    throw HttpError.noRoute(request);
  }

  private Object formed() {
    String local = atomix.getMembershipService().getLocalMember().id().id();
    List<String> missing =
        bootstrapMembers.stream()
            .filter(
                id -> {
                  Member member = atomix.getMembershipService().getMember(id);
                  return !id.equals(local) && (member == null || !member.isReachable());
                })
            .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new HttpError(503, "not reachable yet: " + String.join(", ", missing));
    }
    return Map.of("members", bootstrapMembers);
  }

  private static Map<String, Object> member(Member member) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("id", member.id().id());
    fields.put("host", member.address().host());
    fields.put("port", member.address().port());
    fields.put("active", member.isActive());
    fields.put("reachable", member.isReachable());
    return fields;
  }
}
