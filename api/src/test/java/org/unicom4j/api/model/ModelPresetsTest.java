package org.unicom4j.api.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.unicom4j.data.InvalidInputException;
import org.unicom4j.model.vit.VitConfig;

class ModelPresetsTest {

    @Test
    void presetNamesAreSpelledLoosely() throws Exception {
        assertEquals(VitConfig.L14_336, ModelPresets.resolve("ViT-L/14@336px"));
        assertEquals(VitConfig.B32, ModelPresets.resolve("vit_b_32"));
        assertEquals(VitConfig.B16, ModelPresets.resolve("B16"));
        assertThrows(InvalidInputException.class, () -> ModelPresets.resolve("b8"));
    }

    @Test
    void aModelSourceIsWeightsOrAShapeWithASeed() {
        assertThrows(InvalidInputException.class, () -> new ModelSource(null, null, null, null));
        assertThrows(InvalidInputException.class, () -> new ModelSource(null, null, 1L, null));
        assertThrows(InvalidInputException.class, () -> new ModelSource(java.nio.file.Path.of("w.pt"), null, 1L,
                null));
        assertThrows(InvalidInputException.class, () -> ModelSource.random("tiny", 1).withId(" "));
        assertEquals("tiny", ModelSource.random("tiny", 1).shape());
    }
}
