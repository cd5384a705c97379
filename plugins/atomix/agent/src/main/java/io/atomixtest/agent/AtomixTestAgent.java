package io.atomixtest.agent;

import io.atomix.cluster.discovery.BootstrapDiscoveryConfig;
import io.atomix.cluster.discovery.BootstrapDiscoveryProvider;
import io.atomix.cluster.discovery.MulticastDiscoveryProvider;
import io.atomix.cluster.Node;
import io.atomix.core.Atomix;
import io.atomix.core.AtomixBuilder;
import io.atomix.core.AtomixConfig;
import io.atomix.utils.net.Address;
import java.io.File;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Atomix 3.1.12 node with the agent's command line and REST API (see
 * RestServer), built on the published Atomix modules because the agent module
 * itself is not published for 3.1.12.
 */
public final class AtomixTestAgent {
  private AtomixTestAgent() {}

  public static void main(String[] args) throws Exception {
    AgentOptions options;
    try {
      options = AgentOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("atomix-test-agent: " + e.getMessage());
      System.err.println(AgentOptions.USAGE);
      System.exit(2);
      return;
    }
    configureLogging(options);
    Logger log = LoggerFactory.getLogger(AtomixTestAgent.class);
    if (options.dataDir != null) {
      // Where partition groups keep their data unless their config says.
      System.setProperty("atomix.data", options.dataDir);
    }

    AtomixConfig config = config(options);
    Atomix atomix = builder(config, options).build();
    log.info("starting member {} at {}", options.member, options.address);
    atomix.start().join();
    log.info("Atomix started");

    Primitives primitives = new Primitives(atomix, options.readConsistency);
    log.info(
        "primitives' read consistency: {}",
        options.readConsistency == null ? "default (Atomix's own protocol)" : options.readConsistency);
    RestServer rest =
        new RestServer(
            atomix, primitives, bootstrapMembers(config, options), options.httpHost, options.httpPort);
    rest.start();
    log.info("HTTP server listening at {}:{}", options.httpHost, options.httpPort);

    Runtime.getRuntime().addShutdownHook(new Thread(rest::stop, "rest-shutdown"));
    while (atomix.isRunning()) {
      Thread.sleep(500);
    }
  }

  // Properties read by slf4j-simple when its first logger is made.
  private static void configureLogging(AgentOptions options) {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", options.logLevel.toLowerCase());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd HH:mm:ss.SSS");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
    if (options.logDir != null) {
      new File(options.logDir).mkdirs();
      System.setProperty("org.slf4j.simpleLogger.logFile", options.logDir + "/atomix.log");
    }
  }

  private static AtomixConfig config(AgentOptions options) {
    List<File> files = options.configs.stream().map(File::new).collect(Collectors.toList());
    for (File file : files) {
      if (!file.isFile()) {
        throw new IllegalArgumentException("--config " + file + ": no such file");
      }
    }
    return Atomix.config(AtomixTestAgent.class.getClassLoader(), files);
  }

  // The members bootstrap discovery names (--bootstrap, else the config's),
  // which /v1/cluster/formed waits for; empty for other discovery.
  private static List<String> bootstrapMembers(AtomixConfig config, AgentOptions options) {
    if (!options.bootstrap.isEmpty()) {
      return options.bootstrap.stream()
          .map(text -> node(text).id().id())
          .collect(Collectors.toList());
    }
    if (config.getClusterConfig().getDiscoveryConfig() instanceof BootstrapDiscoveryConfig) {
      BootstrapDiscoveryConfig discovery =
          (BootstrapDiscoveryConfig) config.getClusterConfig().getDiscoveryConfig();
      return discovery.getNodes().stream()
          .map(node -> node.getId().id())
          .collect(Collectors.toList());
    }
    return List.of();
  }

  private static AtomixBuilder builder(AtomixConfig config, AgentOptions options) {
    AtomixBuilder builder = Atomix.builder(config).withShutdownHook(true);
    if (options.member != null) {
      builder.withMemberId(options.member);
    }
    if (options.address != null) {
      builder.withAddress(Address.from(options.address));
    }
    if (options.host != null) {
      builder.withHostId(options.host);
    }
    if (options.rack != null) {
      builder.withRackId(options.rack);
    }
    if (options.zone != null) {
      builder.withZoneId(options.zone);
    }
    if (!options.bootstrap.isEmpty()) {
      builder.withMembershipProvider(
          BootstrapDiscoveryProvider.builder()
              .withNodes(options.bootstrap.stream().map(AtomixTestAgent::node).toArray(Node[]::new))
              .build());
    }
    if (options.multicast) {
      builder.withMulticastEnabled().withMembershipProvider(new MulticastDiscoveryProvider());
    }
    return builder;
  }

  // ID@HOST:PORT, or HOST:PORT named after itself.
  private static Node node(String text) {
    int at = text.indexOf('@');
    String id = at > 0 ? text.substring(0, at) : text;
    return Node.builder().withId(id).withAddress(Address.from(text.substring(at + 1))).build();
  }
}
