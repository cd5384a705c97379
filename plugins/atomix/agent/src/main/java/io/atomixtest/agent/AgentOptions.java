package io.atomixtest.agent;

import io.atomix.protocols.raft.ReadConsistency;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of Atomix 3's agent (io.atomix.agent.AtomixAgent at 3.1.12),
 * so profiles and users write the flags they know, and one of atomix-test's
 * own: --read-consistency, the Raft read consistency of the primitives the
 * REST API serves (see Primitives), which Atomix's agent leaves to a
 * primitive's config.
 */
final class AgentOptions {
  static final String USAGE =
      "usage: atomix-test-agent [--member ID] [--address HOST:PORT] [--config FILE...]\n"
          + "       [--data-dir DIR] [--bootstrap ID@HOST:PORT...] [--multicast]\n"
          + "       [--http-host HOST] [--http-port PORT] [--log-level LEVEL] [--log-dir DIR]\n"
          + "       [--ignore-resources] [--rack RACK] [--zone ZONE] [--host HOST]\n"
          + "       [--read-consistency default|SEQUENTIAL|LINEARIZABLE_LEASE|LINEARIZABLE]";

  String member;
  String address;
  final List<String> configs = new ArrayList<>();
  String dataDir;
  final List<String> bootstrap = new ArrayList<>();
  boolean multicast;
  String httpHost = "0.0.0.0";
  int httpPort = 5678;
  String logLevel = "INFO";
  String logDir;
  boolean ignoreResources;
  String rack;
  String zone;
  String host;
  ReadConsistency readConsistency; // null: "default", Atomix's own protocol

  static AgentOptions parse(String[] args) {
    AgentOptions options = new AgentOptions();
    Arguments in = new Arguments(args);
    while (in.next()) {
      switch (in.flag) {
        case "--member", "-m" -> options.member = in.value();
        case "--address", "-a" -> options.address = in.value();
        case "--data-dir" -> options.dataDir = in.value();
        case "--http-host" -> options.httpHost = in.value();
        case "--http-port", "-p" -> options.httpPort = port(in.value());
        case "--log-level" -> options.logLevel = level(in.value());
        case "--log-dir" -> options.logDir = in.value();
        case "--rack" -> options.rack = in.value();
        case "--zone" -> options.zone = in.value();
        case "--host" -> options.host = in.value();
        case "--read-consistency" -> options.readConsistency = readConsistency(in.value());
        case "--multicast" -> options.multicast = in.noValue();
        case "--ignore-resources" -> options.ignoreResources = in.noValue();
        case "--config", "-c" -> options.configs.addAll(in.values());
        case "--bootstrap", "-b" -> options.bootstrap.addAll(in.values());
        default -> throw new IllegalArgumentException("unknown argument " + in.flag);
      }
    }
    return options;
  }

  /** Walks the arguments: a flag, then its value after '=' or in the next ones. */
  private static final class Arguments {
    private final String[] args;
    private int at = -1;
    private String flag;
    private String inline;

    Arguments(String[] args) {
      this.args = args;
    }

    boolean next() {
      if (++at >= args.length) {
        return false;
      }
      flag = args[at];
      inline = null;
      int equals = flag.indexOf('=');
      if (flag.startsWith("--") && equals > 0) {
        inline = flag.substring(equals + 1);
        flag = flag.substring(0, equals);
      }
      return true;
    }

    String value() {
      if (inline != null) {
        return inline;
      }
      if (at + 1 >= args.length || args[at + 1].startsWith("-")) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      return args[++at];
    }

    // A flag taking several values takes arguments up to the next flag.
    List<String> values() {
      if (inline != null) {
        return List.of(inline);
      }
      List<String> found = new ArrayList<>();
      while (at + 1 < args.length && !args[at + 1].startsWith("-")) {
        found.add(args[++at]);
      }
      if (found.isEmpty()) {
        throw new IllegalArgumentException(flag + " needs at least one value");
      }
      return found;
    }

    boolean noValue() {
      if (inline != null) {
        throw new IllegalArgumentException(flag + " takes no value");
      }
      return true;
    }
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("--http-port must be a port number (1..65535), got " + text);
  }

  private static ReadConsistency readConsistency(String text) {
    if (text.equals("default")) {
      return null;
    }
    for (ReadConsistency level : ReadConsistency.values()) {
      if (level.name().equals(text)) {
        return level;
      }
    }
    throw new IllegalArgumentException(
        "--read-consistency must be one of default, SEQUENTIAL, LINEARIZABLE_LEASE, LINEARIZABLE, got "
            + text);
  }

  private static String level(String text) {
    String upper = text.toUpperCase();
    if (List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR").contains(upper)) {
      return upper;
    }
    throw new IllegalArgumentException(
        "--log-level must be one of TRACE, DEBUG, INFO, WARN, ERROR, got " + text);
  }
}
