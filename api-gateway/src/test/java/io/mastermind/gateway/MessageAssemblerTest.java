package io.mastermind.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("MessageAssembler joins fragments and skips, then reports, a message over the limit")
class MessageAssemblerTest {

  private final List<String> seen = new ArrayList<>();
  private final MessageAssembler assembler = new MessageAssembler(10, new MessageAssembler.Listener() {
    @Override
    public void text(String message) {
      seen.add("text:" + message);
    }

    @Override
    public void binary() {
      seen.add("binary");
    }

    @Override
    public void tooLarge(int limit) {
      seen.add("too large:" + limit);
    }
  });

  private static WebSocketFrame more(String text, boolean last) {
    return WebSocketFrame.continuationFrame(Buffer.buffer(text), last);
  }

  @Test
  @DisplayName("a whole frame is a message; fragments are joined in order")
  void joins() {
    assembler.frame(WebSocketFrame.textFrame("{}", true));
    assembler.frame(WebSocketFrame.textFrame("ab", false));
    assembler.frame(more("cd", false));
    assembler.frame(more("é", true));
    assertThat(seen).containsExactly("text:{}", "text:abcdé");
  }

  @Test
  @DisplayName("a message over the limit is reported once, at its last fragment, and the next message is whole again")
  void tooLarge() {
    assembler.frame(WebSocketFrame.textFrame("123456", false));
    assembler.frame(more("789012", false));
    assembler.frame(more("345", true));
    assembler.frame(WebSocketFrame.textFrame("ok", true));
    assertThat(seen).containsExactly("too large:10", "text:ok");
  }

  @Test
  @DisplayName("binary messages are reported without their content; control frames and stray continuations are ignored")
  void binaryAndControl() {
    assembler.frame(WebSocketFrame.binaryFrame(Buffer.buffer("x"), true));
    assembler.frame(WebSocketFrame.pingFrame(Buffer.buffer("p")));
    assembler.frame(more("stray", true));
    assertThat(seen).containsExactly("binary");
  }
}
