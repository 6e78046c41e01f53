/**
 * The Central Nexus bridge (SPEC section 8): NexusTask in (over HTTP and the event bus), NexusResponse
 * out, and this gateway's registration with the Nexus.
 */
package io.mastermind.gateway.nexus;
