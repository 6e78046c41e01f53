/**
 * The built-in task handlers every worker node ships with: {@code primes}, {@code sha256} and
 * {@code pi} for compute tasks, {@code sleep} for io_bound tasks, {@code wordcount}, {@code stats} and
 * {@code sort} for data_processing tasks, {@code linear-regression} for ml_training tasks, and
 * {@code echo} and {@code fail} for every type. They are registered through
 * {@code META-INF/services/io.mastermind.worker.spi.TaskHandler} like any plugin. The gateway already
 * checks a built-in's data with {@link io.mastermind.protocol.BuiltinFunctions}, but tasks can reach a
 * worker by other paths, so each handler parses its data again and reports bad data as
 * {@link io.mastermind.worker.spi.TaskFailure#INVALID_DATA}; long-running handlers check for
 * cancellation between bounded chunks of work so cancel and timeout take effect promptly.
 */
package io.mastermind.worker.handlers;
