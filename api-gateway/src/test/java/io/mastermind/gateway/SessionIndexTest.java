package io.mastermind.gateway;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("SessionIndex hands an event only to the sessions that follow its task or subscribed")
class SessionIndexTest {

  private final SessionIndex<String> index = new SessionIndex<>();

  private List<String> watchersOf(String taskId) {
    List<String> seen = new ArrayList<>();
    index.forEachWatcher(taskId, seen::add);
    return seen;
  }

  @Test
  @DisplayName("a task's event goes to the one session that follows it, and to nobody once it stopped")
  void oneWatcher() {
    index.watch("t1", "s1");
    index.watch("t2", "s2");

    assertThat(watchersOf("t1")).containsExactly("s1");
    assertThat(watchersOf("t3")).isEmpty();
    assertThat(watchersOf(null)).isEmpty();

    index.unwatch("t1", "s1");
    assertThat(watchersOf("t1")).isEmpty();
    assertThat(index.watchedTasks()).isEqualTo(1);
  }

  @Test
  @DisplayName("several sessions following one task each get its events, until the last one stops")
  void severalWatchers() {
    index.watch("t1", "s1");
    index.watch("t1", "s2");
    index.watch("t1", "s3");
    assertThat(watchersOf("t1")).containsExactly("s1", "s2", "s3");

    index.unwatch("t1", "s2");
    assertThat(watchersOf("t1")).containsExactly("s1", "s3");
    index.unwatch("t1", "s1");
    index.unwatch("t1", "s3");
    assertThat(watchersOf("t1")).isEmpty();
    assertThat(index.watchedTasks()).isZero();
  }

  @Test
  @DisplayName("a session may stop following the task while its event is delivered (a result ends the watch)")
  void unwatchDuringDelivery() {
    index.watch("t1", "s1");
    index.watch("t1", "s2");
    List<String> seen = new ArrayList<>();
    index.forEachWatcher("t1", session -> {
      seen.add(session);
      index.unwatch("t1", session);
    });
    assertThat(seen).containsExactly("s1", "s2");
    assertThat(index.watchedTasks()).isZero();
  }

  @Test
  @DisplayName("a session stopping a task it does not follow changes nothing")
  void unwatchUnknown() {
    index.watch("t1", "s1");
    index.unwatch("t1", "s2");
    index.unwatch("t9", "s1");
    assertThat(watchersOf("t1")).containsExactly("s1");
  }

  @Test
  @DisplayName("every event goes to the subscribed sessions, and a session may drop out during the delivery")
  void subscribers() {
    index.subscribed("s1", true);
    index.subscribed("s2", true);
    index.subscribed("s1", true); // again: still once
    List<String> seen = new ArrayList<>();
    index.forEachSubscriber(session -> {
      seen.add(session);
      index.subscribed("s2", false); // closing while the event goes round
    });
    assertThat(seen).containsExactly("s1", "s2");
    assertThat(index.subscriberCount()).isEqualTo(1);

    index.subscribed("s1", false);
    List<String> after = new ArrayList<>();
    index.forEachSubscriber(after::add);
    assertThat(after).isEmpty();
  }

  @Test
  @DisplayName("TaskWatches tells its listener of a socket's first and last watch of each task, and clear ends them all")
  void taskWatchesTellTheIndex() {
    TaskWatches watches = new TaskWatches(index.listenerFor("s1"));
    TaskWatches.Watch a = watches.add(1, "t1", true);
    TaskWatches.Watch b = watches.add(2, "t1", false); // the same task submitted twice on one socket
    watches.add(3, "t2", true);
    assertThat(watchersOf("t1")).containsExactly("s1");

    watches.remove(a);
    assertThat(watchersOf("t1")).as("one watch of t1 left").containsExactly("s1");
    watches.remove(b);
    assertThat(watchersOf("t1")).isEmpty();

    watches.clear();
    assertThat(index.watchedTasks()).isZero();
  }
}
