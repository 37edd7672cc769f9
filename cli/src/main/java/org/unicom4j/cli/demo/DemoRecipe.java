package org.unicom4j.cli.demo;

import org.unicom4j.data.InvalidInputException;

/**
 * The training knobs of the demo (the command's recipe options), kept apart from what to run and where.
 *
 * @param lr             peak learning rate of cluster discrimination
 * @param finetuneLr     peak learning rate of supervised fine-tuning
 * @param scale          margin softmax scale s (both phases)
 * @param arcMargin      ArcFace angular margin m2 (0 to use CosFace)
 * @param cosMargin      CosFace additive margin m3 (0 to use ArcFace)
 * @param sampledDims    d', feature dimensions sampled per step in cluster discrimination
 * @param maxShift       augmentation: random shift of up to this many pixels
 * @param flip           augmentation: horizontal flip with probability 1/2
 * @param scaleJitter    augmentation: random zoom by a factor in [1 - j, 1 + j] (0: none, and whole-pixel shifts)
 * @param meanPrototypes start each prototype at its class's mean embedding direction instead of at random
 */
public record DemoRecipe(float lr, float finetuneLr, float scale, float arcMargin, float cosMargin, int sampledDims,
                         int maxShift, boolean flip, double scaleJitter, boolean meanPrototypes) {
    public DemoRecipe {
        if (!(lr > 0) || !(finetuneLr > 0) || !(scale > 0)) {
            throw new InvalidInputException("--lr, --finetune-lr and --scale must be > 0, got " + lr + ", "
                    + finetuneLr + ", " + scale);
        }
        if (arcMargin < 0 || cosMargin < 0 || (arcMargin > 0 && cosMargin > 0)) {
            throw new InvalidInputException("--arc-margin and --cos-margin must be >= 0 and not both > 0, got "
                    + arcMargin + " and " + cosMargin);
        }
        if (!(scaleJitter >= 0 && scaleJitter < 0.5)) {
            throw new InvalidInputException("--scale-jitter must be in [0, 0.5), got " + scaleJitter);
        }
        if (sampledDims < 1 || maxShift < 0 || maxShift > 13) {
            throw new InvalidInputException("--sampled-dims must be >= 1 and --shift in [0, 13], got "
                    + sampledDims + " and " + maxShift);
        }
    }
}
