package org.unicom4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.unicom4j.model.checkpoint.CheckpointConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code unicom4j convert}: a released {@code .pt} checkpoint to safetensors. */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert a PyTorch .pt checkpoint (e.g. FP16-ViT-B-32.pt) to safetensors, keeping dtypes.")
final class ConvertCommand implements Callable<Integer> {

    @Parameters(index = "0", description = "input .pt file")
    Path input;

    @Parameters(index = "1", arity = "0..1", description = "output .safetensors file, written atomically "
            + "(default: the input's name with .safetensors, next to it)")
    Path output;

    @Option(names = "--keep-prefixes", description = "keep module./model./_orig_mod. key prefixes")
    boolean keepPrefixes;

    @Override
    public Integer call() throws Exception {
        CheckpointConverter.Summary summary = CheckpointConverter.convert(input,
                output != null ? output : CheckpointConverter.defaultOutput(input), !keepPrefixes);
        System.out.println(summary.describe());
        return 0;
    }
}
