/**
 * Where task records survive the leading coordinator: a {@link io.mastermind.store.TaskStore} takes
 * whole batches, and {@link io.mastermind.store.GroupCommit} turns one write per transition into one
 * flush in flight with the next accumulating behind it. A record is acknowledged to anyone only once
 * the batch holding it is stored.
 */
package io.mastermind.store;
