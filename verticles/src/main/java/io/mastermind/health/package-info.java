/**
 * Node health policies: the phi accrual failure detector, the HEALTHY / SUSPECT / FAILED state machine
 * built on it, the {@link io.mastermind.health.NodeRegistry} of worker nodes with counts by state, and
 * the {@link io.mastermind.health.MemberAudit} of which cluster members proved the cluster secret.
 * Pure Java, no Vert.x: time comes in as explicit {@code nowMs} arguments. The health verticle that
 * drives them lives in {@code io.mastermind.controlplane}.
 */
package io.mastermind.health;
