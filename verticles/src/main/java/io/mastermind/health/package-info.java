/**
 * Node health policies: the phi accrual failure detector and the HEALTHY / SUSPECT / FAILED state
 * machine built on it. Pure Java, no Vert.x: time comes in as explicit {@code nowMs} arguments.
 */
package io.mastermind.health;
