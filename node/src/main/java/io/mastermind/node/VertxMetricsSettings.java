package io.mastermind.node;

import io.mastermind.protocol.Addresses;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.Match;
import io.vertx.micrometer.MatchType;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Vert.x's own metrics of a node, with labels whose values a client cannot multiply: HTTP requests by
 * method (a made-up method is {@value #OTHER}), status code and route template (never the raw path, so
 * a million task ids make no new series); event-bus metrics, when on, by address where the per-node
 * inboxes fold into one {@value #NODE_INBOX} and any address that is not one of ours (a reply address,
 * a bridge client's) is {@value #OTHER}. JVM and process metrics on.
 */
final class VertxMetricsSettings {

  static final String OTHER = "other";
  static final String NODE_INBOX = "mastermind.node.{id}.inbox";
  private static final String METHODS = "GET|HEAD|POST|PUT|DELETE|CONNECT|OPTIONS|TRACE|PATCH";

  private VertxMetricsSettings() {
  }

  /**
   * Event-bus metrics are off unless {@code eventBus}: Vert.x looks a meter up per message and address
   * (~15% of the leader's cpu at 3k tasks/s, measured); the leader's own counters say what they say
   * for a fraction of that.
   */
  static MicrometerMetricsOptions options(boolean eventBus) {
    EnumSet<Label> labels = EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE, Label.POOL_TYPE, Label.POOL_NAME);
    if (eventBus) {
      labels.add(Label.EB_ADDRESS);
      labels.add(Label.EB_SIDE);
      labels.add(Label.EB_FAILURE);
    }
    MicrometerMetricsOptions options = new MicrometerMetricsOptions().setEnabled(true)
      .setJvmMetricsEnabled(true)
      .setLabels(labels)
      .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
    labelMatches().forEach(options::addLabelMatch);
    if (!eventBus) {
      options.addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    }
    return options;
  }

  /** Rewrites of label values (Micrometer meter filters, applied before a series exists), in order. */
  static List<Match> labelMatches() {
    List<Match> matches = new ArrayList<>();
    matches.add(new Match().setDomain(MetricsDomain.HTTP_SERVER).setLabel(Label.HTTP_METHOD.toString())
      .setType(MatchType.REGEX).setValue("(?!(" + METHODS + ")$).*").setAlias(OTHER));
    matches.add(new Match().setDomain(MetricsDomain.EVENT_BUS).setLabel(Label.EB_ADDRESS.toString())
      .setType(MatchType.REGEX).setValue(Pattern.quote("mastermind.node.") + ".+" + Pattern.quote(".inbox")).setAlias(NODE_INBOX));
    String ours = ourAddresses().stream().map(Pattern::quote).collect(Collectors.joining("|"));
    matches.add(new Match().setDomain(MetricsDomain.EVENT_BUS).setLabel(Label.EB_ADDRESS.toString())
      .setType(MatchType.REGEX).setValue("(?!(" + ours + "|" + Pattern.quote(NODE_INBOX) + ")$).*").setAlias(OTHER));
    return matches;
  }

  /** Every fixed address of {@link Addresses}. */
  static List<String> ourAddresses() {
    List<String> addresses = new ArrayList<>();
    for (Field field : Addresses.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        try {
          addresses.add((String) field.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return addresses;
  }
}
