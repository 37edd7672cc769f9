package org.unicom4j.model.sscq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.unicom4j.kernels.Backend;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.SafetensorsWriter;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictMismatchException;
import org.unicom4j.model.checkpoint.StateDictReader;
import org.unicom4j.model.vit.StateDictIo;
import org.unicom4j.model.vit.TensorSource;

/**
 * An SSCQ model as a safetensors state dict: the encoder's keys as a released ViT names them, then
 * {@code head.0.weight}, {@code head.0.bias}, {@code head.2.weight}, {@code head.2.bias} (PyTorch's
 * nn.Sequential(Linear, ReLU, Linear)) and {@code codebooks} [books, words, subDim], with the SscqConfig JSON as
 * {@value #CONFIG_METADATA_KEY} metadata and the VitConfig as {@value #VIT_METADATA_KEY}. Loading checks every
 * key and shape before it changes anything, and fails with one line naming the file and the first mismatch.
 */
public final class SscqStateDict {
    /** The safetensors metadata key holding the SscqConfig JSON (what marks a file as an SSCQ model). */
    public static final String CONFIG_METADATA_KEY = "sscq_config";
    /** The metadata key of the encoder's VitConfig, as plain ViT files carry it. */
    public static final String VIT_METADATA_KEY = "vit_config";

    private SscqStateDict() {
    }

    /** Writes the model atomically (the file appears complete or not at all). */
    public static void save(SscqModel model, Path file) throws IOException {
        List<HostTensor> tensors = new ArrayList<>(StateDictIo.toStateDict(model.encoder()).tensors());
        HeadLayout layout = model.layout();
        float[] head = model.backend().buffers().download(model.headParameters());
        for (int i = 0; i < HeadLayout.KEYS.length; i++) {
            int from = (int) layout.offset(i);
            tensors.add(HostTensor.ofFloats(HeadLayout.KEYS[i], Arrays.copyOfRange(head, from,
                    from + (int) layout.count(i)), layout.shape(i)));
        }
        SafetensorsWriter.write(file, tensors, Map.of(CONFIG_METADATA_KEY, model.config().toJson(), VIT_METADATA_KEY,
                model.config().encoder().toJson()));
    }

    /** Whether {@code stateDict} is an SSCQ model (it carries an SscqConfig). */
    public static boolean isSscq(StateDict stateDict) {
        return stateDict.metadata().containsKey(CONFIG_METADATA_KEY);
    }

    /** The SscqConfig a file was saved with; one line naming the file when it is not an SSCQ model. */
    public static SscqConfig config(StateDict stateDict, Path file) {
        String json = stateDict.metadata().get(CONFIG_METADATA_KEY);
        if (json == null) {
            throw new StateDictMismatchException(file + ": not an SSCQ model (no '" + CONFIG_METADATA_KEY
                    + "' metadata)");
        }
        return SscqConfig.fromJson(json);
    }

    /** A model of the file's own configuration, loaded from it. */
    public static SscqModel read(Backend backend, Path file) throws IOException {
        try (StateDict stateDict = StateDictReader.read(file)) {
            SscqModel model = new SscqModel(backend, config(stateDict, file));
            try {
                load(model, stateDict, file);
            } catch (RuntimeException e) {
                model.close();
                throw e;
            }
            return model;
        }
    }

    /** Loads a file into {@code model}, whose configuration it must have. */
    public static void load(SscqModel model, Path file) throws IOException {
        try (StateDict stateDict = StateDictReader.read(file)) {
            SscqConfig saved = config(stateDict, file);
            if (!saved.equals(model.config())) {
                throw new StateDictMismatchException(file + ": an SSCQ model of " + saved + ", expected "
                        + model.config());
            }
            load(model, stateDict, file);
        }
    }

    private static void load(SscqModel model, StateDict stateDict, Path file) {
        HeadLayout layout = model.layout();
        for (int i = 0; i < HeadLayout.KEYS.length; i++) {
            String key = HeadLayout.KEYS[i];
            HostTensor t = stateDict.find(key).orElseThrow(() -> new StateDictMismatchException(file
                    + ": state dict lacks key '" + key + "' of an SSCQ model"));
            if (!Arrays.equals(t.shape(), layout.shape(i))) {
                throw new StateDictMismatchException(file + ": state dict key '" + key + "' has shape "
                        + HostTensor.formatShape(t.shape()) + ", expected " + HostTensor.formatShape(layout.shape(i))
                        + " for " + model.config());
            }
        }
        try {
            StateDictIo.load(model.encoder(), encoderPart(stateDict));
        } catch (StateDictMismatchException e) {
            throw new StateDictMismatchException(file + ": " + e.getMessage(), e);
        }
        float[] head = new float[Math.toIntExact(layout.size())];
        for (int i = 0; i < HeadLayout.KEYS.length; i++) {
            stateDict.get(HeadLayout.KEYS[i]).readFloats(head, (int) layout.offset(i));
        }
        model.backend().buffers().upload(head, model.headParameters());
    }

    /** The state dict without the head's keys: what the encoder loads. */
    private static TensorSource encoderPart(StateDict stateDict) {
        TensorSource all = StateDictIo.source(stateDict);
        Set<String> keys = new LinkedHashSet<>(all.keys());
        keys.removeAll(List.of(HeadLayout.KEYS));
        return new TensorSource() {
            @Override
            public Set<String> keys() {
                return keys;
            }

            @Override
            public long[] shape(String key) {
                return all.shape(key);
            }

            @Override
            public float[] floats(String key) {
                return all.floats(key);
            }
        };
    }
}
