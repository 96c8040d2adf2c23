package io.zendeskcrm.collector.reconcile;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LongIntMapTest {

    @Test
    void keepsEveryKeyThroughGrowthAndReplacesValues() {
        LongIntMap map = new LongIntMap();
        for (long k = -50_000; k < 50_000; k++) assertEquals(LongIntMap.ABSENT, map.put(k * 7919, (int) (k & 0xffff)));
        assertEquals(100_000, map.size());
        for (long k = -50_000; k < 50_000; k++) assertEquals((int) (k & 0xffff), map.get(k * 7919));
        assertEquals(LongIntMap.ABSENT, map.get(3));
        assertEquals(5, map.put(5 * 7919, 9));
        assertEquals(9, map.get(5 * 7919));
        assertEquals(100_000, map.size());
    }
}
