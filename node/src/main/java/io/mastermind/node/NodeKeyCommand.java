package io.mastermind.node;

import io.mastermind.security.EnvelopeSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code mastermind node-key --node-id ID}: prints node ID's own key, derived from the cluster secret in
 * {@code MASTERMIND_CLUSTER_SECRET}. A node given only its key ({@code cluster.nodeKey} or
 * {@code MASTERMIND_CLUSTER_NODEKEY}) signs as itself and cannot speak for any other node; keep the
 * secret itself on the coordinator nodes. The secret is read from the environment, never from the
 * command line (where {@code ps} would show it).
 */
@Command(name = "node-key", mixinStandardHelpOptions = true,
  description = "Print a node's own key, derived from the cluster secret in MASTERMIND_CLUSTER_SECRET.")
final class NodeKeyCommand implements Callable<Integer> {

  @Option(names = "--node-id", required = true, paramLabel = "ID", description = "The node the key is for")
  String nodeId;

  @Override
  public Integer call() {
    String secret = System.getenv("MASTERMIND_CLUSTER_SECRET");
    if (secret == null || secret.isBlank()) {
      System.err.println("mastermind node-key: set MASTERMIND_CLUSTER_SECRET to the cluster secret");
      return NodeCommand.EXIT_BAD_CONFIG;
    }
    try {
      EnvelopeSigner.master(secret);
    } catch (IllegalArgumentException e) {
      System.err.println("mastermind node-key: " + e.getMessage());
      return NodeCommand.EXIT_BAD_CONFIG;
    }
    System.out.println(EnvelopeSigner.nodeKeyHex(secret, nodeId));
    return 0;
  }
}
