package io.mastermind.node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One HTTP/1.1 request written by hand on a socket, for what real clients refuse to send: a {@code Host}
 * of another name (DNS rebinding), a browser's {@code Origin} on a WebSocket handshake. The answer is read
 * up to the end of its body (or of the headers, for a 101).
 */
final class RawHttp {

  record Response(int status, String headers, String body) {
  }

  private RawHttp() {
  }

  /** @param headers written as given, after the request line; {@code Host} too, when present */
  static Response send(String baseUrl, String method, String path, Map<String, String> headers, String body) throws IOException {
    URI uri = URI.create(baseUrl);
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Host", uri.getHost() + ":" + uri.getPort());
    all.putAll(headers);
    all.put("Connection", "close");
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      all.put("Content-Length", String.valueOf(content.length));
    }
    StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
    all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(content);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  /** A WebSocket handshake with these extra headers (e.g. {@code Origin}). */
  static Response upgrade(String baseUrl, String path, Map<String, String> headers) throws IOException {
    Map<String, String> all = new LinkedHashMap<>(headers);
    all.put("Upgrade", "websocket");
    all.put("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
    all.put("Sec-WebSocket-Version", "13");
    URI uri = URI.create(baseUrl);
    StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\n");
    request.append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n");
    request.append("Connection: Upgrade\r\n");
    all.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    request.append("\r\n");
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return read(socket.getInputStream());
    }
  }

  private static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String headers = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(headers.substring(9, 12));
    if (status == 101) {
      return new Response(status, headers, "");
    }
    int length = -1;
    for (String line : headers.split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
    return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
  }
}
