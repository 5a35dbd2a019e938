package io.caravan.api.stage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelCapTest {
    @Test
    void admitsUpToTheLimitThenFoldsIntoOther() {
        LabelCap cap = new LabelCap(2);
        assertThat(cap.label("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(cap.label("10.0.0.2")).isEqualTo("10.0.0.2");
        assertThat(cap.label("10.0.0.3")).isEqualTo(LabelCap.OTHER);
        assertThat(cap.label("10.0.0.1")).isEqualTo("10.0.0.1");
        assertThat(new LabelCap(0).label("x")).isEqualTo(LabelCap.OTHER);
    }
}
