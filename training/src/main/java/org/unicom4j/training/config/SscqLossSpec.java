package org.unicom4j.training.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The loss of an {@code sscq} train stage (config {@code loss}), spec sscq.md, "Losses": L = icz L_icz + icf L_icf + cc L_cc + pn L_pn + cd L_cd.
 * A weight of 0 leaves its term out entirely (not computed), which is how an ablation turns a loss off.
 *
 * @param icz                    weight of NT-Xent on the soft-quantised vectors z (1)
 * @param icf                    weight of NT-Xent on the features f (1)
 * @param cc                     weight of the global consistency of u = f + z (0.4)
 * @param pn                     weight of the part-neighbour consistency per codebook (0.1)
 * @param cd                     weight of the codeword diversity (0.2)
 * @param contrastTemperature    NT-Xent's tau (0.5)
 * @param consistencyTemperature the consistency softmax temperature (0.2)
 * @param neighbours             neighbours counted as positives in L_pn (20)
 * @param neighbourTemperature   L_pn's softmax temperature (0.5)
 */
public record SscqLossSpec(double icz, double icf, double cc, double pn, double cd, double contrastTemperature,
                           double consistencyTemperature, int neighbours, double neighbourTemperature)
        implements StageLoss {

    /** The spec's weights and temperatures. */
    public static final SscqLossSpec DEFAULT = new SscqLossSpec(1, 1, 0.4, 0.1, 0.2, 0.5, 0.2, 20, 0.5);

    public SscqLossSpec {
        for (double w : new double[] {icz, icf, cc, pn, cd}) {
            if (!(w >= 0 && w < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("SSCQ loss weights must be finite and >= 0, got " + w);
            }
        }
        for (double t : new double[] {contrastTemperature, consistencyTemperature, neighbourTemperature}) {
            if (!(t > 0 && t < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("SSCQ loss temperatures must be finite and > 0, got " + t);
            }
        }
        if (neighbours < 1) {
            throw new IllegalArgumentException("SSCQ neighbours must be >= 1, got " + neighbours);
        }
    }

    static SscqLossSpec read(ConfigNode n) {
        SscqLossSpec d = DEFAULT;
        SscqLossSpec spec = new SscqLossSpec(n.number("icz", d.icz(), 0, 1e3), n.number("icf", d.icf(), 0, 1e3),
                n.number("cc", d.cc(), 0, 1e3), n.number("pn", d.pn(), 0, 1e3), n.number("cd", d.cd(), 0, 1e3),
                n.positive("contrastTemperature", d.contrastTemperature()),
                n.positive("consistencyTemperature", d.consistencyTemperature()),
                (int) n.integer("neighbours", d.neighbours(), 1, 1 << 20),
                n.positive("neighbourTemperature", d.neighbourTemperature()));
        n.finish();
        return spec;
    }

    @Override
    public ObjectNode toJson() {
        return new ObjectMapper().valueToTree(this);
    }

    /** This spec with the given weights. */
    public SscqLossSpec withWeights(double icz, double icf, double cc, double pn, double cd) {
        return new SscqLossSpec(icz, icf, cc, pn, cd, contrastTemperature, consistencyTemperature, neighbours,
                neighbourTemperature);
    }
}
