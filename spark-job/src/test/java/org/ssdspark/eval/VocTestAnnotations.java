package org.ssdspark.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A minimal VOC annotation reader for tests only (the product's parser lives in data-prep): the test split's
 * XML files as {@link GroundTruthBox}es, with the reference's 1-to-0-based shift. DOCTYPEs are refused.
 */
final class VocTestAnnotations {
    private VocTestAnnotations() {
    }

    static List<String> labels(Path vocRoot) throws IOException {
        return Files.readAllLines(vocRoot.resolve("labels.txt"), StandardCharsets.UTF_8).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static List<String> testImageIds(Path vocRoot) throws IOException {
        return Files.readAllLines(vocRoot.resolve("ImageSets/Main/test.txt"), StandardCharsets.UTF_8).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    static List<GroundTruthBox> read(Path vocRoot, List<String> imageIds) throws Exception {
        DocumentBuilder builder = safeFactory().newDocumentBuilder();
        List<GroundTruthBox> boxes = new ArrayList<>();
        for (String id : imageIds) {
            Document doc = builder.parse(vocRoot.resolve("Annotations/" + id + ".xml").toFile());
            NodeList objects = doc.getDocumentElement().getElementsByTagName("object");
            for (int i = 0; i < objects.getLength(); i++) {
                Element o = (Element) objects.item(i);
                Element box = (Element) o.getElementsByTagName("bndbox").item(0);
                String difficult = text(o, "difficult");
                boxes.add(GroundTruthBox.fromVocCoordinates(id, text(o, "name").toLowerCase(),
                        number(box, "xmin"), number(box, "ymin"), number(box, "xmax"), number(box, "ymax"),
                        difficult != null && !difficult.isEmpty() && Integer.parseInt(difficult) != 0));
            }
        }
        return boxes;
    }

    private static DocumentBuilderFactory safeFactory() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    private static double number(Element parent, String tag) {
        return Double.parseDouble(text(parent, tag));
    }
}
