package io.mastermind.testsupport;

import java.net.http.HttpClient;

/** The JDK HTTP client the tests talk to a gateway with. */
public final class TestHttp {

  private TestHttp() {
  }

  /**
   * A builder for HTTP/1.1: the JDK client's default cleartext HTTP/2 upgrade ({@code Upgrade: h2c}) was
   * seen to stall a request against the gateway (DashboardTest, OpenApiContractTest); the CLI does the same.
   */
  public static HttpClient.Builder builder() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
  }
}
