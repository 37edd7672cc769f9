package org.unicom4j.model.encoder.hf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.unicom4j.data.FileFormatException;
import org.unicom4j.model.checkpoint.HostTensor;
import org.unicom4j.model.checkpoint.StateDict;
import org.unicom4j.model.checkpoint.StateDictReader;

/**
 * The tensors of a checkpoint's weight files, safetensors (memory-mapped) or torch.save archives (one file, or the
 * shards of an index, each tensor taken from the shard the index names). Close it when the tensors have been
 * copied.
 */
final class HfTensors implements AutoCloseable {
    private final List<StateDict> files = new ArrayList<>();
    private final Map<String, HostTensor> tensors = new LinkedHashMap<>();
    private final String source;

    private HfTensors(String source) {
        this.source = source;
    }

    static HfTensors open(HfCheckpointFiles checkpoint) throws IOException {
        HfTensors t = new HfTensors(checkpoint.weightFiles().size() == 1 ? checkpoint.weightFiles().getFirst()
                .toString() : checkpoint.weightFiles().getFirst().getParent() + " (" + checkpoint.weightFiles().size()
                + " shards)");
        try {
            for (Path file : checkpoint.weightFiles()) {
                StateDict sd = StateDictReader.read(file);
                t.files.add(sd);
                for (HostTensor tensor : sd) {
                    Path owner = checkpoint.weightMap().get(tensor.name());
                    if (checkpoint.weightMap().isEmpty() || file.equals(owner)) {
                        t.tensors.put(tensor.name(), tensor);
                    }
                }
            }
            for (Map.Entry<String, Path> e : checkpoint.weightMap().entrySet()) {
                if (!t.tensors.containsKey(e.getKey())) {
                    throw new FileFormatException(e.getValue() + ": no tensor '" + e.getKey()
                            + "', which the index places in this shard");
                }
            }
            return t;
        } catch (IOException | RuntimeException e) {
            t.close();
            throw e;
        }
    }

    /** The tensors whose names {@code keep} accepts, as one state dict (views of the mapped files). */
    StateDict select(Predicate<String> keep) {
        return StateDict.of(source, tensors.values().stream().filter(x -> keep.test(x.name())).toList());
    }

    boolean contains(String name) {
        return tensors.containsKey(name);
    }

    HostTensor get(String name) {
        return tensors.get(name);
    }

    @Override
    public void close() {
        for (StateDict f : files) {
            f.close();
        }
        files.clear();
    }
}
