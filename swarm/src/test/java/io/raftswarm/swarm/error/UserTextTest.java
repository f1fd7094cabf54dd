package io.raftswarm.swarm.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UserTextTest {

  @Test
  void control_and_invisible_characters_are_written_java_style() {
    assertThat(UserText.escape("host1\nerror: forged")).isEqualTo("host1\\nerror: forged");
    assertThat(UserText.escape("a\u001b[2Jb\r\t")).isEqualTo("a\\u001b[2Jb\\r\\t");
    assertThat(UserText.escape("\u0000\u007f\u0085")).isEqualTo("\\u0000\\u007f\\u0085");
    // bidi override and zero-width space: invisible, and able to disguise a name
    assertThat(UserText.escape("ab\u202ecd\u200b")).isEqualTo("ab\\u202ecd\\u200b");
    assertThat(UserText.escape("x\u2028y")).isEqualTo("x\\u2028y");
    assertThat(UserText.escape("lone \ud800 surrogate")).isEqualTo("lone \\ud800 surrogate");
  }

  @Test
  void printable_text_is_left_alone() {
    String text = "Grüße, 東京, emoji \ud83d\ude80, back\\slash, 'quotes'";
    assertThat(UserText.escape(text)).isSameAs(text);
    assertThat(UserText.escape(null)).isEqualTo("null");
  }

  @Test
  void whole_messages_keep_their_line_breaks_but_lose_escape_sequences() {
    assertThat(UserText.escapeKeepingLines("one\ntwo\u001b[31m\r"))
        .isEqualTo("one\ntwo\\u001b[31m\\r");
  }
}
