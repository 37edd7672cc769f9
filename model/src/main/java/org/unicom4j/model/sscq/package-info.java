/**
 * SSCQ (spec sscq.md): an encoder of the model module (the Unicom ViT) followed by a projection head
 * (Linear, ReLU, Linear to M sub-vectors of d floats) and M codebooks of K codewords, with the soft quantiser it
 * trains through and the hard codes it retrieves with; its configuration and its safetensors file.
 */
package org.unicom4j.model.sscq;
