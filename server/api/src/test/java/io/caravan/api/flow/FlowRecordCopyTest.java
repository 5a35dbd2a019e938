package io.caravan.api.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class FlowRecordCopyTest {

    /** Sets every field by reflection, so a field added later and forgotten in copy() fails here. */
    @Test
    void everyFieldIsCopied() throws Exception {
        FlowRecord r = new FlowRecord();
        long n = 1;
        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("attributes")) {
                continue;
            }
            f.setAccessible(true);
            Class<?> t = f.getType();
            if (t == long.class) {
                f.setLong(r, n++);
            } else if (t == int.class) {
                f.setInt(r, (int) n++);
            } else if (t == byte[].class) {
                f.set(r, new byte[] {(byte) n++});
            } else if (t == FlowType.class) {
                f.set(r, FlowType.IPFIX);
            } else {
                f.set(r, "value-" + n++);
            }
        }
        r.attribute("class", "web");

        FlowRecord c = r.copy();

        for (Field f : FlowRecord.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            assertThat(f.get(c)).as(f.getName()).isEqualTo(f.get(r));
        }
        assertThat(c).isNotSameAs(r);
    }

    @Test
    void attributesOfTheCopyAreItsOwnAndArraysAndSourceAreShared() {
        byte[] src = {10, 0, 0, 1};
        Object source = new Object();
        FlowRecord r = new FlowRecord().srcAddr(src).source(source).attribute("class", "web").bytes(100);

        FlowRecord c = r.copy();
        c.attribute("class", "mail").attribute("site", "a").bytes(5);

        assertThat(r.attributes()).containsExactly(java.util.Map.entry("class", "web"));
        assertThat(r.bytes()).isEqualTo(100);
        assertThat(c.attributes()).containsEntry("class", "mail").containsEntry("site", "a");
        assertThat(c.srcAddr()).isSameAs(src);
        assertThat(c.source()).isSameAs(source);
    }

    @Test
    void aRecordWithoutAttributesCopiesWithoutAllocatingThem() {
        FlowRecord c = new FlowRecord().copy();
        assertThat(c.attributes()).isEmpty();
        c.attribute("k", 1);
        assertThat(c.attribute("k")).isEqualTo(1);
    }
}
