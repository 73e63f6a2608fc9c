package org.neuralode4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** 2×2 mean pooling (cnf.md §4.2's CPU-scaled image flow input). */
class ImageSetTest {
    @Test
    void meanPoolRoundsHalfUpAndKeepsLabels() {
        // One 2×4 image: blocks {0, 1, 1, 0} (mean 0.5 → 1), {255, 255, 254, 254} (254.5 → 255); one 2×4 of {1,1,1,2}.
        byte[] px = {0, 1, (byte) 255, (byte) 255, 1, 0, (byte) 254, (byte) 254, 1, 1, 3, 3, 1, 2, 3, 2};
        ImageSet s = new ImageSet("t", 2, 4, px, new int[] {1, 0}, List.of("a", "b"));
        ImageSet p = s.meanPool2();
        assertEquals(1, p.height());
        assertEquals(2, p.width());
        assertEquals(1, p.pixel(0, 0, 0));
        assertEquals(255, p.pixel(0, 0, 1));
        assertEquals(1, p.pixel(1, 0, 0), "mean 1.25 rounds to 1");
        assertEquals(3, p.pixel(1, 0, 1), "mean 2.75 rounds to 3");
        assertArrayEquals(new int[] {1, 0}, p.labels());
        assertThrows(DataException.class, () -> p.meanPool2(), "1×2 cannot be pooled");
    }
}
