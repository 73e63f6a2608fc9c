package org.neuralode4j.sensitivity;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.neuralode4j.ode.ConfigException;

class GradientMethodsByNameTest {
    @Test
    void everyNameGivesItsMethodWithDefaults() {
        assertInstanceOf(Direct.class, GradientMethods.byName("direct"));
        assertEquals(Checkpointed.defaults(), GradientMethods.byName("Checkpointed"));
        assertEquals(BacksolveAdjoint.defaults(), GradientMethods.byName("adjoint"));
        assertEquals(InterpolatedAdjoint.defaults(), GradientMethods.byName("INTERPOLATED"));
        for (String n : GradientMethods.NAMES) {
            assertEquals(n, GradientMethods.byName(n).name());
        }
    }

    @Test
    void unknownNamesListTheAcceptedOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> GradientMethods.byName("magic"));
        assertTrue(e.getMessage().contains("magic") && e.getMessage().contains("checkpointed"), e.getMessage());
    }
}
