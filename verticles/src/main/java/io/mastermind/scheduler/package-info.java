/** Scheduling policies: the priority queue with aging and the retry backoff. Pure Java, no Vert.x. */
package io.mastermind.scheduler;
