package org.unicom4j.model.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a state dict from either checkpoint format, telling them apart by their first bytes, not the name. */
public final class StateDictReader {
    private StateDictReader() {
    }

    /** The file's state dict, with names as saved (see {@link StateDict#stripPrefixes()}). */
    public static StateDict read(Path file) throws IOException {
        byte[] head = new byte[9];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) {
            return TorchCheckpointReader.read(file);
        }
        if (n == 9 && head[8] == '{') { // u64 header length, then the JSON header
            return SafetensorsReader.read(file);
        }
        if (n > 0 && (head[0] & 0xFF) == 0x80) {
            return TorchCheckpointReader.read(file); // a legacy torch.save pickle: reported as such
        }
        throw new CheckpointFormatException(file, n == 0 ? "empty file, expected a checkpoint"
                : "neither a torch.save archive nor a safetensors file");
    }
}
