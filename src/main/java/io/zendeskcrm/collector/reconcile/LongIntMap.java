package io.zendeskcrm.collector.reconcile;

import java.util.Arrays;

/**
 * A map from 64-bit record identities to small non-negative numbers, in two flat arrays: a day of a
 * million identities costs about 24 MB here, against several times that as boxed entries.
 */
final class LongIntMap {
    static final int ABSENT = -1;

    private long[] keys = new long[16];
    private int[] values = filled(16);
    private int size;

    int size() {
        return size;
    }

    /** The value stored for {@code key}, or {@link #ABSENT}. */
    int get(long key) {
        int slot = find(key);
        return values[slot];
    }

    /** Stores {@code value} (at least 0) for {@code key} and returns the value it replaced, or {@link #ABSENT}. */
    int put(long key, int value) {
        int slot = find(key);
        int previous = values[slot];
        values[slot] = value;
        keys[slot] = key;
        if (previous == ABSENT && ++size * 2 > keys.length) grow();
        return previous;
    }

    private int find(long key) {
        int mask = keys.length - 1;
        int slot = (int) (mix(key) & mask);
        while (values[slot] != ABSENT && keys[slot] != key) slot = (slot + 1) & mask;
        return slot;
    }

    private void grow() {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = filled(oldKeys.length * 2);
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != ABSENT) {
                int slot = find(oldKeys[i]);
                keys[slot] = oldKeys[i];
                values[slot] = oldValues[i];
            }
        }
    }

    private static int[] filled(int length) {
        int[] a = new int[length];
        Arrays.fill(a, ABSENT);
        return a;
    }

    private static long mix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        return k;
    }
}
