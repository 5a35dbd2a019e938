package io.caravan.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.RecvByteBufAllocator;
import org.junit.jupiter.api.Test;

class ReusedReceiveBufferTest {
    private final RecvByteBufAllocator.Handle handle =
            new ReusedReceiveBuffer(new FixedRecvByteBufAllocator(4096)).newHandle();

    @Test
    void everyReadGetsTheSameBufferOnceTheLastReadReleasedIt() {
        ByteBuf first = handle.allocate(ByteBufAllocator.DEFAULT);
        first.writeInt(42);
        first.release();
        ByteBuf second = handle.allocate(ByteBufAllocator.DEFAULT);

        assertThat(second).isSameAs(first);
        assertThat(second.capacity()).isEqualTo(4096);
        // Cleared for the next read: nothing of the last one is readable.
        assertThat(second.readableBytes()).isZero();
        assertThat(second.writableBytes()).isEqualTo(4096);
        second.release();
    }

    @Test
    void aReadWhileASliceOfTheLastIsStillHeldGetsAFreshBuffer() {
        ByteBuf first = handle.allocate(ByteBufAllocator.DEFAULT);
        first.writeInt(42);
        ByteBuf held = first.retainedSlice(0, 4);
        first.release();

        ByteBuf second = handle.allocate(ByteBufAllocator.DEFAULT);

        assertThat(second).isNotSameAs(first);
        // The held slice still reads what was received into it.
        assertThat(held.getInt(0)).isEqualTo(42);
        held.release();
        second.release();
    }
}
