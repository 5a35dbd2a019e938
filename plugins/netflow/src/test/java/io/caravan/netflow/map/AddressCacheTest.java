package io.caravan.netflow.map;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddressCacheTest {
    private static byte[] datagram(int... addresses) {
        byte[] b = new byte[3 + 4 * addresses.length]; // at an odd offset, as in a datagram
        for (int i = 0; i < addresses.length; i++) {
            int v = addresses[i];
            b[3 + 4 * i] = (byte) (v >>> 24);
            b[4 + 4 * i] = (byte) (v >>> 16);
            b[5 + 4 * i] = (byte) (v >>> 8);
            b[6 + 4 * i] = (byte) v;
        }
        return b;
    }

    @Test
    void theSameAddressGivesTheSameArrayAndAnotherItsOwn() {
        AddressCache cache = new AddressCache();
        byte[] b = datagram(0x0A000001, 0x0A000001, 0xC0000201);

        byte[] first = cache.ipv4(b, 3);
        assertThat(first).containsExactly(10, 0, 0, 1);
        assertThat(cache.ipv4(b, 7)).isSameAs(first);
        assertThat(cache.ipv4(b, 11)).containsExactly(192, 0, 2, 1).isNotSameAs(first);
    }

    @Test
    void everyArrayHoldsTheBytesAskedForWhenAddressesOutnumberTheSlots() {
        AddressCache cache = new AddressCache();
        int n = 4 << AddressCache.BITS;
        int[] addresses = new int[n];
        for (int i = 0; i < n; i++) {
            addresses[i] = 0x0A000000 + i * 7919; // spread over the slots, some sharing one
        }
        byte[] b = datagram(addresses);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                assertThat(cache.ipv4(b, 3 + 4 * i)).containsExactly(b[3 + 4 * i], b[4 + 4 * i], b[5 + 4 * i],
                        b[6 + 4 * i]);
            }
        }
        assertThat(cache.ipv4(datagram(0), 3)).containsExactly(0, 0, 0, 0);
    }
}
