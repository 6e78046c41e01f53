package io.mastermind.balancer;

import io.mastermind.resources.Resources;

/** What a task needs of the node it goes to: the capability tag equal to its type, its function, resources. */
public record PlacementRequest(String type, String function, Resources resources) {
}
