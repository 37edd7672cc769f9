package org.unicom4j.data.image;

import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Node;

/**
 * What a JPEG's markers say about its samples: the number of components in the frame header (4 for CMYK/YCCK) and
 * the {@code transform} flag of the Adobe APP14 marker (0 = stored as is, 1 = YCbCr, 2 = YCCK; -1 when absent).
 */
record JpegLayout(int components, int adobeTransform) {

    static JpegLayout of(IIOMetadata metadata) {
        Node root = metadata.getAsTree("javax_imageio_jpeg_image_1.0");
        Node sof = find(root, "sof");
        Node adobe = find(root, "app14Adobe");
        int components = sof == null ? -1 : Integer.parseInt(attribute(sof, "numFrameComponents", "-1"));
        int transform = adobe == null ? -1 : Integer.parseInt(attribute(adobe, "transform", "0"));
        return new JpegLayout(components, transform);
    }

    private static String attribute(Node node, String name, String fallback) {
        Node a = node.getAttributes().getNamedItem(name);
        return a == null ? fallback : a.getNodeValue();
    }

    private static Node find(Node node, String name) {
        if (name.equals(node.getNodeName())) {
            return node;
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            Node found = find(child, name);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}
