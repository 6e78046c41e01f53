package io.mastermind.store;

import io.mastermind.protocol.TaskRecord;

import java.util.List;

/**
 * What a takeover reads back: the records that decoded, the keys of those that did not (skipped and
 * reported, never a reason to refuse leadership), and the highest leader epoch that wrote any of them,
 * so a new leader's epoch never goes backwards even if the epoch counter itself was lost.
 */
public record StoredTasks(List<TaskRecord> records, List<String> undecodable, long highestEpoch) {
}
