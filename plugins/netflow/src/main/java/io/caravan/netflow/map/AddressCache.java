package io.caravan.netflow.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * IPv4 address arrays by value, so that records with an address seen shortly before share its array instead of
 * each allocating one. Direct-mapped: a new address takes its slot from the one before. Sharing is safe because no
 * stage changes a record's address array in place; they replace it ({@code FlowRecord.copy()} relies on the same).
 * Not thread-safe: one per decoding thread.
 */
final class AddressCache {
    /** 2^BITS slots (about 2 KiB with their arrays): room for the next hops of the exporters one thread serves. */
    static final int BITS = 6;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final int[] values = new int[1 << BITS];
    private final byte[][] arrays = new byte[1 << BITS][];

    /** The 4 bytes at {@code pos} of {@code b} as an array, shared with earlier callers that read the same ones. */
    byte[] ipv4(byte[] b, int pos) {
        int v = (int) INT.get(b, pos);
        int i = (v * 0x9E3779B9) >>> (Integer.SIZE - BITS);
        byte[] a = arrays[i];
        if (a != null && values[i] == v) {
            return a;
        }
        a = new byte[4];
        INT.set(a, 0, v);
        values[i] = v;
        arrays[i] = a;
        return a;
    }
}
