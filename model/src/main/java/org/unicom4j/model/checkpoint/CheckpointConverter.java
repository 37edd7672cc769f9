package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.unicom4j.data.InvalidInputException;

/**
 * Converts a checkpoint ({@code torch.save} {@code .pt}, or safetensors) into safetensors, keeping every tensor's
 * dtype and stripping wrapper prefixes ({@code module.}, {@code _orig_mod.}, {@code model.}) unless asked not to.
 * The body of the {@code unicom4j convert} command.
 */
public final class CheckpointConverter {

    /** What a conversion did. */
    public record Summary(Path input, Path output, String source, int tensors, long elements,
                          Map<DType, Integer> dtypes, List<String> strippedPrefixes) {
        /** One line for the console. */
        public String describe() {
            List<String> counts = new ArrayList<>();
            dtypes.forEach((d, n) -> counts.add(d + " " + n));
            String stripped = strippedPrefixes.isEmpty() ? "no prefix stripped"
                    : "stripped prefix '" + String.join("", strippedPrefixes) + "' from all " + tensors + " names";
            return String.format("%s -> %s: %d tensors (%s), %,d values; %s", source, output, tensors,
                    String.join(", ", counts), elements, stripped);
        }
    }

    private CheckpointConverter() {
    }

    public static Summary convert(Path input, Path output, boolean stripPrefixes) throws IOException {
        if (input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())) {
            throw new InvalidInputException(output + ": the output would overwrite the input");
        }
        try (StateDict read = StateDictReader.read(input)) {
            StateDict stateDict = stripPrefixes ? read.stripPrefixes() : read;
            Map<String, String> metadata = new LinkedHashMap<>(read.metadata());
            metadata.put("format", "pt");
            metadata.put("converted_from", String.valueOf(input.getFileName()));
            if (!stateDict.strippedPrefixes().isEmpty()) {
                metadata.put("stripped_prefixes", String.join("", stateDict.strippedPrefixes()));
            }
            SafetensorsWriter.write(output, stateDict.tensors(), metadata);
            Map<DType, Integer> dtypes = new EnumMap<>(DType.class);
            for (HostTensor t : stateDict) {
                dtypes.merge(t.dtype(), 1, Integer::sum);
            }
            return new Summary(input, output, stateDict.source(), stateDict.size(), stateDict.elementCount(),
                    dtypes, stateDict.strippedPrefixes());
        }
    }

    /** {@code <stem>.safetensors} next to the input. */
    public static Path defaultOutput(Path input) {
        String name = input.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return input.resolveSibling(stem + ".safetensors");
    }
}
