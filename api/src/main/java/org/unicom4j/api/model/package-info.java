/**
 * Opening models: what to open ({@link org.unicom4j.api.model.ModelSource}), the one loader that turns weights files
 * and presets into a model ready to embed ({@link org.unicom4j.api.model.ModelLoader}), and the model with its
 * preprocessing and id ({@link org.unicom4j.api.model.LoadedModel}).
 */
package org.unicom4j.api.model;
