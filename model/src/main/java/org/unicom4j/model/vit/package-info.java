/**
 * The Unicom Vision Transformer (spec section 1): configuration, the parameter layout of the released state
 * dicts, explicit forward and backward passes on a {@link org.unicom4j.kernels.Backend}, and inference with the
 * BatchNorm head folded into one affine map.
 */
package org.unicom4j.model.vit;
