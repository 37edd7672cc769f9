package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * The model of a {@code head} run (config {@code model}): a projection head Dropout(dropout) -> Linear(in, out)
 * (-> BatchNorm1d(out)) trained on a frozen backbone's cached features (spec unifex.md). The input size is the
 * features'. With {@code backbone} (the model file the features were embedded with) the run also writes the head
 * composed with it as one model.
 *
 * @param input     what the features are: {@code embedding} (the backbone's embeddings, default) or {@code tokens}
 *                  (the tokens its own head projects: {@code unicom4j embed --output tokens}); checked against the
 *                  cached features' embed.json
 * @param out       the embedding size (default 64)
 * @param dropout   dropout on the features, in [0, 1) (default 0.2, UniFEx)
 * @param batchNorm BatchNorm1d after the Linear (default false, UniFEx has none)
 * @param backbone  the frozen backbone's weights (absolute), or null
 */
public record HeadSpec(String input, int out, double dropout, boolean batchNorm, String backbone) {

    static HeadSpec read(ConfigNode root, Path base) {
        ConfigNode n = root.object("model");
        HeadSpec spec = new HeadSpec(n.choice("input", "embedding", "embedding", "tokens"),
                (int) n.integer("out", 64, 1, 1 << 16), n.number("dropout", 0.2, 0, 0.99),
                n.bool("batchNorm", false), n.optionalText("backbone")
                .map(b -> base.resolve(b).toAbsolutePath().normalize().toString()).orElse(null));
        n.finish();
        return spec;
    }

    ObjectNode toJson() {
        ObjectNode n = JsonNodeFactory.instance.objectNode().put("input", input).put("out", out).put("dropout", dropout)
                .put("batchNorm", batchNorm);
        return backbone == null ? n : n.put("backbone", backbone);
    }
}
