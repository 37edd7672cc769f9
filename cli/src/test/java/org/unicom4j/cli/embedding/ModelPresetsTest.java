package org.unicom4j.cli.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;

/** The cli's model presets, spelled loosely; an unknown one is bad input. */
class ModelPresetsTest {

    @Test
    void presetNamesAreSpelledLoosely() throws Exception {
        assertEquals(VitConfig.L14_336, ModelPresets.resolve("ViT-L/14@336px"));
        assertEquals(VitConfig.B32, ModelPresets.resolve("vit_b_32"));
        assertEquals(VitConfig.B16, ModelPresets.resolve("B16"));
        assertThrows(InvalidInputException.class, () -> ModelPresets.resolve("b8"));
    }
}
