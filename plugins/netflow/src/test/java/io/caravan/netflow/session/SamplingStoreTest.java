package io.caravan.netflow.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.caravan.testkit.SettableClock;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SamplingStoreTest {
    private final SettableClock clock = new SettableClock(1_000_000);

    @Test
    void oneAddressCannotTakeMoreThanItsShareAndKnownKeysStillUpdate() throws Exception {
        SamplingStore s = new SamplingStore(clock, 100, 4);
        InetAddress spoofer = InetAddress.getByName("192.0.2.66");
        InetAddress router = InetAddress.getByName("192.0.2.1");
        for (int id = 0; id < 50; id++) {
            s.putRate(spoofer, 10, 0, id, 100 + id);
        }
        s.putRate(spoofer, 10, 0, 0, 7);
        s.putRate(router, 9, 0, SamplingStore.SYSTEM, 512);

        assertThat(s.rates(spoofer)).hasSize(4);
        assertThat(s.rates(spoofer, 10, 0).rate(0)).as("a known key updates").isEqualTo(7);
        assertThat(s.rates(spoofer, 10, 0).rate(10)).isZero();
        assertThat(s.systemRate(router, 9, 0)).isEqualTo(512);
    }

    @Test
    void theTotalIsCappedOverAllAddresses() throws Exception {
        SamplingStore s = new SamplingStore(clock, 10, 4);
        for (int a = 0; a < 10; a++) {
            InetAddress address = InetAddress.getByName("10.0.0." + a);
            s.putRate(address, 9, 0, 1, 10);
            s.putSysInit(address, 10, 0, 5);
        }
        assertThat(s.size()).isEqualTo(10);
    }

    @Test
    void valuesNotAnnouncedAgainExpireAndMakeRoom() throws Exception {
        SamplingStore s = new SamplingStore(clock, 100, 2);
        InetAddress router = InetAddress.getByName("192.0.2.1");
        s.putRate(router, 9, 0, 1, 10);
        s.putRate(router, 9, 0, 2, 20);
        clock.advance(500);
        s.putRate(router, 9, 0, 2, 20);
        clock.advance(600);

        assertThat(s.expire(1000)).isEqualTo(1);
        assertThat(s.rates(router, 9, 0).rate(1)).isZero();
        s.putRate(router, 9, 0, 3, 30);
        assertThat(s.rates(router, 9, 0).rate(3)).as("the expired key's place is free again").isEqualTo(30);
        assertThat(s.expire(0)).as("0 keeps values forever").isZero();
    }

    @Test
    void anAddressWithoutValuesHasNoneAndTheMissingSenderIsAnAddressOfItsOwn() throws Exception {
        SamplingStore s = new SamplingStore(clock, 100, 4);
        InetAddress router = InetAddress.getByName("192.0.2.1");
        s.putRate(null, 9, 0, SamplingStore.SYSTEM, 64);
        s.putSysInit(null, 10, 0, 5_000);

        assertThat(s.systemRate(null, 9, 0)).isEqualTo(64);
        assertThat(s.sysInit(null, 10, 0)).isEqualTo(5_000);
        assertThat(s.systemRate(router, 9, 0)).isZero();
        assertThat(s.rates(router, 9, 0).rate(SamplingStore.SYSTEM)).isZero();
        assertThat(s.sysInit(router, 10, 0)).isZero();

        s.putRate(router, 9, 0, 3, 30);
        assertThat(s.rates(router, 9, 0).rate(3)).isEqualTo(30);
        assertThat(s.systemRate(router, 9, 0)).as("sampler 3 is not the system rate").isZero();
        clock.advance(2000);
        assertThat(s.expire(1000)).isEqualTo(3);
        assertThat(s.systemRate(null, 9, 0)).isZero();
        assertThat(s.rates(router, 9, 0).rate(3)).isZero();
        s.putRate(router, 9, 0, SamplingStore.SYSTEM, 128);
        assertThat(s.systemRate(router, 9, 0)).as("known again after expiry").isEqualTo(128);
    }
}
