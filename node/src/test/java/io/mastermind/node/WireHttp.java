package io.mastermind.node;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over a plain socket on loopback, for requests no well-behaved client would send (bad
 * escapes, invalid UTF-8, garbage request lines): writes the bytes as given, reads until the server
 * closes, and parses what came back. One connection per request ({@code Connection: close}).
 */
final class WireHttp {

  /** What came back; status 0 when nothing did (the connection was closed or reset first). */
  record Answer(int status, Map<String, String> headers, byte[] body) {

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The body as a JSON object, or null when it is not one. */
    JsonObject json() {
      try {
        String text = text().trim();
        return text.startsWith("{") ? new JsonObject(text) : null;
      } catch (RuntimeException e) {
        return null;
      }
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private WireHttp() {
  }

  /** A request with a request line, {@code Host}, {@code Connection: close}, the given headers and body. */
  static byte[] request(String method, String target, String contentType, byte[] body, String... headers) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
      .append("Host: 127.0.0.1\r\nConnection: close\r\n");
    if (contentType != null) {
      head.append("Content-Type: ").append(contentType).append("\r\n");
    }
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] start = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (body == null) {
      return start;
    }
    byte[] all = new byte[start.length + body.length];
    System.arraycopy(start, 0, all, 0, start.length);
    System.arraycopy(body, 0, all, start.length, body.length);
    return all;
  }

  /** Sends {@code bytes} and reads the answer until the server closes (or {@code timeoutMs} of silence). */
  static Answer send(int port, byte[] bytes, int timeoutMs) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(timeoutMs);
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      try {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
      } catch (SocketException e) {
        // the server answered (and closed) before reading everything, e.g. a 413: read what it said
      }
      boolean head = bytes.length >= 5 && new String(bytes, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[8192];
      try {
        for (int n; !complete(received.toByteArray(), head) && (n = in.read(chunk)) >= 0; ) {
          received.write(chunk, 0, n);
        }
      } catch (SocketException | SocketTimeoutException e) {
        // reset after the answer, or silence: keep what was read (nothing read is status 0)
      }
      return parse(received.toByteArray());
    }
  }

  /** True once a whole answer is in: its head, and its body by Content-Length or the last chunk. */
  private static boolean complete(byte[] raw, boolean head) {
    int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (headEnd < 0) {
      return false;
    }
    Answer answer = parse(Arrays.copyOf(raw, headEnd + 4));
    if (answer.status() == 0) {
      return false;
    }
    if (head || answer.status() == 204 || answer.status() == 304) {
      return true;
    }
    String length = answer.header("content-length");
    if (length != null) {
      return raw.length - headEnd - 4 >= Long.parseLong(length);
    }
    if ("chunked".equalsIgnoreCase(answer.header("transfer-encoding"))) {
      return new String(raw, headEnd, raw.length - headEnd, StandardCharsets.ISO_8859_1).endsWith("0\r\n\r\n");
    }
    return false; // read until the server closes
  }

  static Answer parse(byte[] raw) {
    int headEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (raw.length < 12 || headEnd < 0) {
      return new Answer(0, Map.of(), raw);
    }
    String head = new String(raw, 0, headEnd, StandardCharsets.ISO_8859_1);
    String[] lines = head.split("\r\n");
    int status;
    try {
      status = Integer.parseInt(lines[0].split(" ")[1]);
    } catch (RuntimeException e) {
      return new Answer(0, Map.of(), raw);
    }
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    byte[] body = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    }
    return new Answer(status, headers, body);
  }

  private static byte[] dechunk(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < body.length) {
      int lineEnd = indexOf(Arrays.copyOfRange(body, at, body.length), "\r\n".getBytes(StandardCharsets.ISO_8859_1));
      if (lineEnd < 0) {
        break;
      }
      int size;
      try {
        size = Integer.parseInt(new String(body, at, lineEnd, StandardCharsets.ISO_8859_1).trim().split(";")[0], 16);
      } catch (NumberFormatException e) {
        break;
      }
      at += lineEnd + 2;
      if (size == 0 || at + size > body.length) {
        break;
      }
      out.write(body, at, size);
      at += size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
