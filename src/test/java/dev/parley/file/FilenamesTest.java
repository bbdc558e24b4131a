package dev.parley.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.web.ValidationException;
import org.junit.jupiter.api.Test;

class FilenamesTest {

    @Test
    void aPlainNameIsGivenQuotedAndEncoded() {
        assertThat(Filenames.attachment("report v2.pdf").toString()).isEqualTo(
                "attachment; filename=\"report v2.pdf\"; filename*=UTF-8''report%20v2.pdf");
    }

    @Test
    void pathSeparatorsQuotesAndBackslashesBecomeUnderscores() {
        assertThat(Filenames.attachment("../../etc/passwd").toString())
                .isEqualTo("attachment; filename=\".._.._etc_passwd\"; filename*=UTF-8''.._.._etc_passwd");
        assertThat(Filenames.attachment("a\"b\\c").toString()).isEqualTo("attachment; filename=\"a_b_c\"; filename*=UTF-8''a_b_c");
    }

    @Test
    void aUnicodeNameIsPercentEncoded() {
        String header = Filenames.attachment("Übersicht 📄.pdf").toString();
        assertThat(header).contains("filename*=UTF-8''%C3%9Cbersicht%20%F0%9F%93%84.pdf");
        assertThat(header.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    }

    @Test
    void namesWithControlCharactersOrTooLongAreRefused() {
        assertThatThrownBy(() -> Filenames.check("a\r\nb")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Filenames.check("a\u0085b")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Filenames.check("x".repeat(256))).isInstanceOf(ValidationException.class);
        // 255 characters that are each two UTF-16 units still fit
        assertThat(Filenames.check("📄".repeat(255))).hasSize(510);
    }
}
