package io.dojosim.noc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams.Routing;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link RouteTable#clean}: the constant-time check against a walk of the path, site by site. */
class RouteTableTest {
    @Test
    void pathsAroundOneHoleByHand() {
        MeshShape m = MeshShape.withDisabled(4, 4, List.of("1,1"));
        RouteTable t = new RouteTable(m, Routing.XY);
        int a = m.node(0, 0);
        assertTrue(t.clean(a, m.node(2, 2), true)); // row 0 then column 2
        assertTrue(t.clean(a, m.node(2, 2), false)); // column 0 then row 2
        assertFalse(t.clean(m.node(1, 0), m.node(1, 2), true)); // column 1 crosses (1,1)
        assertFalse(t.clean(m.node(0, 1), m.node(3, 1), false)); // row 1 crosses (1,1)
        assertTrue(t.clean(m.node(0, 1), m.node(3, 0), false)); // turns in row 0
        assertFalse(t.clean(m.node(0, 1), m.node(3, 0), true)); // row 1 first
        assertFalse(t.clean(m.node(1, 1), m.node(1, 1), true)); // a disabled end
        assertEquals(-1, t.midpoint(m.node(0, 1), m.node(0, 2)));
        assertEquals(RouteTable.UNREACHABLE, t.midpoint(m.node(1, 0), m.node(1, 3)));
    }

    @Test
    void everyPairOfRandomMeshesAgreesWithAWalk() {
        SplittableRandom rnd = new SplittableRandom(18);
        for (int trial = 0; trial < 40; trial++) {
            int w = 1 + rnd.nextInt(12);
            int h = 1 + rnd.nextInt(12);
            BitSet off = new BitSet();
            for (int n = 0; n < w * h; n++) {
                if (rnd.nextInt(6) == 0) off.set(n);
            }
            MeshShape m = new MeshShape(w, h, off);
            RouteTable t = new RouteTable(m, Routing.XY);
            for (int a = 0; a < m.sites(); a++) {
                for (int b = 0; b < m.sites(); b++) {
                    for (boolean xFirst : new boolean[] {true, false}) {
                        String where = m + " " + a + " -> " + b + " xFirst " + xFirst;
                        assertEquals(walk(m, a, b, xFirst), t.clean(a, b, xFirst), where);
                    }
                }
            }
        }
    }

    /** The path visited site by site, as a packet takes it. */
    private static boolean walk(MeshShape m, int a, int b, boolean xFirst) {
        int x = m.x(a);
        int y = m.y(a);
        if (m.isDisabled(x, y)) return false;
        for (int phase = 0; phase < 2; phase++) {
            if ((phase == 0) == xFirst) {
                while (x != m.x(b)) {
                    x += m.x(b) > x ? 1 : -1;
                    if (m.isDisabled(x, y)) return false;
                }
            } else {
                while (y != m.y(b)) {
                    y += m.y(b) > y ? 1 : -1;
                    if (m.isDisabled(x, y)) return false;
                }
            }
        }
        return true;
    }
}
