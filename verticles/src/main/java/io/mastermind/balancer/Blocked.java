package io.mastermind.balancer;

/**
 * Why a task stays queued (SPEC section 10 {@code blockedBy}): the dimension that blocks it
 * ({@code capability}, {@code function}, {@code cpu}, {@code memory}, {@code gpu}) and a sentence.
 * {@code permanent} when no member could ever hold it, as opposed to all being busy now.
 */
public record Blocked(String dimension, String reason, boolean permanent) {
}
