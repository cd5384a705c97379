package io.atomixtest.agent;

import io.atomix.cluster.Member;
import io.atomix.core.Atomix;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * /v1/status, /v1/cluster/node(s), /v1/cluster/leader[/KEY], /v1/primitives and /v1/time: what
 * the node knows. The time is the JVM's own wall clock, System.currentTimeMillis(), so that a
 * clock fault is seen as the node sees it.
 */
final class ClusterResource implements Resource {
  private final Atomix atomix;
  private final PartitionLeaders leaders;

  ClusterResource(Atomix atomix) {
    this.atomix = atomix;
    this.leaders = new PartitionLeaders(atomix);
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
