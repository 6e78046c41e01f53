/**
 * The handler SPI: implement {@link io.mastermind.worker.spi.TaskHandler}, list it in
 * {@code META-INF/services/io.mastermind.worker.spi.TaskHandler}, and put the jar in a node's
 * {@code plugins/} folder or on its classpath.
 */
package io.mastermind.worker.spi;
