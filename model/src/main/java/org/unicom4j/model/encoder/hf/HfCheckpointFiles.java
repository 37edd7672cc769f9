package org.unicom4j.model.encoder.hf;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.data.InvalidInputException;

/**
 * Where a Hugging Face checkpoint's files are, given what the user pointed at: its directory, its weight file
 * ({@code model.safetensors}, or the older {@code pytorch_model.bin}) or its sharded index
 * ({@code model.safetensors.index.json}, {@code pytorch_model.bin.index.json}); the config files are beside it.
 *
 * @param config             config.json
 * @param preprocessorConfig preprocessor_config.json, or null when the checkpoint has none
 * @param weightMap          tensor name -> the file holding it, for a sharded checkpoint; empty for one file
 * @param weightFiles        the weight files (safetensors, or torch.save archives)
 */
public record HfCheckpointFiles(Path config, Path preprocessorConfig, Map<String, Path> weightMap,
                                List<Path> weightFiles) {
    static final String CONFIG = "config.json";
    static final String PREPROCESSOR_CONFIG = "preprocessor_config.json";
    /** The weight files a directory may hold, in the order they are preferred (transformers' own order). */
    static final List<String> WEIGHTS = List.of("model.safetensors", "model.safetensors.index.json",
            "pytorch_model.bin", "pytorch_model.bin.index.json");

    /**
     * Whether {@code weights} names a Hugging Face checkpoint rather than a Unicom one: a directory, or a file with a
     * {@code config.json} beside it that declares a {@code model_type} (a Unicom VitConfig JSON has none).
     */
    public static boolean isHfCheckpoint(Path weights) {
        if (Files.isDirectory(weights)) {
            return true;
        }
        Path config = sibling(weights, CONFIG);
        if (!Files.isRegularFile(config)) {
            return false;
        }
        try {
            return JsonFile.read(config).has("model_type");
        } catch (IOException | InvalidInputException e) {
            return true; // let the loader report the broken config.json
        }
    }

    public static HfCheckpointFiles locate(Path weights) throws IOException {
        Path dir = Files.isDirectory(weights) ? weights : sibling(weights, ".");
        Path config = dir.resolve(CONFIG);
        if (!Files.isRegularFile(config)) {
            throw new InvalidInputException(weights + ": no " + CONFIG + " " + (Files.isDirectory(weights) ? "in it"
                    : "beside it") + " (a Hugging Face checkpoint needs its config)");
        }
        Path preprocessor = dir.resolve(PREPROCESSOR_CONFIG);
        Path weightFile = weights;
        if (Files.isDirectory(weights)) {
            weightFile = WEIGHTS.stream().map(dir::resolve).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new InvalidInputException(weights + ": no weights in it (expected one of "
                            + String.join(", ", WEIGHTS) + ")"));
        }
        Map<String, Path> weightMap = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        if (weightFile.getFileName().toString().endsWith(".json")) {
            readIndex(weightFile, weightMap, files);
        } else {
            files.add(weightFile);
        }
        return new HfCheckpointFiles(config, Files.isRegularFile(preprocessor) ? preprocessor : null, weightMap,
                List.copyOf(files));
    }

    private static void readIndex(Path index, Map<String, Path> weightMap, List<Path> files) throws IOException {
        JsonFile json = JsonFile.read(index);
        JsonNode map = json.root().path("weight_map");
        if (!map.isObject() || map.isEmpty()) {
            throw new FileFormatException(index + ": no 'weight_map' of tensor name -> safetensors file");
        }
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual()) {
                throw new FileFormatException(index + ": weight_map entry '" + e.getKey() + "' is not a file name");
            }
            Path shard = sibling(index, e.getValue().asText());
            if (!Files.isRegularFile(shard)) {
                throw new InvalidInputException(index + ": shard " + e.getValue().asText() + " (of tensor '"
                        + e.getKey() + "') not found");
            }
            weightMap.put(e.getKey(), shard);
            if (!files.contains(shard)) {
                files.add(shard);
            }
        }
    }

    private static Path sibling(Path file, String name) {
        Path parent = file.toAbsolutePath().getParent();
        return name.equals(".") ? parent : parent.resolve(name);
    }

    /** Bytes of weights: the file sizes summed (part of the model id). */
    public long weightBytes() throws IOException {
        long n = 0;
        for (Path f : weightFiles) {
            n += Files.size(f);
        }
        return n;
    }
}
