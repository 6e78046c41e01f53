/**
 * Workers: the verticle that runs assigned tasks on a bounded pool of task threads, and the registry
 * of {@link io.mastermind.worker.spi.TaskHandler}s found with {@link java.util.ServiceLoader}.
 */
package io.mastermind.worker;
